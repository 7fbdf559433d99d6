"""scripts/latest_backup.py, the example users copy, run as users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from divio_ext.core.errors import ApplicationNotFound
from divio_sandbox import Sandbox

SCRIPT = Path(__file__).parents[2] / "scripts" / "latest_backup.py"


def run_script(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DIVIO_API_URL": sandbox.url,
        "DIVIO_API_TOKEN": sandbox.tokens["alice"],
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_example_script_prints_the_latest_backup(sandbox: Sandbox) -> None:
    done = run_script(sandbox, "example-application", "live")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "The latest DATABASE/DEFAULT backup of live:"
    assert lines[1].startswith("  taken at  2026-")
    assert lines[2].endswith(" bytes")


def test_the_example_script_explains_a_missing_backup(sandbox: Sandbox) -> None:
    done = run_script(sandbox, "fresh-application", "live")
    assert done.returncode == 1
    assert done.stderr.startswith("error: no successful backup of DATABASE/DEFAULT")


def test_a_token_that_sees_nothing_is_told_so() -> None:
    error = ApplicationNotFound("example-application", visible=[], total=0)
    assert "this token cannot see any application" in str(error)
    assert error.status == 404
