"""Prepare an OpenAPI document (ours or the published one) for openapi-python-client.

drf-spectacular schemas trip openapi-python-client 0.29 in known ways (``shared/design.md``,
"Known generator pitfalls"). Each fix below is a small pure function from spec to spec, so
that ``make spec && make generate`` works on the published schema as well as on ours and
every fix can be tested on a hand-made fragment:

* ``strip_uuid_format``: real Divio ids are 26-character base32 strings; parsing them as
  RFC-4122 UUIDs would fail.
* ``json_request_bodies_only``: DRF lists three content types per body, which makes the
  generator emit modules that cannot be imported; the API accepts JSON everywhere.
* ``nullable_choice_refs``: ``oneOf: [XEnum, NullEnum]`` / ``BlankEnum`` become one nullable
  reference (blank is folded into the enum), so a null or blank value parses.
* ``split_request_components``: request bodies that reference a component with ``readOnly``
  fields get a ``<Name>Request`` copy without them, as drf-spectacular's split does.
* ``drop_patch_defaults``: defaults in ``Patched*`` bodies would be sent on every PATCH.
* ``hoist_inline_enums`` and ``dedupe_component_names``: inline enums get stable component
  names, and names that map to the same Python class get deterministic suffixes.
* ``dedupe_operation_ids``: a repeated operationId would make one module overwrite another.

Usage: ``python scripts/preprocess_spec.py INPUT OUTPUT``; prints one line per change made.
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
            return ref[len(REF_PREFIX):]
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
        real = [option for option, name in zip(options, names, strict=True)
                if name not in NULL_ENUMS]
        if not markers or len(real) != 1:
            continue
        target = ref_name(real[0])
        if "BlankEnum" in markers and target and "enum" in schemas.get(target, {}):
            values = schemas[target]["enum"]
            if "" not in values:
                values.append("")
        del node["oneOf"]
        if "NullEnum" in markers:
            node["nullable"] = True
        node["allOf"] = real
        log(f"nullable_choice_refs: {target} with {'+'.join(markers)} folded")


def split_request_components(spec: Schema, log: Log) -> None:
    schemas = schemas_of(spec)
    for path, method, operation in operations(spec):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            name = ref_name(media.get("schema"))
            if name is None or name.endswith("Request"):
                continue
            source = schemas.get(name, {})
            properties = source.get("properties", {})
            read_only = sorted(key for key, value in properties.items()
                               if isinstance(value, dict) and value.get("readOnly"))
            if not read_only:
                continue
            request_name = f"{name}Request"
            if request_name not in schemas:
                request = copy.deepcopy(source)
                for key in read_only:
                    del request["properties"][key]
                if "required" in request:
                    request["required"] = [key for key in request["required"]
                                           if key not in read_only]
                    if not request["required"]:
                        del request["required"]
                schemas[request_name] = request
            media["schema"] = {"$ref": REF_PREFIX + request_name}
            log(f"split_request_components: {method.upper()} {path} uses {request_name} "
                f"(without {', '.join(read_only)})")


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
    seen: set[str] = set()
    for path, method, operation in operations(spec):
        original = operation.get("operationId")
        if not original:
            continue
        new, counter = original, 2
        while new.lower() in seen:
            new = f"{original}{counter}"
            counter += 1
        seen.add(new.lower())
        if new != original:
            operation["operationId"] = new
            log(f"dedupe_operation_ids: {method.upper()} {path} {original} -> {new}")


FIXES = (
    strip_uuid_format,
    json_request_bodies_only,
    nullable_choice_refs,
    split_request_components,
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
