"""``mypy --strict`` on a user's code sees divio-ext's types: resources, pagers, bound objects.

divio-ext ships ``py.typed``; these tests type-check user-like code with mypy, so a change that
turns a public type into ``Any`` (or drops the marker) fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
REPO_ROOT = HERE.parents[1]


def mypy_strict(path: Path) -> tuple[str, int]:
    stdout, stderr, status = api.run(
        [
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            "--config-file=",
            f"--python-executable={__import__('sys').executable}",
            str(path),
        ]
    )
    return stdout + stderr, status


def test_the_public_types_are_what_the_user_expects() -> None:
    output, status = mypy_strict(HERE / "public_api.py")
    assert status == 0, output


def test_divio_ext_ships_a_py_typed_marker() -> None:
    assert (REPO_ROOT / "divio_ext" / "py.typed").is_file()


def test_a_misspelt_filter_is_a_type_error(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(
        "from divio_ext import DivioClient\n"
        "with DivioClient() as client:\n"
        "    for backup in client.backups.list(enviroment='x'):\n"
        "        print(backup.uuid)\n",
        encoding="utf-8",
    )
    output, status = mypy_strict(script)
    assert status == 1
    assert 'Unexpected keyword argument "enviroment"' in output
