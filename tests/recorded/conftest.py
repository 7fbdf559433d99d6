"""Where the cassette tests talk to: recorded answers, a fresh sandbox, or a live server.

* Replay (``--record-mode=none``, the default and what ``make test`` runs): no server at all.
  Clients use :data:`divio_sandbox.recording.REPLAY_BASE_URL` and the placeholder token;
  waiting uses a clock that never sleeps; retries never sleep either.
* Recording (any other ``--record-mode``, normally through ``make record``): every test gets a
  brand-new in-process sandbox (seed ``DIVIO_RECORD_SEED``, ``DIVIO_RECORD_BACKUPS`` seeded
  backups, fixed clock), so each cassette depends on nothing but its own test: re-recording one
  test gives the same bytes as re-recording all of them. Waiting advances the sandbox clock by
  exactly the pauses the replaying clock will count, so both see the same sequence of polls.
* Recording with ``DIVIO_API_URL`` and ``DIVIO_API_TOKEN`` set: that server. Tests marked
  ``sandbox_only`` are skipped, and ``recorded_write`` ones too unless ``RECORD_WRITES=1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from recorded_support import RECORD_BACKUPS, RECORD_SEED, Target

from divio_ext import DivioClient
from divio_ext.core.clock import SystemClock
from divio_sandbox import Sandbox
from divio_sandbox.recording import PLACEHOLDER_TOKEN, REPLAY_BASE_URL
from divio_sandbox.waiting import SandboxTime


def _live_credentials() -> tuple[str, str] | None:
    url, token = os.environ.get("DIVIO_API_URL"), os.environ.get("DIVIO_API_TOKEN")
    return (url, token) if url and token else None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Keep tests away from a live server that must not get them.

    This runs before any fixture, so pytest-recording has not yet deleted the cassette that
    ``--record-mode=rewrite`` is about to replace: a skipped test keeps its cassette.
    """
    if (item.config.getoption("--record-mode") or "none") == "none" or not _live_credentials():
        return
    if item.get_closest_marker("sandbox_only"):
        pytest.skip("needs the sandbox's scenario or knobs; not recorded against a live API")
    if item.get_closest_marker("recorded_write") and os.environ.get("RECORD_WRITES") != "1":
        pytest.skip("changes data on the server; set RECORD_WRITES=1 to record it live")


@pytest.fixture
def target(record_mode: str) -> Iterator[Target]:
    if record_mode == "none":
        placeholders = dict.fromkeys(("alice", "mallory", "victor"), PLACEHOLDER_TOKEN)
        yield Target("replay", REPLAY_BASE_URL, placeholders)
        return
    live = _live_credentials()
    if live is not None:
        yield Target("live", live[0], {"alice": live[1]}, clock=SystemClock())
        return
    with Sandbox(seed=RECORD_SEED, backups=RECORD_BACKUPS, clock="fixed") as sandbox:
        yield Target(
            "sandbox", sandbox.url, dict(sandbox.tokens), sandbox, clock=SandboxTime(sandbox.clock)
        )


@pytest.fixture
def client(target: Target) -> Iterator[DivioClient]:
    """alice's sync client."""
    with target.client() as divio:
        yield divio
