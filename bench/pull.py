"""Pulling a backup file: divio-ext's transfer against a plain httpx streaming download.

The sandbox generates the file on the fly (``download_size``), so a 1 GB file is never stored
anywhere but in the destination, which is deleted after each run. Every way downloads the same
URL to a file in the same folder:

* ``httpx stream``: what people write by hand, ``client.stream`` and ``iter_bytes`` into a file;
* ``divio-ext``: :func:`divio_ext.workflows.pull.pull_flow` with ``sync=False``
  (``--no-sync``): the part of ``pull_backup`` after the download has been prepared (which is
  API polling and the same for any way of downloading), through a temporary file renamed at the
  end;
* ``httpx stream, synced`` and ``divio-ext, synced``: the same, the file synced to disk
  (``os.fsync``) before it is closed, which ``pull_backup`` and ``backup pull`` do by default
  (divio-ext also syncs the directory after the rename). Syncing waits for the disk, so these
  two are compared with each other.

Peak memory is Python's (tracemalloc) during one more run of each, so it shows whether memory
grows with the file: it must not.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from bench.measure import peak_memory, plain_tls, sandbox_apart
from divio_ext import DivioClient
from divio_ext.workflows import PollPolicy, backup_download_url, latest_backup
from divio_ext.workflows.destinations import synced
from divio_ext.workflows.pull import ATTEMPTS, pull_flow, run_files
from divio_sandbox import Sandbox

MB = 1000 * 1000


class _AdvancingClock:
    """Waiting for the prepared download moves the sandbox's fixed clock instead of sleeping."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sb.clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def download_url(sb: Sandbox) -> str:
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as client:
        sib = latest_backup(client, "example-application", "live").service_instance_backup
        return backup_download_url(sib, policy=PollPolicy(clock=_AdvancingClock(sb)))


def plain(url: str, target: Path, sync: bool = False) -> int:
    written = 0
    with (
        httpx.Client(timeout=60, verify=plain_tls()) as client,
        client.stream("GET", url) as response,
        target.open("wb") as file,
    ):
        response.raise_for_status()
        for chunk in response.iter_bytes():
            written += file.write(chunk)
        if sync:
            synced(file)  # flush and fsync: what a careful hand-written download adds
    return written


def ours(url: str, target: Path, sync: bool = False) -> int:
    return run_files(pull_flow(url, target, None, None, ATTEMPTS, sync=sync), None).size


WAYS: dict[str, Callable[[str, Path], int]] = {
    "httpx stream": plain,
    "divio-ext": ours,
    "httpx stream, synced": partial(plain, sync=True),
    "divio-ext, synced": partial(ours, sync=True),
}
#: Which way each ratio divides by which.
RATIOS = {
    "ratio": ("divio-ext", "httpx stream"),
    "ratio_synced": ("divio-ext, synced", "httpx stream, synced"),
}


def measure(sb: Sandbox, size: int, repeats: int) -> dict[str, Any]:
    """Runs alternate between the ways, so disk write-back and server load hit both alike, and
    each round reverses the order of the one before, so neither way always goes first."""
    sb.configure(download_size=size)
    url = download_url(sb)
    seconds: dict[str, list[float]] = {label: [] for label in WAYS}
    cpu: dict[str, list[float]] = {label: [] for label in WAYS}
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as name:
        target = Path(name) / "backup.dump"
        for round_number in range(repeats):
            ways = list(WAYS.items())
            for label, way in ways if round_number % 2 == 0 else reversed(ways):
                started, working = time.perf_counter(), time.process_time()
                way(url, target)
                seconds[label].append(time.perf_counter() - started)
                cpu[label].append(time.process_time() - working)
                target.unlink()
        for label, way in WAYS.items():
            median = statistics.median(seconds[label])
            memory = peak_memory(lambda way=way: way(url, target))
            target.unlink()
            out[label] = {
                "median_s": median,
                "mb_per_s": size / MB / median,
                "runs_mb_per_s": [size / MB / run for run in seconds[label]],
                "client_cpu_s": statistics.median(cpu[label]),
                "peak_memory_bytes": memory,
            }
    for name, (mine, theirs) in RATIOS.items():
        out[name] = out[mine]["mb_per_s"] / out[theirs]["mb_per_s"]
    return out


def run(sizes: list[int], seed: int, repeats: int, apart: bool = True) -> list[dict[str, Any]]:
    """Each file size on one subprocess sandbox (on a CPU of its own if ``apart``), ``repeats``
    runs a way (a gigabyte takes about a second a way); prints a line per size."""
    results = []
    with sandbox_apart(apart, seed=seed, backups=1000) as sb:
        for size in sizes:
            figures = measure(sb, size, repeats)
            for name, (mine, theirs) in RATIOS.items():
                print(
                    f"pull {size / MB:6.0f} MB: {theirs} {figures[theirs]['mb_per_s']:7.1f} MB/s "
                    f"(peak {figures[theirs]['peak_memory_bytes'] / 1024:6.0f} KiB), {mine} "
                    f"{figures[mine]['mb_per_s']:7.1f} MB/s "
                    f"(peak {figures[mine]['peak_memory_bytes'] / 1024:6.0f} KiB), "
                    f"ratio {figures[name]:.2f}"
                )
            for label in WAYS:
                runs = figures[label]["runs_mb_per_s"]
                print(
                    f"  {label:20}  runs {min(runs):7.1f}-{max(runs):7.1f} MB/s, "
                    f"client CPU {figures[label]['client_cpu_s']:.3f} s a run (median)"
                )
            results.append({"bytes": size, **figures})
    return results
