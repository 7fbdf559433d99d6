"""Schemathesis on the sandbox and the client together, bounded for CI.

``tests/sandbox/test_schemathesis.py`` already sends every operation's generated requests to the
sandbox with plain HTTP. What is different here:

* **through the client**: every generated valid request goes through ``DivioClient.call`` (body
  dicts converted to models, parameters to the generated functions, responses parsed by the
  generated models). The server may refuse it (random ids are unknown: an ``APIError``), but
  the client must never fail on its own: no ``RequestBodyError`` for a body the spec allows,
  no ``ResponseDecodeError`` for what the sandbox answers, no raw exception;
* **stateful**: schemathesis 4 infers links between operations from the schema (a list's
  ``results[].uuid`` feeds the detail, a ``POST``'s ``uuid`` feeds ``GET``/``PATCH``...), so
  sequences reach real objects instead of 404s; every response must be a non-5xx that
  conforms to the spec, and every successful ``GET`` is read again through the client, which
  must parse the same object (real objects, not just the 404s random ids give).
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import response_schema_conformance

from divio_ext import APIError, DivioClient, RetryPolicy
from divio_sandbox import Sandbox

SPEC = Path(__file__).resolve().parents[2] / "openapi.json"
COMPONENTS = json.loads(SPEC.read_text())["components"]["schemas"]

schema = schemathesis.openapi.from_path(SPEC)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE], max_examples=3, deterministic=True, database="none"
)


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Sandbox]:
    """A sandbox of its own: generated requests create objects."""
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(fuzzed: Sandbox) -> Iterator[DivioClient]:
    no_retry = RetryPolicy(max_attempts=1)
    with DivioClient(fuzzed.tokens["alice"], fuzzed.url, retry=no_retry) as divio:
        yield divio


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).replace("-", "_").lower()


def operation_module(case: Case) -> ModuleType:
    """The generated module of the case's operation (``divio_api.api.<tag>.<operation id>``)."""
    definition = case.operation.definition.raw
    tag, operation_id = definition["tags"][0], definition["operationId"]
    return importlib.import_module(f"divio_api.api.{snake(tag)}.{snake(operation_id)}")


def arguments(case: Case, module: ModuleType) -> dict[str, Any]:
    """The case's declared path and query parameters as the generated function's arguments.

    Undeclared query parameters (schemathesis adds some in stateful runs) have no argument.
    """
    accepted = inspect.signature(module.sync_detailed).parameters
    found: dict[str, Any] = {}
    for name, value in {**(case.path_parameters or {}), **(case.query or {})}.items():
        python = name if name in accepted else f"{name}_"
        if python not in accepted or python == "client_":
            continue
        annotation = str(accepted[python].annotation)
        if "datetime" in annotation and isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        found[python] = value
    return found


def declared_body(case: Case) -> Any:
    """The generated body without extra properties.

    The spec allows additional properties (OpenAPI's default), so schemathesis adds some; the
    client refuses unknown fields on purpose (the API would silently ignore a typo), which
    tests/core covers. Here only the declared fields are sent.
    """
    if case.body is NOT_SET:
        return None
    content = case.operation.definition.raw["requestBody"]["content"]
    reference = content["application/json"]["schema"]["$ref"]
    declared = COMPONENTS[reference.rsplit("/", 1)[1]].get("properties", {})
    if not isinstance(case.body, dict):
        return case.body
    return {key: value for key, value in case.body.items() if key in declared}


@pytest.mark.slow
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck))
def test_generated_requests_through_the_client_fail_only_on_the_server(
    case: Case, client: DivioClient
) -> None:
    module = operation_module(case)
    refused: APIError | None = None
    try:
        result = client.call(module, body=declared_body(case), **arguments(case, module))
    except APIError as error:  # the server's answer, e.g. 404 for a random id
        refused, result = error, None
    if refused is not None:
        assert len(str(refused).splitlines()) == 1
        assert 400 <= refused.status < 500, str(refused)
    else:
        assert result is not None


def read_again(client: DivioClient, case: Case, body: Any) -> str | None:
    """Send ``case`` (a GET that succeeded) through the client: what went wrong, if anything.

    Problems are returned, not raised: the sandbox's state moves on, so hypothesis could not
    replay a failing sequence anyway; the test reports them all at the end.
    """
    module = operation_module(case)
    try:
        model = client.call(module, **arguments(case, module))
    except Exception as error:
        return f"{type(error).__module__}.{type(error).__name__}: {error}"
    if model is None:
        return "no model"
    if isinstance(body, dict) and "uuid" in body and model.uuid != body["uuid"]:
        return f"uuid {model.uuid} instead of {body['uuid']}"
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        read = [getattr(item, "uuid", None) for item in model.results]
        if read != [item.get("uuid") for item in body["results"]]:
            return "other results"
    return None


@pytest.mark.slow
def test_stateful_sequences_follow_inferred_links_without_errors(
    fuzzed: Sandbox, client: DivioClient
) -> None:
    stateful = schemathesis.openapi.from_path(SPEC)
    stateful.config.update(
        base_url=fuzzed.url, headers={"Authorization": f"Token {fuzzed.tokens['alice']}"}
    )
    read: list[str] = []
    problems: list[str] = []
    machine = stateful.as_state_machine()

    class Checked(machine):  # type: ignore[misc, valid-type]
        def after_call(self, response: Any, case: Case) -> None:
            super().after_call(response, case)
            negative = case.meta is not None and case.meta.generation.mode.is_negative
            if case.method.upper() == "GET" and 200 <= response.status_code < 300 and not negative:
                read.append(case.operation.label)
                problem = read_again(client, case, response.json())
                if problem is not None:
                    problems.append(f"{case.operation.label} {case.query or ''}: {problem}")

        def validate_response(
            self, response: Any, case: Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                checks=[not_a_server_error, response_schema_conformance],
                transport_kwargs=kwargs or None,
            )

    Checked.run(
        settings=settings(
            # Hypothesis mixes literals of every imported project module into what it draws,
            # so which test modules are collected changes the sequences: 25 examples reached
            # three linked objects in some collections and not in others; 50 do in all tried.
            max_examples=50,
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    assert problems == [], "\n".join(problems)
    found_by_link = [label for label in read if "{uuid}" in label]
    assert len(set(found_by_link)) >= 3, "links must lead to real objects (random ids give 404)"
