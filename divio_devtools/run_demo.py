"""Run a command against a fresh local sandbox (or, with DIVIO_API_TOKEN set, the real API).

    python -m divio_devtools.run_demo [--seed N] -- divio-ext latest-backup example-application live

Without DIVIO_API_TOKEN: starts ``python -m divio_sandbox`` on a free loopback port (fixed
seed, real clock), runs the command with DIVIO_API_URL and DIVIO_API_TOKEN (alice's) in its
environment, and stops the sandbox afterwards, also when the command fails or on Ctrl-C.
With DIVIO_API_TOKEN already set: runs the command as it is against the configured API (the
real one, or the server DIVIO_API_URL names, which it says), with DIVIO_READ_ONLY=1 so that
nothing can be changed. Exits with the command's exit code.
"""

import argparse
import os
import subprocess
import sys
from urllib.parse import urlsplit

from divio_ext.core.config import is_loopback
from divio_sandbox import Sandbox


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--backups", type=int, default=600)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("give the command to run after --")
    return args


def target(env: dict[str, str]) -> str:
    """Which API the command will talk to, as the demo announces it."""
    url = env.get("DIVIO_API_URL", "").strip()
    if not url:
        return "using the real API (https://api.divio.com)"
    if is_loopback(urlsplit(url).hostname or ""):
        return f"using the local server at {url} (DIVIO_API_URL)"
    return f"using the API at {url} (DIVIO_API_URL)"


def run(command: list[str], env: dict[str, str]) -> int:
    try:
        return subprocess.run(command, env=env, check=False).returncode
    except FileNotFoundError:
        print(f"run_demo: command not found: {command[0]}", file=sys.stderr)
        return 127
    except KeyboardInterrupt:
        return 130


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ)
    if env.get("DIVIO_API_TOKEN"):
        print(f"run_demo: DIVIO_API_TOKEN is set: {target(env)}, read-only.", file=sys.stderr)
        return run(args.command, {**env, "DIVIO_READ_ONLY": "1"})
    try:
        with Sandbox(seed=args.seed, backups=args.backups, clock="real", subprocess=True) as sb:
            print(f"run_demo: sandbox running at {sb.url}", file=sys.stderr)
            env.update(DIVIO_API_URL=sb.url, DIVIO_API_TOKEN=sb.tokens["alice"])
            env.pop("DIVIO_READ_ONLY", None)
            code = run(args.command, env)
    except KeyboardInterrupt:
        return 130
    print("run_demo: sandbox stopped.", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
