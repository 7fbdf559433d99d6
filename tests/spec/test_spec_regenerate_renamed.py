"""Regenerating from a schema whose operationIds and tags differ from ours breaks nothing.

Our spec's operationIds and tags are guesses; the published schema names operations the way
drf-spectacular does by default (``backups_list``, ``backups_retrieve``,
``environments_copy_create``...). openapi-python-client names its modules after those ids and
tags, so such a schema moves and renames every generated function. divio-ext is bound to
methods and paths, so its workflow and command-line tests must pass unchanged against a client
generated that way: this test builds one in a temporary folder, next to a copy of divio_ext,
and runs those test suites in a subprocess with that folder first on ``sys.path``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from spec_support import REPO_ROOT, SPEC_PATH, run_step

pytestmark = pytest.mark.slow

_ACTIONS = {"get": "retrieve", "post": "create", "put": "update", "patch": "partial_update"}


def drf_spectacular_id(method: str, path: str, paginated: bool) -> str:
    """drf-spectacular's default operationId: path words, then the action."""
    words = [part.replace("-", "_") for part in path.strip("/").split("/")[2:]]
    words = [w for w in words if not w.startswith("{")]
    is_collection = not path.rstrip("/").endswith("}") and len(words) == 1
    if method == "get" and is_collection and paginated:
        action = "list"
    elif method == "delete":
        action = "destroy"
    else:
        action = _ACTIONS[method]
    return "_".join([*words, action]) if words else f"root_{action}"


def renamed(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with drf-spectacular's default ids and one tag per API family."""
    result = copy.deepcopy(spec)
    for path, item in result["paths"].items():
        for method, operation in item.items():
            if method not in _ACTIONS and method != "delete":
                continue
            names = {p["name"] for p in operation.get("parameters", [])}
            operation["operationId"] = drf_spectacular_id(method, path, "page" in names)
            operation["tags"] = [path.strip("/").split("/")[0]]  # "apps" or "iam"
    return result


def test_every_operation_id_and_tag_changes(tmp_path: Path) -> None:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    new = renamed(spec)
    old_ids = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    new_ids = {op["operationId"] for item in new["paths"].values() for op in item.values()}
    assert not old_ids & new_ids
    assert {"backups_list", "backups_retrieve", "environments_copy_create"} <= new_ids


def test_workflows_and_cli_pass_with_a_client_generated_from_renamed_operations(
    tmp_path: Path,
) -> None:
    spec_path = tmp_path / "renamed.json"
    spec_path.write_text(
        json.dumps(renamed(json.loads(SPEC_PATH.read_text(encoding="utf-8")))), encoding="utf-8"
    )
    shutil.copytree(
        REPO_ROOT / "divio_ext",
        tmp_path / "divio_ext",
        ignore=shutil.ignore_patterns("__pycache__", "_generated"),
    )
    result = run_step(
        "generate",
        "--spec",
        spec_path,
        "--output",
        tmp_path / "divio_api",
        "--resources",
        tmp_path / "divio_ext" / "_generated",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lacks" not in result.stdout  # every operation divio-ext needs is still there
    modules = {p.stem for p in (tmp_path / "divio_api" / "api").rglob("*.py")}
    assert "backups_retrieve" in modules
    assert "get_backup" not in modules

    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    where = subprocess.run(
        [
            sys.executable,
            "-P",
            "-c",
            "import divio_api, divio_ext; print(divio_api.__file__, divio_ext.__file__)",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert all(Path(p).is_relative_to(tmp_path) for p in where.stdout.split())

    suites = [str(REPO_ROOT / "tests" / name) for name in ("resources", "workflows", "cli")]
    run = subprocess.run(
        [
            sys.executable,
            "-P",  # the folder above first, not the working directory (the repository)
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--record-mode=none",
            "--block-network",
            "--allowed-hosts=127.0.0.1,localhost,::1",
            *suites,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
