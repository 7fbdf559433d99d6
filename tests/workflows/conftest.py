"""Sandboxes, clients and the brute-force reference for the workflow tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from workflow_reference import Reference
from workflow_support import Counter, client_for

from divio_ext import DivioClient
from divio_sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One seeded sandbox for tests that only read (fixed clock)."""
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture
def ignoring(sandbox: Sandbox) -> Iterator[Sandbox]:
    """The shared sandbox, ignoring the unconfirmed filters for the duration of one test."""
    sandbox.configure(ignore_filters=True)
    try:
        yield sandbox
    finally:
        sandbox.configure(ignore_filters=False)


@pytest.fixture(scope="module")
def reference(sandbox: Sandbox) -> Reference:
    return Reference(sandbox.url, sandbox.tokens["alice"])


@pytest.fixture
def counter() -> Counter:
    return Counter()


@pytest.fixture
def client(sandbox: Sandbox, counter: Counter) -> Iterator[DivioClient]:
    with client_for(sandbox, counter) as divio:
        yield divio


@pytest.fixture
def fresh_client(divio_sandbox: Sandbox, counter: Counter) -> Iterator[DivioClient]:
    """alice's client, counting requests, on the plugin's ``divio_sandbox`` (tests that create
    things or move the clock: it is back in its seeded state for every test)."""
    with client_for(divio_sandbox, counter) as divio:
        yield divio
