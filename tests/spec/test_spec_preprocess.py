"""divio_spec.preprocess on hand-made fragments: each fix, then a tiny generated client.

The unit tests show what each fix does to a drf-spectacular-shaped fragment; the last test
generates a client from one fragment holding every pitfall and proves, with the generated
code itself, that the result imports, parses and sends what the API expects.
"""

import json
from typing import Any

import pytest
from spec_support import SPEC_PATH, document, generate, json_body, ref, responds, run_with_client

from divio_spec.preprocess import preprocess

THREE_MEDIA = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def thing(*, patched: bool = False) -> dict[str, Any]:
    """A component as drf-spectacular writes it without COMPONENT_SPLIT_REQUEST."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "format": "uuid", "readOnly": True},
            "name": {"type": "string"},
            "state": {
                "nullable": True,
                "oneOf": [ref("StateEnum"), ref("BlankEnum"), ref("NullEnum")],
            },
            "kind": {
                "readOnly": True,
                "nullable": True,
                "oneOf": [ref("KindEnum"), ref("NullEnum")],
            },
            "created_at": {"type": "string", "format": "date-time", "readOnly": True},
            "secret": {"type": "string", "writeOnly": True},
            "auto_deploy": {"type": "boolean", "default": False},
        },
    }
    if not patched:
        schema["required"] = ["created_at", "kind", "name", "secret", "uuid"]
    return schema


def enums() -> dict[str, Any]:
    return {
        "StateEnum": {"enum": ["DEPLOYED", "ARCHIVED"], "type": "string"},
        "KindEnum": {"enum": ["WEB", "WORKER"], "type": "string"},
        "BlankEnum": {"enum": [""]},
        "NullEnum": {"enum": [None]},
    }


def uuid_param() -> dict[str, Any]:
    schema = {"type": "string", "format": "uuid"}
    return {"in": "path", "name": "uuid", "required": True, "schema": schema}


def things_api() -> dict[str, Any]:
    """Thing's list, create, get and patch, plus a second ``ListThings`` on another path."""
    return document(
        {"Thing": thing(), "PatchedThing": thing(patched=True), **enums()},
        {
            "/things/": {
                "get": {
                    "operationId": "ListThings",
                    "tags": ["things"],
                    "responses": responds("Thing"),
                },
                "post": {
                    "operationId": "CreateThing",
                    "tags": ["things"],
                    "requestBody": {**json_body("Thing", *THREE_MEDIA), "required": True},
                    "responses": responds("Thing", "201"),
                },
            },
            "/things/{uuid}/": {
                "get": {
                    "operationId": "GetThing",
                    "tags": ["things"],
                    "parameters": [uuid_param()],
                    "responses": responds("Thing"),
                },
                "patch": {
                    "operationId": "PartialUpdateThing",
                    "tags": ["things"],
                    "parameters": [uuid_param()],
                    "requestBody": json_body("PatchedThing", *THREE_MEDIA),
                    "responses": responds("Thing"),
                },
            },
            "/archive/things/": {
                "get": {
                    "operationId": "ListThings",
                    "tags": ["things"],
                    "responses": responds("Thing"),
                },
            },
        },
    )


def test_uuid_format_is_stripped_from_parameters_and_properties() -> None:
    fixed = preprocess(things_api())

    assert '"uuid"' not in json.dumps([node.get("format") for node in walk(fixed)])
    assert fixed["paths"]["/things/{uuid}/"]["get"]["parameters"][0]["schema"] == {"type": "string"}
    assert (
        fixed["components"]["schemas"]["Thing"]["properties"]["created_at"]["format"] == "date-time"
    )


def test_request_bodies_keep_only_json() -> None:
    fixed = preprocess(things_api())

    for path, method in (("/things/", "post"), ("/things/{uuid}/", "patch")):
        assert list(fixed["paths"][path][method]["requestBody"]["content"]) == ["application/json"]


def test_nullable_choice_becomes_one_nullable_enum_reference() -> None:
    schemas = preprocess(things_api())["components"]["schemas"]

    kind = schemas["Thing"]["properties"]["kind"]
    assert kind == {"allOf": [ref("KindEnum")], "nullable": True, "readOnly": True}
    assert schemas["KindEnum"]["enum"] == ["WEB", "WORKER"]
    assert "NullEnum" not in schemas


def test_blank_choice_is_folded_into_the_enum_as_blank() -> None:
    schemas = preprocess(things_api())["components"]["schemas"]

    assert schemas["Thing"]["properties"]["state"] == {
        "allOf": [ref("StateEnum")],
        "nullable": True,
    }
    assert schemas["StateEnum"]["enum"] == ["DEPLOYED", "ARCHIVED", ""]
    assert schemas["StateEnum"]["x-enum-varnames"] == ["DEPLOYED", "ARCHIVED", "BLANK"]
    assert "BlankEnum" not in schemas


def test_request_body_uses_a_copy_without_read_only_fields() -> None:
    fixed = preprocess(things_api())
    schemas = fixed["components"]["schemas"]

    body = fixed["paths"]["/things/"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == ref("ThingRequest")
    assert sorted(schemas["ThingRequest"]["properties"]) == [
        "auto_deploy",
        "name",
        "secret",
        "state",
    ]
    assert schemas["ThingRequest"]["required"] == ["name", "secret"]
    assert "uuid" in schemas["Thing"]["properties"], "responses keep the read-only fields"


def test_existing_split_request_components_are_used_not_copied() -> None:
    spec = things_api()
    spec["components"]["schemas"]["ThingRequest"] = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "secret": {"type": "string", "writeOnly": True}},
        "required": ["name"],
    }
    spec["paths"]["/things/{uuid}/"]["put"] = {
        "operationId": "UpdateThing",
        "tags": ["things"],
        "parameters": [uuid_param()],
        "requestBody": json_body("ThingRequest"),
        "responses": responds("Thing"),
    }

    fixed = preprocess(spec)

    assert (
        fixed["components"]["schemas"]["ThingRequest"]
        == spec["components"]["schemas"]["ThingRequest"]
    )
    for path, method in (("/things/", "post"), ("/things/{uuid}/", "put")):
        media = fixed["paths"][path][method]["requestBody"]["content"]["application/json"]
        assert media["schema"] == ref("ThingRequest")


def test_nested_components_in_request_bodies_lose_read_only_fields_too() -> None:
    owner = {
        "type": "object",
        "properties": {"uuid": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
        "required": ["name", "uuid"],
    }
    team = {"type": "object", "properties": {"owners": {"type": "array", "items": ref("Owner")}}}
    spec = document(
        {"Owner": owner, "Team": team},
        {
            "/teams/": {
                "post": {
                    "operationId": "CreateTeam",
                    "requestBody": json_body("Team"),
                    "responses": responds("Team", "201"),
                }
            }
        },
    )

    schemas = preprocess(spec)["components"]["schemas"]

    assert schemas["TeamRequest"]["properties"]["owners"]["items"] == ref("OwnerRequest")
    assert schemas["OwnerRequest"] == {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "required": ["name"],
    }
    assert schemas["Team"] == team, "the response component still refers to Owner"


def test_write_only_fields_are_not_required_in_responses() -> None:
    schemas = preprocess(things_api())["components"]["schemas"]

    assert "secret" not in schemas["Thing"]["required"]
    assert "secret" in schemas["ThingRequest"]["required"]


def test_patched_bodies_send_no_defaults() -> None:
    schemas = preprocess(things_api())["components"]["schemas"]

    assert "default" not in schemas["PatchedThingRequest"]["properties"]["auto_deploy"]
    assert schemas["Thing"]["properties"]["auto_deploy"]["default"] is False


def test_inline_enums_whose_generated_names_collide_get_distinct_components() -> None:
    # The generator names inline enums <Model><Property>: A.b_c and AB.c are both "ABC".
    spec = document(
        {
            "A": {"type": "object", "properties": {"b_c": {"type": "string", "enum": ["x"]}}},
            "AB": {"type": "object", "properties": {"c": {"type": "string", "enum": ["y"]}}},
        }
    )

    schemas = preprocess(spec)["components"]["schemas"]

    assert schemas["A"]["properties"]["b_c"] == ref("ABCEnum")
    assert schemas["AB"]["properties"]["c"] == ref("ABCEnum2")
    assert (schemas["ABCEnum"]["enum"], schemas["ABCEnum2"]["enum"]) == (["x"], ["y"])


def test_component_names_that_give_the_same_class_are_renamed_in_sorted_order() -> None:
    spec = document(
        {"Foo_Bar": {"type": "object"}, "FooBar": {"type": "object", "description": "first"}},
        {"/foo/": {"get": {"operationId": "GetFoo", "responses": responds("Foo_Bar")}}},
    )

    fixed = preprocess(spec)

    assert sorted(fixed["components"]["schemas"]) == ["FooBar", "Foo_Bar2"]
    assert fixed["components"]["schemas"]["FooBar"]["description"] == "first"
    assert fixed["paths"]["/foo/"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] == ref("Foo_Bar2")


def test_duplicate_operation_ids_get_suffixes_and_unique_ids_are_never_renamed() -> None:
    def get(operation_id: str) -> dict[str, Any]:
        return {"get": {"operationId": operation_id, "responses": {"200": {"description": ""}}}}

    spec = document(
        {}, {"/c/": get("ListThings2"), "/b/": get("ListThings"), "/a/": get("ListThings")}
    )

    fixed = preprocess(spec)

    ids = {path: item["get"]["operationId"] for path, item in fixed["paths"].items()}
    assert ids == {"/a/": "ListThings", "/b/": "ListThings3", "/c/": "ListThings2"}


def test_preprocessing_leaves_its_input_alone_and_is_idempotent() -> None:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    original = json.dumps(spec)

    once = preprocess(spec)

    assert json.dumps(spec) == original
    assert preprocess(once) == once


@pytest.mark.slow
def test_tiny_generated_client_parses_and_sends_what_the_api_expects(tmp_path: Any) -> None:
    folder = generate(things_api(), tmp_path)

    report = run_with_client(folder, CLIENT_PROBE)

    assert report["states"] == [None, "", "DEPLOYED"]
    assert report["state_types"] == ["NoneType", "StateEnum", "StateEnum"]
    assert report["blank_member"] == "BLANK"
    assert report["kind"] == [None, "WORKER"]
    assert report["id"] == "bagztldeadfdhlilnmpzx3twly"
    assert report["create_body"] == "ThingRequest"
    assert report["create_fields"] == ["auto_deploy", "name", "secret", "state"]
    # One JSON body: with three media types the generated code ended up sending multipart.
    assert report["create_kwargs"] == {
        "json": {"name": "n", "secret": "s", "auto_deploy": False},
        "type": "application/json",
    }
    assert report["empty_patch"] == {}
    assert report["list_modules"] == ["list_things", "list_things_2"]


CLIENT_PROBE = """
import json, pkgutil, typing
import attrs
from divio_api.api.things import create_thing, partial_update_thing
import divio_api.api.things as things
from divio_api.models import StateEnum, Thing

base = {"uuid": "bagztldeadfdhlilnmpzx3twly", "name": "n", "created_at": "2024-05-01T12:00:00Z"}
parsed = [Thing.from_dict({**base, "state": s, "kind": k})
          for s, k in ((None, None), ("", "WORKER"), ("DEPLOYED", "WORKER"))]
body = typing.get_type_hints(create_thing.sync_detailed)["body"]
patch = typing.get_type_hints(partial_update_thing.sync_detailed)["body"]
patch_class = next(t for t in typing.get_args(patch) if attrs.has(t))
kwargs = create_thing._get_kwargs(body=body(name="n", secret="s"))
print(json.dumps({
    "states": [t.state for t in parsed],
    "state_types": [type(t.state).__name__ for t in parsed],
    "blank_member": StateEnum("").name,
    "kind": [parsed[0].kind, parsed[1].kind],
    "id": parsed[0].uuid,
    "create_body": body.__name__,
    "create_fields": sorted(
        name for name in attrs.fields_dict(body) if name != "additional_properties"),
    "create_kwargs": {"json": kwargs.get("json"), "type": kwargs["headers"]["Content-Type"]},
    "empty_patch": patch_class().to_dict(),
    "list_modules": sorted(
        m.name for m in pkgutil.iter_modules(things.__path__) if m.name.startswith("list")),
}))
"""


def walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)
