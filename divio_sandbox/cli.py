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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="divio-sandbox",
        description="Run a local Divio-compatible API server on 127.0.0.1 with seeded data.",
    )
    p.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    p.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    p.add_argument("--backups", type=int, default=DEFAULT_BACKUPS, help="number of seeded backups")
    p.add_argument(
        "--extra-applications",
        type=int,
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
    args = parser().parse_args(argv)
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
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sock = listening_socket(args.port)
    print(f"{LISTENING}http://{HOST}:{sock.getsockname()[1]}")
    for name, token in runtime.store.user_tokens.items():
        print(f"{TOKEN_LINE}{name}: {token}")
    print(READY_LINE, flush=True)
    try:
        uvicorn_server(runtime).run(sockets=[sock])
    finally:
        sock.close()
    return 0
