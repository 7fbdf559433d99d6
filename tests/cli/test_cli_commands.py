"""`divio-ext` subcommands against the sandbox: tables, --json, exit codes, one-line errors."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import token_file

from divio_ext import DivioClient
from divio_ext.cli import main
from divio_ext.cli.main import CLOSED_PIPE
from divio_ext.workflows import latest_backup
from divio_sandbox import Sandbox

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_latest_backup_as_a_table(sandbox: Sandbox, alice: list[str], capsys: Capture) -> None:
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        found = latest_backup(client, "example-application", "live")
    code, out, err = run(capsys, *alice, "latest-backup", "example-application", "live")
    assert (code, err) == (0, "")
    assert found.taken_at is not None
    assert out.splitlines()[0] == f"Taken at        {found.taken_at:%Y-%m-%d %H:%M:%S} UTC"
    assert f"({found.size} bytes)" in out
    assert f"DATABASE/DEFAULT ({found.service_instance.uuid})" in out
    assert found.backup.uuid in out
    assert "live (" in out
    assert "example-application (" in out


def test_latest_backup_as_json(sandbox: Sandbox, alice: list[str], capsys: Capture) -> None:
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        found = latest_backup(client, "example-application", "live", "DATABASE", "ANALYTICS")
    code, out, _ = run(
        capsys,
        "latest-backup",
        "example-application",
        "live",
        "--prefix",
        "ANALYTICS",
        "--json",
        *alice,
    )
    assert code == 0
    data = json.loads(out)
    assert data["size_bytes"] == found.size
    assert data["service_instance"] == found.service_instance.to_dict()
    assert data["service_instance"]["prefix"] == "ANALYTICS"
    assert data["backup"]["uuid"] == found.backup.uuid
    assert data["taken_at"].endswith("Z")
    assert data["environment"]["slug"] == "live"
    assert data["application"]["slug"] == "example-application"


def test_not_found_is_exit_code_3_with_one_line(alice: list[str], capsys: Capture) -> None:
    code, out, err = run(capsys, *alice, "latest-backup", "fresh-application", "live")
    assert (code, out) == (3, "")
    assert err.count("\n") == 1
    assert err.startswith("divio-ext: error: no successful backup of DATABASE/DEFAULT")
    code, _, err = run(capsys, *alice, "envs", "nope")
    assert code == 3
    assert "application 'nope' not found" in err


def test_an_unknown_environment_names_the_existing_ones(alice: list[str], capsys: Capture) -> None:
    code, _, err = run(capsys, *alice, "backups", "example-application", "staging")
    assert code == 3
    assert "(its environments: feature-x, live, test)" in err


def test_a_rejected_token_is_exit_code_4(sandbox: Sandbox, tmp_path: Path, capsys: Capture) -> None:
    path = token_file(tmp_path, "0" * 40)
    code, _, err = run(capsys, "--base-url", sandbox.url, "--token-file", str(path), "apps")
    assert code == 4
    assert err.count("\n") == 1
    assert "0" * 40 not in err


def test_the_other_organisation_cannot_see_the_app(
    sandbox: Sandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = token_file(tmp_path, sandbox.tokens["mallory"])
    argv = ["--base-url", sandbox.url, "--token-file", str(path)]
    code, _, err = run(capsys, *argv, "latest-backup", "example-application", "live")
    assert code == 3
    assert "application 'example-application' not found among the" in err
    assert "applications this token can see (" in err
    assert "other-application" in err


def test_apps_and_envs_tables(alice: list[str], capsys: Capture) -> None:
    code, out, _ = run(capsys, *alice, "apps")
    assert code == 0
    assert out.splitlines()[0].split() == ["SLUG", "NAME", "UUID"]
    assert any(line.startswith("example-application ") for line in out.splitlines())
    code, out, _ = run(capsys, *alice, "envs", "example-application", "--json")
    assert code == 0
    assert [env["slug"] for env in json.loads(out)] == ["feature-x", "live", "test"]


def test_backups_newest_first_with_a_limit(alice: list[str], capsys: Capture) -> None:
    code, out, _ = run(capsys, *alice, "backups", "example-application", "live", "--limit", "3")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["TIME", "STATE", "RESULT", "SIZE", "TRIGGER", "UUID"]
    assert len(rows) == 3
    code, out, _ = run(capsys, *alice, "backups", "example-application", "live", "--json")
    data = json.loads(out)
    assert len(data) == 20
    times = [item["time"] for item in data]
    assert times == sorted(times, reverse=True)


def test_deployments_and_env_vars(alice: list[str], capsys: Capture) -> None:
    code, out, _ = run(capsys, *alice, "deployments", "example-application", "live", "--limit", "2")
    assert code == 0
    assert len(out.splitlines()) == 3
    code, out, _ = run(capsys, *alice, "env-vars", "example-application", "live", "--json")
    assert code == 0
    variables = json.loads(out)
    assert variables == sorted(variables, key=lambda v: v["name"])
    assert all(v["value"] is None for v in variables if v["is_sensitive"])


def test_read_only_refuses_to_deploy(alice_fresh: list[str], capsys: Capture) -> None:
    code, out, err = run(
        capsys, *alice_fresh, "--read-only", "deploy", "example-application", "live"
    )
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert "read-only" in err


@pytest.mark.usefixtures("sandbox_clock")
def test_deploy_and_wait(alice_fresh: list[str], capsys: Capture) -> None:
    code, out, err = run(
        capsys, *alice_fresh, "deploy", "example-application", "test", "--wait", "--json"
    )
    assert (code, err) == (0, ""), "no progress line: stderr is not a terminal"
    data = json.loads(out)
    assert data["success"] is True
    assert data["ended_at"] is not None


@pytest.mark.usefixtures("sandbox_clock")
def test_backup_create_wait_and_download_url(alice_fresh: list[str], capsys: Capture) -> None:
    code, out, _ = run(
        capsys, *alice_fresh, "backup", "create", "example-application", "live", "--wait", "--json"
    )
    assert code == 0
    made = json.loads(out)
    assert (made["state"], made["success"]) == ("COMPLETED", "SUCCESS")
    code, out, _ = run(
        capsys, *alice_fresh, "backup", "download-url", "example-application", "live"
    )
    assert code == 0
    assert out.startswith("http://127.0.0.1:")
    code, out, _ = run(
        capsys, *alice_fresh, "latest-backup", "example-application", "live", "--json"
    )
    assert json.loads(out)["backup"]["uuid"] == made["uuid"]


@pytest.mark.usefixtures("sandbox_clock")
def test_a_wait_that_times_out_is_exit_code_1(alice_fresh: list[str], capsys: Capture) -> None:
    code, _, err = run(
        capsys, *alice_fresh, "deploy", "example-application", "live", "--wait", "--timeout", "5"
    )
    assert code == 1
    assert "has not finished after 5 s" in err


@pytest.mark.parametrize(
    "command", [["deploy"], ["backup", "create"]], ids=["deploy", "backup-create"]
)
def test_a_timeout_without_wait_is_a_usage_error_before_any_request(
    sandbox: Sandbox, alice: list[str], capsys: Capture, command: list[str]
) -> None:
    """It was accepted and ignored: the work was started and the command returned at once, so
    a script that meant to wait went on while the work was still running."""
    sandbox.reset_stats()
    code, _, err = run(capsys, *alice, *command, "example-application", "live", "--timeout", "60")
    assert code == 2
    assert "--timeout bounds a wait: add --wait" in err
    assert sandbox.stats()["total"] == 0


def test_the_sandbox_command_delegates(capsys: Capture) -> None:
    assert main(["sandbox", "--help"]) == 0
    assert "--seed" in capsys.readouterr().out


def test_debug_adds_the_traceback_and_never_the_token(
    sandbox: Sandbox, alice: list[str], capsys: Capture
) -> None:
    code, _, err = run(capsys, *alice, "--debug", "latest-backup", "fresh-application", "live")
    assert code == 3
    assert sandbox.tokens["alice"] not in err
    assert "DEBUG divio_ext" in err
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().splitlines()[-1].startswith("divio-ext: error: no successful backup")


def test_sandbox_without_the_sandbox_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    """As after `pip install divio-ext` without `[sandbox]`: no starlette to import."""
    for name in [name for name in sys.modules if name.startswith(("divio_sandbox", "starl"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)  # None: "not installed"
    code, out, err = run(capsys, "sandbox", "--port", "0")
    assert (code, out) == (2, "")
    assert err == (
        "divio-ext: error: the sandbox needs starlette: pip install 'divio-ext[sandbox]'\n"
    )


#: An application name as a hostile member of the organisation could set it: it retitles the
#: terminal window (OSC), rings the bell, returns to the line start, and reverses the text.
HOSTILE_NAME = "shop\x1b]0;pwned\x07\rrm -rf ~\u202egnp.exe\x9b2J"
RAW_CONTROLS = ("\x1b", "\x07", "\r", "\u202e", "\x9b")


def test_server_controlled_names_are_printed_with_their_control_characters_escaped(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    assert divio_sandbox.runtime is not None
    (app, *_) = divio_sandbox.runtime.store.applications.rows.values()
    app.name = HOSTILE_NAME
    code, out, err = run(capsys, *alice_fresh, "apps")
    assert (code, err) == (0, "")
    assert "shop\\x1b]0;pwned\\x07\\rrm -rf ~\\u202egnp.exe\\x9b2J" in out
    assert not any(control in out for control in RAW_CONTROLS)
    code, out, _ = run(capsys, *alice_fresh, "apps", "--json")
    assert not any(control in out for control in RAW_CONTROLS), "JSON escapes them itself"
    assert {a["uuid"]: a["name"] for a in json.loads(out)}[app.uuid] == HOSTILE_NAME


def test_error_messages_and_debug_tracebacks_escape_control_characters(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    # The "not found" message lists the environments the server named, hostile one included.
    assert divio_sandbox.runtime is not None
    store = divio_sandbox.runtime.store
    (env, *_) = store.environments.rows.values()
    env.slug = HOSTILE_NAME
    app = store.applications.rows[env.application]
    code, out, err = run(capsys, *alice_fresh, "--debug", "envs", app.slug)
    assert code == 0
    assert "shop\\x1b]0;pwned\\x07" in out
    code, out, err = run(capsys, *alice_fresh, "--debug", "latest-backup", app.slug, "nope")
    assert code == 3
    assert "shop\\x1b]0;pwned\\x07" in err
    assert "Traceback" in err
    assert not any(control in out + err for control in RAW_CONTROLS)


def test_a_closed_output_pipe_ends_the_command_quietly(sandbox: Sandbox, tmp_path: Path) -> None:
    # As in `divio-ext apps | head -0`: the reader is gone before the first line is written.
    reader, writer = os.pipe()
    os.close(reader)
    token = token_file(tmp_path, sandbox.tokens["alice"])
    command = "import sys; from divio_ext.cli import main; sys.exit(main())"
    arguments = ["--base-url", sandbox.url, "--token-file", str(token), "apps"]
    try:
        done = subprocess.run(
            [sys.executable, "-c", command, *arguments],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.stderr == ""
    assert done.returncode == CLOSED_PIPE


def failing(sandbox: Sandbox, status: str) -> None:
    """Every API request of ``sandbox`` answers ``status`` from now on."""
    sandbox.configure(chaos=1.0, faults=(status,))


@pytest.mark.parametrize("budget", [["--retries", "0"], ["--deadline", "0"]])
def test_retries_and_deadline_bound_the_retries_of_a_failing_request(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, budget: list[str]
) -> None:
    failing(divio_sandbox, "503")
    code, out, err = run(capsys, *alice_fresh, *budget, "apps")
    assert (code, out) == (1, "")
    assert "503 Service Unavailable" in err
    assert divio_sandbox.stats()["total"] == 1  # no retry: the budget was spent


def test_a_run_that_retries_says_so_once_instead_of_looking_hung(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    logger = logging.getLogger("divio_ext")
    before = (logger.level, list(logger.handlers))
    failing(divio_sandbox, "503")
    code, out, err = run(capsys, *alice_fresh, "--retries", "2", "backup", "status")
    assert (code, out) == (1, "")
    notice, error = err.splitlines()
    assert notice.startswith("divio-ext: retrying GET /apps/v3/")
    assert notice.endswith(
        "after 503 Service Unavailable (--retries 0 fails at once; --debug shows every attempt)"
    )
    assert error.startswith("divio-ext: error: ")
    assert divio_sandbox.stats()["total"] > 3, "several requests were retried; one line said so"
    assert divio_sandbox.tokens["alice"] not in err
    assert (logger.level, logger.handlers) == before


def test_with_debug_every_retry_is_in_the_log_and_no_notice_is_added(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    failing(divio_sandbox, "503")
    code, _, err = run(capsys, *alice_fresh, "--debug", "--retries", "1", "apps")
    assert code == 1
    assert "INFO divio_ext: retrying GET /apps/v3/applications/" in err
    assert "--retries 0 fails at once" not in err


@pytest.mark.usefixtures("clean_environment")
def test_the_retry_budget_comes_from_the_environment_unless_given(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing(divio_sandbox, "503")
    monkeypatch.setenv("DIVIO_RETRIES", "0")
    assert run(capsys, *alice_fresh, "apps")[0] == 1
    assert divio_sandbox.stats()["total"] == 1
    divio_sandbox.reset_stats()
    monkeypatch.setenv("DIVIO_RETRIES", "9")
    assert run(capsys, *alice_fresh, "--retries", "0", "apps")[0] == 1
    assert divio_sandbox.stats()["total"] == 1


@pytest.mark.usefixtures("clean_environment")
@pytest.mark.parametrize(
    ("variable", "value", "option"),
    [("DIVIO_RETRIES", "many", "--retries=-1"), ("DIVIO_DEADLINE", "soon", "--deadline=-5")],
)
def test_a_bad_retry_budget_is_a_usage_error(
    alice: list[str],
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    option: str,
) -> None:
    code, _, err = run(capsys, *alice, option, "apps")
    assert code == 2
    assert err.count("\n") == 1
    monkeypatch.setenv(variable, value)
    code, _, err = run(capsys, *alice, "apps")
    assert code == 2
    assert variable in err
