"""The read-only `divio-ext` commands against recorded answers (the waiting ones, `deploy` and
`backup`, poll on the real clock and are covered by the workflow cassettes instead)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from recorded_support import Target

from divio_ext.cli import main

pytestmark = [pytest.mark.vcr, pytest.mark.sandbox_only]

COMMANDS = {
    "latest-backup": ["latest-backup", "example-application", "live", "--prefix", "ANALYTICS"],
    "apps": ["apps"],
    "envs": ["envs", "example-application"],
    "backups": ["backups", "example-application", "live"],
    "deployments": ["deployments", "example-application", "live"],
    "env-vars": ["env-vars", "example-application", "live"],
    "deployments-log": ["deployments", "log", "example-application", "live"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_answers_in_json(
    target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    token = tmp_path / "token"
    token.write_text(target.token(), encoding="utf-8")
    options = ["--json", "--base-url", target.base_url, "--token-file", str(token)]
    code = main([*options, *COMMANDS[command]])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert json.loads(out)


def test_a_missing_application_is_a_one_line_error(
    target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = tmp_path / "token"
    token.write_text(target.token(), encoding="utf-8")
    code = main(["--base-url", target.base_url, "--token-file", str(token), "envs", "nope"])
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "nope" in err


def test_logs_print_one_json_object_a_line_and_variables_a_dotenv_file(
    target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = tmp_path / "token"
    token.write_text(target.token(), encoding="utf-8")
    options = ["--base-url", target.base_url, "--token-file", str(token)]
    assert main([*options, "logs", "example-application", "live", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    entries = [json.loads(line) for line in lines]
    assert entries
    assert all({"timestamp", "service", "message"} <= set(entry) for entry in entries)
    stamps = [entry["timestamp"] for entry in entries]
    assert stamps == sorted(stamps)
    argv = [*options, "env-vars", "example-application", "live", "--format", "dotenv"]
    assert main(argv) == 0
    names = {line.partition("=")[0] for line in capsys.readouterr().out.splitlines()}
    assert "DEBUG" in names


def test_backup_status_answers_for_each_environment_and_exits_by_their_state(
    target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A limit of a century makes freshness independent of when the cassette is replayed."""
    token = tmp_path / "token"
    token.write_text(target.token(), encoding="utf-8")
    options = ["--json", "--base-url", target.base_url, "--token-file", str(token)]
    code = main([*options, "backup", "status", "example-application", "--max-age", "5200w"])
    out, err = capsys.readouterr()
    assert err == ""
    found = json.loads(out)
    assert {item["environment"] for item in found} >= {"live", "test"}
    assert {item["application"] for item in found} == {"example-application"}
    fresh = [item["state"] == "fresh" for item in found]
    assert code == (0 if all(fresh) else 5)
    assert any(fresh)
