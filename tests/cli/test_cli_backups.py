"""`divio-ext backup status|pull|download-url|restore`: what people and cron jobs see."""

from __future__ import annotations

import datetime
import errno
import io
import json
import logging
import os
import pty
import re
from pathlib import Path

import httpx
import pytest
from cli_support import token_file

from divio_ext import DivioClient
from divio_ext.cli import main
from divio_ext.cli.backups import ATTENTION, status_data, status_row
from divio_ext.cli.format import parse_duration
from divio_ext.workflows import LatestBackup, backup_status, latest_backup
from divio_sandbox import Sandbox
from tests.folders import leftovers
from tests.leaks import download_secrets, shown

Capture = pytest.CaptureFixture[str]
MIB = 1024 * 1024
RESTORES = "POST /apps/v3/backup-restores/"


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def latest_of(sb: Sandbox, app: str = "example-application", env: str = "live") -> LatestBackup:
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as client:
        return latest_backup(client, app, env)


def latest_backup_uuid(sb: Sandbox, app: str = "example-application", env: str = "live") -> str:
    return latest_of(sb, app, env).backup.uuid


class Terminal(io.StringIO):
    """Standard input as a person at a terminal would type it."""

    def isatty(self) -> bool:
        return True


# backup status


def test_status_is_a_table_of_every_environment_and_exit_5_when_any_is_stale(
    sandbox: Sandbox, alice: list[str], capsys: Capture
) -> None:
    code, out, err = run(capsys, *alice, "backup", "status")
    assert (code, err) == (ATTENTION, "")
    lines = out.splitlines()
    assert lines[0].split() == ["APPLICATION", "ENVIRONMENT", "TAKEN", "AT", "AGE", "SIZE", "STATE"]
    assert any(line.split()[:2] == ["fresh-application", "test"] for line in lines)
    assert any("no service instance" in line for line in lines)
    assert any("no usable backup (1 still running, 3 with errors)" in line for line in lines)


def test_status_exits_0_when_everything_asked_about_is_fresh_enough(
    alice: list[str], capsys: Capture
) -> None:
    code, out, _ = run(
        capsys, *alice, "backup", "status", "example-application", "--max-age", "3650d"
    )
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["feature-x", "live", "test"]
    assert all(line.endswith("fresh") for line in out.splitlines()[1:])


def test_status_as_json_is_one_object_per_environment_with_the_workflows_answers(
    sandbox: Sandbox, alice: list[str], capsys: Capture
) -> None:
    code, out, _ = run(
        capsys, *alice, "backup", "status", "--env", "live", "--json", "--max-age", "90m"
    )
    assert code == ATTENTION
    data = json.loads(out)
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        expected = backup_status(client, environments=["live"])
    assert [(d["application"], d["environment"]) for d in data] == [
        (s.application.slug, s.environment.slug) for s in expected
    ]
    assert [d["service_instance_backup"] for d in data] == [
        s.latest and s.latest.service_instance_backup.uuid for s in expected
    ]
    assert {d["max_age_seconds"] for d in data} == {5400}
    assert all(set(d) >= {"state", "ok", "taken_at", "age_seconds", "size_bytes"} for d in data)
    assert all(list(d) == sorted(d) for d in data), "keys sorted, as every --json"


def test_status_ages_are_exact_in_json_and_negative_for_a_backup_taken_after_the_check(
    sandbox: Sandbox,
) -> None:
    """Half a second past the limit was ``"age_seconds": 3600`` beside ``"max_age_seconds":
    3600`` and ``"ok": false``; a backup three minutes ahead of the check was ``0m``."""
    hour = datetime.timedelta(hours=1)
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        (found,) = backup_status(client, "example-application", "live", max_age=hour)
        assert found.taken_at is not None
        late = datetime.timedelta(seconds=0.5) + hour + found.taken_at
        (stale,) = backup_status(client, "example-application", "live", max_age=hour, now=late)
        early = found.taken_at - datetime.timedelta(minutes=3)
        (ahead,) = backup_status(client, "example-application", "live", max_age=hour, now=early)
    data = status_data(stale)
    assert (data["state"], data["ok"]) == ("stale", False)
    assert data["age_seconds"] == 3600.5
    assert data["max_age_seconds"] == 3600
    assert status_row(ahead)[3:] == ("-3m", "468.3 MiB", "fresh")


def test_a_misspelt_environment_fails_the_check_instead_of_passing_it_empty(
    alice: list[str], capsys: Capture
) -> None:
    code, out, err = run(capsys, *alice, "backup", "status", "--env", "liev")
    assert code == 3
    assert out == ""
    assert "no application looked at has an environment 'liev'" in err


def test_a_token_that_sees_no_environment_fails_the_check_instead_of_passing_it_empty(
    sandbox: Sandbox, tmp_path: Path, capsys: Capture
) -> None:
    nora = token_file(tmp_path, sandbox.tokens["nora"])
    nobody = ["--base-url", sandbox.url, "--token-file", str(nora)]
    for as_json in ([], ["--json"]):
        code, out, err = run(capsys, *nobody, "backup", "status", *as_json)
        assert (code, out) == (3, "")
        assert err == "divio-ext: error: nothing to check: this token sees no environment\n"


def test_a_max_age_that_is_not_a_duration_is_a_usage_error(
    alice: list[str], capsys: Capture
) -> None:
    code, _, err = run(capsys, *alice, "backup", "status", "--max-age", "soon")
    assert code == 2
    assert "--max-age" in err
    assert "not a duration: 'soon' (use e.g. 36h, 90m, 2d)" in err
    assert "parse_duration" not in err


@pytest.mark.parametrize(
    "option",
    [["--max-age", "1000000000d"], ["--max-age", "99999999999d"], ["--prefix", " "]],
    ids=["max-age-beyond-timedelta", "max-age-beyond-c-int", "empty-prefix"],
)
def test_an_option_that_names_nothing_checkable_is_a_usage_error(
    sandbox: Sandbox, alice: list[str], capsys: Capture, option: list[str]
) -> None:
    sandbox.reset_stats()
    code, out, err = run(capsys, *alice, "backup", "status", *option)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1, "one line, no traceback"
    assert sandbox.stats()["total"] == 0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("24h", 86400), ("90m", 5400), ("2d", 172800), ("1w", 604800), ("3600", 3600), ("1.5h", 5400)],
)
def test_durations_read_as_people_write_them(text: str, seconds: int) -> None:
    assert parse_duration(text) == datetime.timedelta(seconds=seconds)


# backup pull and download-url


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_writes_the_file_and_logs_progress_lines_off_a_terminal(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, tmp_path: Path
) -> None:
    divio_sandbox.configure(download_size=3 * MIB, drop_downloads=1)
    target = tmp_path / "live.dump"
    code, out, err = run(
        capsys, *alice_fresh, "backup", "pull", "example-application", "live", "-o", str(target)
    )
    assert code == 0
    assert target.stat().st_size == 3 * MIB
    assert target.read_bytes().startswith(b"PGDMP")
    assert out.startswith(f"{target}  3.0 MiB  ")
    assert "live.dump: transfer broke off; resumed (try 2)" in err
    assert "live.dump: 3.0 MiB of 3.0 MiB (100%)" in err
    assert "\r" not in err, "no redrawn line when stderr is not a terminal"


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_syncs_the_file_to_disk_unless_told_not_to(
    alice_fresh: list[str], capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda handle: synced.append(handle) or real(handle))
    pulling = ["backup", "pull", "example-application", "live", "-o", str(tmp_path / "a.dump")]
    assert run(capsys, *alice_fresh, *pulling)[0] == 0
    assert len(synced) == 2, "the file, then its directory"
    synced.clear()
    assert run(capsys, *alice_fresh, *pulling, "--no-sync")[0] == 0
    assert synced == []


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_into_a_directory_writes_the_file_there_under_the_backups_own_name(
    alice_fresh: list[str], capsys: Capture, tmp_path: Path
) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    code, out, _ = run(
        capsys, *alice_fresh, "backup", "pull", "example-application", "live", "-o", str(dumps)
    )
    assert code == 0
    [written] = dumps.iterdir()
    assert written.name.startswith("example-application-live-database-")
    assert written.name.endswith(".dump")
    assert out.startswith(f"{written}  ")


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_of_another_database_than_the_default_names_its_prefix(
    alice_fresh: list[str], capsys: Capture, tmp_path: Path
) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    pulling = ["backup", "pull", "example-application", "live", "-o", str(dumps)]
    assert run(capsys, *alice_fresh, *pulling, "--prefix", "analytics")[0] == 0
    assert run(capsys, *alice_fresh, *pulling)[0] == 0
    default, analytics = sorted(path.name for path in dumps.iterdir())
    assert analytics.startswith("example-application-live-database-analytics-")
    assert default.startswith("example-application-live-database-2")


def test_pull_to_a_missing_directory_says_so_without_a_traceback_or_a_prepared_download(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "live.dump"
    divio_sandbox.reset_stats()
    code, _, err = run(
        capsys, *alice_fresh, "backup", "pull", "example-application", "live", "-o", str(target)
    )
    assert code == 1
    assert err == (
        f"divio-ext: error: cannot write {target}: No such file or directory "
        f"({tmp_path / 'missing'})\n"
    )
    assert "POST /apps/v3/backup-downloads/" not in divio_sandbox.stats()["requests"]


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_of_a_redirected_download_shows_neither_url_even_when_it_fails_with_debug(
    divio_sandbox: Sandbox,
    alice_fresh: list[str],
    capsys: Capture,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    divio_sandbox.configure(redirect_downloads=True, download_size=MIB, drop_downloads=100)
    caplog.set_level(logging.DEBUG)
    pulling = ["backup", "pull", "example-application", "live", "-o", str(tmp_path / "x.dump")]
    code, out, err = run(capsys, *alice_fresh, "--debug", *pulling)
    assert code != 0
    assert "the transfer broke off 5 times" in err
    assert '"HTTP/1.1 302 Found"' in caplog.text, "httpx logged the redirects"
    assert shown(download_secrets(divio_sandbox), out, err, caplog.text) == []


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_that_gives_up_waiting_says_so_and_is_not_a_write_error(
    alice_fresh: list[str], capsys: Capture, tmp_path: Path
) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    pulling = ["backup", "pull", "example-application", "live", "-o", str(dumps / "live.dump")]
    code, _, err = run(capsys, *alice_fresh, *pulling, "--timeout", "0")
    assert code == 1
    assert "has not finished after 0 s" in err
    assert "cannot write" not in err
    assert leftovers(dumps) == []


@pytest.mark.parametrize("timeout", ["-1", "nan", "inf", "soon"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(
    sandbox: Sandbox, alice: list[str], capsys: Capture, timeout: str
) -> None:
    sandbox.reset_stats()
    pulling = ["backup", "pull", "example-application", "live", "-o", "-"]
    code, _, err = run(capsys, *alice, *pulling, "--timeout", timeout)
    assert code == 2
    assert f"not a number of seconds: {timeout!r}" in err
    assert sandbox.stats()["total"] == 0


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_into_a_directory_that_does_not_exist_is_refused_not_written_as_a_file(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, tmp_path: Path
) -> None:
    missing = f"{tmp_path / 'dumps'}/"
    divio_sandbox.reset_stats()
    code, _, err = run(
        capsys, *alice_fresh, "backup", "pull", "example-application", "live", "-o", missing
    )
    assert code == 1
    assert f"cannot write {missing}: no such directory" in err
    assert not (tmp_path / "dumps").exists()
    assert "POST /apps/v3/backup-downloads/" not in divio_sandbox.stats()["requests"]


def test_pull_to_an_empty_output_is_a_usage_error_not_a_file_in_the_current_directory(
    sandbox: Sandbox,
    alice: list[str],
    capsys: Capture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``-o "$DEST"`` with DEST unset once wrote under the backup's own name where it ran."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    sandbox.reset_stats()
    code, _, err = run(capsys, *alice, "backup", "pull", "example-application", "live", "-o", "")
    assert code == 2
    assert "give a file, a directory, or - for standard output" in err
    assert sandbox.stats()["total"] == 0
    assert list(here.iterdir()) == []


class FullOutput(io.StringIO):
    """Standard output on a full disk: its binary side refuses every write."""

    class Buffer(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    buffer = Buffer()


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_to_standard_output_that_cannot_be_written_is_one_line_not_a_traceback(
    alice_fresh: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", FullOutput())
    code = main([*alice_fresh, "backup", "pull", "example-application", "live", "-o", "-"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.endswith("divio-ext: error: cannot write standard output: No space left on device\n")
    assert "Traceback" not in err


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_of_a_named_backup_to_standard_output(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    uuid = latest_backup_uuid(divio_sandbox)
    pulling = ["backup", "pull", "example-application", "live", "--backup", uuid]
    code = main([*alice_fresh, *pulling, "--prefix", "ANALYTICS", "-o", "-"])
    out, _ = capsysbinary.readouterr()
    assert code == 0
    assert out.startswith(b"PGDMP sandbox dump")


def test_pull_to_standard_output_refuses_a_terminal_before_any_request(
    sandbox: Sandbox, alice: list[str], capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", Terminal())
    sandbox.reset_stats()
    code = main([*alice, "backup", "pull", "example-application", "live", "-o", "-"])
    assert code == 2
    assert "refusing to write a backup to a terminal" in capsys.readouterr().err
    assert sandbox.stats()["total"] == 0


def test_pull_to_a_terminal_named_by_its_path_is_refused_before_any_request(
    sandbox: Sandbox, alice: list[str], capsys: Capture
) -> None:
    leader, follower = pty.openpty()
    try:
        sandbox.reset_stats()
        pulling = ["backup", "pull", "example-application", "live", "-o", os.ttyname(follower)]
        code, _, err = run(capsys, *alice, *pulling)
    finally:
        os.close(leader)
        os.close(follower)
    assert code == 2
    assert "refusing to write a backup to a terminal" in err
    assert sandbox.stats()["total"] == 0


@pytest.mark.usefixtures("sandbox_clock")
def test_pull_refuses_a_backup_of_another_environment(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, tmp_path: Path
) -> None:
    uuid = latest_backup_uuid(divio_sandbox, env="test")
    code, _, err = run(
        capsys, *alice_fresh, "backup", "pull", "example-application", "live", "--backup", uuid
    )
    assert code == 3
    assert f"backup {uuid} is not a backup of environment live" in err


@pytest.mark.parametrize(
    "command",
    [
        ["pull", "example-application", "live"],
        ["restore", "example-application", "live", "--yes"],
        ["download-url"],
    ],
    ids=["pull", "restore", "download-url"],
)
def test_a_backup_uuid_that_names_nothing_is_not_found_as_a_backup(
    alice: list[str], capsys: Capture, command: list[str]
) -> None:
    code, _, err = run(capsys, *alice, "backup", *command, "--backup", "no-such-backup")
    assert code == 3
    assert "no backup no-such-backup: neither a backup nor a part of one has that uuid" in err
    assert "service-instance-backups" not in err


def test_an_empty_backup_uuid_is_a_usage_error_and_nothing_is_sent(
    sandbox: Sandbox, alice: list[str], capsys: Capture
) -> None:
    sandbox.reset_stats()
    code, _, err = run(capsys, *alice, "backup", "download-url", "--backup", "")
    assert code == 2
    assert "GET /apps/v3/backups/{uuid}/: uuid='' is not an id" in err
    assert sandbox.stats()["total"] == 0


@pytest.mark.usefixtures("sandbox_clock")
def test_download_url_for_any_backup_needs_only_its_uuid(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    uuid = latest_backup_uuid(divio_sandbox)
    code, out, _ = run(
        capsys, *alice_fresh, "backup", "download-url", "--backup", uuid, "--type", "STORAGE"
    )
    assert code == 0
    with httpx.stream("GET", out.strip()) as response:
        assert response.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    "command",
    [
        ["restore", "example-application", "live", "--yes"],
        ["pull", "example-application", "live", "-o", "-"],
        ["download-url"],
    ],
    ids=["restore", "pull", "download-url"],
)
@pytest.mark.usefixtures("sandbox_clock")
def test_a_part_of_another_service_than_type_and_prefix_say_is_refused(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, command: list[str]
) -> None:
    """A part's uuid names its service; --type/--prefix must agree, or a restore asked (and
    confirmed) for STORAGE would overwrite the database."""
    part = latest_of(divio_sandbox).service_instance_backup.uuid  # its DATABASE/DEFAULT part
    divio_sandbox.reset_stats()
    code, out, err = run(
        capsys, *alice_fresh, "backup", *command, "--backup", part, "--type", "storage"
    )
    assert (code, out) == (3, "")
    assert f"{part} is the DATABASE/DEFAULT part of backup " in err
    assert "not a STORAGE/DEFAULT one" in err
    requests = divio_sandbox.stats()["requests"]
    assert not any(key.startswith("POST") for key in requests), "nothing started"


def test_download_url_with_an_application_needs_its_environment_even_with_a_backup(
    alice: list[str], capsys: Capture
) -> None:
    code, _, err = run(
        capsys, *alice, "backup", "download-url", "example-application", "--backup", "b1"
    )
    assert code == 2
    assert "name ENV after APP, or give --backup alone" in err


def test_download_url_without_a_backup_or_an_environment_is_a_usage_error(
    alice: list[str], capsys: Capture
) -> None:
    code, _, err = run(capsys, *alice, "backup", "download-url", "example-application")
    assert code == 2
    assert "name APP and ENV, or a backup with --backup" in err


# backup restore


def restore(capsys: Capture, options: list[str], uuid: str, *extra: str) -> tuple[int, str, str]:
    return run(
        capsys,
        *options,
        "backup",
        "restore",
        "example-application",
        "live",
        "--backup",
        uuid,
        *extra,
    )


@pytest.mark.usefixtures("sandbox_clock")
def test_ctrl_c_during_a_copy_to_another_environment_names_the_copy_it_left(
    divio_sandbox: Sandbox,
    alice_fresh: list[str],
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("divio_ext.workflows.pull.run_files", interrupted)
    uuid = latest_backup_uuid(divio_sandbox)
    code, _, err = restore(capsys, alice_fresh, uuid, "--to", "test", "--yes")
    assert code == 130
    assert re.search(
        r"^divio-ext: interrupted\. The copy's upload backup \w+ in test was left unfinished; "
        r"it is scheduled for deletion at ",
        err,
        re.MULTILINE,
    ), err
    assert RESTORES not in divio_sandbox.stats()["requests"]


@pytest.mark.usefixtures("sandbox_clock")
def test_restore_with_yes_waits_and_reports_success(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    uuid = latest_backup_uuid(divio_sandbox)
    code, out, err = restore(capsys, alice_fresh, uuid, "--yes")
    assert code == 0
    assert out.startswith(f"Restored backup {uuid} (")
    assert out.rstrip().endswith("SUCCESS")
    assert ": restoring (0 s)" in err, "a progress line, as stderr is not a terminal"
    assert ": SUCCESS (" in err, "and one when it has finished"


def test_restore_without_yes_and_without_a_terminal_sends_nothing(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    uuid = latest_backup_uuid(divio_sandbox)
    divio_sandbox.reset_stats()
    code, _, err = restore(capsys, alice_fresh, uuid)
    assert code == 2
    assert "confirm on a terminal, or pass --yes" in err
    assert divio_sandbox.stats()["total"] == 0


def test_restore_in_read_only_mode_is_refused_before_any_request(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    uuid = latest_backup_uuid(divio_sandbox)
    divio_sandbox.reset_stats()
    code, _, err = restore(capsys, ["--read-only", *alice_fresh], uuid, "--yes")
    assert code == 1
    assert "read-only mode: refused to restore" in err
    assert divio_sandbox.stats()["total"] == 0


@pytest.mark.usefixtures("sandbox_clock")
def test_restore_asks_on_a_terminal_and_only_the_environment_slug_confirms(
    divio_sandbox: Sandbox,
    alice_fresh: list[str],
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uuid = latest_backup_uuid(divio_sandbox)
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    code, _, err = restore(capsys, alice_fresh, uuid)
    assert code == 2
    assert "Type 'live' to confirm" in err
    assert RESTORES not in divio_sandbox.stats()["requests"]
    monkeypatch.setattr("sys.stdin", Terminal("live\n"))
    code, _, _ = restore(capsys, alice_fresh, uuid)
    assert code == 0
    assert divio_sandbox.stats()["requests"][RESTORES] == 1


def test_restoring_a_backup_whose_part_failed_is_refused_before_the_question(
    divio_sandbox: Sandbox,
    alice_fresh: list[str],
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It once asked, and a confirmed restore was sent and refused by the server (HTTP 400)."""
    with DivioClient(token=divio_sandbox.tokens["alice"], base_url=divio_sandbox.url) as client:
        env = client.applications.get_by_slug("example-application").environment("live")
        failed = next(
            backup.uuid
            for backup in env.backups()
            if backup.success == "FAILURE"
            and all(part.model.errors for part in backup.service_instance_backups())
        )
    divio_sandbox.reset_stats()
    monkeypatch.setattr("sys.stdin", Terminal("live\n"))
    code, _, err = restore(capsys, alice_fresh, failed)
    assert code == 2
    assert "ended with errors" in err
    assert "it cannot be restored" in err
    assert "to confirm" not in err
    assert not [name for name in divio_sandbox.stats()["requests"] if name.startswith("POST")]


@pytest.mark.usefixtures("sandbox_clock")
def test_a_failed_restore_is_exit_1_with_the_servers_outcome(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    uuid = latest_backup_uuid(divio_sandbox)
    divio_sandbox.configure(failure_rate=1.0)
    code, _, err = restore(capsys, alice_fresh, uuid, "--yes")
    assert code == 1
    assert "FAILURE" in err


@pytest.mark.usefixtures("sandbox_clock")
def test_backup_create_wait_logs_progress_lines_off_a_terminal(
    alice_fresh: list[str], capsys: Capture
) -> None:
    code, _, err = run(
        capsys, *alice_fresh, "backup", "create", "example-application", "live", "--wait"
    )
    assert code == 0
    states = [line.split(": ")[1].split(" (")[0] for line in err.splitlines()]
    assert states[-1] == "COMPLETED"
    assert len(states) == len(set(states)), "one line per change, not per look"


@pytest.mark.usefixtures("sandbox_clock")
@pytest.mark.parametrize(
    ("options", "types"),
    [
        ((), ["DATABASE"]),
        (("--type", "storage"), ["STORAGE"]),
        (("--all-services",), ["DATABASE", "DATABASE", "STORAGE"]),
    ],
)
def test_backup_create_backs_up_the_services_asked_for(
    alice_fresh: list[str], capsys: Capture, options: tuple[str, ...], types: list[str]
) -> None:
    code, out, _ = run(
        capsys, *alice_fresh, "backup", "create", "example-application", "live", "--wait",
        "--json", *options,
    )  # fmt: skip
    assert code == 0
    assert sorted(part["service_type"] for part in json.loads(out)["parts"]) == types


@pytest.mark.usefixtures("sandbox_clock")
def test_backup_create_names_each_part_by_type_and_prefix(
    alice_fresh: list[str], capsys: Capture
) -> None:
    """The live environment has two databases: the table named both parts DATABASE."""
    code, out, _ = run(
        capsys, *alice_fresh, "backup", "create", "example-application", "live", "--wait",
        "--all-services",
    )  # fmt: skip
    assert code == 0
    services = sorted(line.split()[0] for line in out.splitlines() if line.startswith("  "))
    assert services == ["DATABASE/ANALYTICS", "DATABASE/DEFAULT", "STORAGE/DEFAULT"]


@pytest.mark.parametrize(
    "option", [("--type", "STORAGE"), ("--type", "DATABASE"), ("--prefix", "x")]
)
def test_backup_create_refuses_all_services_with_a_type_or_prefix_before_sending_anything(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture, option: tuple[str, str]
) -> None:
    divio_sandbox.reset_stats()
    code, out, err = run(
        capsys, *alice_fresh, "backup", "create", "example-application", "live",
        "--all-services", *option,
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "divio-ext backup create: error: --all-services backs up every service: "
        "leave out --type and --prefix\n"
    )
    assert divio_sandbox.stats()["requests"] == {}
