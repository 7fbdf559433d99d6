"""What a folder holds, for the tests that check a pull or a copy leaves nothing behind."""

from __future__ import annotations

from pathlib import Path


def leftovers(folder: Path) -> list[str]:
    """The names in ``folder``, sorted (hidden temporary files included)."""
    return sorted(path.name for path in folder.iterdir())
