"""The examples users copy, run as users run them: the library tour and the plugin's example.

``examples/library_tour.py`` reads the sandbox's address and token from the environment, as
the plugin's ``divio_env`` sets them; ``examples/test_with_sandbox.py`` (the README's "Testing
your own automation") runs under its own pytest, with nothing but the plugin.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from divio_ext import DivioClient

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_the_library_tour_runs_against_the_sandbox(
    divio_env: dict[str, str], divio_client: DivioClient
) -> None:
    done = run(str(EXAMPLES / "library_tour.py"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("backup ") for line in lines) == 5
    assert "copied live to staging" in lines
    assert "me alice@example.com" in lines
    assert sum(line.startswith("async ") for line in lines) == 3
    app = divio_client.applications.get_by_slug("example-application")
    assert app.environment("staging").slug == "staging", "the tour's copy is on the sandbox"
    assert app.environment("live").branch == "main"


def test_the_plugin_example_passes_under_its_own_pytest() -> None:
    done = run(
        "-m", "pytest", "-p", "no:cacheprovider", "-q", str(EXAMPLES / "test_with_sandbox.py")
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_the_readme_shows_an_excerpt_of_the_plugin_example() -> None:
    section = (ROOT / "README.md").read_text().split("## Testing your own automation\n")[1]
    shown = section.split("```python\n")[1].split("```")[0].splitlines()
    example = (EXAMPLES / "test_with_sandbox.py").read_text().splitlines()
    assert [line for line in shown if line.strip() != "..." and line not in example] == []
