"""Generation is deterministic and generated/divio_api is exactly what it produces."""

from pathlib import Path

import pytest
from spec_support import REPO_ROOT, SPEC_PATH, generate


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
    committed = tree(REPO_ROOT / "generated" / "divio_api")

    assert "py.typed" in first
    assert first == second
    assert sorted(first) == sorted(committed), "generated/ is out of date: run `make generate`"
    changed = [name for name in first if first[name] != committed[name]]
    assert changed == [], "generated/ is out of date: run `make generate`"
