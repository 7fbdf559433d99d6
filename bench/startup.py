"""How fast ``divio-ext`` starts: ``--help``, and the moment a command sends its first request.

The target is at most 0.2 s for both on a plain ``pip install divio-ext``. The development
environment has extra packages that make imports slower (httpx loads its own command line when
click and rich are installed), so the figures are taken twice: with this interpreter, and in a
fresh virtual environment where only divio-ext and its dependencies are installed from this
checkout (skipped, and said so, if pip cannot install there).

"First request" is measured from outside: a loopback socket accepts the command's connection
and notes the time, then closes it (the command fails, which does not matter here). So the
figure is the whole start (interpreter, imports, parsing, client) up to the request, and nothing
after it. Every figure is the median of several fresh processes.

Usage: ``python -m bench.startup [--repeats 7] [--no-plain]``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: The budget of the issue that asked for a fast start.
TARGET_S = 0.2
#: A command that needs one request to start its answer.
COMMAND = ["apps"]


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _divio_ext(python: Path) -> list[str]:
    """The command as its console script runs it; ``-I`` so that the current directory (a
    checkout) cannot stand in for the installed package."""
    return [str(python), "-I", "-c", "import sys; from divio_ext.cli import main; sys.exit(main())"]


def help_time(python: Path, repeats: int) -> float:
    """Median wall time of ``divio-ext --help`` in a fresh process."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(
            [*_divio_ext(python), "--help"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        samples.append(time.perf_counter() - started)
    return _median(samples)


def first_request_time(python: Path, repeats: int) -> float:
    """Median time from starting ``divio-ext apps`` to its connection reaching the server."""
    samples = []
    for _ in range(repeats):
        with socket.create_server(("127.0.0.1", 0)) as server:
            port = server.getsockname()[1]
            arrived: list[float] = []

            def accept(server: socket.socket = server, arrived: list[float] = arrived) -> None:
                connection, _ = server.accept()
                arrived.append(time.perf_counter())
                connection.close()

            waiter = threading.Thread(target=accept)
            waiter.start()
            env = {
                **os.environ,
                "DIVIO_API_URL": f"http://127.0.0.1:{port}",
                "DIVIO_API_TOKEN": "0" * 40,
            }
            started = time.perf_counter()
            subprocess.run(
                [*_divio_ext(python), "--retries", "0", *COMMAND],
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            waiter.join(timeout=10)
            if not arrived:
                raise RuntimeError("the command sent no request")
            samples.append(arrived[0] - started)
    return _median(samples)


def plain_python(directory: Path) -> Path | None:
    """A fresh virtual environment with only divio-ext (from this checkout) and its dependencies."""
    venv.EnvBuilder(with_pip=True).create(directory)
    python = directory / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    return python if done.returncode == 0 else None


def measure(repeats: int = 7, plain: bool = True) -> dict[str, Any]:
    """The start-up figures, per environment: seconds, and whether they meet the target."""
    pythons: dict[str, Path | None] = {"this environment": Path(sys.executable)}
    with tempfile.TemporaryDirectory(prefix="divio-ext-startup-") as scratch:
        if plain:
            pythons["plain pip install"] = plain_python(Path(scratch) / "venv")
        results: dict[str, Any] = {}
        for name, python in pythons.items():
            if python is None:
                results[name] = {"skipped": "pip could not install divio-ext into a fresh venv"}
                continue
            figures = {
                "help_s": help_time(python, repeats),
                "first_request_s": first_request_time(python, repeats),
            }
            results[name] = {**figures, "target_s": TARGET_S}
    return results


def print_startup(results: dict[str, Any]) -> None:
    print(f"\nStart-up of divio-ext (median of fresh processes; target <= {TARGET_S:.1f} s)")
    for name, figures in results.items():
        if "skipped" in figures:
            print(f"  {name:<18} skipped: {figures['skipped']}")
            continue
        print(
            f"  {name:<18} --help {figures['help_s'] * 1000:4.0f} ms   "
            f"first request of `divio-ext {' '.join(COMMAND)}` "
            f"{figures['first_request_s'] * 1000:4.0f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-plain", action="store_true", help="skip the fresh virtual env")
    args = parser.parse_args(argv)
    print_startup(measure(args.repeats, plain=not args.no_plain))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
