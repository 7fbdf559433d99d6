"""The pytest plugin, as a user's test suite sees it: each case runs a small suite with pytester.

The plugin comes in through its ``pytest11`` entry point, exactly as in a project that installed
divio-ext; nothing here registers it by hand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from recording import leaks_in_cassette

from divio_sandbox.recording import AUTHORIZATION_PLACEHOLDER, REPLAY_BASE_URL, sandbox_tokens

pytest_plugins = ["pytester"]


def passes(pytester: pytest.Pytester, *args: str, passed: int) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=passed)


def test_the_client_reaches_the_sandbox_as_alice(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_me(divio_client, divio_sandbox, divio_token):
            assert str(divio_client.base_url).rstrip("/") == divio_sandbox.url
            assert divio_token == divio_sandbox.tokens["alice"]
            assert divio_client.me.retrieve().email == "alice@example.com"
        """
    )
    passes(pytester, passed=1)


def test_one_server_for_the_session_and_every_test_starts_from_the_seed(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest
        from divio_ext.workflows import create_backup

        SERVERS, COUNTS = [], []

        def backups(client):
            return client.http.get("/apps/v3/backups/", params={"page_size": 1}).json()["count"]

        @pytest.mark.parametrize("round", [1, 2])
        def test_a_change_does_not_outlive_it(round, divio_sandbox, divio_client, divio_clock):
            assert divio_sandbox.stats()["total"] == 0
            assert divio_clock.now().isoformat() == "2026-06-01T12:00:00+00:00"
            SERVERS.append(divio_sandbox.url)
            COUNTS.append(backups(divio_client))
            app = divio_client.applications.get_by_slug("example-application")
            create_backup(app.environment("live"), wait=False)
            divio_clock.advance(3600)
            assert backups(divio_client) == COUNTS[-1] + 1

        def test_the_server_was_shared_and_the_counts_were_the_same():
            assert len(set(SERVERS)) == 1 and len(SERVERS) == 2
            assert COUNTS[0] == COUNTS[1]
        """
    )
    passes(pytester, passed=3)


def test_the_clock_makes_created_work_progress(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from divio_ext.workflows import create_backup

        def test_backup(divio_client, divio_clock):
            app = divio_client.applications.get_by_slug("example-application")
            started = create_backup(app.environment("live"), wait=False)
            assert started.state == "WORKING"
            divio_clock.advance(3600)
            assert divio_client.backups.retrieve(started.uuid).state == "COMPLETED"
        """
    )
    passes(pytester, passed=1)


def test_the_marker_sets_knobs_for_one_test_only(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.divio_sandbox(ignore_filters=True, latency=0.01)
        def test_marked(divio_sandbox):
            settings = divio_sandbox.configure()
            assert (settings["ignore_filters"], settings["latency"]) == (True, 0.01)

        def test_unmarked(divio_sandbox):
            settings = divio_sandbox.configure()
            assert (settings["ignore_filters"], settings["latency"]) == (False, 0.0)
        """
    )
    passes(pytester, "--strict-markers", passed=2)


def test_seed_and_backups_come_from_the_ini_file_or_the_command_line(
    pytester: pytest.Pytester,
) -> None:
    seed_3 = sandbox_tokens(3)
    pytester.makeini("[pytest]\ndivio_sandbox_seed = 3\ndivio_sandbox_backups = 20\n")
    pytester.makepyfile(
        f"""
        def test_options(divio_sandbox, pytestconfig):
            assert tuple(divio_sandbox.tokens.values()) == {seed_3!r}
            given = pytestconfig.getoption("--divio-sandbox-backups")
            assert len(divio_sandbox.runtime.store.backups) == (given or 20)
        """
    )
    passes(pytester, passed=1)
    passes(pytester, "--divio-sandbox-backups=50", passed=1)


def test_the_user_can_be_parametrized(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("divio_user", ["mallory", "victor"])
        def test_who(divio_client, divio_user):
            assert divio_client.me.retrieve().email.startswith(f"{divio_user}@")
        """
    )
    passes(pytester, passed=2)


def test_the_async_client_in_anyio_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.fixture
        def anyio_backend():
            return "asyncio"

        @pytest.mark.anyio
        async def test_me(divio_async_client):
            assert (await divio_async_client.me.retrieve()).email == "alice@example.com"
        """
    )
    passes(pytester, passed=1)


def test_divio_env_serves_code_that_reads_the_environment(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os

        from divio_ext import DivioClient

        def test_env(divio_env, divio_sandbox):
            assert os.environ["DIVIO_API_URL"] == divio_env["DIVIO_API_URL"] == divio_sandbox.url
            with DivioClient() as client:
                assert client.me.retrieve().email == "alice@example.com"
        """
    )
    passes(pytester, passed=1)


def test_recorded_cassettes_are_safe_to_commit_and_replay_offline(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def vcr_config(divio_vcr_config):
            return divio_vcr_config
        """
    )
    pytester.makepyfile(
        f"""
        import pytest
        from divio_ext import DivioClient

        @pytest.fixture
        def client(record_mode, divio_sandbox, divio_token):
            if record_mode == "none":
                return DivioClient(token="<redacted>", base_url="{REPLAY_BASE_URL}")
            return DivioClient(token=divio_token, base_url=divio_sandbox.url)

        @pytest.mark.vcr
        def test_backups(client, divio_clock):
            divio_clock.advance(1)
            assert len(list(client.backups.list(limit=150))) == 150
        """
    )
    passes(pytester, "--record-mode=once", passed=1)
    [cassette] = (pytester.path / "cassettes").rglob("*.yaml")
    text = cassette.read_text()
    assert leaks_in_cassette(text, sandbox_tokens(0)) == []
    assert AUTHORIZATION_PLACEHOLDER in text
    assert f"{REPLAY_BASE_URL}/apps/v3/backups/" in text
    assert "127.0.0.1" not in text
    passes(pytester, "--record-mode=none", "--block-network", passed=1)


NO_SERVER = """
import sys

sys.modules["starlette"] = sys.modules["uvicorn"] = None  # as without the sandbox extra
import pytest

sys.exit(pytest.main(["-p", "no:cacheprovider", *sys.argv[1:]]))
"""


@pytest.mark.parametrize(
    ("test", "outcome"),
    [
        ("def test_unrelated():\n    assert True\n", "1 passed"),
        (
            "def test_needs_it(divio_sandbox):\n    pass\n",
            "the divio_sandbox fixtures need uvicorn: pip install 'divio-ext[sandbox]'",
        ),
    ],
    ids=["other-tests-run", "sandbox-tests-say-what-is-missing"],
)
def test_without_the_sandbox_extra(tmp_path: Path, test: str, outcome: str) -> None:
    (tmp_path / "test_it.py").write_text(test)
    done = subprocess.run(
        [sys.executable, "-c", NO_SERVER, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert outcome in done.stdout, done.stdout + done.stderr
