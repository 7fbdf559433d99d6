"""The layers of divio_ext import one way, and ``make lint`` fails the moment one does not.

``make lint`` runs import-linter with the contracts in ``pyproject.toml``: ``cli`` above
``workflows`` above ``resources`` above ``core``, the client never importing the sandbox, the
sandbox never importing the client, and neither importing the development tools the wheel does
not ship. This test proves the check has teeth: the same contracts run on a copy of the tree
with one upward import added must fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.slow


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter with the project's contracts, on the packages under ``root``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(REPO_ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{REPO_ROOT / 'generated'}"},
        check=False,
        timeout=120,
    )


def copy_tree(destination: Path) -> Path:
    for package in ("divio_ext", "divio_sandbox", "divio_spec", "divio_devtools"):
        shutil.copytree(
            REPO_ROOT / package,
            destination / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    return destination


def test_the_tree_keeps_its_layers(tmp_path: Path) -> None:
    result = lint_imports(copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward_import", "contract"),
    [
        ("divio_ext/core/config.py", "import divio_ext.workflows.latest", "is layered"),
        ("divio_ext/resources/resolve.py", "import divio_ext.cli.main", "is layered"),
        ("divio_ext/core/http.py", "import divio_sandbox.clock", "never depends on the sandbox"),
        ("divio_sandbox/clock.py", "import divio_ext.core.errors", "independent of the client"),
        ("divio_ext/core/config.py", "import divio_spec.reconstruct", "does not ship"),
        ("divio_sandbox/clock.py", "import divio_devtools.stress", "does not ship"),
    ],
)
def test_an_import_against_the_layers_fails_the_lint(
    tmp_path: Path, module: str, upward_import: str, contract: str
) -> None:
    root = copy_tree(tmp_path)
    target = root / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{upward_import}  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert contract in result.stdout
    assert "BROKEN" in result.stdout
