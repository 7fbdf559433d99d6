"""Subprocess mode: ``python -m divio_sandbox`` driven through its control endpoints; the
``divio-sandbox`` command and its aliases, run as a user runs them."""

import socket
import sys
from pathlib import Path
from subprocess import PIPE, Popen

import httpx
import pytest

from divio_sandbox import Sandbox
from divio_sandbox.__main__ import main
from divio_sandbox.server import LISTENING, READY_LINE, TOKEN_LINE
from tests.sandbox.conftest import client_for

#: Where pip put the console scripts of this environment.
SCRIPTS = Path(sys.executable).parent


def test_subprocess_sandbox_is_the_same_sandbox_out_of_process() -> None:
    with Sandbox(seed=0) as local:
        tokens = local.tokens
    sb = Sandbox(seed=0, subprocess=True, backups=100)
    with sb:
        assert sb.url.startswith("http://127.0.0.1:")
        assert sb.tokens == tokens
        with client_for(sb) as client:
            assert client.get("/iam/v3/me/").json()["email"] == "alice@example.com"
            with client_for(sb, "mallory") as other:
                counts = [c.get("/apps/v3/backups/").json()["count"] for c in (client, other)]
            assert sum(counts) == 100
            before = sb.clock.now()
            assert (sb.clock.advance(90) - before).total_seconds() == 90
            sb.configure(chaos=1.0, faults=["503"])
            assert client.get("/apps/v3/regions/").status_code == 503
            assert sb.configure(chaos=0.0)["chaos"] == 0.0
            assert sb.stats()["faults"] == {"503": 1}
            sb.reset()
            assert sb.stats()["total"] == 0
            assert sb.clock.now() == before
        process = sb._process
        assert process is not None
    assert process.poll() is not None
    assert "(subprocess)" in repr(sb)


def test_ignore_filters_reaches_a_subprocess_sandbox_through_its_command_line() -> None:
    # Sandbox(subprocess=True) starts `python -m divio_ext.sandbox --ignore-filters`: the flag
    # must survive both the hand-over and the command's own parsing, or every "filters ignored"
    # figure of the benchmark would silently measure filtered lists.
    sibs = "/apps/v3/service-instance-backups/"
    with (
        Sandbox(seed=0, subprocess=True, backups=100, ignore_filters=True) as sb,
        client_for(sb) as client,
    ):
        assert sb.configure()["ignore_filters"] is True
        everything = client.get(sibs).json()["count"]
        instance = client.get("/apps/v3/service-instances/").json()["results"][0]["uuid"]
        only_one = {"service_instance": instance}
        assert client.get(sibs, params=only_one).json()["count"] == everything
        sb.configure(ignore_filters=False)
        assert client.get(sibs, params=only_one).json()["count"] < everything


def test_the_cli_entry_point_rejects_bad_settings() -> None:
    assert main(["--chaos", "3", "--backups", "20"]) == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--port", "-1"], "argument --port: a port is 0 to 65535, not -1"),
        (["--port", "70000"], "argument --port: a port is 0 to 65535, not 70000"),
        (["--port", "http"], "argument --port: not a whole number: 'http'"),
        (["--backups", "-5"], "argument --backups: a count is 0 or more, not -5"),
        (["--extra-applications", "-1"], "a count is 0 or more, not -1"),
    ],
)
def test_the_cli_refuses_ports_and_counts_that_cannot_be_meant(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(arguments)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_port_already_taken_is_said_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port), "--backups", "20"]) == 1
    err = capsys.readouterr().err
    assert err == f"divio-sandbox: error: cannot listen on port {port}: Address already in use\n"


def test_the_cli_has_no_option_to_listen_beyond_loopback() -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--host", "example.org"])
    assert exit_.value.code == 2


def test_download_urls_need_no_token(divio_sandbox: Sandbox) -> None:
    assert httpx.get(f"{divio_sandbox.url}/_sandbox/downloads/nothing").status_code == 404


@pytest.mark.parametrize(
    "command",
    [
        [str(SCRIPTS / "divio-sandbox")],
        [sys.executable, "-m", "divio_sandbox"],
        [str(SCRIPTS / "divio-ext"), "sandbox"],
    ],
    ids=["divio-sandbox", "python-m", "divio-ext-alias"],
)
def test_the_command_serves_the_seeded_sandbox_until_stopped(command: list[str]) -> None:
    with Popen([*command, "--seed", "0", "--backups", "20"], stdout=PIPE, text=True) as process:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if lines[-1] == READY_LINE:
                break
        url = lines[0].removeprefix(LISTENING)
        token = lines[1].removeprefix(f"{TOKEN_LINE}alice: ")
        me = httpx.get(f"{url}/iam/v3/me/", headers={"Authorization": f"Token {token}"})
        process.terminate()
    assert url.startswith("http://127.0.0.1:")
    assert me.json()["email"] == "alice@example.com"
