"""``make bench``: how fast divio-ext answers relation questions, against today's ways.

For each size (total backups in the sandbox) and each injected latency, the sandbox runs in
a subprocess on loopback with a fixed seed, and the question "latest usable DATABASE/DEFAULT
backup of example-application's live environment" is answered by (see ``bench/baselines.py``):

1. ``docs, page_size=100``: the method the Divio docs describe (plain httpx, every list walked
   sequentially), with the largest page size: the fair baseline, which speed-ups refer to;
2. ``docs, default page size``: the same method exactly as the docs write it (no ``page_size``);
3. ``hand-tuned httpx (floor)``: plain httpx with filters, largest pages, concurrent pages;
4. ``divio-ext``: ``latest_backup``, with the server honouring its filters, and ignoring them.

All methods must give the same answer. Also measured: pager throughput over all backups
(sequential and concurrent) against a plain httpx+json loop, peak memory, import time, and
how fast the ``divio-ext`` command starts (``bench/startup.py``).

Then (``bench/fleet.py``) every environment's latest backup at once, against ``latest_backup``
per environment and the docs' method, and (``bench/pull.py``) pulling a backup file against a
plain httpx streaming download.

Usage: ``python -m bench [--sizes 1000,10000,50000] [--latency 0.02,0] [--repeats 3]
[--only question|fleet|pull] [--pull-sizes 10000000,100000000,1000000000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench import baselines, ext, fleet, pull, startup
from bench.measure import (
    RequestCounter,
    Timing,
    alternate,
    cpus_apart,
    import_time,
    peak_memory,
    plain_tls,
    repeat,
    sandbox_apart,
)
from bench.report import print_report, print_summary
from divio_sandbox import Sandbox

APP, ENV = "example-application", "live"
PAGE_SIZE = baselines.LARGEST_PAGE
#: The method every speed-up is measured against.
FAIR = "docs, page_size=100"
FLOOR = "hand-tuned httpx (floor)"


def least_round_trips(sb: Sandbox) -> dict[str, int]:
    """The least number of sequential round trips the question can need on this data.

    Application -> environment -> service instance -> its service-instance backups -> the
    backup of the best candidate. A list that spans more than one page needs a second round
    (page 1 tells the count; the other pages can then come concurrently). With filters, the
    list is the instance's own service-instance backups; without, it is all of them.
    """
    with plain_client(sb, RequestCounter()) as client:
        _env, instance = baselines.locate(client, APP, ENV, "DATABASE", "DEFAULT")
        own = client.get(
            "/apps/v3/service-instance-backups/",
            params={"service_instance": instance["uuid"], "page_size": "1"},
        )
        every = client.get("/apps/v3/service-instance-backups/", params={"page_size": "1"})

    def rounds(count: int) -> int:
        return 1 if count <= PAGE_SIZE else 2

    return {
        "with_filters": 4 + rounds(own.json()["count"]),
        "without_filters": 4 + rounds(every.json()["count"]),
    }


def plain_client(sb: Sandbox, counter: RequestCounter) -> httpx.Client:
    return httpx.Client(
        base_url=sb.url,
        headers={"Authorization": f"Token {sb.tokens['alice']}"},
        event_hooks={"request": [counter]},
        timeout=60,
        verify=plain_tls(),
    )


def plain_async_client(sb: Sandbox, counter: RequestCounter) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=sb.url,
        headers={"Authorization": f"Token {sb.tokens['alice']}"},
        event_hooks={"request": [counter.async_hook]},
        timeout=60,
        verify=plain_tls(),
    )


def question(sb: Sandbox, repeats: int, slow_repeats: int) -> dict[str, Any]:
    """Time every method on one running sandbox; all must agree."""

    def docs(page_size: int | None) -> Callable[[RequestCounter], str]:
        def run(counter: RequestCounter) -> str:
            with plain_client(sb, counter) as client:
                return baselines.docs_way(client, APP, ENV, page_size=page_size)

        return run

    def floor(counter: RequestCounter) -> str:
        async def run() -> str:
            async with plain_async_client(sb, counter) as client:
                return await baselines.hand_tuned(client, APP, ENV)

        return asyncio.run(run())

    def divio_ext(counter: RequestCounter) -> str:
        with ext.client(sb.url, sb.tokens["alice"], counter) as client:
            return ext.latest_backup_uuid(client, APP, ENV)

    results: dict[str, Timing] = {
        FAIR: repeat(docs(PAGE_SIZE), slow_repeats),
        "docs, default page size": repeat(docs(None), slow_repeats),
        FLOOR: repeat(floor, repeats),
        "divio-ext": repeat(divio_ext, repeats),
    }
    sb.configure(ignore_filters=True)
    try:
        results["divio-ext, filters ignored"] = repeat(divio_ext, repeats)
    finally:
        sb.configure(ignore_filters=False)
    answers = {name: timing.answer for name, timing in results.items()}
    if len(set(answers.values())) != 1:
        raise RuntimeError(f"methods disagree: {answers}")
    fair, floor_time = results[FAIR].median, results[FLOOR].median
    return {
        name: {
            **timing.as_dict(),
            "speed_up": fair / timing.median,
            "time_vs_floor": timing.median / floor_time,
        }
        for name, timing in results.items()
    }


def throughput(sb: Sandbox, repeats: int) -> dict[str, Any]:
    """Items per second over all backups, and the peak memory of iterating them.

    The ways run in turn. The baseline is the loop a careful user writes (one page at a time);
    the floor is the same loop with the next page in flight, as the pager's default has it.
    """

    def plain(counter: RequestCounter) -> int:
        with plain_client(sb, counter) as client:
            return baselines.iterate_all(client, PAGE_SIZE)

    def plain_ahead(counter: RequestCounter) -> int:
        with plain_client(sb, counter) as client:
            return baselines.iterate_all_ahead(client, PAGE_SIZE)

    def pager(concurrency: int | None) -> Callable[[RequestCounter], int]:
        def run(counter: RequestCounter) -> int:
            with ext.client(sb.url, sb.tokens["alice"], counter) as client:
                return ext.count_backups(client, PAGE_SIZE, concurrency)

        return run

    runs = {
        "httpx+json loop": plain,
        "httpx+json, next page ahead (floor)": plain_ahead,
        "divio-ext pager": pager(None),
        "divio-ext pager, concurrency 1": pager(1),
        "divio-ext pager, concurrency 4": pager(4),
    }
    out: dict[str, Any] = {}
    for name, timing in alternate(runs, repeats).items():
        run = runs[name]
        memory = peak_memory(lambda run=run: run(RequestCounter()))
        out[name] = {
            **timing.as_dict(),
            "items": timing.answer,
            "items_per_s": timing.answer / timing.median,
            "peak_memory_bytes": memory,
        }
    plain_rate = out["httpx+json loop"]["items_per_s"]
    for figures in out.values():
        figures["vs_httpx_json"] = figures["items_per_s"] / plain_rate
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,50000", help="total backups in the sandbox, comma separated"
    )
    parser.add_argument(
        "--latency",
        default="0,0.02",
        help="injected latency per request in seconds, comma separated",
    )
    parser.add_argument("--repeats", type=int, default=5, help="runs per divio-ext measurement")
    parser.add_argument(
        "--slow-repeats",
        type=int,
        default=3,
        help="runs per baseline measurement (they take much longer)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--extra-applications",
        type=int,
        default=0,
        help="fleet benchmark: applications (test and live) seeded beyond the scenario's 17 "
        "environments",
    )
    parser.add_argument(
        "--only", choices=("question", "fleet", "pull", "startup"), help="one part only"
    )
    parser.add_argument(
        "--pull-sizes",
        default="10000000,100000000,1000000000",
        help="backup file sizes in bytes for the pull benchmark, comma separated",
    )
    parser.add_argument(
        "--no-plain-startup",
        action="store_true",
        help="measure the start-up in this environment only, not also in a fresh venv",
    )
    parser.add_argument(
        "--shared-cpus",
        action="store_true",
        help="run each sandbox on the same CPUs as the clients (by default it gets a CPU of its "
        "own where the machine has two or more)",
    )
    parser.add_argument("--json-out", type=Path, default=Path("bench-results.json"))
    args = parser.parse_args(argv)
    apart = not args.shared_cpus
    cpus = cpus_apart() if apart else None
    sizes = [int(value) for value in args.sizes.split(",")]
    # 0 ms first: the round trips of a latency run are computed against its 0 ms twin.
    latencies = sorted(float(value) for value in args.latency.split(","))
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            # Where each sandbox ran: a CPU of its own (and this process the others), or shared.
            "sandbox_cpu": None if cpus is None else cpus[0],
            "client_cpus": None if cpus is None else cpus[1],
            # Other work on the machine slows every method; the 1-minute load average says how much.
            "load_average_at_start": os.getloadavg()[0],
        },
        "import_divio_ext_s": import_time("divio_ext"),
        "runs": [],
    }
    print(f"import divio_ext: {report['import_divio_ext_s'] * 1000:.0f} ms (fresh interpreter)")
    print(
        "sandboxes share the clients' CPUs"
        if cpus is None
        else f"sandboxes on CPU {cpus[0]}, clients on the others ({', '.join(map(str, cpus[1]))})"
    )
    if args.only in (None, "startup"):
        report["startup"] = startup.measure(plain=not args.no_plain_startup)
        startup.print_startup(report["startup"])
    for size in sizes if args.only in (None, "question") else []:
        for latency in latencies:
            with sandbox_apart(apart, seed=args.seed, backups=size, latency=latency) as sb:
                run = {
                    "backups": size,
                    "latency_s": latency,
                    "least_round_trips": least_round_trips(sb),
                    "question": question(sb, args.repeats, args.slow_repeats),
                    "throughput": throughput(sb, min(args.repeats, 3)),
                }
            report["runs"].append(run)
            print_report(report)
    report["machine"]["load_average_at_end"] = os.getloadavg()[0]
    if report["runs"]:
        print_summary(report)
    if args.only in (None, "fleet"):
        report["fleet"] = fleet.run(
            sizes, latencies, args.seed, args.repeats, args.extra_applications, apart
        )
    if args.only in (None, "pull"):
        pull_sizes = [int(value) for value in args.pull_sizes.split(",")]
        report["pull"] = pull.run(pull_sizes, args.seed, args.repeats, apart)
    args.json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
