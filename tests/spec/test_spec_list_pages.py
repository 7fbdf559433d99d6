"""Every list operation parses a realistic page with the generated models.

The list operations are discovered from openapi.json (a GET whose answer is a paginated
envelope), so a new one cannot be forgotten. Each page holds three items: every field set,
every nullable field null (timestamps of unfinished work), and only the required fields;
items and envelope also carry a field the spec does not know. The parsed items must give
back exactly what was received, keep the unknown field and turn timestamps into datetimes.
"""

import datetime
import importlib
import json
import typing
from types import ModuleType
from typing import Any

import attrs
import pytest
from openapi_python_client.strings import snake_case
from spec_support import SPEC_PATH

SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
UNKNOWN = {"unexpected_field": {"added": ["by", "a", "newer", "server"]}}
TIMESTAMP = "2024-05-01T12:30:00+00:00"


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref``, single ``allOf`` and ``oneOf`` with null/blank markers to one schema."""
    if "$ref" in schema:
        return resolve(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
    options = schema.get("allOf") or schema.get("oneOf")
    if options:
        real = [
            option
            for option in options
            if not option.get("$ref", "").endswith(("/NullEnum", "/BlankEnum"))
        ]
        return {**resolve(real[0]), "nullable": schema.get("nullable", False)}
    return schema


def envelope_of(operation: dict[str, Any]) -> str | None:
    content = operation["responses"].get("200", {}).get("content", {})
    target = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    name = target.rsplit("/", 1)[-1]
    results = SCHEMAS.get(name, {}).get("properties", {}).get("results", {})
    return name if results.get("type") == "array" else None


LIST_OPERATIONS = sorted(
    (item["get"]["operationId"], item["get"]["tags"][0], envelope)
    for item in SPEC["paths"].values()
    if "get" in item and (envelope := envelope_of(item["get"]))
)


def sample(schema: dict[str, Any], *, nulls: bool) -> Any:
    """A value the server could send for ``schema``; null wherever allowed when ``nulls``."""
    outer_nullable = schema.get("nullable", False)
    schema = resolve(schema)
    if nulls and (outer_nullable or schema.get("nullable")):
        return None
    if "enum" in schema:
        return next(value for value in schema["enum"] if value not in (None, ""))
    kind = schema.get("type")
    if kind == "object":
        value = {
            name: sample(prop, nulls=nulls) for name, prop in schema.get("properties", {}).items()
        }
        extra = schema.get("additionalProperties")
        if extra is not None and extra is not False:
            value["some-key"] = sample(extra if isinstance(extra, dict) else {}, nulls=nulls)
        return value
    if kind == "array":
        return [sample(schema["items"], nulls=nulls)]
    if kind == "string":
        return {
            "date-time": TIMESTAMP,
            "uri": "https://example.org/x",
            "email": "a@example.org",
        }.get(schema.get("format", ""), "bagztldeadfdhlilnmpzx3twly")
    return {"integer": 7, "number": 12.5, "boolean": True}.get(kind or "", ["any", "json"])


def page(envelope: str) -> dict[str, Any]:
    item_schema = SCHEMAS[envelope]["properties"]["results"]["items"]
    full = sample(item_schema, nulls=False)
    required = resolve(item_schema).get("required", [])
    items = [full, sample(item_schema, nulls=True), {key: full[key] for key in required}]
    body = {
        name: sample(prop, nulls=True)
        for name, prop in SCHEMAS[envelope]["properties"].items()
        if name != "results"
    }
    return {**body, "results": [{**item, **UNKNOWN} for item in items], **UNKNOWN}


def operation_module(tag: str, operation_id: str) -> ModuleType:
    return importlib.import_module(f"divio_api.api.{snake_case(tag)}.{snake_case(operation_id)}")


def test_every_list_operation_is_discovered() -> None:
    ids = {op["operationId"] for item in SPEC["paths"].values() for op in item.values()}

    assert {operation_id for operation_id, _, _ in LIST_OPERATIONS} == {
        operation_id for operation_id in ids if operation_id.startswith("List")
    }


@pytest.mark.parametrize(
    ("operation_id", "tag", "envelope"), LIST_OPERATIONS, ids=[op for op, _, _ in LIST_OPERATIONS]
)
def test_a_realistic_page_parses_with_the_generated_models(
    operation_id: str, tag: str, envelope: str
) -> None:
    returned = typing.get_type_hints(operation_module(tag, operation_id).sync)["return"]
    model = next(kind for kind in typing.get_args(returned) if kind is not type(None))
    received = page(envelope)

    parsed = model.from_dict(received)

    assert model.__name__ == envelope
    assert [item.to_dict() for item in parsed.results] == received["results"]
    assert parsed.additional_properties == UNKNOWN
    assert all(item["unexpected_field"] == UNKNOWN["unexpected_field"] for item in parsed.results)
    for name in timestamp_fields(envelope):
        attribute = attrs_name(type(parsed.results[0]), name)
        assert isinstance(getattr(parsed.results[0], attribute), datetime.datetime), name
        if resolve(SCHEMAS[envelope]["properties"]["results"]["items"])["properties"][name].get(
            "nullable"
        ):
            assert getattr(parsed.results[1], attribute) is None, name


def timestamp_fields(envelope: str) -> list[str]:
    item = resolve(SCHEMAS[envelope]["properties"]["results"]["items"])
    return [
        name
        for name, prop in item.get("properties", {}).items()
        if resolve(prop).get("format") == "date-time"
    ]


def attrs_name(model: type, field: str) -> str:
    """The attribute of a JSON field (the generator appends ``_`` to Python names)."""
    names = attrs.fields_dict(model)
    return field if field in names else f"{field}_"
