"""How ``make generate`` names resources and operations, and what it does when one is missing.

Names come from the HTTP method and the path only (``divio_spec.resources``), so a
schema that renames its operations gives the same ``client.<resource>.<method>`` API.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from spec_support import REPO_ROOT, SPEC_PATH, run_step

from divio_spec.resources import resource_and_method


@pytest.mark.parametrize(
    ("method", "path", "paginated", "expected"),
    [
        ("GET", "/apps/v3/backups/", True, ("backups", "list")),
        ("GET", "/apps/v3/backups/{uuid}/", False, ("backups", "retrieve")),
        ("POST", "/apps/v3/backups/", False, ("backups", "create")),
        ("POST", "/apps/v3/backups/upload/", False, ("backups", "upload")),
        ("PATCH", "/apps/v3/environments/{uuid}/", False, ("environments", "update")),
        ("PUT", "/apps/v3/environments/{uuid}/", False, ("environments", "replace")),
        ("DELETE", "/apps/v3/domains/{uuid}/", False, ("domains", "delete")),
        ("POST", "/apps/v3/environments/{uuid}/copy/", False, ("environments", "copy")),
        ("GET", "/apps/v3/deployments/{uuid}/logs/", False, ("deployments", "logs")),
        (
            "GET",
            "/apps/v3/deployments/{uuid}/environment-variables/",
            False,
            ("deployments", "environment_variables"),
        ),
        ("GET", "/iam/v3/me/", False, ("me", "retrieve")),
        (
            "GET",
            "/apps/v3/service-instance-backups/",
            True,
            ("service_instance_backups", "list"),
        ),
    ],
)
def test_names_follow_the_rest_structure(
    method: str, path: str, paginated: bool, expected: tuple[str, str]
) -> None:
    assert resource_and_method(method, path, paginated) == expected


def test_the_api_root_is_not_a_resource() -> None:
    assert resource_and_method("GET", "/apps/v3/", False) is None


@pytest.mark.slow
def test_a_spec_without_an_operation_divio_ext_needs_still_imports(tmp_path: Path) -> None:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    del spec["paths"]["/apps/v3/backups/{uuid}/"]
    spec_path = tmp_path / "lacking.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    result = run_step(
        "generate",
        "--spec",
        spec_path,
        "--output",
        tmp_path / "divio_api",
        "--resources",
        tmp_path / "divio_ext" / "_generated",
    )
    assert result.returncode == 0, result.stderr
    assert "lacks operations divio-ext needs" in result.stdout
    assert "GET /apps/v3/backups/{uuid}/" in result.stdout

    shutil.copytree(
        REPO_ROOT / "divio_ext",
        tmp_path / "divio_ext",
        ignore=shutil.ignore_patterns("__pycache__", "_generated"),
        dirs_exist_ok=True,
    )
    code = (
        "from divio_ext import DivioClient\nfrom divio_ext.core import contract\n"
        "from divio_ext.errors import OperationUnavailable\n"
        "client = DivioClient(token='t' * 40, base_url='http://127.0.0.1:9')\n"
        "assert not hasattr(client.backups, 'retrieve')\n"
        "try:\n"
        "    client.call(contract.BACKUP, uuid='x')\n"
        "except OperationUnavailable as error:\n"
        "    print(error)\n"
    )
    run = subprocess.run(
        [sys.executable, "-P", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "GET /apps/v3/backups/{uuid}/" in run.stdout
