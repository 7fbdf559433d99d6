"""What changed between two OpenAPI documents, and what of it breaks divio-ext (``make spec-diff``).

``make spec`` runs this before it replaces ``openapi.json``: a breaking change stops it unless
``ACCEPT_BREAKING=1``. ``make spec-diff OLD=... NEW=...`` runs the report alone.

Operations are matched by HTTP method and path, and their schemas are compared as reached from
the same method and path, never by component name: the reconstructed spec and the published
one name their components differently. Each request body and answer is flattened into fields
(``environment``, ``last_finished_deployment.uuid``, ``service_instance_backups[]``), following
``$ref``, ``allOf`` and ``oneOf``/``anyOf``; a null member (drf-spectacular's ``NullEnum``) or
``nullable`` makes a field nullable, and a paginated list envelope stands for its ``results``
items.

What is breaking comes from ``divio_ext/core/contract.py`` (loaded by file path, so the generated
client is never imported): a required operation removed; a field divio-ext reads removed,
retyped, newly nullable, no longer required or losing enum values; a parameter or top-level
request field removed, or newly required, on an operation divio-ext calls (the contract does
not say which filters and body fields divio-ext sends, so any of them counts); a list that
stops being paginated, or an answer that changes shape, on such an operation. An operationId
rename is information only: divio-ext is bound to paths.

Exit status: 0 when nothing is breaking, 1 when something is, 2 when an input is unusable.

Usage: ``python -m divio_spec.diff OLD NEW [--report spec-changes.md]`` (files or URLs,
JSON or YAML).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from divio_spec.sources import SpecError, parse_document, read_source

Schema = dict[str, Any]
Operation = tuple[str, str]

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACT_PATH = REPO_ROOT / "divio_ext" / "core" / "contract.py"
DEFAULT_REPORT = REPO_ROOT / "spec-changes.md"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
UNTYPED = "any"


@dataclass(frozen=True)
class Contract:
    """What divio-ext relies on: the operations it calls and the answer fields it reads."""

    required: frozenset[Operation]
    reads: Mapping[Operation, frozenset[str]]


def load_contract(path: Path = CONTRACT_PATH) -> Contract:
    """``divio_ext/core/contract.py`` loaded on its own, without importing ``divio_ext``.

    Importing the package would import the generated client, which is exactly what may be
    about to change; the contract module has only standard-library imports.
    """
    spec = importlib.util.spec_from_file_location("divio_ext_contract", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve the module's annotations through sys.modules while the class is built.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return Contract(
        required=frozenset((endpoint.method, endpoint.path) for endpoint in module.REQUIRED),
        reads={
            (endpoint.method, endpoint.path): frozenset(names)
            for endpoint, names in module.READS.items()
        },
    )


@dataclass
class Node:
    """One schema with references, ``allOf`` and nullable unions resolved."""

    type: str = UNTYPED
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    properties: dict[str, Schema] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Schema | None = None
    read_only: bool = False
    write_only: bool = False
    refs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Field:
    """What a client sees of one field: its type, and whether it may be absent, null or listed."""

    type: str
    required: bool
    nullable: bool
    enum: tuple[str, ...] | None


class SpecDiffError(Exception):
    """Why a document cannot be compared; ``make spec-diff`` exits 2 with it."""


def lookup(document: Schema, ref: str) -> Schema:
    """The object a local ``$ref`` (``#/components/...``) points at."""
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            raise SpecDiffError(f"unresolvable $ref {ref}")
        node = node[part]
    if not isinstance(node, dict):
        raise SpecDiffError(f"$ref {ref} does not point at an object")
    return node


def dereference(document: Schema, schema: Schema) -> Schema:
    """Follow ``$ref`` of a parameter, request body or response (these do not recurse)."""
    while isinstance(schema.get("$ref"), str):
        schema = lookup(document, schema["$ref"])
    return schema


def normalise(document: Schema, schema: Any, refs: frozenset[str] = frozenset()) -> Node:
    """The node a schema stands for; ``refs`` are the components followed to reach it.

    A component reached again through itself stops as an opaque object, so recursive schemas end.
    """
    if not isinstance(schema, dict):
        return Node(refs=refs)
    read_only = schema.get("readOnly") is True
    write_only = schema.get("writeOnly") is True
    while isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if ref in refs:
            return Node(type="object", refs=refs)
        refs |= {ref}
        schema = lookup(document, ref)
        read_only |= schema.get("readOnly") is True
        write_only |= schema.get("writeOnly") is True
    node = Node(read_only=read_only, write_only=write_only, refs=refs)
    for member in schema.get("allOf", []):
        merge_into(node, normalise(document, member, refs))
    union = schema.get("oneOf") or schema.get("anyOf")
    if union:
        merge_into(node, union_of([normalise(document, member, refs) for member in union]))
    own_node(node, schema)
    return node


def merge_into(node: Node, part: Node) -> None:
    """Add an ``allOf`` member (or a resolved union) to the node being built."""
    if node.type == UNTYPED:
        node.type = part.type
    node.nullable |= part.nullable
    node.enum = part.enum if node.enum is None else node.enum
    node.properties = {**node.properties, **part.properties}
    node.required |= part.required
    node.items = part.items if node.items is None else node.items
    node.read_only |= part.read_only
    node.write_only |= part.write_only
    node.refs |= part.refs


def union_of(members: list[Node]) -> Node:
    """A ``oneOf``/``anyOf``: a null member makes it nullable; enum members merge their values."""
    present = [member for member in members if member.type != "null"]
    nullable = len(present) < len(members) or any(member.nullable for member in present)
    if len(present) == 1:
        only = present[0]
        only.nullable = nullable
        return only
    if present and all(member.enum is not None for member in present):
        values = sorted({value for member in present for value in member.enum or ()})
        types = sorted({member.type for member in present} - {UNTYPED})
        return Node(type="|".join(types) or UNTYPED, nullable=nullable, enum=tuple(values))
    types = sorted({member.type for member in present})
    return Node(type=f"oneOf[{'|'.join(types)}]", nullable=nullable)


def own_node(node: Node, schema: Schema) -> None:
    """Apply the keywords of the schema itself, after its ``allOf`` and union members."""
    node.nullable |= schema.get("nullable") is True
    declared = schema.get("type")
    if isinstance(declared, list):  # OpenAPI 3.1: ``type: [string, "null"]``
        node.nullable |= "null" in declared
        declared = "|".join(sorted(kind for kind in declared if kind != "null")) or "null"
    if isinstance(schema.get("enum"), list):
        values = schema["enum"]
        node.nullable |= None in values
        node.enum = tuple(sorted(json.dumps(value) for value in values if value is not None))
        if not node.enum and declared is None:
            declared = "null"
        elif declared is None:
            declared = "|".join(sorted({json_type(value) for value in values if value is not None}))
    if isinstance(schema.get("properties"), dict):
        node.properties = {**node.properties, **schema["properties"]}
    if isinstance(schema.get("required"), list):
        node.required |= frozenset(schema["required"])
    if isinstance(schema.get("items"), dict):
        node.items = schema["items"]
    if declared is None:
        if node.type != UNTYPED:
            return
        declared = "object" if node.properties else "array" if node.items else UNTYPED
    node.type = f"{declared}({schema['format']})" if "format" in schema else declared


def json_type(value: Any) -> str:
    """The JSON Schema type of an enum value, for enums that do not declare one."""
    kinds = {bool: "boolean", int: "integer", float: "number", str: "string"}
    return kinds.get(type(value), "object" if isinstance(value, dict) else "array")


def fields_of(document: Schema, node: Node, side: str) -> dict[str, Field]:
    """Every field under ``node`` by dotted name; arrays' items are ``name[]``.

    ``side`` is ``request`` or ``response``: read-only fields are not sent and write-only
    fields never come back, so each side ignores the other's.
    """
    found: dict[str, Field] = {}
    skip = "read_only" if side == "request" else "write_only"

    def visit(parent: Node, prefix: str) -> None:
        for name, schema in parent.properties.items():
            child = normalise(document, schema, parent.refs)
            if getattr(child, skip):
                continue
            key = f"{prefix}{name}"
            found[key] = Field(child.type, name in parent.required, child.nullable, child.enum)
            descend(child, key)

    def descend(child: Node, key: str) -> None:
        visit(child, f"{key}.")
        if child.items is not None:
            item = normalise(document, child.items, child.refs)
            found[f"{key}[]"] = Field(item.type, True, item.nullable, item.enum)
            descend(item, f"{key}[]")

    visit(node, "")
    return found


@dataclass(frozen=True)
class Body:
    """A request body or an answer: its shape and its fields (a list's: each item's)."""

    shape: str
    fields: dict[str, Field]


def body_of(document: Schema, holder: Schema | None, side: str) -> Body | None:
    """The JSON body of a request body or response object, if it has one."""
    if holder is None:
        return None
    content = dereference(document, holder).get("content", {})
    kinds = sorted(content, key=lambda kind: (kind != "application/json", "json" not in kind, kind))
    if not kinds:
        return None
    node = normalise(document, content[kinds[0]].get("schema"))
    shape = node.type
    results = normalise(document, node.properties["results"], node.refs) if is_page(node) else None
    if results is not None and results.items is not None:
        node, shape = normalise(document, results.items, results.refs), "paginated list"
    elif node.type == "array" and node.items is not None:
        node, shape = normalise(document, node.items, node.refs), "list"
    return Body(shape, fields_of(document, node, side))


def is_page(node: Node) -> bool:
    """A DRF pagination envelope: ``results`` with ``next`` (page-number, limit-offset, cursor)."""
    return node.type == "object" and {"results", "next"} <= set(node.properties)


def success_response(responses: Schema) -> Schema | None:
    """The response of the lowest 2xx status: the answer a successful call returns."""
    statuses = sorted(str(status) for status in responses if str(status).startswith("2"))
    return responses[statuses[0]] if statuses else None


@dataclass(frozen=True)
class OperationView:
    """What is compared of one operation."""

    operation_id: str
    parameters: dict[str, Field]
    request: Body | None
    response: Body | None


def operations(document: Schema) -> dict[Operation, OperationView]:
    """Every operation of the document by (METHOD, path)."""
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise SpecDiffError("not an OpenAPI document (no paths object)")
    views: dict[Operation, OperationView] = {}
    for path, item in document["paths"].items():
        item = dereference(document, item)
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                operation = item[method]
                views[method.upper(), path] = OperationView(
                    operation_id=str(operation.get("operationId", "")),
                    parameters=parameters_of(document, item, operation),
                    request=body_of(document, operation.get("requestBody"), "request"),
                    response=body_of(
                        document, success_response(operation.get("responses", {})), "response"
                    ),
                )
    return views


def parameters_of(document: Schema, item: Schema, operation: Schema) -> dict[str, Field]:
    """Path-level and operation-level parameters (the latter override) as ``in`` + name."""
    found: dict[str, Field] = {}
    for raw in [*item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = dereference(document, raw)
        node = normalise(document, parameter.get("schema"))
        required = parameter.get("required") is True or parameter.get("in") == "path"
        key = f"{parameter.get('in')} parameter `{parameter.get('name')}`"
        found[key] = Field(node.type, required, node.nullable, node.enum)
    return found


@dataclass(frozen=True, order=True)
class Change:
    """One line of the report; ``breaking`` says why divio-ext breaks, empty when it does not."""

    path: str
    method: str
    section: str
    text: str
    breaking: str = ""

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"

    def line(self) -> str:
        why = f" ({self.breaking})" if self.breaking else ""
        return f"{self.operation}: {self.text}{why}"


ADDED, REMOVED, RENAMED, CHANGED = "added", "removed", "renamed", "changed"


def compare(old: Schema, new: Schema, contract: Contract) -> list[Change]:
    """Every change from ``old`` to ``new``, by path, then method, then text."""
    before, after = views(old, "the old document"), views(new, "the new document")
    changes: list[Change] = []
    for key in sorted(before.keys() | after.keys(), key=lambda key: (key[1], key[0])):
        method, path = key
        if key not in after:
            why = "divio-ext needs this operation" if key in contract.required else ""
            text = f"operation removed (was `{before[key].operation_id}`)"
            changes.append(Change(path, method, REMOVED, text, why))
        elif key not in before:
            text = f"operation added (`{after[key].operation_id}`)"
            changes.append(Change(path, method, ADDED, text))
        else:
            found = operation_changes(
                before[key],
                after[key],
                calls=key in contract.required,
                reads=contract.reads.get(key, frozenset()),
            )
            changes += [Change(path, method, *change) for change in found]
    return changes


def views(document: Schema, name: str) -> dict[Operation, OperationView]:
    try:
        return operations(document)
    except SpecDiffError as exc:
        raise SpecDiffError(f"{name}: {exc}") from None


def operation_changes(
    old: OperationView, new: OperationView, calls: bool, reads: frozenset[str]
) -> Iterator[tuple[str, str, str]]:
    """(section, text, why it breaks or "") for one operation present in both documents."""
    if old.operation_id != new.operation_id:
        yield RENAMED, f"operationId `{old.operation_id}` renamed `{new.operation_id}`", ""
    called = "divio-ext calls this operation" if calls else ""
    for name, what, before, after in field_changes(old.parameters, new.parameters):
        lost = after is None or (after.required and not (before and before.required))
        yield CHANGED, f"{name} {what}", called if lost else ""
    yield from request_changes(old.request, new.request, called)
    yield from answer_changes(old.response, new.response, reads)


def shape_change(side: str, old: Body | None, new: Body | None) -> str:
    """``answer changed from paginated list to object``, or "" when the shape is the same."""
    old_shape, new_shape = (body.shape if body else "none" for body in (old, new))
    return f"{side} changed from {old_shape} to {new_shape}" if old_shape != new_shape else ""


def request_changes(
    old: Body | None, new: Body | None, called: str
) -> Iterator[tuple[str, str, str]]:
    """Request body changes; on an operation divio-ext calls, a field it may send that is
    gone, or one it may not send that every request now needs, breaks it."""
    if text := shape_change("request", old, new):
        yield CHANGED, text, called
    before, after = (body.fields if body else {} for body in (old, new))
    for name, what, _, field_after in field_changes(before, after):
        gone = field_after is None and "." not in name and "[]" not in name
        needed = always_sent(after, name) and not always_sent(before, name)
        yield CHANGED, f"request field `{name}` {what}", called if gone or needed else ""


def answer_changes(
    old: Body | None, new: Body | None, reads: frozenset[str]
) -> Iterator[tuple[str, str, str]]:
    """Answer changes; a change to a field divio-ext reads, or to the answer's shape, breaks it."""
    why = "divio-ext reads it"
    if text := shape_change("answer", old, new):
        yield CHANGED, text, why if reads else ""
    before, after = (body.fields if body else {} for body in (old, new))
    for name, what, field_before, field_after in field_changes(before, after):
        breaks = name in reads and breaks_reader(field_before, field_after)
        yield CHANGED, f"answer field `{name}` {what}", why if breaks else ""


def always_sent(fields: dict[str, Field], name: str) -> bool:
    """Whether every request carries the field: it and each field around it are required."""
    if name not in fields:
        return False
    parts = name.split(".")
    around = [".".join(parts[: end + 1]) for end in range(len(parts))]
    around += [outer.removesuffix("[]") for outer in around if outer.endswith("[]")]
    return all(fields[outer].required for outer in around if outer in fields)


def breaks_reader(old: Field | None, new: Field | None) -> bool:
    """Whether code reading the field as it was can fail on it as it is.

    A field that was untyped (``any``) and gains a type narrows, which readers already handle.
    """
    if old is None:
        return False
    if new is None:
        return True
    retyped = old.type not in (new.type, UNTYPED)
    lost_values = (
        old.enum is not None and new.enum is not None and bool(set(old.enum) - set(new.enum))
    )
    return (
        retyped
        or lost_values
        or (new.nullable and not old.nullable)
        or (old.required and not new.required)
    )


def field_changes(
    old: dict[str, Field], new: dict[str, Field]
) -> Iterator[tuple[str, str, Field | None, Field | None]]:
    """(name, what changed, old field, new field) for each field added, removed or changed."""
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before is None and after is not None:
            yield name, f"added ({describe(after)})", None, after
        elif after is None and before is not None:
            yield name, "removed", before, None
        elif before is not None and after is not None and before != after:
            yield name, "; ".join(differences(before, after)), before, after


def describe(item: Field) -> str:
    words = [item.type, "required" if item.required else "optional"]
    if item.nullable:
        words.append("nullable")
    if item.enum is not None:
        words.append(f"one of {', '.join(item.enum)}")
    return ", ".join(words)


def differences(old: Field, new: Field) -> Iterator[str]:
    if old.type != new.type:
        yield f"retyped {old.type} → {new.type}"
    if old.required != new.required:
        yield "now required" if new.required else "no longer required"
    if old.nullable != new.nullable:
        yield "now nullable" if new.nullable else "no longer nullable"
    if old.enum != new.enum:
        if old.enum is None:
            yield f"now an enum ({', '.join(new.enum or ())})"
        elif new.enum is None:
            yield "no longer an enum"
        else:
            if added := sorted(set(new.enum) - set(old.enum)):
                yield f"enum values added: {', '.join(added)}"
            if removed := sorted(set(old.enum) - set(new.enum)):
                yield f"enum values removed: {', '.join(removed)}"


def summary(changes: list[Change]) -> str:
    """One line of counts: what a user sees first."""
    count = Counter(change.section for change in changes)
    changed = {change.operation for change in changes if change.section == CHANGED}
    breaking = sum(1 for change in changes if change.breaking)
    return (
        f"{count[ADDED]} operations added, {count[REMOVED]} removed, "
        f"{count[RENAMED]} operationIds renamed, {count[CHANGED]} changes in "
        f"{len(changed)} operations; {breaking} breaking for divio-ext"
    )


SECTIONS = (
    (ADDED, "Operations added"),
    (REMOVED, "Operations removed"),
    (RENAMED, "operationIds renamed (only code calling generated functions by name notices)"),
)


def report(changes: list[Change], old_name: str, new_name: str) -> str:
    """The Markdown report: breaking lines first, then everything by section and operation."""
    lines = [
        "# API changes",
        "",
        f"From `{old_name}` to `{new_name}`: {summary(changes)}.",
        "",
        "## Breaking for divio-ext",
        "",
    ]
    breaking = [change for change in changes if change.breaking]
    lines += [f"- {change.line()}" for change in breaking] or ["None."]
    for section, title in SECTIONS:
        chosen = [change for change in changes if change.section == section]
        if chosen:
            lines += ["", f"## {title}", ""]
            lines += [f"- `{change.operation}`: {change.text}" for change in chosen]
    changed = [change for change in changes if change.section == CHANGED]
    if changed:
        lines += ["", "## Operations changed"]
    for operation in dict.fromkeys(change.operation for change in changed):
        lines += ["", f"### `{operation}`", ""]
        for change in changed:
            if change.operation == operation:
                why = f" **(breaking: {change.breaking})**" if change.breaking else ""
                lines.append(f"- {change.text}{why}")
    return "\n".join(lines) + "\n"


def announce(changes: list[Change], report_path: Path) -> None:
    """The short summary on stdout: counts, the breaking lines and where the report is."""
    print(f"spec changes: {summary(changes)}")
    for change in changes:
        if change.breaking:
            print(f"  BREAKING {change.line()}")
    print(f"report: {report_path}")


def write_report(changes: list[Change], old_name: str, new_name: str, report_path: Path) -> None:
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(report(changes, old_name, new_name), encoding="utf-8")
    announce(changes, report_path)


def load(source: str) -> Schema:
    """A document from a file or URL, JSON or YAML, the way ``make spec`` reads its sources."""
    try:
        return parse_document(read_source(source), source)
    except SpecError as exc:
        raise SpecDiffError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the spec in use (file or URL)")
    parser.add_argument("new", help="the candidate spec (file or URL)")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    args = parser.parse_args(argv)
    try:
        changes = compare(load(args.old), load(args.new), load_contract())
    except SpecDiffError as exc:
        print(f"spec_diff: error: {exc}", file=sys.stderr)
        return 2
    write_report(changes, args.old, args.new, args.report)
    return 1 if any(change.breaking for change in changes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
