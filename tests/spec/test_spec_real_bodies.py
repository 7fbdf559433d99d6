"""Real answers of the Divio API parse with the generated client: nothing lost, nothing unknown.

Each file in ``real_bodies/`` holds one answer of the API (and, for a create, the request that
caused it) with a ``source`` that says where it comes from. The generated operation of its
method and path, found through openapi.json, parses it from a mocked HTTP answer. Nothing may
be lost on the way, and every key must be a field the spec declares: a key the spec lacks
would land in ``additional_properties``, which means the spec has fallen behind the real API.
"""

from __future__ import annotations

import importlib
import json
import types
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from divio_api.client import AuthenticatedClient
from openapi_python_client.strings import snake_case
from spec_support import SPEC_PATH

from divio_ext.core.conformance import mismatch
from divio_ext.core.operations import body_model
from divio_ext.workflows.deployments import deployment_status

BODIES = sorted((Path(__file__).resolve().parent / "real_bodies").glob("*.json"))
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def load(path: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


def operation(record: dict[str, Any]) -> tuple[types.ModuleType, int]:
    """The generated module of the record's method and path, and its declared success status."""
    declared = SPEC["paths"][record["path"]][record["method"].lower()]
    tag, operation_id = snake_case(declared["tags"][0]), snake_case(declared["operationId"])
    (status,) = (code for code in declared["responses"] if code.startswith("2"))
    return importlib.import_module(f"divio_api.api.{tag}.{operation_id}"), int(status)


def request_model(record: dict[str, Any]) -> Any:
    model = body_model(operation(record)[0])
    assert model is not None, f"{record['method']} {record['path']} takes no body"
    return model.from_dict(record["request"])


def parse(record: dict[str, Any]) -> Any:
    """The record's answer as the generated operation returns it when the server sends it."""
    module, status = operation(record)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=record["body"])

    client = AuthenticatedClient(
        base_url="https://api.divio.invalid",
        token="unused",
        httpx_args={"transport": httpx.MockTransport(answer)},
    )
    arguments: dict[str, Any] = {}
    if "{uuid}" in record["path"]:
        arguments["uuid"] = record["body"]["uuid"]
    if "request" in record:
        arguments["body"] = request_model(record)
    parsed = module.sync_detailed(client=client, **arguments).parsed
    assert parsed is not None
    return parsed


def comparable(value: Any) -> Any:
    """``value`` with timestamps as datetimes (the client writes ``+00:00``, DRF wrote ``Z``)."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if isinstance(value, str) and "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment if moment.tzinfo is not None else value
    return value


def unknown_keys(value: Any, where: str = "") -> Iterator[str]:
    """Where, in a parsed model and the models inside it, keys outside the schema were kept."""
    if isinstance(value, list):
        for position, item in enumerate(value):
            yield from unknown_keys(item, f"{where}[{position}]")
    elif attrs.has(type(value)):
        yield from (f"{where}.{key}" for key in value.additional_properties)
        for field in attrs.fields(type(value)):
            if field.name != "additional_properties":
                yield from unknown_keys(getattr(value, field.name), f"{where}.{field.name}")


def test_each_operation_the_real_bodies_revised_has_one_with_its_source() -> None:
    assert {(load(path)["method"], load(path)["path"]) for path in BODIES} == {
        ("GET", "/apps/v3/deployments/{uuid}/"),
        ("POST", "/apps/v3/deployments/"),
        ("GET", "/apps/v3/environments/"),
        ("POST", "/apps/v3/environments/"),
    }
    assert all(load(path)["source"] for path in BODIES)


@pytest.mark.parametrize("path", BODIES, ids=lambda path: path.stem)
def test_a_real_body_parses_without_losing_a_field(path: Path) -> None:
    record = load(path)

    parsed = parse(record)

    assert comparable(parsed.to_dict()) == comparable(record["body"])


@pytest.mark.parametrize("path", BODIES, ids=lambda path: path.stem)
def test_every_key_of_a_real_body_is_a_field_of_the_spec(path: Path) -> None:
    record = load(path)

    assert list(unknown_keys(parse(record))) == []
    if "request" in record:
        assert list(unknown_keys(request_model(record))) == []


@pytest.mark.parametrize("path", BODIES, ids=lambda path: path.stem)
def test_a_real_body_holds_what_its_required_fields_declare(path: Path) -> None:
    """The seam refuses a model whose required fields hold other types: never a real answer."""
    assert mismatch(parse(load(path))) is None


def test_environment_list_items_need_no_detail_only_field() -> None:
    page = parse(load(next(path for path in BODIES if path.stem.startswith("environment-list"))))

    items = page.to_dict()["results"]

    assert [item["slug"] for item in items] == ["test", "live"]
    assert not any({"last_finished_deployment", "ssh_endpoint"} & item.keys() for item in items)


@pytest.mark.parametrize("path", [p for p in BODIES if "detail" in p.stem], ids=lambda p: p.stem)
def test_a_real_finished_deployment_reads_as_finished_without_a_percentage(path: Path) -> None:
    status = deployment_status(parse(load(path)))

    assert (status.finished, status.text, status.percent) == (True, "done", None)
