"""Sandboxes and token files for running `divio-ext` through ``main(argv)``.

``sandbox`` is this module's, for commands that only read; commands that change something take
the pytest plugin's ``divio_sandbox`` (through ``alice_fresh``), reset before every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import token_file

from divio_ext.cli import commands
from divio_sandbox import Sandbox
from divio_sandbox.waiting import SandboxTime


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture
def alice(sandbox: Sandbox, tmp_path: Path) -> list[str]:
    """Global options that point the command at the shared sandbox as alice."""
    return [
        "--base-url",
        sandbox.url,
        "--token-file",
        str(token_file(tmp_path, sandbox.tokens["alice"])),
    ]


@pytest.fixture
def alice_fresh(divio_sandbox: Sandbox, tmp_path: Path) -> list[str]:
    """The same, for the plugin's ``divio_sandbox``, in its seeded state for this test."""
    token = divio_sandbox.tokens["alice"]
    return ["--base-url", divio_sandbox.url, "--token-file", str(token_file(tmp_path, token))]


@pytest.fixture
def sandbox_clock(divio_wait_clock: SandboxTime, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's waits advance the plugin sandbox's clock instead of sleeping."""
    monkeypatch.setattr(commands, "clock", divio_wait_clock)
