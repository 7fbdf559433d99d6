"""Helpers of the CLI tests."""

from __future__ import annotations

from pathlib import Path


def token_file(directory: Path, token: str) -> Path:
    path = directory / "token"
    path.write_text(f"{token}\n", encoding="utf-8")
    return path
