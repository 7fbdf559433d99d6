"""The ``divio-ext`` command: argument parsing, the client, output, and exit codes.

Exit codes: 0 success; 1 the API or the work failed (including timeouts and refused writes in
read-only mode); 2 usage or configuration error (also a restore that was not confirmed, and a
closed standard output); 3 not found; 4 authentication (no token, or the server rejected it /
refused access); 5 ``backup status`` found an environment whose backup is stale or missing;
130 interrupted (Ctrl-C, also how ``logs --follow`` is meant to end); 143 and 129 ended by SIGTERM
or SIGHUP, after the same clean-up as Ctrl-C (a partial download is removed); 141 the reader of
the output went away (``divio-ext ... | head``), the status of a program stopped by SIGPIPE, like
other tools, and without a traceback.
Errors are one line on stderr; ``--debug`` adds the traceback and the client's debug log. Every
text for people has its control characters escaped (``format.visible``).

Start-up is kept short (``make bench`` measures it): this module imports only the standard library
and ``cli/format.py`` at load time. A subcommand names the function that runs it as a
``"module:function"`` string, imported when that subcommand runs, so ``--help`` and shell
completion never load httpx, the generated client or the models.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from divio_ext.cli.connect import MissingToken, make_client
from divio_ext.cli.format import json_text, parse_duration, reason, visible
from divio_ext.cli.options import (
    DEFAULT_PREFIX,
    DEFAULT_TYPE,
    PROG,
    SERVICE_TYPES,
    WAIT_TIMEOUT,
    UsageError,
    output_path,
    seconds,
    service_prefix,
    service_type,
)
from divio_ext.core.version import __version__

OK, FAILED, USAGE, NOT_FOUND, AUTH = 0, 1, 2, 3, 4
#: 128 + SIGINT: Ctrl-C.
INTERRUPTED = 130
#: 128 + SIGPIPE: what a shell reports for a program whose reader closed the pipe.
CLOSED_PIPE = 141
#: The signals that end a command as Ctrl-C does, cleaning up first: ``kill``, ``timeout``,
#: systemd and ``docker stop`` send SIGTERM; a closed terminal sends SIGHUP.
ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Terminated(BaseException):
    """An ending signal, raised in the main thread as Ctrl-C raises ``KeyboardInterrupt``, so
    that a command cleans up what it was doing (a partial download is removed) before it ends
    with 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _terminable() -> Iterator[None]:
    """:data:`ENDING_SIGNALS` raise :class:`Terminated` meanwhile, where their default would
    have ended the process at once (one ignored, as under ``nohup``, stays ignored)."""

    def end(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in ENDING_SIGNALS:
            if signal.getsignal(number) is signal.SIG_DFL:
                previous[number] = signal.signal(number, end)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so ``main`` owns the exit code."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: error: {message} (see --help)")


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On subcommands the defaults are suppressed, so an option given before the subcommand
    # is not reset by the subcommand's own (unset) copy of it.
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    parser.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="print JSON for scripts: every field the API returned",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=default(None),
        help="refuse every write request (also DIVIO_READ_ONLY=1)",
    )
    parser.add_argument(
        "--base-url", default=default(None), help="API base URL (default: DIVIO_API_URL)"
    )
    parser.add_argument(
        "--zone",
        default=default(None),
        help="the Divio zone, as in the Divio CLI: API at https://api.ZONE and the token of "
        "machine control.ZONE in ~/.netrc (default: DIVIO_ZONE, then divio.com)",
    )
    parser.add_argument(
        "--token-file",
        type=Path,
        default=default(None),
        help="read the API token from this file (default: DIVIO_API_TOKEN, then ~/.netrc)",
    )
    parser.add_argument(
        "--debug", action="store_true", default=default(False), help="tracebacks and debug log"
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=default(None),
        metavar="N",
        help="retry a failed request at most N times (default 9; also DIVIO_RETRIES)",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=default(None),
        metavar="SECONDS",
        help="stop retrying a request this long after its first attempt "
        "(default 60; also DIVIO_DEADLINE)",
    )


def _app_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("app", help="application slug or uuid")
    parser.add_argument("env", help="environment slug (test, live, ...) or uuid")


def _service(parser: argparse.ArgumentParser, *, defaulted: bool = True) -> None:
    """``--type`` and ``--prefix``; ``defaulted=False`` leaves them ``None`` when not given, for
    a command that must tell an explicit ``--type DATABASE`` from the default."""
    parser.add_argument(
        "--type",
        type=service_type,
        default=DEFAULT_TYPE if defaulted else None,
        metavar="TYPE",
        help=f"service type, any case: {', '.join(SERVICE_TYPES)} (default: {DEFAULT_TYPE})",
    )
    parser.add_argument(
        "--prefix",
        type=service_prefix,
        default=DEFAULT_PREFIX if defaulted else None,
        help=f"service prefix, any case (default: {DEFAULT_PREFIX})",
    )


def _waiting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", action="store_true", help="wait until the work has finished")
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=None,  # given without --wait, it is refused (_idle_timeout)
        help=f"with --wait: give up waiting after this many seconds (default: {WAIT_TIMEOUT:.0f})",
    )


def _idle_timeout(args: argparse.Namespace) -> None:
    """Refuse ``--timeout`` without ``--wait``: it would bound nothing, and a script that meant
    to wait would go on while the work is still running."""
    if getattr(args, "wait", None) is False and getattr(args, "timeout", None) is not None:
        raise UsageError(f"{PROG}: error: --timeout bounds a wait: add --wait, or leave it out")


def _limit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=int, default=20, help="show at most this many, newest first (0 = all)"
    )


class Commands:
    """Adds subcommands to a subparsers object; each names its function, imported when run.

    ``target`` is ``"module:function"``. By default the function is a command of
    ``divio_ext/cli/commands.py``'s kind: it takes a ``commands.Context`` (a client is made
    and the token checked first) and returns a ``Rendered`` answer, or ``None`` if it printed
    its output itself. With ``plain=True`` it takes the parsed ``argparse.Namespace`` and
    returns the exit code; errors it raises still become one-line messages and exit codes.
    """

    def __init__(self, sub: Any) -> None:
        self._sub = sub

    def add(
        self,
        name: str,
        target: str,
        help_text: str,
        *,
        plain: bool = False,
        usage: str | None = None,
    ) -> argparse.ArgumentParser:
        child: argparse.ArgumentParser = self._sub.add_parser(
            name, help=help_text, description=help_text, usage=usage
        )
        _global_options(child, top=False)
        child.set_defaults(target=target, plain=plain)
        return child

    def group(self, name: str, help_text: str) -> Commands:
        parent: argparse.ArgumentParser = self._sub.add_parser(
            name, help=help_text, description=help_text
        )
        dest = f"{name}_command"
        return Commands(parent.add_subparsers(dest=dest, required=True, parser_class=_Parser))


def build_parser() -> argparse.ArgumentParser:
    """The complete argument parser (also used to print ``--help`` and to complete words)."""
    parser = _Parser(
        prog=PROG,
        description="Answer Divio Cloud questions in one command: latest backup, logs, deploy, "
        "... Exit codes: 0 ok, 1 failed, 2 usage, 3 not found, 4 authentication, 5 stale backups, "
        "130 interrupted, 141 output closed.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    cli = Commands(sub)
    here = "divio_ext.cli.commands"

    latest = cli.add(
        "latest-backup", f"{here}:latest", "the newest usable backup of a service instance"
    )
    _app_env(latest)
    _service(latest)
    cli.add("apps", f"{here}:apps", "the applications the token can see")
    cli.add("envs", f"{here}:envs", "the environments of an application").add_argument(
        "app", help="application slug or uuid"
    )
    listing = cli.add("backups", f"{here}:backups", "the backups of an environment, newest first")
    _app_env(listing)
    _limit(listing)
    deploys = cli.add(
        "deployments",
        f"{here}:deployments",
        "an environment's deployments; `deployments log APP ENV [UUID]`: a deployment's build "
        "log (default: the newest)",
        usage=f"{PROG} deployments [options] APP ENV\n"
        f"       {PROG} deployments log [options] APP ENV [UUID]",
    )
    deploys.add_argument(
        "words",
        nargs="+",
        metavar="[log] APP ENV [UUID]",
        help="application slug or uuid, environment slug or uuid; after `log`, optionally a "
        "deployment uuid",
    )
    _limit(deploys)
    deploying = cli.add("deploy", f"{here}:deploy_command", "deploy an environment")
    _app_env(deploying)
    _waiting(deploying)
    deploying.add_argument("--build-mode", choices=("AUTO", "ADOPT", "FORCE"), default=None)
    deploying.add_argument(
        "--new",
        action="store_true",
        help="start a new deployment even if one is running (default: wait for that one)",
    )
    variables = cli.add("env-vars", f"{here}:env_vars", "an environment's variables")
    _app_env(variables)
    variables.add_argument(
        "--format",
        choices=("table", "json", "dotenv"),
        default=None,
        help="table (default), json (as --json) or dotenv (a .env file; sensitive values, "
        "which the API hides, are listed as comments)",
    )
    logs = cli.add("logs", f"{here}:logs", "an environment's runtime log, oldest line first")
    _app_env(logs)
    logs.add_argument(
        "--since",
        default=None,
        metavar="WHEN",
        help="start at this age (90s, 15m, 1h, 2d, 1w) or ISO 8601 time (default: the newest page)",
    )
    logs.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="NAME",
        help="only lines of this service (web, worker, cronjob, shell, ...); repeatable",
    )
    logs.add_argument(
        "--follow", "-f", action="store_true", help="keep printing new lines until Ctrl-C"
    )

    backup = cli.group("backup", "fleet status; create, pull, restore a backup; get a download URL")
    create = backup.add("create", f"{here}:backup_create", "start an on-demand backup")
    _app_env(create)
    _service(create, defaulted=False)
    _waiting(create)
    create.add_argument(
        "--all-services",
        action="store_true",
        help="back up every service (not with --type or --prefix)",
    )
    create.add_argument("--notes", default=None, help="a note stored with the backup")
    create.set_defaults(progress_lines=True)
    _backup_commands(backup)

    completion = cli.add(
        "completion",
        "divio_ext.cli.completion:script",
        "print the shell completion script (bash, zsh or fish); see README",
        plain=True,
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))

    sandbox = sub.add_parser(
        "sandbox", help="run the local Divio-compatible API server", add_help=False
    )
    sandbox.add_argument("sandbox_args", nargs=argparse.REMAINDER, help="see `sandbox --help`")
    return parser


def _backup_commands(backup: Commands) -> None:
    """``backup status|pull|download-url|restore``: their logic is ``divio_ext.cli.backups``."""
    here = "divio_ext.cli.backups"
    status = backup.add(
        "status",
        f"{here}:status_command",
        "latest usable backup of every environment; exit 5 if any is stale or missing",
    )
    status.add_argument("apps", nargs="*", metavar="APP", help="applications (default: all)")
    status.add_argument("--env", action="append", default=[], help="environment slug (repeatable)")
    _service(status)
    status.add_argument(
        "--max-age",
        type=parse_duration,
        default=parse_duration("24h"),
        help="older than this is stale: 36h, 90m, 2d (default: 24h)",
    )
    pull = backup.add(
        "pull",
        f"{here}:pull_command",
        "download a backup's file (default: the latest usable one) with progress",
    )
    _app_env(pull)
    pull.add_argument(
        "-o",
        "--output",
        type=output_path,
        help="file to write (in a directory: under the backup's own name), or - for stdout",
    )
    pull.add_argument(
        "--no-sync",
        dest="sync",
        action="store_false",
        help="do not wait for the file to be safely on disk before it takes its name",
    )
    url = backup.add(
        "download-url",
        f"{here}:download_url_command",
        "a download URL for a backup (default: the latest usable one; needs no token)",
    )
    url.add_argument("app", nargs="?", help="application slug or uuid")
    url.add_argument("env", nargs="?", help="environment slug or uuid")
    restore = backup.add(
        "restore",
        f"{here}:restore_command",
        "restore a backup onto the service it was taken of (asks first unless --yes)",
    )
    _app_env(restore)
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.add_argument(
        "--to",
        metavar="ENV",
        help="copy the backup to this environment of APP and restore it there instead",
    )
    for child in (pull, url, restore):
        _service(child)
        child.add_argument("--backup", required=child is restore, help="backup uuid")
        child.add_argument(
            "--timeout",
            type=seconds,
            default=WAIT_TIMEOUT,
            help="seconds to wait at most for each thing the server works on (a download being "
            "prepared, a copy, the restore)",
        )


def _sandbox(arguments: list[str]) -> int:
    try:
        from divio_sandbox import main as sandbox_main
    except ImportError as missing:  # starlette and uvicorn come with the sandbox extra
        package = (missing.name or "its dependencies").partition(".")[0]
        print(
            f"divio-ext: error: the sandbox needs {package}: pip install 'divio-ext[sandbox]'",
            file=sys.stderr,
        )
        return USAGE
    try:
        return int(sandbox_main(arguments) or 0)
    except SystemExit as done:  # its own --help or usage error
        return done.code if isinstance(done.code, int) else OK


def _exit_code(error: BaseException) -> int:
    from divio_ext.core import errors

    if isinstance(error, errors.AuthenticationError | errors.PermissionDenied | MissingToken):
        return AUTH
    if isinstance(error, errors.NotFound):
        return NOT_FOUND
    if isinstance(error, errors.ConfigurationError | errors.InvalidArgument | UsageError):
        return USAGE
    if type(error).__module__ == "divio_ext.cli.backups":
        from divio_ext.cli.backups import Refused  # loaded only if a backup command ran

        if isinstance(error, Refused):
            return USAGE
    return FAILED


def _debug_log() -> contextlib.AbstractContextManager[None]:
    """The client's debug log (requests, retries; token redacted) on stderr, for this run only."""
    import logging

    from divio_ext.cli.progress import on_client_logger

    class VisibleFormatter(logging.Formatter):
        """Debug log lines quote server-sent headers: escape their control characters too."""

        def format(self, record: logging.LogRecord) -> str:
            return visible(super().format(record), keep="\n")

    handler: logging.Handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(VisibleFormatter("%(levelname)s %(name)s: %(message)s"))
    return on_client_logger(handler, logging.DEBUG)


def _function(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


def _run(args: argparse.Namespace) -> int:
    run = _function(args.target)
    if args.plain:
        return int(run(args))
    from divio_ext.cli import commands
    from divio_ext.cli.progress import ProgressLine, retry_notice

    progress = ProgressLine(sys.stderr, lines=getattr(args, "progress_lines", False))
    notice = contextlib.nullcontext() if args.debug else retry_notice(sys.stderr, progress)
    with make_client(args) as client, notice:
        try:
            result = run(commands.Context(client, args, progress))
        finally:
            progress.done()
    if isinstance(result, int):  # the backup commands print for themselves
        return result
    if result is None:
        return OK
    if args.json:
        print(json_text(result.data))
    elif result.file and not sys.stdout.isatty():
        print(result.text)
    elif result.text:
        print(visible(result.text, keep="\n"))
    return OK


def _quiet_closed_pipe() -> int:
    """End quietly once stdout's reader is gone (``| head``).

    Python would otherwise print a second ``BrokenPipeError`` when it flushes stdout at exit, so
    stdout is pointed at the null device first (the recipe of Python's own documentation).
    """
    with contextlib.suppress(AttributeError, OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return CLOSED_PIPE


def _standard_streams() -> bool:
    """Stand in for the standard streams the caller closed (``<&-``, ``2>&-``), which Python
    leaves as ``None``: the first read or write of one raised ``AttributeError`` (exit code 1,
    whatever the answer). A closed stdin reads as empty, so a restore asks no one and is
    refused without ``--yes``, as without a terminal; a closed stderr drops progress and
    messages as ``2>/dev/null`` would, so the exit code still gives the answer. A closed stdout
    is refused (``False``), before any request: what a command prints there is its answer (a
    dump for ``pg_restore``, a table, JSON), and it would be lost."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - open for the run
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - open for the run
    return sys.stdout is not None


class OutputFailed(Exception):
    """Standard output refused what a command wrote (a full disk, an I/O error)."""


class _Output:
    """Standard output, whose failures to write are :class:`OutputFailed`.

    A command's answer goes to stdout through ``print`` or ``write`` in many places; a file
    system that refused it raised an ``OSError`` from any of them (a traceback), or, once the
    answer was buffered, from Python's flush at exit (its exit code 120, and an "Exception
    ignored" message). ``main`` flushes it before returning and reports either as one line.
    The pipe's reader leaving (``BrokenPipeError``) is left to ``main``'s own handling.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(reason(error)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(reason(error)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _guarded_output() -> Iterator[None]:
    """``sys.stdout`` as :class:`_Output` while the command runs, flushed at the end."""
    stream = sys.stdout
    sys.stdout = cast(TextIO, _Output(stream))
    try:
        yield
        sys.stdout.flush()
    finally:
        sys.stdout = stream


def _is_divio_error(error: BaseException) -> bool:
    errors = sys.modules.get("divio_ext.core.errors")  # loaded if it raised one
    return errors is not None and isinstance(error, errors.DivioError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:  # everything after it belongs to the sandbox's own parser
        return _sandbox(arguments[1:])
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (see cli/completion.py)
        from divio_ext.cli.completion import complete

        return complete(build_parser())
    debug = "--debug" in arguments
    if not _standard_streams():
        message = "standard output is closed (>&-): redirect it, to /dev/null for the exit code"
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return USAGE
    try:
        args = build_parser().parse_args(arguments)
        _idle_timeout(args)
        if args.command == "sandbox":
            return _sandbox(args.sandbox_args)
        with (
            _terminable(),
            _debug_log() if args.debug else contextlib.nullcontext(),
            _guarded_output(),
        ):
            return _run(args)
    except SystemExit as done:  # --help, --version
        return done.code if isinstance(done.code, int) else OK
    except KeyboardInterrupt as interrupted:
        print(_with_notes(f"{PROG}: interrupted", interrupted), file=sys.stderr)
        return INTERRUPTED
    except Terminated as ended:
        print(_with_notes(f"{PROG}: terminated", ended), file=sys.stderr)
        return 128 + ended.signum
    except BrokenPipeError:
        return _quiet_closed_pipe()
    except OutputFailed as failed:
        print(f"{PROG}: error: cannot write standard output: {failed}", file=sys.stderr)
        _quiet_closed_pipe()  # what stays buffered would fail again at exit
        return FAILED
    except Exception as error:
        if not isinstance(error, UsageError | MissingToken) and not _is_divio_error(error):
            raise
        if debug:
            sys.stderr.write(visible(traceback.format_exc(), keep="\n"))
        message = str(error) if isinstance(error, UsageError) else f"{PROG}: error: {error}"
        print(_with_notes(message, error), file=sys.stderr)
        return _exit_code(error)


def _with_notes(message: str, error: BaseException) -> str:
    """``message`` and the notes of ``error`` (what the work had done, e.g. a copy left
    unfinished), as one line for people."""
    notes = getattr(error, "__notes__", [])
    if notes:
        message = f"{message.rstrip('.')}. {' '.join(notes)}"
    return visible(" ".join(message.split()))
