"""examples/latest_backup.py, the example users copy, run as users run it.

The plugin's ``divio_env`` points DIVIO_API_URL and DIVIO_API_TOKEN (alice's) at its sandbox.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from divio_ext.core.errors import ApplicationNotFound

SCRIPT = Path(__file__).parents[2] / "examples" / "latest_backup.py"


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.usefixtures("divio_env")
def test_the_example_script_prints_the_latest_backup() -> None:
    done = run_script("example-application", "live")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "The latest DATABASE/DEFAULT backup of live:"
    assert lines[1].startswith("  taken at  2026-")
    assert lines[2].endswith(" bytes")


@pytest.mark.usefixtures("divio_env")
def test_the_example_script_explains_a_missing_backup() -> None:
    done = run_script("fresh-application", "live")
    assert done.returncode == 1
    assert done.stderr.startswith("error: no successful backup of DATABASE/DEFAULT")


def test_a_token_that_sees_nothing_is_told_so() -> None:
    error = ApplicationNotFound("example-application", visible=[], total=0)
    assert "this token cannot see any application" in str(error)
    assert error.status == 404
