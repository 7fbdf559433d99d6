"""Reliability tests start from a clean environment: no token, no netrc, no proxy, no zone."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _clean(clean_environment: Path) -> Path:
    """Every test here starts from ``clean_environment`` (tests/conftest.py)."""
    return clean_environment
