"""Reliability tests start from a clean environment: no token, no netrc, no proxy, no zone.

``scripts/`` is put on ``sys.path`` so that the fault-run tests drive the same runner as
``make stress`` (``scripts/stress.py``), only with fewer runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

_VARIABLES = (
    "DIVIO_API_TOKEN",
    "DIVIO_API_URL",
    "DIVIO_READ_ONLY",
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


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty HOME (a developer's real ~/.netrc is never read) and no Divio variables."""
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home
