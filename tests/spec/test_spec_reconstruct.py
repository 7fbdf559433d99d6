"""divio_spec.reconstruct: what the data file says becomes the shapes drf-spectacular writes.

Each test builds a document from a small hand-made resource. That the real data file gives the
committed ``openapi.json`` byte for byte is checked in ``test_spec_document.py``.
"""

import re
from pathlib import Path
from typing import Any

import pytest

from divio_spec.reconstruct import UNCONFIRMED, ReconstructionError, build_spec, load

Data = dict[str, Any]

STATE = {"values": ["NEW", "DONE"], "description": "Where a thing is."}
THING = {
    "fields": {
        "uuid": {"type": "id", "required": True, "read_only": True},
        "state": {"ref": "StateEnum", "nullable": True},
        "parent": {"ref": "Thing", "nullable": True, "description": "Null at the top."},
        "tags": {"type": "array", "items": "string"},
    }
}
LIST = {
    "get": "/things/",
    "id": "ListThings",
    "paginated": "page-number",
    "answer": "Thing",
    "query": [
        {"name": "state", "description": "Only things in this state."},
        {"name": "owner", "uuid_of": "owner", "unconfirmed": True},
    ],
    "description": "List things.",
}
LOGS = {
    "get": "/things/{uuid}/logs/",
    "id": "ListThingLogs",
    "paginated": "cursor",
    "answer": "Thing",
    "query": [{"name": "to_ts", "description": "End of the range.", "format": "date-time"}],
    "description": "Logs of a thing.",
}
CREATE = {
    "post": "/things/",
    "id": "CreateThing",
    "answer": "Thing",
    "body": "Thing",
    "description": ".",
}
UPDATE = {
    "patch": "/things/{uuid}/",
    "id": "PartialUpdateThing",
    "answer": "Thing",
    "body": "Thing",
    "description": "Change a thing.",
}


def data(*operations: Data, **resource: Any) -> Data:
    """A data file with one resource, ``things``: the components above and ``operations``."""
    things = {
        "source": "a hand-made example",
        "noun": "thing",
        "components": {"Thing": THING, "StateEnum": STATE},
        "operations": list(operations),
    }
    return {
        "info": {"title": "Things", "version": "1", "description": "A test."},
        "server": "https://api.example.org",
        "resources": {"things": things | resource},
    }


def ref(name: str) -> Data:
    return {"$ref": f"#/components/schemas/{name}"}


def test_fields_enums_and_nullable_references_take_drf_spectacular_shapes() -> None:
    schemas = build_spec(data(LIST))["components"]["schemas"]

    assert schemas["Thing"] == {
        "type": "object",
        "properties": {
            "uuid": {"type": "string", "readOnly": True},
            "state": {"oneOf": [ref("StateEnum"), ref("NullEnum")]},
            "parent": {
                "allOf": [ref("Thing")],
                "nullable": True,
                "description": "Null at the top.",
            },
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["uuid"],
    }
    assert schemas["StateEnum"] == {
        "enum": ["NEW", "DONE"],
        "type": "string",
        "description": "Where a thing is.\n\n* `NEW` - New\n* `DONE` - Done",
    }
    assert schemas["NullEnum"] == {"enum": [None]}


def test_a_page_number_list_sorts_its_filters_among_the_page_parameters() -> None:
    spec = build_spec(data(LIST))
    operation = spec["paths"]["/things/"]["get"]

    assert [param["name"] for param in operation["parameters"]] == [
        "owner",
        "page",
        "page_size",
        "state",
    ]
    assert operation["parameters"][0]["description"] == "Filter by owner uuid." + UNCONFIRMED
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == ref(
        "PaginatedThingList"
    )
    assert spec["components"]["schemas"]["PaginatedThingList"]["required"] == ["count", "results"]


def test_a_cursor_list_puts_the_path_uuid_first_the_pages_last_and_has_no_count() -> None:
    spec = build_spec(data(LOGS))
    operation = spec["paths"]["/things/{uuid}/logs/"]["get"]

    assert [param["name"] for param in operation["parameters"]] == [
        "uuid",
        "to_ts",
        "page",
        "page_size",
    ]
    assert operation["parameters"][0]["description"] == "A UUID string identifying this thing."
    assert operation["parameters"][1]["schema"] == {"type": "string", "format": "date-time"}
    envelope = spec["components"]["schemas"]["PaginatedThingList"]
    assert envelope["required"] == ["results"]
    assert "count" not in envelope["properties"]


def test_a_create_answers_201_to_a_required_body_and_a_partial_update_body_is_optional() -> None:
    paths = build_spec(data(CREATE, UPDATE))["paths"]
    create, update = paths["/things/"]["post"], paths["/things/{uuid}/"]["patch"]

    assert list(create["responses"]) == ["201"]
    assert create["requestBody"]["required"] is True
    assert list(create["requestBody"]["content"]) == [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ]
    assert list(update["responses"]) == ["200"]
    assert "required" not in update["requestBody"]
    assert create["security"] == [{"Token": []}]


def with_field(name: str, spec: Any) -> Data:
    return {"Thing": {"fields": {**THING["fields"], name: spec}}, "StateEnum": STATE}


MISTAKES = [
    pytest.param(
        data(LIST, components=with_field("uuid", {"type": "id", "read_ony": True})),
        "Thing.uuid: unknown keys ['read_ony']",
        id="a misspelt flag",
    ),
    pytest.param(
        data(LIST, components=with_field("owner", {"type": "uuid"})),
        "Thing.owner: type must be one of",
        id="an unknown type",
    ),
    pytest.param(
        data(LIST, components=with_field("owner", {"ref": "Owner"})),
        "Thing.owner: no component named 'Owner'",
        id="an unknown component",
    ),
    pytest.param(
        data(LIST, components=with_field("owner", {"ref": "Thing", "description": "x"})),
        "OpenAPI 3.0 ignores keys beside a $ref",
        id="a description beside a plain reference",
    ),
    pytest.param(
        data(LIST, source=" "),
        "resource things: say where its facts come from",
        id="no source",
    ),
    pytest.param(
        data(LOGS, noun=None),
        "GET /things/{uuid}/logs/: a detail route needs the resource's noun",
        id="a detail route without a noun",
    ),
    pytest.param(data(LIST, LIST), "GET /things/ defined twice", id="an operation twice"),
    pytest.param(
        data({**LIST, "paginated": "offset"}),
        "paginated must be one of",
        id="an unknown pagination",
    ),
    pytest.param(
        data({**LIST, "query": [{"name": "owner"}]}),
        "give either description or uuid_of",
        id="a filter without a description",
    ),
]


@pytest.mark.parametrize(("document", "message"), MISTAKES)
def test_a_mistake_in_the_data_is_refused_and_located(document: Data, message: str) -> None:
    with pytest.raises(ReconstructionError, match=re.escape(message)):
        build_spec(document)


def test_a_key_given_twice_in_the_data_file_is_refused_not_silently_replaced(
    tmp_path: Path,
) -> None:
    path = tmp_path / "reconstruction.yaml"
    path.write_text("server: https://a.example.org\nserver: https://b.example.org\n", "utf-8")

    with pytest.raises(ReconstructionError, match="line 2: 'server' given twice"):
        load(path)
