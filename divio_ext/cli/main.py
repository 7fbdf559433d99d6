"""The ``divio-ext`` command: argument parsing, the client, output, and exit codes.

Exit codes: 0 success; 1 the API or the work failed (including timeouts and refused writes in
read-only mode); 2 usage or configuration error (and a restore that was not confirmed); 3 not
found; 4 authentication (no token, or the server rejected it / refused access); 5 ``backup
status`` found an environment whose backup is stale or missing. Errors are one line on stderr;
``--debug`` adds the traceback and the client's debug log. Every text for people has its control
characters escaped (``format.visible``). When the reader of the output goes away
(``divio-ext ... | head``) the command ends quietly with 141, the status of a program stopped by
SIGPIPE, like other tools.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from divio_ext.cli import backups, commands
from divio_ext.cli.format import visible
from divio_ext.cli.progress import ProgressLine
from divio_ext.core import errors
from divio_ext.core.retry import RetryPolicy
from divio_ext.resources.client import DivioClient

OK, FAILED, USAGE, NOT_FOUND, AUTH = 0, 1, 2, 3, 4
#: 128 + SIGPIPE: what a shell reports for a program whose reader closed the pipe.
CLOSED_PIPE = 141
PROG = "divio-ext"


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


class _VisibleFormatter(logging.Formatter):
    """Debug log lines quote server-sent headers: escape their control characters too."""

    def format(self, record: logging.LogRecord) -> str:
        return visible(super().format(record), keep="\n")


class MissingToken(errors.ConfigurationError):
    """No token was given or found (exit code 4, like a rejected one)."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so ``main`` owns the exit code."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: error: {message} (see --help)")


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On subcommands the defaults are suppressed, so an option given before the subcommand
    # is not reset by the subcommand's own (unset) copy of it.
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    parser.add_argument(
        "--json", action="store_true", default=default(False), help="print JSON for scripts"
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


def _service(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", default="DATABASE", help="service type (default: DATABASE)")
    parser.add_argument("--prefix", default="DEFAULT", help="service prefix (default: DEFAULT)")


def _waiting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", action="store_true", help="wait until the work has finished")
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="give up waiting after this many seconds (default: 1800)",
    )


def _limit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", type=int, default=20, help="show at most this many, newest first (0 = all)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The complete argument parser (also used to print ``--help``)."""
    parser = _Parser(
        prog=PROG,
        description="Answer Divio Cloud questions in one command: latest backup, deploy, ...",
    )
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, run: commands.Command, help_text: str) -> argparse.ArgumentParser:
        child = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(child, top=False)
        child.set_defaults(run=run)
        return child

    latest = command(
        "latest-backup", commands.latest, "the newest usable backup of a service instance"
    )
    _app_env(latest)
    _service(latest)
    command("apps", commands.apps, "the applications the token can see")
    command("envs", commands.envs, "the environments of an application").add_argument(
        "app", help="application slug or uuid"
    )
    listing = command("backups", commands.backups, "the backups of an environment, newest first")
    _app_env(listing)
    _limit(listing)
    deploys = command("deployments", commands.deployments, "an environment's deployments")
    _app_env(deploys)
    _limit(deploys)
    deploying = command("deploy", commands.deploy_command, "deploy an environment")
    _app_env(deploying)
    _waiting(deploying)
    deploying.add_argument("--build-mode", choices=("AUTO", "ADOPT", "FORCE"), default=None)
    deploying.add_argument(
        "--new",
        action="store_true",
        help="start a new deployment even if one is running (default: wait for that one)",
    )
    variables = command("env-vars", commands.env_vars, "an environment's variables")
    _app_env(variables)

    backup = sub.add_parser("backup", help="create a backup or get a download URL")
    backup_sub = backup.add_subparsers(dest="backup_command", required=True, parser_class=_Parser)
    create = backup_sub.add_parser("create", help="start an on-demand backup")
    _global_options(create, top=False)
    create.set_defaults(run=commands.backup_create)
    _app_env(create)
    _service(create)
    _waiting(create)
    create.add_argument("--all-services", action="store_true", help="back up every service")
    create.add_argument("--notes", default=None, help="a note stored with the backup")
    create.set_defaults(progress_lines=True)
    _backup_commands(backup_sub)

    sandbox = sub.add_parser(
        "sandbox", help="run the local Divio-compatible API server", add_help=False
    )
    sandbox.add_argument("sandbox_args", nargs=argparse.REMAINDER, help="see `sandbox --help`")
    return parser


def _backup_commands(backup_sub: Any) -> None:
    """``backup status|pull|download-url|restore``: their logic is ``divio_ext.cli.backups``."""

    def command(name: str, help_text: str, run: Any) -> argparse.ArgumentParser:
        child: argparse.ArgumentParser = backup_sub.add_parser(name, help=help_text)
        _global_options(child, top=False)
        child.set_defaults(run=run)
        return child

    def io(ctx: commands.Context) -> dict[str, Any]:
        return {"as_json": ctx.args.json, "out": sys.stdout, "err": sys.stderr}

    def chosen(ctx: commands.Context) -> dict[str, Any]:
        args = ctx.args
        return {"backup": args.backup, "service_type": args.type, "prefix": args.prefix}

    status = command(
        "status",
        "latest usable backup of every environment; exit 5 if any is stale or missing",
        lambda ctx: backups.status(
            ctx.client,
            applications=ctx.args.apps,
            environments=ctx.args.env,
            service_type=ctx.args.type,
            prefix=ctx.args.prefix,
            max_age=ctx.args.max_age,
            as_json=ctx.args.json,
            out=sys.stdout,
        ),
    )
    status.add_argument("apps", nargs="*", metavar="APP", help="applications (default: all)")
    status.add_argument("--env", action="append", default=[], help="environment slug (repeatable)")
    _service(status)
    status.add_argument(
        "--max-age",
        type=backups.parse_duration,
        default=backups.parse_duration("24h"),
        help="older than this is stale: 36h, 90m, 2d (default: 24h)",
    )
    pull = command(
        "pull",
        "download a backup's file (default: the latest usable one) with progress",
        lambda ctx: backups.pull(
            ctx.client,
            application=ctx.args.app,
            environment=ctx.args.env,
            output=ctx.args.output,
            policy=ctx.policy(),
            **chosen(ctx),
            **io(ctx),
        ),
    )
    _app_env(pull)
    pull.add_argument("-o", "--output", help="file to write, or - for standard output")
    url = command(
        "download-url",
        "a download URL for a backup (default: the latest usable one; needs no token)",
        lambda ctx: backups.download_url(
            ctx.client,
            application=ctx.args.app,
            environment=ctx.args.env,
            policy=ctx.policy(),
            **chosen(ctx),
            **io(ctx),
        ),
    )
    url.add_argument("app", nargs="?", help="application slug or uuid")
    url.add_argument("env", nargs="?", help="environment slug or uuid")
    restore = command(
        "restore",
        "restore a backup onto the service it was taken of (asks first unless --yes)",
        lambda ctx: backups.restore(
            ctx.client,
            application=ctx.args.app,
            environment=ctx.args.env,
            yes=ctx.args.yes,
            policy=ctx.policy(),
            answers=sys.stdin,
            **chosen(ctx),
            **io(ctx),
        ),
    )
    _app_env(restore)
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    for child in (pull, url, restore):
        _service(child)
        child.add_argument("--backup", required=child is restore, help="backup uuid")
        child.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait at most")


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
    if isinstance(error, errors.AuthenticationError | errors.PermissionDenied | MissingToken):
        return AUTH
    if isinstance(error, errors.NotFound):
        return NOT_FOUND
    if isinstance(error, errors.ConfigurationError | UsageError | backups.Refused):
        return USAGE
    return FAILED


def _client(args: argparse.Namespace) -> DivioClient:
    token = None
    if args.token_file is not None:
        try:
            token = args.token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            problem = error.strerror or type(error).__name__
            raise UsageError(f"{PROG}: error: cannot read --token-file: {problem}") from None
    retry = RetryPolicy.from_environment(retries=args.retries, deadline=args.deadline)
    return DivioClient(
        token=token, base_url=args.base_url, read_only=args.read_only or None, retry=retry
    )


@contextlib.contextmanager
def _debug_log() -> Iterator[None]:
    """The client's debug log (requests, retries; token redacted) on stderr, for this run only."""
    logger = logging.getLogger("divio_ext")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_VisibleFormatter("%(levelname)s %(name)s: %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _run(args: argparse.Namespace) -> int:
    progress = ProgressLine(sys.stderr, lines=getattr(args, "progress_lines", False))
    with _client(args) as client:
        if client.settings.token is None:
            try:
                client.settings.require_token()
            except errors.ConfigurationError as error:
                raise MissingToken(f"{error}; or pass --token-file") from None
        try:
            result = args.run(commands.Context(client, args, progress))
        finally:
            progress.done()
    if isinstance(result, int):  # the backup commands print for themselves
        return result
    if args.json:
        print(json.dumps(result.data, indent=2, sort_keys=True))
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:  # everything after it belongs to the sandbox's own parser
        return _sandbox(arguments[1:])
    debug = "--debug" in arguments
    try:
        args = build_parser().parse_args(arguments)
        if args.command == "sandbox":
            return _sandbox(args.sandbox_args)
        if not args.debug:
            return _run(args)
        with _debug_log():
            return _run(args)
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else OK
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _quiet_closed_pipe()
    except (errors.DivioError, UsageError) as error:
        if debug:
            sys.stderr.write(visible(traceback.format_exc(), keep="\n"))
        message = str(error) if isinstance(error, UsageError) else f"{PROG}: error: {error}"
        print(visible(" ".join(message.split())), file=sys.stderr)
        return _exit_code(error)
