"""The commands people reach for daily: logs, build logs, variables as files, whole JSON, and
the rough edges a new user meets first (version, service type case, base URL, token help, zone).

In-process through ``main(argv)`` against the plugin's sandbox (fixed clock), so each answer can
be compared with what the library or the raw API says.
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import dotenv
import httpx
import pytest

from divio_ext import DivioClient
from divio_ext.cli import commands, main
from divio_ext.cli.connect import make_client
from divio_ext.cli.format import iso
from divio_ext.cli.main import AUTH, USAGE, build_parser
from divio_ext.resources.bound import Environment, application
from divio_ext.workflows import deployment_log, environment_logs, environment_variables
from divio_sandbox import Sandbox

Capture = pytest.CaptureFixture[str]
APP = "example-application"


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def live(divio_client: DivioClient) -> Environment:
    return application(divio_client, APP).environment("live")


@pytest.fixture
def sandbox_time(divio_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> datetime.datetime:
    """The commands' clock reads the sandbox's time, so ``--since 1h`` means its last hour."""

    class SandboxTime:
        def time(self) -> float:
            return divio_sandbox.clock.now().timestamp()

    monkeypatch.setattr(commands, "clock", SandboxTime())
    return divio_sandbox.clock.now()


def raw_items(sandbox: Sandbox, token: str, path: str, **params: str) -> list[dict[str, object]]:
    """Every item of a listing exactly as the API sends it, without divio-ext."""
    items: list[dict[str, object]] = []
    url: str | None = f"{sandbox.url}{path}"
    query: dict[str, str] | None = {**params, "page_size": "100"}
    while url is not None:
        page = httpx.get(url, params=query, headers={"Authorization": f"Token {token}"}).json()
        items += page["results"]
        url, query = page["next"], None
    return items


# --- logs ---------------------------------------------------------------------------------


def test_logs_prints_the_newest_page_one_line_per_entry(
    alice_fresh: list[str], live: Environment, capsys: Capture
) -> None:
    entries = environment_logs(live)
    code, out, err = run(capsys, *alice_fresh, "logs", APP, "live")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(entries) == 20
    first = entries[0]
    assert lines[0].startswith(f"{first.timestamp:%Y-%m-%d %H:%M:%S} UTC  {first.service}")
    assert lines[0].endswith(str(first.message))


def test_logs_since_an_age_with_a_service_filter_as_json_lines(
    alice_fresh: list[str], live: Environment, sandbox_time: datetime.datetime, capsys: Capture
) -> None:
    since = sandbox_time - datetime.timedelta(hours=1)
    expected = environment_logs(live, since=since, services=["worker"])
    argv = ["logs", APP, "live", "--since", "1h", "--service", "Worker", "--json"]
    code, out, _ = run(capsys, *alice_fresh, *argv)
    assert code == 0
    printed = [json.loads(line) for line in out.splitlines()]
    assert [{**e.to_dict(), "timestamp": iso(e.timestamp)} for e in expected] == printed
    assert all(entry["timestamp"].endswith("Z") for entry in printed), "as the API writes it"
    assert len(expected) > 1


def test_logs_since_a_time_escapes_terminal_sequences(
    alice_fresh: list[str], sandbox_time: datetime.datetime, capsys: Capture
) -> None:
    since = (sandbox_time - datetime.timedelta(minutes=30)).isoformat()
    code, out, _ = run(capsys, *alice_fresh, "logs", APP, "live", "--since", since)
    assert code == 0
    assert len(out.splitlines()) == 60
    assert "\x1b" not in out
    assert "  shell    \\x1b[32mPython 3.11 shell session opened\\x1b[0m\n" in out


def test_logs_refuses_a_since_it_cannot_read(alice_fresh: list[str], capsys: Capture) -> None:
    code, out, err = run(capsys, *alice_fresh, "logs", APP, "live", "--since", "yesterday")
    assert (code, out) == (USAGE, "")
    assert "--since 'yesterday' is neither an age such as 1h" in err


def test_deployments_log_shows_the_newest_or_the_named_build_log(
    alice_fresh: list[str], live: Environment, capsys: Capture
) -> None:
    newest, log = deployment_log(live)
    code, out, _ = run(capsys, *alice_fresh, "deployments", "log", APP, "live")
    assert (code, out) == (0, log.rstrip("\n") + "\n")
    older = live.deployments()[-1]
    code, out, _ = run(
        capsys, *alice_fresh, "deployments", "log", APP, "live", older.uuid, "--json"
    )
    data = json.loads(out)
    assert (data["uuid"], data["logs"]) == (older.uuid, deployment_log(live, older.uuid)[1])
    assert newest.uuid != older.uuid


def test_deployments_with_the_wrong_number_of_words_is_a_usage_error(
    alice_fresh: list[str], capsys: Capture
) -> None:
    code, _, err = run(capsys, *alice_fresh, "deployments", APP)
    assert code == USAGE
    assert "give APP ENV, or log APP ENV [UUID]" in err


# --- environment variables -------------------------------------------------------------------


def test_env_vars_as_dotenv_round_trip_and_say_what_is_hidden(
    alice_fresh: list[str], live: Environment, capsys: Capture
) -> None:
    variables = environment_variables(live)
    code, out, _ = run(capsys, *alice_fresh, "env-vars", APP, "live", "--format", "dotenv")
    assert code == 0
    shown = {name: value for name, value in variables.items() if value is not None}
    hidden = sorted(name for name, value in variables.items() if value is None)
    assert hidden, "the seeded environment has sensitive variables"
    assert dotenv.dotenv_values(stream=io.StringIO(out)) == shown
    assert out.splitlines()[0] == (
        f"# {len(hidden)} sensitive variable(s) left out: the API hides their values"
    )
    for name in hidden:
        assert f"# {name}=  (sensitive: hidden by the API)" in out.splitlines()


def test_env_vars_table_and_json_formats(alice_fresh: list[str], capsys: Capture) -> None:
    code, table, _ = run(capsys, *alice_fresh, "env-vars", APP, "live")
    assert code == 0
    assert "(hidden by the API)" in table
    _, as_format, _ = run(capsys, *alice_fresh, "env-vars", APP, "live", "--format", "json")
    _, as_flag, _ = run(capsys, *alice_fresh, "env-vars", APP, "live", "--json")
    assert json.loads(as_format) == json.loads(as_flag)
    assert all(v["value"] is None for v in json.loads(as_flag) if v["is_sensitive"])


# --- whole JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "path", "params"),
    [
        (["apps"], "/apps/v3/applications/", {}),
        (["deployments", APP, "live", "--limit", "0"], "/apps/v3/deployments/", {"env": "live"}),
        (["env-vars", APP, "live"], "/apps/v3/environment-variables/", {"env": "live"}),
    ],
)
def test_json_prints_every_field_the_api_returned_in_sorted_key_order(
    divio_sandbox: Sandbox,
    divio_token: str,
    live: Environment,
    alice_fresh: list[str],
    capsys: Capture,
    argv: list[str],
    path: str,
    params: dict[str, str],
) -> None:
    query = {"environment": live.uuid} if params else {}
    expected = {item["uuid"]: item for item in raw_items(divio_sandbox, divio_token, path, **query)}
    code, out, _ = run(capsys, *alice_fresh, *argv, "--json")
    assert code == 0
    printed = json.loads(out)
    assert {item["uuid"]: item for item in printed} == expected
    assert all(list(item) == sorted(item) for item in printed)


def test_json_of_an_environment_keeps_fields_the_table_leaves_out(
    alice_fresh: list[str], capsys: Capture
) -> None:
    _, out, _ = run(capsys, *alice_fresh, "envs", APP, "--json")
    live = next(env for env in json.loads(out) if env["slug"] == "live")
    assert {"application", "app_name", "primary_domain", "is_production_grade"} <= set(live)


# --- rough edges -----------------------------------------------------------------------------


def test_version(capsys: Capture) -> None:
    from divio_ext import __version__

    assert run(capsys, "--version") == (0, f"divio-ext {__version__}\n", "")


def test_service_type_and_prefix_in_any_case(alice_fresh: list[str], capsys: Capture) -> None:
    _, upper, _ = run(capsys, *alice_fresh, "latest-backup", APP, "live", "--json")
    argv = ["latest-backup", APP, "live", "--type", "database", "--prefix", "default", "--json"]
    code, lower, _ = run(capsys, *alice_fresh, *argv)
    assert (code, json.loads(lower)) == (0, json.loads(upper))


def test_help_lists_the_known_service_types(capsys: Capture) -> None:
    code, out, _ = run(capsys, "latest-backup", "--help")
    assert code == 0
    assert "DATABASE, STORAGE, ELASTICSEARCH, REDIS, RABBITMQ" in " ".join(out.split())


def test_a_base_url_ending_in_apps_v3_is_the_same_api(
    divio_sandbox: Sandbox, alice_fresh: list[str], capsys: Capture
) -> None:
    _, expected, _ = run(capsys, *alice_fresh, "apps")
    for suffix in ("/apps/v3", "/apps/v3/"):
        code, out, err = run(capsys, *alice_fresh, "--base-url", divio_sandbox.url + suffix, "apps")
        assert (code, out, err) == (0, expected, "")


@pytest.fixture
def no_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No DIVIO_API_TOKEN and an empty netrc: the token can only come from the command line."""
    netrc = tmp_path / "netrc"
    netrc.write_text("", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.delenv("DIVIO_API_TOKEN", raising=False)
    monkeypatch.delenv("DIVIO_ZONE", raising=False)
    monkeypatch.setenv("NETRC_PATH", str(netrc))
    return netrc


def test_without_a_token_the_message_speaks_to_command_line_users(
    divio_sandbox: Sandbox, no_token: Path, capsys: Capture
) -> None:
    code, out, err = run(capsys, "--base-url", divio_sandbox.url, "apps")
    assert (code, out) == (AUTH, "")
    assert err.count("\n") == 1
    assert "--token-file" in err
    assert "DIVIO_API_TOKEN" in err
    assert "divio login" in err
    assert "token=" not in err


def test_zone_picks_the_divio_cli_token_of_that_zone(
    divio_sandbox: Sandbox, divio_token: str, no_token: Path, capsys: Capture
) -> None:
    no_token.write_text(
        f"machine control.eu.example login a@example.org password {divio_token}\n",
        encoding="utf-8",
    )
    argv = ["--base-url", divio_sandbox.url, "apps"]
    assert run(capsys, *argv)[0] == AUTH, "control.divio.com has no entry"
    code, out, _ = run(capsys, "--zone", "eu.example", *argv)
    assert code == 0
    assert APP in out


def test_a_zone_without_a_base_url_means_api_dot_zone(no_token: Path) -> None:
    no_token.write_text("machine control.eu.example login a password tok\n", encoding="utf-8")
    args = build_parser().parse_args(["--zone", "eu.example", "apps"])
    with make_client(args) as client:
        assert str(client.base_url) == "https://api.eu.example"
