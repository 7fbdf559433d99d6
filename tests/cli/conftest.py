"""A sandbox and a token file for running `divio-ext` through ``main(argv)``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import token_file

from divio_sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture
def fresh_sandbox() -> Iterator[Sandbox]:
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
def alice_fresh(fresh_sandbox: Sandbox, tmp_path: Path) -> list[str]:
    """The same, for a sandbox of the test's own."""
    token = fresh_sandbox.tokens["alice"]
    return ["--base-url", fresh_sandbox.url, "--token-file", str(token_file(tmp_path, token))]
