"""Generation is deterministic and generated/divio_api is exactly what it produces."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from spec_support import REPO_ROOT, SPEC_PATH, generate, run_step

COMMITTED = REPO_ROOT / "generated" / "divio_api"


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (relative path -> bytes), bytecode caches left out."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.mark.slow
def test_generating_twice_gives_identical_files_equal_to_the_committed_client(
    tmp_path: Path,
) -> None:
    first = tree(generate(SPEC_PATH, tmp_path / "first") / "divio_api")
    second = tree(generate(SPEC_PATH, tmp_path / "second") / "divio_api")
    committed = tree(COMMITTED)

    assert "py.typed" in first
    assert first == second
    assert sorted(first) == sorted(committed), "generated/ is out of date: run `make generate`"
    changed = [name for name in first if first[name] != committed[name]]
    assert changed == [], "generated/ is out of date: run `make generate`"


def edit_a_module(package: Path) -> str:
    (package / "client.py").write_text("# edited by hand\n", encoding="utf-8")
    return "client.py"


def delete_a_module(package: Path) -> str:
    (package / "errors.py").unlink()
    return "errors.py"


def add_a_module(package: Path) -> str:
    (package / "api" / "extra.py").write_text("", encoding="utf-8")
    return "api/extra.py"


@pytest.mark.slow
@pytest.mark.parametrize("drift", [edit_a_module, delete_a_module, add_a_module])
def test_the_check_fails_when_the_generated_tree_drifts(
    drift: Callable[[Path], str], tmp_path: Path
) -> None:
    # `make check-generated` is the CI gate that keeps generated/ honest: it must pass on a
    # faithful copy and fail, naming the file, on any hand edit.
    package = tmp_path / "divio_api"
    shutil.copytree(COMMITTED, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(  # what divio_ext takes from the same step: checked beside the package
        REPO_ROOT / "divio_ext" / "_generated",
        tmp_path / "_generated",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    in_sync = run_step("generate", "--check", "--output", package)
    assert in_sync.returncode == 0, in_sync.stdout + in_sync.stderr
    named = drift(package)
    drifted = run_step("generate", "--check", "--output", package)
    assert drifted.returncode == 1
    assert named in drifted.stdout
