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


@pytest.fixture(autouse=True)
def _clean(clean_environment: Path) -> Path:
    """Every test here starts from ``clean_environment`` (tests/conftest.py)."""
    return clean_environment
