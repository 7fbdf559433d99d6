"""Every core test starts from a clean environment: no token, no netrc, no proxy, no zone."""

from __future__ import annotations

from pathlib import Path

import pytest

_VARIABLES = (
    "DIVIO_API_TOKEN",
    "DIVIO_API_URL",
    "DIVIO_READ_ONLY",
    "DIVIO_ZONE",
    "NETRC_PATH",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "NETRC",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty HOME (so a developer's real ~/.netrc is never read) and no Divio variables."""
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home
