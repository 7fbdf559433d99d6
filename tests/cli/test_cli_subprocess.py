"""`divio-ext` as a shell runs it: a separate process against the plugin's sandbox.

What only a real process shows: Ctrl-C ending ``logs --follow``, the completion protocol of
the shell scripts, output written to a file, and which modules a start-up loads.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import dotenv
import pytest

from divio_ext.cli.main import INTERRUPTED
from divio_sandbox import Sandbox

DIVIO_EXT = [sys.executable, "-c", "import sys; from divio_ext.cli import main; sys.exit(main())"]
#: The same, with Ctrl-C as a shell delivers it: the suite itself may run with SIGINT ignored
#: (as a background job), which its subprocesses would inherit.
INTERRUPTIBLE = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from divio_ext.cli import main; sys.exit(main())"
)


@pytest.fixture
def shell_env(divio_env: None, tmp_path: Path) -> dict[str, str]:
    """The environment of a shell pointed at the sandbox, with its own cache directory."""
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}


def test_follow_prints_as_lines_come_and_ctrl_c_ends_it_without_a_traceback(
    shell_env: dict[str, str],
) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", INTERRUPTIBLE, "logs", "example-application", "live", "--follow"],
        env=shell_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        page = [process.stdout.readline() for _ in range(20)]  # the newest page, at once
        process.send_signal(signal.SIGINT)  # while it waits for more
        out, err = process.communicate(timeout=30)
    assert all(" UTC  " in line for line in page)
    assert out == "", "the sandbox's clock stands still: nothing new came"
    assert process.returncode == INTERRUPTED
    assert err == "divio-ext: interrupted\n"


def test_dotenv_written_to_a_file_keeps_control_characters_for_python_dotenv(
    shell_env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / ".env"
    with target.open("w", encoding="utf-8") as file:
        done = subprocess.run(
            [*DIVIO_EXT, "env-vars", "example-application", "live", "--format", "dotenv"],
            env=shell_env,
            stdout=file,
            check=False,
        )
    assert done.returncode == 0
    values = dotenv.dotenv_values(stream=io.StringIO(target.read_text(encoding="utf-8")))
    assert values["DEBUG"] == "False"


def complete(shell_env: dict[str, str], tmp_path: Path, line: str) -> list[str]:
    """What the shell scripts get for ``line`` (argcomplete's protocol, one word a line)."""
    answer = tmp_path / "completions"
    env = {
        **shell_env,
        "_ARGCOMPLETE": "1",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
        "_ARGCOMPLETE_IFS": "\n",
    }
    done = subprocess.run(DIVIO_EXT, env=env, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    return answer.read_text(encoding="utf-8").split()


def test_completion_offers_commands_options_and_names_from_the_api(
    shell_env: dict[str, str], tmp_path: Path
) -> None:
    assert complete(shell_env, tmp_path, "divio-ext lo") == ["logs"]
    assert complete(shell_env, tmp_path, "divio-ext logs exa") == ["example-application"]
    envs = complete(shell_env, tmp_path, "divio-ext logs example-application ")
    assert envs == ["feature-x", "live", "test"]
    assert complete(shell_env, tmp_path, "divio-ext latest-backup x y --type da") == ["database"]
    assert "--follow" in complete(shell_env, tmp_path, "divio-ext logs a b --f")


def test_completed_names_are_cached_for_a_minute(
    shell_env: dict[str, str], tmp_path: Path, divio_sandbox: Sandbox
) -> None:
    assert complete(shell_env, tmp_path, "divio-ext envs ex") == ["example-application"]
    divio_sandbox.configure(chaos=1.0, faults=("503",))  # the API is down from now on
    assert complete(shell_env, tmp_path, "divio-ext envs ex") == ["example-application"]
    assert complete(shell_env, tmp_path, "divio-ext logs example-application f") == [], (
        "not cached, and a completion shows no error"
    )


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script_of_each_shell(shell: str) -> None:
    done = subprocess.run(
        [*DIVIO_EXT, "completion", shell], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "divio-ext" in done.stdout
    assert "_ARGCOMPLETE" in done.stdout


@pytest.mark.parametrize(
    "argv", [["--help"], ["logs", "--help"], ["completion", "bash"]], ids=" ".join
)
def test_help_and_completion_load_no_http_or_models(argv: list[str]) -> None:
    probe = (
        "import sys; from divio_ext.cli import main; main(sys.argv[1:]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'divio_api')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


def pulling(sb: Sandbox, *argv: str) -> tuple[list[str], dict[str, str]]:
    """``backup pull`` of example-application/live against ``sb``, as a shell would run it."""
    env = {**os.environ, "DIVIO_API_URL": sb.url, "DIVIO_API_TOKEN": sb.tokens["alice"]}
    return [*DIVIO_EXT, "backup", "pull", "example-application", "live", *argv], env


def test_pull_to_dev_stdout_redirected_to_a_file_puts_only_the_backup_in_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "live.dump"
    with Sandbox(clock="real", backups=200) as sb, out.open("wb") as file:
        command, env = pulling(sb, "-o", "/dev/stdout")
        done = subprocess.run(command, env=env, stdout=file, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 0, done.stderr
    written = out.read_bytes()
    assert written.startswith(b"PGDMP")
    assert b"/dev/stdout" not in written, "no summary line inside the dump"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["live.dump"]


def part_sizes(folder: Path) -> list[int]:
    """The sizes of the temporary files in ``folder`` (one may go while it is looked at)."""
    sizes = []
    for path in folder.glob(".*.part"):
        with contextlib.suppress(FileNotFoundError):
            sizes.append(path.stat().st_size)
    return sizes


@pytest.mark.parametrize(
    ("ending", "said"),
    [("SIGINT", "interrupted"), ("SIGTERM", "terminated"), ("SIGHUP", "terminated")],
)
def test_an_ending_signal_mid_transfer_removes_the_partial_file(
    tmp_path: Path, ending: str, said: str
) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    number = getattr(signal, ending)
    with Sandbox(clock="real", backups=200, download_size=2**40) as sb:
        command, env = pulling(sb, "-o", str(dumps / "live.dump"))
        command[:3] = [sys.executable, "-c", INTERRUPTIBLE]
        with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as process:
            while not any(size > 2**20 for size in part_sizes(dumps)):
                assert process.poll() is None, "still transferring"
            process.send_signal(number)
            _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + number
    assert err.endswith(f"divio-ext: {said}\n")
    assert list(dumps.iterdir()) == [], "neither a partial file nor one under the final name"


def with_closed(fd: str, command: list[str]) -> list[str]:
    """``command`` run by a shell with standard stream ``fd`` closed (``0<&-``, ``1>&-``,
    ``2>&-``), as a cron line or a daemon may start it."""
    closing = "<&-" if fd == "0" else ">&-"
    return ["sh", "-c", f'exec "$@" {fd}{closing}', "sh", *command]


def test_with_stderr_closed_the_exit_code_is_still_the_answer(
    shell_env: dict[str, str],
) -> None:
    """It was 1 whatever the answer: the progress line's first write raised AttributeError."""
    stale = subprocess.run(
        with_closed("2", [*DIVIO_EXT, "backup", "status", "example-application"]),
        env=shell_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert stale.returncode == 5, "the sandbox's backups are months old: stale"
    assert "example-application  live" in stale.stdout
    missing = subprocess.run(
        with_closed("2", [*DIVIO_EXT, "backup", "status", "no-such-application"]),
        env=shell_env,
        capture_output=True,
        check=False,
    )
    assert missing.returncode == 3


def test_with_stdout_closed_nothing_is_asked_for_and_it_says_so(
    shell_env: dict[str, str], divio_sandbox: Sandbox, tmp_path: Path
) -> None:
    """A dump for ``pg_restore`` (or any answer) would be lost: refused before any request,
    where ``-o -`` once prepared the download and then failed with a traceback."""
    divio_sandbox.reset_stats()
    command = [*DIVIO_EXT, "backup", "pull", "example-application", "live", "-o", "-"]
    done = subprocess.run(
        with_closed("1", command),
        env=shell_env,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "divio-ext: error: standard output is closed (>&-): redirect it, to /dev/null for the "
        "exit code\n"
    )
    assert divio_sandbox.stats()["total"] == 0
    assert list(tmp_path.iterdir()) == []


def test_with_stdin_closed_a_restore_is_refused_as_without_a_terminal(
    shell_env: dict[str, str], divio_sandbox: Sandbox
) -> None:
    divio_sandbox.reset_stats()
    command = [*DIVIO_EXT, "backup", "restore", "example-application", "live", "--backup", "x"]
    done = subprocess.run(
        with_closed("0", command), env=shell_env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr == (
        "divio-ext: error: restoring overwrites data: confirm on a terminal, or pass --yes\n"
    )
    assert not [
        request for request in divio_sandbox.stats()["requests"] if request.startswith("POST")
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("buffering", ["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "command",
    [["backup", "status", "example-application"], ["apps", "--json"]],
    ids=["backup-status", "apps"],
)
def test_standard_output_on_a_full_disk_is_one_line_and_exit_code_1(
    shell_env: dict[str, str], buffering: str, command: list[str]
) -> None:
    """Buffered (cron's default), Python's flush at exit failed: exit code 120 and an
    "Exception ignored" message; unbuffered, a traceback."""
    env = dict(shell_env)
    if buffering == "buffered":
        del env["PYTHONUNBUFFERED"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*DIVIO_EXT, *command], env=env, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == 1
    assert done.stderr == (
        "divio-ext: error: cannot write standard output: No space left on device\n"
    )
