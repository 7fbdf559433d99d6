"""Fixtures for the sandbox's own tests: sandboxes, authenticated clients, spec validation.

Tests that change state take the pytest plugin's ``divio_sandbox`` (one server for the session,
reset before every test); ``shared`` is a second one that nothing changes, for reading tests.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from referencing import Registry, Resource

from divio_sandbox import Sandbox

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.json"
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text())


@pytest.fixture(scope="session")
def shared() -> Iterator[Sandbox]:
    """A sandbox for reading tests: never advance its clock or change what others read."""
    with Sandbox(seed=0) as sb:
        yield sb


def client_for(sb: Sandbox, user: str = "alice") -> httpx.Client:
    return httpx.Client(base_url=sb.url, headers={"Authorization": f"Token {sb.tokens[user]}"})


@pytest.fixture
def alice(shared: Sandbox) -> Iterator[httpx.Client]:
    with client_for(shared) as client:
        yield client


@pytest.fixture
def mallory(shared: Sandbox) -> Iterator[httpx.Client]:
    with client_for(shared, "mallory") as client:
        yield client


@pytest.fixture
def client(divio_sandbox: Sandbox) -> Iterator[httpx.Client]:
    """Alice's client on the plugin's ``divio_sandbox``, reset for every test."""
    with client_for(divio_sandbox) as c:
        yield c


def one(client: httpx.Client, path: str, **params: str) -> dict[str, Any]:
    """The single result of a filtered list."""
    body = client.get(path, params=params).json()
    assert body["count"] == 1, body
    result: dict[str, Any] = body["results"][0]
    return result


def everything(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, following ``next`` links as given."""
    items: list[dict[str, Any]] = []
    url: str | None = path
    query: dict[str, Any] | None = {"page_size": 100, **params}
    while url:
        body = client.get(url, params=query).json()
        items += body["results"]
        url, query = body["next"], None
    return items


def environment(client: httpx.Client, app: str, env: str) -> dict[str, Any]:
    """The environment's detail, found by slugs (list items leave out some detail fields)."""
    application = one(client, "/apps/v3/applications/", slug=app)
    item = one(client, "/apps/v3/environments/", application=application["uuid"], slug=env)
    detail: dict[str, Any] = client.get(f"/apps/v3/environments/{item['uuid']}/").json()
    return detail


def _nullable_refs(node: Any) -> Any:
    """Read drf-spectacular's ``{allOf: [$ref], nullable: true}`` as "the ref or null".

    That is what it means to drf-spectacular, schemathesis and the generated client; a strict
    OpenAPI 3.0.3 validator ignores ``nullable`` without a ``type`` and would reject the null.
    """
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_refs(value) for key, value in node.items()}
    if node.get("nullable") is True and "allOf" in node and "type" not in node:
        return {"anyOf": [{"allOf": node["allOf"]}, {"enum": [None]}]}
    return node


_REGISTRY: Registry = Registry().with_resource("spec", Resource.opaque(_nullable_refs(SPEC)))


def assert_conforms(response: httpx.Response, method: str, template: str) -> None:
    """The response body matches the schema openapi.json declares for its status code."""
    operation = SPEC["paths"][template][method.lower()]
    declared = operation["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    ref = {"$ref": "spec#" + schema["$ref"].removeprefix("#")}
    validator = OAS30ReadValidator(ref, registry=_REGISTRY, format_checker=oas30_format_checker)
    validator.validate(response.json())
