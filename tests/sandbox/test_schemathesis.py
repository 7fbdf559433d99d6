"""Schemathesis against the sandbox: no server errors, no response that violates openapi.json.

Bounded for CI: a few examples per operation, positive and negative data, deterministic
generation, no example database. Other checks (status codes the spec does not declare, such
as 404 for random ids) are out of scope: the spec only lists success and 400 responses.

One known gap of the spec is tolerated: for a body that is not valid JSON, DRF answers 400
with ``{"detail": "JSON parse error - ..."}``, which the spec's 400 schema (field errors only)
does not allow. The sandbox keeps DRF's behaviour; the spec should accept both bodies.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from divio_ext.sandbox import Sandbox
from tests.sandbox.conftest import SPEC_PATH

schema = schemathesis.openapi.from_path(SPEC_PATH)
schema.config.generation.update(max_examples=5, deterministic=True, database="none")


def conforms(ctx: Any, response: Any, case: Case) -> bool | None:
    """``response_schema_conformance``, except for DRF's parse-error body (see above)."""
    if response.status_code == 400 and response.json().get("detail", "").startswith("JSON parse"):
        return None
    return response_schema_conformance(ctx, response, case)


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Sandbox]:
    """A sandbox of its own: the fuzzer creates objects."""
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.mark.slow
@schema.parametrize()
def test_api_conforms_to_the_spec(case: Case, fuzzed: Sandbox) -> None:
    case.call_and_validate(
        base_url=fuzzed.url,
        headers={"Authorization": f"Token {fuzzed.tokens['alice']}"},
        checks=[not_a_server_error, conforms],
    )
