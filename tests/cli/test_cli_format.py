"""Output building blocks and argument handling of `divio-ext` that need no server."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import dotenv
import pytest
from hypothesis import given
from hypothesis import strategies as st

from divio_ext.cli import main
from divio_ext.cli.commands import since_time
from divio_ext.cli.completion import CACHE_SECONDS, cached
from divio_ext.cli.format import dotenv as dotenv_file
from divio_ext.cli.format import human_size, iso, pairs, table, when
from divio_ext.cli.progress import ProgressLine
from divio_ext.cli.transfer import TransferDisplay
from divio_ext.workflows.pull import TransferProgress
from divio_ext.workflows.waiting import Progress, Status
from divio_sandbox import Sandbox


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (None, "-"),
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1024, "1.0 KiB"),
        (1288490188, "1.2 GiB"),
        (5 * 1024**5, "5.0 PiB"),
        (3 * 1024**6, "3072.0 PiB"),
    ],
)
def test_sizes_are_shown_in_binary_units(size: int | None, shown: str) -> None:
    assert human_size(size) == shown


def test_times_are_shown_in_utc() -> None:
    moment = datetime.datetime(
        2026, 3, 1, 4, 5, 6, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    assert when(moment) == "2026-03-01 02:05:06 UTC"
    assert iso(moment) == "2026-03-01T02:05:06Z"
    assert when(None) == "-"
    assert iso(None) is None


def test_tables_align_columns_and_show_missing_values_as_dashes() -> None:
    text = table(("NAME", "OK"), [("a", True), ("longer", None)])
    assert text.splitlines() == ["NAME    OK", "a       yes", "longer  -"]


def test_pairs_align_labels() -> None:
    assert pairs([("Size", "1 KiB"), ("Taken at", None)]).splitlines() == [
        "Size      1 KiB",
        "Taken at  -",
    ]


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def progress(looks: int, text: str, percent: float | None = None) -> Progress:
    status = Status(finished=False, text=text, percent=percent)
    return Progress(kind="deployment", uuid="d1", status=status, elapsed=4.2, looks=looks)


def test_the_progress_line_redraws_in_place_on_a_terminal_and_is_cleared_at_the_end() -> None:
    terminal = FakeTerminal(tty=True)
    line = ProgressLine(terminal)
    line(progress(1, "building", 40.0))
    line(progress(2, "ok"))
    line.done()
    written = terminal.getvalue()
    assert "\r/ deployment d1: building 40% (4 s)" in written
    assert "\r- deployment d1: ok (4 s)" in written
    assert written.endswith("\r")


def test_the_progress_line_writes_nothing_when_stderr_is_not_a_terminal() -> None:
    captured = FakeTerminal(tty=False)
    line = ProgressLine(captured)
    line(progress(1, "building"))
    line.done()
    assert captured.getvalue() == ""


def test_a_usage_error_is_one_line_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["latest-backup", "only-an-app"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "the following arguments are required: env" in err


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_help_exits_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("latest-backup", "apps", "envs", "backups", "deploy", "env-vars", "sandbox"):
        assert command in out


def test_an_unreadable_token_file_is_a_usage_error(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = f"{tmp_path}/no-such-file"
    assert main(["--token-file", missing, "apps"]) == 2
    assert capsys.readouterr().err.strip() == (
        "divio-ext: error: cannot read --token-file: No such file or directory"
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("token".encode("utf-16"), "cannot read --token-file: it is not UTF-8 text"),
        (b"", "the API token from --token-file is empty"),
        (b"Token abc", "the API token from --token-file contains whitespace"),
    ],
    ids=["utf-16", "empty", "prefixed"],
)
def test_a_token_file_that_holds_no_token_says_so_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, said: str
) -> None:
    """UTF-16 (PowerShell 5's default) was a traceback; the others blamed a token= argument."""
    path = tmp_path / "token"
    path.write_bytes(content)
    assert main(["--token-file", str(path), "apps"]) == 2
    err = capsys.readouterr().err
    assert said in err
    assert err.count("\n") == 1


def test_a_token_file_with_a_byte_order_mark_is_read_without_it(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "token"
    path.write_bytes(b"\xef\xbb\xbf" + sandbox.tokens["alice"].encode() + b"\r\n")
    assert main(["--base-url", sandbox.url, "--token-file", str(path), "apps"]) == 0


def test_no_token_at_all_is_an_auth_error(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("DIVIO_API_TOKEN", raising=False)
    monkeypatch.setenv("NETRC_PATH", f"{tmp_path}/netrc")
    assert main(["--base-url", "http://127.0.0.1:9", "apps"]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no Divio API token found" in err
    assert "--token-file" in err


#: C0 (ESC, BEL, CR, LF, NUL), DEL, C1 (CSI) and a bidi override, as a server could send them.
CONTROLS = "\x1b[2J\x07\r\n\x00\x7f\x9b\u202e"
ESCAPED = "\\x1b[2J\\x07\\r\\n\\x00\\x7f\\x9b\\u202e"


def test_table_cells_and_pair_labels_show_control_characters_as_escapes() -> None:
    text = table(("NAME", "OK"), [(f"app{CONTROLS}", True)])
    assert text.splitlines()[1] == f"app{ESCAPED}  yes"
    block = pairs([(f"  {CONTROLS}", f"x{CONTROLS}")])
    assert block == f"  {ESCAPED}  x{ESCAPED}"


def test_the_progress_line_escapes_control_characters_of_the_status() -> None:
    terminal = FakeTerminal(tty=True)
    ProgressLine(terminal)(progress(1, f"building{CONTROLS}"))
    assert f"building{ESCAPED} (4 s)" in terminal.getvalue()
    assert "\x1b" not in terminal.getvalue()


# --- .env files ------------------------------------------------------------------------------

TRICKY = [
    ("NEWLINES", "line one\nline two\n"),
    ("QUOTES", 'it\'s "quoted"'),
    ("DOLLAR", "$HOME and $ alone and ${NOT_EXPANDED}"),
    ("HASH", "value # not a comment"),
    ("BACKSLASH", "C:\\path\\n is not a newline \\' either"),
    ("CONTROL", "tab\there\rcarriage\x1b[0m"),
    ("EMPTY", ""),
    ("SPACES", "  padded  "),
]


def read_dotenv(text: str) -> dict[str, str | None]:
    return dict(dotenv.dotenv_values(stream=io.StringIO(text), interpolate=False))


def test_dotenv_values_survive_python_dotenv() -> None:
    assert read_dotenv(dotenv_file(TRICKY)) == dict(TRICKY)


@given(
    st.lists(
        st.tuples(st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True), st.text()),
        unique_by=lambda pair: pair[0],
    )
)
def test_any_value_survives_python_dotenv(variables: list[tuple[str, str]]) -> None:
    assert read_dotenv(dotenv_file(variables)) == dict(variables)


def test_hidden_values_are_comments_that_say_why() -> None:
    text = dotenv_file([("SECRET_KEY", None), ("DEBUG", "False")])
    assert text.splitlines() == [
        "# 1 sensitive variable(s) left out: the API hides their values",
        "# SECRET_KEY=  (sensitive: hidden by the API)",
        "DEBUG='False'",
    ]
    assert read_dotenv(text) == {"DEBUG": "False"}


# --- --since ---------------------------------------------------------------------------------

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("90s", NOW - datetime.timedelta(seconds=90)),
        ("15m", NOW - datetime.timedelta(minutes=15)),
        ("1H", NOW - datetime.timedelta(hours=1)),
        ("1.5h", NOW - datetime.timedelta(minutes=90)),
        ("2d", NOW - datetime.timedelta(days=2)),
        ("1w", NOW - datetime.timedelta(weeks=1)),
        ("2026-05-31T08:00:00Z", datetime.datetime(2026, 5, 31, 8, tzinfo=datetime.UTC)),
        ("2026-05-31 08:00", datetime.datetime(2026, 5, 31, 8, tzinfo=datetime.UTC)),
        (
            "2026-05-31T10:00:00+02:00",
            datetime.datetime(2026, 5, 31, 8, tzinfo=datetime.UTC),
        ),
    ],
)
def test_since_is_an_age_or_a_time(given: str, expected: datetime.datetime) -> None:
    assert since_time(given, NOW.timestamp()) == expected


# --- completion cache ------------------------------------------------------------------------


def test_completed_names_are_reused_for_a_minute_then_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    answers = iter([["live", "test"], ["live", "test", "staging"]])
    calls: list[float] = []

    def fetch() -> list[str]:
        calls.append(1.0)
        return next(answers)

    assert cached("k", fetch, now=1000.0) == ["live", "test"]
    assert cached("k", fetch, now=1000.0 + CACHE_SECONDS - 1) == ["live", "test"]
    assert len(calls) == 1
    assert cached("k", fetch, now=1000.0 + CACHE_SECONDS) == ["live", "test", "staging"]
    assert len(calls) == 2
    assert [path.parent for path in tmp_path.glob("divio-ext/*.json")] == [tmp_path / "divio-ext"]


def test_the_transfer_bar_appears_with_the_first_bytes_not_while_the_download_is_prepared() -> None:
    """While the server prepares the download, the waiting line has the terminal's last line;
    a bar drawn beside it from the start made both flicker."""
    pytest.importorskip("rich")
    shown = FakeTerminal(tty=True)
    with TransferDisplay(shown, "live.dump") as display:
        assert shown.getvalue() == ""
        display(TransferProgress(received=512, total=1024, elapsed=0.5, attempt=1))
    assert "live.dump" in shown.getvalue()
