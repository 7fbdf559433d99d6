"""pytest fixtures for testing your own Divio automation against a local sandbox.

Installed with divio-ext (a ``pytest11`` entry point), so a test only names what it needs::

    def test_a_backup_finishes(divio_client, divio_clock):
        live = divio_client.applications.get_by_slug("example-application").environment("live")
        started = create_backup(live, wait=False)
        divio_clock.advance(600)                 # created work progresses with the clock
        assert divio_client.backups.retrieve(started.uuid).state == "COMPLETED"

In the manner of respx's ``respx_mock`` and moto's server mode: one in-process sandbox for the
whole session (``divio_sandbox_server``), put back into its seeded state before every test that
uses ``divio_sandbox`` (a reset takes milliseconds; a server start is what one would pay
otherwise). Fixtures:

* ``divio_sandbox``: the running :class:`~divio_sandbox.server.Sandbox`, freshly reset, with a
  fixed clock. ``@pytest.mark.divio_sandbox(latency=0.05, chaos=0.2, ignore_filters=True)``
  sets run-time knobs (:class:`~divio_sandbox.knobs.Knobs`) for one test.
* ``divio_clock``: its clock; ``divio_clock.advance(seconds)`` moves created backups,
  deployments and restores along.
* ``divio_user`` (``"alice"``; also ``"mallory"`` of another organisation, ``"victor"``
  read-only): override or parametrize it to act as someone else; ``divio_token`` is that user's.
* ``divio_client`` / ``divio_async_client``: a ``DivioClient`` / ``AsyncDivioClient`` bound to
  the sandbox as that user (the async one in ``@pytest.mark.anyio`` tests, anyio's plugin).
* ``divio_env``: ``DIVIO_API_URL`` and ``DIVIO_API_TOKEN`` set for the test, for code that
  builds its own client from the environment.
* ``divio_vcr_config``: a pytest-recording configuration whose hooks scrub tokens, cookies,
  signed URLs, request ids and the server's address (``divio_sandbox.recording``), so your
  cassettes are safe to commit. Use it with ``def vcr_config(divio_vcr_config): return
  divio_vcr_config`` in your ``conftest.py``.

Options (command line, or ini): ``--divio-sandbox-seed`` / ``divio_sandbox_seed`` (the seeded
scenario, default 0) and ``--divio-sandbox-backups`` / ``divio_sandbox_backups``.

pytest loads this module in every project where divio-ext is installed, so the server (which
needs the ``sandbox`` extra), the client and vcrpy are imported inside the fixtures that use
them: a test run that uses none of them pays nothing and needs none of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from divio_sandbox.seed import DEFAULT_BACKUPS
from divio_sandbox.waiting import SandboxTime

if TYPE_CHECKING:
    from divio_ext import AsyncDivioClient, DivioClient
    from divio_sandbox.server import ClockControl, Sandbox

#: The marker that sets knobs for one test, as ``respx`` configures ``respx_mock``.
MARKER = "divio_sandbox"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("divio-sandbox", "Divio sandbox (divio_sandbox fixtures)")
    group.addoption(
        "--divio-sandbox-seed",
        type=int,
        default=None,
        help="seed of the sandbox's scenario data (default: ini divio_sandbox_seed, else 0)",
    )
    group.addoption(
        "--divio-sandbox-backups",
        type=int,
        default=None,
        help=f"seeded backups (default: ini divio_sandbox_backups, else {DEFAULT_BACKUPS})",
    )
    parser.addini("divio_sandbox_seed", "seed of the sandbox's scenario data", default="0")
    parser.addini("divio_sandbox_backups", "seeded backups", default=str(DEFAULT_BACKUPS))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**knobs): run-time settings of the divio_sandbox fixture for one test "
        "(latency, chaos, faults, ignore_filters, failure_rate, ...)",
    )


def _option(config: pytest.Config, name: str) -> int:
    """The command-line value of ``divio_sandbox_<name>``, else its ini value."""
    given = config.getoption(f"--divio-sandbox-{name}")
    return int(given if given is not None else config.getini(f"divio_sandbox_{name}"))


@pytest.fixture(scope="session")
def divio_sandbox_server(pytestconfig: pytest.Config) -> Iterator[Sandbox]:
    """The session's one sandbox, in this process on a free loopback port, fixed clock.

    Tests take ``divio_sandbox`` instead, which resets it; take this one only in fixtures of
    a broader scope that read and never change anything.
    """
    try:
        from divio_sandbox.server import Sandbox
    except ModuleNotFoundError as missing:
        message = (
            f"the divio_sandbox fixtures need {missing.name}: pip install 'divio-ext[sandbox]'"
        )
        raise pytest.fail.Exception(message, pytrace=False) from None
    seed, backups = _option(pytestconfig, "seed"), _option(pytestconfig, "backups")
    with Sandbox(seed=seed, backups=backups, clock="fixed") as sandbox:
        yield sandbox


@pytest.fixture
def divio_sandbox(divio_sandbox_server: Sandbox, request: pytest.FixtureRequest) -> Sandbox:
    """The session's sandbox back in its seeded state, with this test's marker knobs set."""
    divio_sandbox_server.reset()
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        divio_sandbox_server.configure(**marker.kwargs)
    return divio_sandbox_server


@pytest.fixture
def divio_wait_clock(divio_sandbox: Sandbox) -> SandboxTime:
    """A clock for your code's waits (``PollPolicy(clock=divio_wait_clock)``): each sleep moves
    the sandbox's clock instead of taking real time, so waiting for created work is instant."""
    return SandboxTime(divio_sandbox.clock)


@pytest.fixture
def divio_clock(divio_sandbox: Sandbox) -> ClockControl:
    """The sandbox's clock: ``advance(seconds)`` makes created work progress; ``now()``."""
    return divio_sandbox.clock


@pytest.fixture
def divio_user() -> str:
    """Who the client fixtures act as; override or parametrize to be someone else."""
    return "alice"


@pytest.fixture
def divio_token(divio_sandbox: Sandbox, divio_user: str) -> str:
    """``divio_user``'s API token on the sandbox."""
    return divio_sandbox.tokens[divio_user]


def _client_options(sandbox: Sandbox, token: str) -> dict[str, Any]:
    # read_only=False: a DIVIO_READ_ONLY=1 left in a shell protects real data, not the sandbox.
    return {"token": token, "base_url": sandbox.url, "read_only": False}


@pytest.fixture
def divio_client(divio_sandbox: Sandbox, divio_token: str) -> Iterator[DivioClient]:
    """A ``DivioClient`` bound to the sandbox as ``divio_user``, closed after the test."""
    from divio_ext import DivioClient

    with DivioClient(**_client_options(divio_sandbox, divio_token)) as client:
        yield client


@pytest.fixture
async def divio_async_client(
    divio_sandbox: Sandbox, divio_token: str
) -> AsyncIterator[AsyncDivioClient]:
    """An ``AsyncDivioClient`` bound to the sandbox as ``divio_user``, for async tests."""
    from divio_ext import AsyncDivioClient

    async with AsyncDivioClient(**_client_options(divio_sandbox, divio_token)) as client:
        yield client


@pytest.fixture
def divio_env(
    divio_sandbox: Sandbox, divio_token: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """``DIVIO_API_URL`` and ``DIVIO_API_TOKEN`` pointing at the sandbox, for this test only.

    For code under test that builds its own client (``DivioClient()``) or runs as a
    subprocess; ``DIVIO_READ_ONLY`` is cleared for the same reason as in ``divio_client``.
    Returns the variables that were set.
    """
    variables = {"DIVIO_API_URL": divio_sandbox.url, "DIVIO_API_TOKEN": divio_token}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DIVIO_READ_ONLY", raising=False)
    return variables


@pytest.fixture(scope="session")
def divio_vcr_config(pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-recording settings that make cassettes safe to commit and stable to re-record.

    The hooks know the tokens of the sandbox's seed and ``DIVIO_API_TOKEN`` (recording against
    the real API), and rewrite the sandbox's or ``DIVIO_API_URL``'s address to
    ``https://api.divio.invalid``: build replaying clients with that base URL.
    """
    from divio_sandbox.recording import (
        Scrubber,
        environment_secrets,
        recorded_origins,
        sandbox_tokens,
        vcr_settings,
    )

    secrets = (*sandbox_tokens(_option(pytestconfig, "seed")), *environment_secrets())
    return vcr_settings(Scrubber(secrets=secrets, origins=recorded_origins()))
