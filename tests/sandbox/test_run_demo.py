"""divio_devtools.run_demo: a sandbox around one command, or the real API read-only with a token."""

import os
import subprocess
import sys

import httpx
import pytest

from divio_devtools.run_demo import target

SHOW_ENV = (
    "import os; print(os.environ.get('DIVIO_API_URL')); "
    "print(os.environ.get('DIVIO_READ_ONLY')); print(os.environ.get('DIVIO_API_TOKEN'))"
)
WHO_AM_I = (
    "import os, httpx; e = os.environ; "
    "r = httpx.get(e['DIVIO_API_URL'] + '/iam/v3/me/', "
    "headers={'Authorization': 'Token ' + e['DIVIO_API_TOKEN']}); print(r.json()['email'])"
)


def demo(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DIVIO_")} | env
    demo_tool = [sys.executable, "-m", "divio_devtools.run_demo", "--backups", "50"]
    command = [*demo_tool, "--", sys.executable, "-c", code]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60)


def test_the_command_runs_against_a_sandbox_that_is_stopped_afterwards() -> None:
    finished = demo(WHO_AM_I + "; print(e['DIVIO_API_URL'])")
    assert finished.returncode == 0, finished.stderr
    email, url = finished.stdout.split()
    assert email == "alice@example.com"
    assert url.startswith("http://127.0.0.1:")
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


def test_the_commands_exit_code_is_propagated() -> None:
    assert demo("raise SystemExit(3)").returncode == 3


def test_with_a_token_it_runs_the_command_read_only_and_starts_no_sandbox() -> None:
    given = "user-token"
    finished = demo(SHOW_ENV, DIVIO_API_TOKEN=given)
    assert finished.returncode == 0
    assert finished.stdout.split() == ["None", "1", given]
    assert "sandbox running" not in finished.stderr


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (None, "using the real API (https://api.divio.com)"),
        (
            "http://127.0.0.1:8000",
            "using the local server at http://127.0.0.1:8000 (DIVIO_API_URL)",
        ),
        (
            "http://localhost:8000",
            "using the local server at http://localhost:8000 (DIVIO_API_URL)",
        ),
        ("https://api.eu.example", "using the API at https://api.eu.example (DIVIO_API_URL)"),
    ],
)
def test_with_a_token_the_demo_names_the_server_it_uses(url: str | None, said: str) -> None:
    env = {"DIVIO_API_TOKEN": "t"} | ({} if url is None else {"DIVIO_API_URL": url})
    assert target(env) == said
