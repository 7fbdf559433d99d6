"""Helpers of the spec pipeline tests: run a step, generate a client, use it in a subprocess.

A generated client is always called ``divio_api``, like the committed one this process may
already have imported, so anything that imports a freshly generated client runs in its own
Python process with that client first on ``sys.path``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi.json"


def run_step(name: str, *args: str | Path, env: dict[str, str] | None = None) -> Any:
    """Run ``python -m divio_spec.<name>`` with this interpreter; the CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, "-m", f"divio_spec.{name}", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )


def make_dry_run(*args: str) -> str:
    """The commands ``make`` would run (``-n``): checks the Makefile's wiring without running."""
    result = subprocess.run(
        ["make", "-n", "-C", str(REPO_ROOT), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def generate(spec: dict[str, Any] | Path, folder: Path) -> Path:
    """Generate a client for ``spec`` into ``folder/divio_api``; return ``folder``."""
    if isinstance(spec, dict):
        path = folder / "fragment.json"
        path.write_text(json.dumps(spec), encoding="utf-8")
        spec = path
    result = run_step("generate", "--spec", spec, "--output", folder / "divio_api")
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def run_with_client(folder: Path, code: str) -> Any:
    """Run ``code`` with the client generated in ``folder``; what it prints, parsed as JSON."""
    guard = (
        "import divio_api, pathlib\n"
        f"assert pathlib.Path(divio_api.__file__).is_relative_to({str(folder)!r})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", guard + code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(folder)},
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def document(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    """A minimal OpenAPI 3.0 document around hand-made components and paths."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "fragment", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(name: str, *media: str) -> dict[str, Any]:
    """A request body referencing a component under the given content types (JSON default)."""
    return {"content": {kind: {"schema": ref(name)} for kind in media or ("application/json",)}}


def responds(name: str, status: str = "200") -> dict[str, Any]:
    return {status: {"description": "", "content": {"application/json": {"schema": ref(name)}}}}
