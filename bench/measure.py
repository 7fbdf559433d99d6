"""Measuring helpers: the sandbox on a CPU of its own, request counting, repeated timing, peak
memory, import time.

Requests are counted on the client side with an httpx event hook, so every method is counted
the same way whatever library sends its requests.
"""

from __future__ import annotations

import contextlib
import functools
import os
import ssl
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from divio_sandbox import Sandbox


def cpus_apart() -> tuple[int, list[int]] | None:
    """The CPU a sandbox runs on and the CPUs this process keeps, or ``None`` where the
    machine cannot separate them (fewer than two CPUs, or no CPU affinity, as on macOS)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    return (cpus[-1], cpus[:-1]) if len(cpus) > 1 else None


@contextlib.contextmanager
def sandbox_apart(apart: bool, **options: Any) -> Iterator[Sandbox]:
    """A subprocess sandbox on a CPU of its own, while this process (the clients) keeps the
    others.

    The real API's work is done on Divio's servers, not on the machine that asks. A sandbox
    that shares the client's CPUs takes CPU time from the ways that are bound by the client's
    CPU (``backup_status``, the floors), and the scheduler moves their threads between CPUs
    that the server is also using, while a way that mostly waits (one environment after
    another) loses little (README, "Fleet status", gives both). So every sandbox here runs
    apart unless ``apart`` is false (``--shared-cpus``) or the machine cannot separate them;
    the report says which.
    """
    cpus = cpus_apart() if apart else None
    if cpus is None:
        with Sandbox(subprocess=True, **options) as sb:
            yield sb
        return
    server, clients = cpus
    everything = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {server})  # the server's process (and its threads) inherit this
    try:
        with Sandbox(subprocess=True, **options) as sb:
            os.sched_setaffinity(0, set(clients))
            yield sb
    finally:
        os.sched_setaffinity(0, everything)


@functools.cache
def plain_tls() -> ssl.SSLContext:
    """The TLS context of every plain-httpx baseline: httpx's default, made once per process.

    divio-ext's clients share one such context (``divio_ext.core.http.shared_ssl_context``),
    because building it costs about 15 ms; a script pays that once, not per run. So the
    baselines, which build a client per timed run, get theirs made once too, and no way is
    timed building it.
    """
    return httpx.create_ssl_context()


@dataclass
class RequestCounter:
    """An httpx request hook (sync and async) that counts what a client sends."""

    count: int = 0

    def __call__(self, request: httpx.Request) -> None:
        self.count += 1

    async def async_hook(self, request: httpx.Request) -> None:
        self.count += 1


@dataclass
class Timing:
    """Wall times of repeated runs, with the request count of one run."""

    seconds: list[float] = field(default_factory=list)
    requests: int = 0
    answer: Any = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> float:
        """Half the range, as a +/- figure next to the median."""
        return (max(self.seconds) - min(self.seconds)) / 2

    def as_dict(self) -> dict[str, Any]:
        return {
            "median_s": self.median,
            "spread_s": self.spread,
            "runs": len(self.seconds),
            "requests": self.requests,
        }


def repeat(run: Callable[[RequestCounter], Any], repeats: int) -> Timing:
    """Run ``run`` ``repeats`` times; every run must send the same requests and answer."""
    return alternate({"run": run}, repeats)["run"]


def alternate(runs: dict[str, Callable[[RequestCounter], Any]], repeats: int) -> dict[str, Timing]:
    """Like :func:`repeat` for several ways at once, their runs taken in turn (a, b, c, a, b,
    c, ...), so that a change in the machine's load falls on all of them alike."""
    timings = {name: Timing() for name in runs}
    for index in range(repeats):
        for name, run in runs.items():
            timing, counter = timings[name], RequestCounter()
            started = time.perf_counter()
            answer = run(counter)
            timing.seconds.append(time.perf_counter() - started)
            if index == 0:
                timing.requests, timing.answer = counter.count, answer
            elif answer != timing.answer:
                raise RuntimeError(f"{name}: run {index} answered {answer!r}, run 0 differently")
    return timings


def peak_memory(run: Callable[[], Any]) -> int:
    """Peak bytes allocated by Python while ``run`` executes (tracemalloc)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def import_time(module: str, repeats: int = 5) -> float:
    """Median wall time of ``python -c "import <module>"`` in a fresh interpreter."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)
