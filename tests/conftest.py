"""Shared pytest configuration.

* Async tests run on asyncio through anyio's plugin.
* ``clean_environment``: no Divio variable, no proxy, an empty HOME (so a developer's real
  ``~/.netrc`` is never read); test folders about configuration make it autouse.
* Cassette tests (``@pytest.mark.vcr``, pytest-recording) record and replay with one
  configuration: ``vcr_config`` scrubs secrets and normalises what changes between runs with
  the plugin's hooks (``divio_sandbox/recording.py``), and ``vcr_cassette_dir`` puts cassettes under
  ``tests/cassettes/<test module>/<test>.yaml``. The record mode comes from ``--record-mode``
  (default ``none``: replay only, never online). How to record: ``tests/README.md``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from recording import CASSETTES
from reference import Reference
from sandbox_clients import Counter, client_for

from divio_ext import DivioClient
from divio_sandbox import Sandbox
from divio_sandbox.recording import (
    Scrubber,
    environment_secrets,
    recorded_origins,
    sandbox_tokens,
    vcr_settings,
)

#: Seed of the sandbox that cassettes are recorded from (divio_devtools/record_fixtures.py sets it).
RECORD_SEED = int(os.environ.get("DIVIO_RECORD_SEED", "0"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "recorded_write: a cassette test that changes data on the server; recorded against a "
        "live server only with RECORD_WRITES=1",
    )
    config.addinivalue_line(
        "markers",
        "sandbox_only: a cassette test that needs the sandbox (its scenario data or its knobs); "
        "never recorded against a live server",
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@cache
def known_secrets() -> tuple[str, ...]:
    """Tokens that must never reach a cassette: the recording sandbox's and DIVIO_API_TOKEN."""
    return (*sandbox_tokens(RECORD_SEED), *environment_secrets())


@pytest.fixture
def vcr_config() -> dict[str, object]:
    """pytest-recording's configuration for every ``@pytest.mark.vcr`` test of the suite.

    It knows the tokens of the recording sandbox's seed and ``DIVIO_API_TOKEN``; a module
    that records with other tokens overrides it with a ``Scrubber`` that knows them too.
    """
    return vcr_settings(Scrubber(secrets=known_secrets(), origins=recorded_origins()))


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """``tests/cassettes/<module>/``: one folder per test module, one file per test."""
    return str(CASSETTES / request.path.stem)


#: What the client reads from the environment: cleared by ``clean_environment``.
CLIENT_VARIABLES = (
    "DIVIO_API_TOKEN",
    "DIVIO_API_URL",
    "DIVIO_READ_ONLY",
    "DIVIO_RETRIES",
    "DIVIO_DEADLINE",
    "DIVIO_ZONE",
    "NETRC_PATH",
    "NETRC",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No Divio or proxy variables and an empty HOME, which is returned."""
    for name in CLIENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


# --- Sandboxes, clients and reference answers for the resources and workflow tests ---


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
