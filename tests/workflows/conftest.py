"""Sandboxes, clients and the brute-force reference for the workflow tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from workflow_reference import Reference

from divio_ext import DivioClient
from divio_ext.sandbox import Sandbox


class SandboxClock:
    """A waiting clock whose sleeps advance the sandbox's fixed clock instead of real time."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        self.sandbox.clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


class Counter:
    """An httpx request hook that remembers the path and query of every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.URL] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request.url)

    def __len__(self) -> int:
        return len(self.requests)

    def clear(self) -> None:
        self.requests.clear()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One seeded sandbox for tests that only read (fixed clock)."""
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture
def fresh_sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own, for tests that create things or move the clock."""
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


def client_for(sandbox: Sandbox, counter: Counter | None = None, **options: Any) -> DivioClient:
    hooks = {"request": [counter]} if counter is not None else {}
    return DivioClient(
        token=sandbox.tokens["alice"], base_url=sandbox.url, event_hooks=hooks, **options
    )


@pytest.fixture
def client(sandbox: Sandbox, counter: Counter) -> Iterator[DivioClient]:
    with client_for(sandbox, counter) as divio:
        yield divio


@pytest.fixture
def fresh_client(fresh_sandbox: Sandbox, counter: Counter) -> Iterator[DivioClient]:
    with client_for(fresh_sandbox, counter) as divio:
        yield divio
