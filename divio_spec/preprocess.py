"""Prepare an OpenAPI document (ours or the published one) for openapi-python-client.

drf-spectacular schemas trip openapi-python-client 0.29 in known ways, listed below (and in
``docs/architecture.md``, "The spec pipeline"). Each fix below is a small pure function from
spec to spec, so that ``make spec && make generate`` works on the published schema as well as on
ours and every fix can be tested on a hand-made fragment:

* ``strip_uuid_format``: real Divio ids are 26-character base32 strings (api-notes §3);
  parsing them as RFC-4122 UUIDs would fail.
* ``json_request_bodies_only``: DRF lists three content types per body, which makes the
  generator emit modules that cannot be imported; the API accepts JSON everywhere.
* ``nullable_choice_refs``: ``oneOf: [XEnum, NullEnum]`` / ``BlankEnum`` become one nullable
  reference (blank is folded into the enum as ``BLANK``), so a null or blank value parses.
* ``split_request_components``: request bodies use ``<Name>Request`` components without
  ``readOnly`` fields (drf-spectacular's split components when present, copies otherwise,
  nested components included): the generator ignores ``readOnly`` and would make callers
  send server-set fields.
* ``optional_write_only_in_responses``: a ``writeOnly`` field listed as required would make
  every response fail to parse.
* ``drop_patch_defaults``: defaults in ``Patched*`` bodies would be sent on every PATCH.
* ``hoist_inline_enums`` and ``dedupe_component_names``: inline enums get stable component
  names, and names that map to the same Python class get deterministic suffixes.
* ``dedupe_operation_ids``: a repeated operationId would make one module overwrite another.

Usage: ``python -m divio_spec.preprocess INPUT OUTPUT``; prints one line per change made.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Schema = dict[str, Any]
REF_PREFIX = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
NULL_ENUMS = ("NullEnum", "BlankEnum")


def walk(node: Any) -> Iterator[Schema]:
    """Yield every dict in a JSON tree, parents before children."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def schemas_of(spec: Schema) -> dict[str, Schema]:
    return spec.setdefault("components", {}).setdefault("schemas", {})  # type: ignore[no-any-return]


def operations(spec: Schema) -> Iterator[tuple[str, str, Schema]]:
    for path in sorted(spec.get("paths", {})):
        item = spec["paths"][path]
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def ref_name(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if ref.startswith(REF_PREFIX):
            return ref[len(REF_PREFIX) :]
    return None


def rename_refs(spec: Schema, renames: dict[str, str]) -> None:
    for node in walk(spec):
        name = ref_name(node)
        if name in renames:
            node["$ref"] = REF_PREFIX + renames[name]


Log = Callable[[str], None]


def strip_uuid_format(spec: Schema, log: Log) -> None:
    count = 0
    for node in walk(spec):
        if node.get("format") == "uuid" and node.get("type") == "string":
            del node["format"]
            count += 1
    if count:
        log(f"strip_uuid_format: removed format uuid from {count} schemas")


def json_request_bodies_only(spec: Schema, log: Log) -> None:
    for path, method, operation in operations(spec):
        content = operation.get("requestBody", {}).get("content")
        if not content or "application/json" not in content or len(content) == 1:
            continue
        dropped = sorted(media for media in content if media != "application/json")
        operation["requestBody"]["content"] = {"application/json": content["application/json"]}
        log(f"json_request_bodies_only: {method.upper()} {path} dropped {', '.join(dropped)}")


def nullable_choice_refs(spec: Schema, log: Log) -> None:
    schemas = schemas_of(spec)
    for node in list(walk(spec)):
        options = node.get("oneOf")
        if not isinstance(options, list):
            continue
        names = [ref_name(option) for option in options]
        markers = [name for name in names if name in NULL_ENUMS]
        real = [
            option for option, name in zip(options, names, strict=True) if name not in NULL_ENUMS
        ]
        if not markers or len(real) != 1:
            continue
        target = ref_name(real[0])
        if "BlankEnum" in markers and target and "enum" in schemas.get(target, {}):
            allow_blank(schemas[target])
        del node["oneOf"]
        if "NullEnum" in markers:
            node["nullable"] = True
        node["allOf"] = real
        log(f"nullable_choice_refs: {target} with {'+'.join(markers)} folded")
    for marker in NULL_ENUMS:
        if marker in schemas and not any(ref_name(node) == marker for node in walk(spec)):
            del schemas[marker]


def allow_blank(enum: Schema) -> None:
    """Add ``""`` to an enum, named ``BLANK`` (the generator would call it ``VALUE_<index>``).

    The generator's own names: the upper-cased value when it starts with a letter, else
    ``VALUE_<index>``; ``x-enum-varnames`` replaces them all, so it repeats them for the others.
    """
    values = enum["enum"]
    if "" in values:
        return
    names = enum.get("x-enum-varnames") or [
        value.upper() if isinstance(value, str) and value[:1].isalpha() else f"VALUE_{index}"
        for index, value in enumerate(values)
    ]
    values.append("")
    if len(names) == len(values) - 1 and "BLANK" not in names:
        enum["x-enum-varnames"] = [*names, "BLANK"]


def split_request_components(spec: Schema, log: Log) -> None:
    """Make request bodies use components without ``readOnly`` fields, nested ones too.

    A component that has ``readOnly`` or ``writeOnly`` fields (directly or in a component it
    refers to) is used through ``<Name>Request``: drf-spectacular's split component when the
    schema has one, otherwise a copy without the ``readOnly`` fields. Existing ``*Request``
    components are cleaned in place: they are only ever used in requests.
    """
    schemas = schemas_of(spec)
    variants: dict[str, str] = {}

    def variant(name: str) -> str:
        if name in variants or name not in schemas:
            return variants.get(name, name)
        variants[name] = name  # a component that refers to itself keeps its own name
        source = schemas[name]
        request = without_read_only(source)
        for node in walk(request):
            child = ref_name(node)
            if child is not None:
                node["$ref"] = REF_PREFIX + variant(child)
        if request == source and not has_flag(source, "writeOnly"):
            return name
        if name.endswith("Request"):
            schemas[name] = request
            result = name
        elif f"{name}Request" in schemas:
            result = variant(f"{name}Request")
        else:
            schemas[f"{name}Request"] = request
            result = f"{name}Request"
        variants[name] = result
        return result

    for path, method, operation in operations(spec):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            for node in walk(media):
                name = ref_name(node)
                if name is not None and (request := variant(name)) != name:
                    node["$ref"] = REF_PREFIX + request
                    log(f"split_request_components: {method.upper()} {path} uses {request}")


def has_flag(schema: Schema, flag: str) -> bool:
    return any(
        isinstance(value, dict) and value.get(flag)
        for value in schema.get("properties", {}).values()
    )


def without_read_only(schema: Schema) -> Schema:
    """A copy of an object schema without its ``readOnly`` properties."""
    result = copy.deepcopy(schema)
    properties = result.get("properties", {})
    read_only = [
        key
        for key, value in properties.items()
        if isinstance(value, dict) and value.get("readOnly")
    ]
    for key in read_only:
        del properties[key]
    if "required" in result:
        result["required"] = [key for key in result["required"] if key not in read_only]
        if not result["required"]:
            del result["required"]
    return result


def optional_write_only_in_responses(spec: Schema, log: Log) -> None:
    """A response never carries a ``writeOnly`` field, so it must not be required there.

    Without ``COMPONENT_SPLIT_REQUEST`` drf-spectacular lists write-only fields (passwords) as
    required in the one component used for both directions; the generated ``from_dict`` would
    then raise ``KeyError`` on every response. Runs after ``split_request_components``, so
    only components that no request body uses are changed.
    """
    schemas = schemas_of(spec)
    in_requests = reachable(
        spec, [operation.get("requestBody", {}) for _, _, operation in operations(spec)]
    )
    for name, schema in sorted(schemas.items()):
        if name in in_requests or "required" not in schema:
            continue
        properties = schema.get("properties", {})
        write_only = [
            key
            for key in schema["required"]
            if isinstance(properties.get(key), dict) and properties[key].get("writeOnly")
        ]
        if write_only:
            schema["required"] = [key for key in schema["required"] if key not in write_only]
            if not schema["required"]:
                del schema["required"]
            log(f"optional_write_only_in_responses: {name} ({', '.join(write_only)})")


def reachable(spec: Schema, roots: list[Any]) -> set[str]:
    """Names of the components that ``roots`` refer to, directly or through other components."""
    schemas = schemas_of(spec)
    found: set[str] = set()
    pending = [name for root in roots for node in walk(root) if (name := ref_name(node))]
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending.extend(
                child for node in walk(schemas.get(name, {})) if (child := ref_name(node))
            )
    return found


def drop_patch_defaults(spec: Schema, log: Log) -> None:
    for name, schema in sorted(schemas_of(spec).items()):
        if not name.startswith("Patched"):
            continue
        for key, prop in sorted(schema.get("properties", {}).items()):
            if isinstance(prop, dict) and "default" in prop:
                del prop["default"]
                log(f"drop_patch_defaults: {name}.{key}")


def python_class_key(name: str) -> str:
    """What openapi-python-client turns a component name into, for collision checks."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def unique_name(wanted: str, taken: set[str]) -> str:
    keys = {python_class_key(name) for name in taken}
    candidate, counter = wanted, 2
    while python_class_key(candidate) in keys:
        candidate = f"{wanted}{counter}"
        counter += 1
    return candidate


def hoist_inline_enums(spec: Schema, log: Log) -> None:
    schemas = schemas_of(spec)
    for model in sorted(schemas):
        for prop, value in sorted(schemas[model].get("properties", {}).items()):
            target = value.get("items") if value.get("type") == "array" else value
            if not isinstance(target, dict) or "enum" not in target:
                continue
            pascal = "".join(part.capitalize() for part in re.split(r"[_\W]+", prop) if part)
            name = unique_name(f"{model}{pascal}Enum", set(schemas))
            schemas[name] = copy.deepcopy(target)
            target.clear()
            target["$ref"] = REF_PREFIX + name
            log(f"hoist_inline_enums: {model}.{prop} -> {name}")


def dedupe_component_names(spec: Schema, log: Log) -> None:
    schemas = schemas_of(spec)
    renames: dict[str, str] = {}
    kept: set[str] = set()
    for name in sorted(schemas):
        new = unique_name(name, kept)
        kept.add(new)
        if new != name:
            renames[name] = new
    for old, new in renames.items():
        schemas[new] = schemas.pop(old)
        log(f"dedupe_component_names: {old} -> {new}")
    rename_refs(spec, renames)


def dedupe_operation_ids(spec: Schema, log: Log) -> None:
    """Rename repeated operationIds: the first (in path order) keeps its id, the others get
    ``2``, ``3``, ...; an id that was already unique is never renamed, so module names stay."""
    found = [
        (path, method, operation)
        for path, method, operation in operations(spec)
        if operation.get("operationId")
    ]
    taken = {python_class_key(operation["operationId"]) for _, _, operation in found}
    seen: set[str] = set()
    for path, method, operation in found:
        original = operation["operationId"]
        key = python_class_key(original)
        if key not in seen:
            seen.add(key)
            continue
        new, counter = f"{original}2", 3
        while python_class_key(new) in taken:
            new, counter = f"{original}{counter}", counter + 1
        taken.add(python_class_key(new))
        operation["operationId"] = new
        log(f"dedupe_operation_ids: {method.upper()} {path} {original} -> {new}")


FIXES = (
    strip_uuid_format,
    json_request_bodies_only,
    nullable_choice_refs,
    split_request_components,
    optional_write_only_in_responses,
    drop_patch_defaults,
    hoist_inline_enums,
    dedupe_component_names,
    dedupe_operation_ids,
)


def preprocess(spec: Schema, log: Log = lambda line: None) -> Schema:
    """Return a fixed copy of ``spec``; the input is not modified."""
    result = copy.deepcopy(spec)
    for fix in FIXES:
        fix(result, log)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    spec = json.loads(args.input.read_text(encoding="utf-8"))
    fixed = preprocess(spec, log=lambda line: print(line, file=sys.stderr))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(fixed, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
