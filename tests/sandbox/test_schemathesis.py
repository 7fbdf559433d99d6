"""Schemathesis against the sandbox: no server errors, no response that violates openapi.json.

Bounded for CI: a few examples per operation, positive and negative data, deterministic
generation, no example database. Status codes the spec does not declare (400 for a bad body,
404 for random ids) are out of scope: like drf-spectacular's output, the spec declares only
success responses, and a body is checked against the schema of its status when there is one.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from divio_sandbox import Sandbox
from tests.sandbox.conftest import SPEC_PATH

schema = schemathesis.openapi.from_path(SPEC_PATH)
schema.config.generation.update(max_examples=5, deterministic=True, database="none")


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
        checks=[not_a_server_error, response_schema_conformance],
    )
