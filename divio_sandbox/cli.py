"""The ``divio-sandbox`` command (also ``python -m divio_sandbox`` and ``divio-ext sandbox``).

It runs a sandbox until interrupted, after printing its URL and its users' tokens.
"""

import argparse
import sys

from divio_sandbox.runtime import create_runtime
from divio_sandbox.seed import DEFAULT_BACKUPS
from divio_sandbox.server import (
    HOST,
    LISTENING,
    READY_LINE,
    TOKEN_LINE,
    listening_socket,
    uvicorn_server,
)


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _port(text: str) -> int:
    """A TCP port to listen on: 0 (any free one) to 65535."""
    port = _whole(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {port}")
    return port


def _count(text: str) -> int:
    """How many of something to seed: 0 or more."""
    count = _whole(text)
    if count < 0:
        raise argparse.ArgumentTypeError(f"a count is 0 or more, not {count}")
    return count


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="divio-sandbox",
        description="Run a local Divio-compatible API server on 127.0.0.1 with seeded data.",
    )
    p.add_argument("--port", type=_port, default=0, help="port to listen on (0: any free port)")
    p.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    p.add_argument(
        "--backups", type=_count, default=DEFAULT_BACKUPS, help="number of seeded backups"
    )
    p.add_argument(
        "--extra-applications",
        type=_count,
        default=0,
        help="applications (test and live each) to seed beyond the scenario's",
    )
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every API request")
    p.add_argument("--chaos", type=float, default=0.0, help="fraction of API requests that fail")
    p.add_argument(
        "--failure-rate", type=float, default=0.0, help="fraction of created work that fails"
    )
    p.add_argument(
        "--ignore-filters",
        action="store_true",
        help="ignore the filters no public source confirms, as a server without them would",
    )
    p.add_argument(
        "--clock",
        choices=("real", "fixed"),
        default="real",
        help="real: time passes; fixed: only POST /_sandbox/clock/advance moves it",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    command = parser()
    args = command.parse_args(argv)
    settings = {
        "latency": args.latency,
        "chaos": args.chaos,
        "ignore_filters": args.ignore_filters,
        "failure_rate": args.failure_rate,
    }
    try:
        runtime = create_runtime(
            args.seed, args.backups, args.clock, settings, args.extra_applications
        )
    except ValueError as exc:
        print(f"{command.prog}: error: {exc}", file=sys.stderr)
        return 2
    try:
        sock = listening_socket(args.port)
    except OSError as exc:
        print(
            f"{command.prog}: error: cannot listen on port {args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    print(f"{LISTENING}http://{HOST}:{sock.getsockname()[1]}")
    for name, token in runtime.store.user_tokens.items():
        print(f"{TOKEN_LINE}{name}: {token}")
    print(READY_LINE, flush=True)
    try:
        uvicorn_server(runtime).run(sockets=[sock])
    finally:
        sock.close()
    return 0
