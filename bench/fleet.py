"""Fleet status: every environment's latest usable backup, four ways, on one sandbox.

1. ``backup_status``: divio-ext's fleet workflow (each collection listed once);
2. ``aio.backup_status``: the same workflow on the async client;
3. ``latest_backup`` per environment: what a script does with divio-ext's one-environment call;
4. the docs' method per environment (plain httpx, every list walked sequentially at the
   server's default page size, as the docs write it): measured on one environment and scaled
   to all of them, because it walks the account's whole backup history once per environment
   (at 50k backups and 20 ms that is most of an hour for the fleet); the label says "scaled".

All must give the same answer for every environment they look at. Each runs with the server
honouring its filters and ignoring them. The timed ways' runs are taken in turn (one run of
each, then the next round), so that a change in the machine's speed falls on all of them.
Besides wall time and requests, the CPU time of this (client) process is reported for the
divio-ext ways: ``backup_status`` and per environment read the same items where the server
filters, so the client's CPU is a floor under either way's time.

Another line is the floor: only the service-instance-backup pages ``backup_status`` reads (each
chosen instance's listing where the server filters, the complete listing once where it does
not), fetched with plain httpx and decoded by msgspec into the fields the question reads (as
divio-ext decodes them: :class:`Listed`), as many at a time on threads as divio-ext asks for
(``PAGES_AT_ONCE``), their page numbers known in advance: no lookups, no checks beyond msgspec's
types, no ranking, no candidate backups. No client that reads those pages with plain httpx
can be faster, so per-environment time over the floor is the largest speed-up such a client
could show against ``latest_backup`` per environment (the "ceiling"). divio-ext's own
connection pool costs less per request than httpx's (``divio_ext/core/pool.py``), so
``backup_status``, which reads the same pages and more, can come close to the floor or under
it.

The floor's client CPU is reported too: what fetching and decoding those pages costs this
process, against which ``backup_status``'s client CPU shows what the rest of the question costs
(lookups, checks, reducing each page, candidates). Where the server filters, the time Python's
cyclic garbage collector spends during one ``backup_status`` call (``gc.callbacks``, from its own
untimed run) is reported beside it, with its full collections counted.
"""

from __future__ import annotations

import contextlib
import gc
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import anyio
import httpx
import msgspec

from bench import baselines
from bench.measure import RequestCounter, alternate, plain_tls, repeat, sandbox_apart
from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.errors import NotFound
from divio_ext.resources.relations import PAGE_SIZE, PAGES_AT_ONCE
from divio_ext.workflows import aio, backup_status, latest_backup
from divio_sandbox import Sandbox

#: Environments the docs' method is timed on (then scaled to the fleet).
DOCS_SAMPLE = 1
SIBS = "/apps/v3/service-instance-backups/"

Answers = dict[tuple[str, str], str | None]


class Listed(msgspec.Struct, gc=False):
    """A listed service-instance backup, as much of it as the latest-backup rule reads."""

    uuid: str
    backup: str
    service_instance: str
    taken_at: Any = None
    ended_at: Any = None
    errors: Any = None


class ListedPage(msgspec.Struct, gc=False):
    """A page of them."""

    count: int
    results: list[Listed]
    next: Any = None


PAGE = msgspec.json.Decoder(ListedPage)
R = TypeVar("R")
WAYS = (
    "backup_status",
    "aio.backup_status",
    "latest_backup per environment",
    "docs per environment (scaled)",
)


def _client(sb: Sandbox, counter: RequestCounter) -> DivioClient:
    return DivioClient(
        token=sb.tokens["alice"], base_url=sb.url, event_hooks={"request": [counter]}
    )


def fleet(sb: Sandbox, counter: RequestCounter) -> Answers:
    with _client(sb, counter) as client:
        return {
            (str(s.application.slug), str(s.environment.slug)): (
                s.latest.service_instance_backup.uuid if s.latest else None
            )
            for s in backup_status(client)
        }


def async_fleet(sb: Sandbox, counter: RequestCounter) -> Answers:
    """The same on an ``AsyncDivioClient`` (its own event loop per run)."""

    async def run() -> Answers:
        hooks = {"request": [counter.async_hook]}
        options = {"token": sb.tokens["alice"], "base_url": sb.url, "event_hooks": hooks}
        async with AsyncDivioClient(**options) as client:
            return {
                (str(s.application.slug), str(s.environment.slug)): (
                    s.latest.service_instance_backup.uuid if s.latest else None
                )
                for s in await aio.backup_status(client)
            }

    return anyio.run(run)


def per_environment(sb: Sandbox, environments: list[tuple[str, str]]) -> Any:
    def run(counter: RequestCounter) -> Answers:
        answers: Answers = {}
        with _client(sb, counter) as client:
            for app, env in environments:
                answers[(app, env)] = None
                with contextlib.suppress(NotFound):
                    found = latest_backup(client, app, env)
                    answers[(app, env)] = found.service_instance_backup.uuid
        return answers

    return run


def docs(sb: Sandbox, environments: list[tuple[str, str]]) -> Any:
    def run(counter: RequestCounter) -> Answers:
        answers: Answers = {}
        headers = {"Authorization": f"Token {sb.tokens['alice']}"}
        hooks: dict[str, list[Callable[..., Any]]] = {"request": [counter]}
        with httpx.Client(
            base_url=sb.url, headers=headers, event_hooks=hooks, timeout=60, verify=plain_tls()
        ) as c:
            for app, env in environments:
                try:
                    answers[(app, env)] = baselines.docs_way(c, app, env)
                except LookupError:
                    answers[(app, env)] = None
        return answers

    return run


def read_pages(sb: Sandbox, ignored: bool) -> list[dict[str, str]]:
    """The query of every service-instance-backup page ``backup_status`` reads (not timed)."""
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as client:
        instances = [s.service_instance.uuid for s in backup_status(client) if s.service_instance]
    headers = {"Authorization": f"Token {sb.tokens['alice']}"}
    listings = [{}] if ignored else [{"service_instance": uuid} for uuid in instances]
    size = str(PAGE_SIZE)
    pages: list[dict[str, str]] = []
    with httpx.Client(base_url=sb.url, headers=headers, timeout=60, verify=plain_tls()) as c:
        for where in listings:
            first = c.get(SIBS, params={**where, "page_size": size}).json()
            last = -(-first["count"] // max(1, len(first["results"])))
            pages += [{**where, "page_size": size, "page": str(n)} for n in range(1, last + 1)]
    return pages


def floor(sb: Sandbox, pages: list[dict[str, str]]) -> Callable[[RequestCounter], int]:
    """Those pages and nothing else: plain httpx and msgspec, as many at a time on threads as
    ``backup_status`` asks for."""
    headers = {"Authorization": f"Token {sb.tokens['alice']}"}
    limits = httpx.Limits(max_keepalive_connections=PAGES_AT_ONCE)

    def run(counter: RequestCounter) -> int:
        hooks: dict[str, list[Callable[..., Any]]] = {"request": [counter]}
        with httpx.Client(
            base_url=sb.url,
            headers=headers,
            event_hooks=hooks,
            limits=limits,
            timeout=60,
            verify=plain_tls(),
        ) as c:

            def items(params: dict[str, str]) -> int:
                response = c.get(SIBS, params=params)
                response.raise_for_status()
                return len(PAGE.decode(response.content).results)

            with ThreadPoolExecutor(max_workers=PAGES_AT_ONCE) as pool:
                return sum(pool.map(items, pages))

    return run


def collector_seconds(sb: Sandbox) -> tuple[float, int]:
    """Seconds the garbage collector runs during one ``backup_status`` call, and how many of its
    collections were full ones (the oldest generation: every tracked object is visited)."""
    pauses: list[float] = []
    full = 0

    def watch(phase: str, info: dict[str, int]) -> None:
        nonlocal full
        if phase == "start":
            pauses.append(-time.perf_counter())
            full += info["generation"] == 2
        else:
            pauses[-1] += time.perf_counter()

    gc.collect()
    gc.callbacks.append(watch)
    try:
        fleet(sb, RequestCounter())
    finally:
        gc.callbacks.remove(watch)
    return sum(pauses), full


def with_cpu(
    run: Callable[[RequestCounter], R],
) -> tuple[Callable[[RequestCounter], R], list[float]]:
    """``run``, recording the CPU seconds of this process each call takes."""
    seconds: list[float] = []

    def timed(counter: RequestCounter) -> R:
        started = time.process_time()
        try:
            return run(counter)
        finally:
            seconds.append(time.process_time() - started)

    return timed, seconds


def cpu_parts(sb: Sandbox) -> dict[str, Any]:
    """The collector's share of ``backup_status``'s client CPU (see the module's doc)."""
    collector_s, full = collector_seconds(sb)
    return {"collector_s": collector_s, "full_collections": full}


def measure(sb: Sandbox, repeats: int) -> dict[str, Any]:
    """Every way, filters honoured then ignored; raises if any answers differ."""
    out: dict[str, Any] = {}
    for ignored in (False, True):
        sb.configure(ignore_filters=ignored)
        try:
            ours_run, ours_cpu = with_cpu(lambda counter: fleet(sb, counter))
            async_run, async_cpu = with_cpu(lambda counter: async_fleet(sb, counter))
            pages = read_pages(sb, ignored)
            floor_run, floor_cpu = with_cpu(floor(sb, pages))
            environments = sorted(fleet(sb, RequestCounter()))  # untimed: whom to ask about
            theirs_run, theirs_cpu = with_cpu(per_environment(sb, environments))
            ways = {"ours": ours_run, "async": async_run, "floor": floor_run, "theirs": theirs_run}
            timings = alternate(ways, repeats)
            parts = {} if ignored else cpu_parts(sb)
            ours, least, one_by_one = timings["ours"], timings["floor"], timings["theirs"]
            sample = environments[:DOCS_SAMPLE]
            by_docs = repeat(docs(sb, sample), 1)
        finally:
            sb.configure(ignore_filters=False)
        if timings["async"].answer != ours.answer:
            raise RuntimeError(f"aio.backup_status answers differently: {timings['async'].answer}")
        if one_by_one.answer != ours.answer:
            raise RuntimeError(f"per-environment answers differ: {one_by_one.answer}")
        if any(by_docs.answer[key] != ours.answer[key] for key in sample):
            raise RuntimeError(f"the docs' method answers differently: {by_docs.answer}")
        scale = len(environments) / len(sample)
        label = "filters ignored" if ignored else "filters honoured"
        out[label] = {
            "environments": len(environments),
            "backup_status": {
                **ours.as_dict(),
                "client_cpu_s": statistics.median(ours_cpu),
                **parts,
            },
            "aio.backup_status": {
                **timings["async"].as_dict(),
                "client_cpu_s": statistics.median(async_cpu),
            },
            "latest_backup per environment": {
                **one_by_one.as_dict(),
                "client_cpu_s": statistics.median(theirs_cpu),
            },
            "docs per environment (scaled)": {
                "median_s": by_docs.median * scale,
                "requests": round(by_docs.requests * scale),
                "measured_environments": len(sample),
            },
            "floor": {**least.as_dict(), "client_cpu_s": statistics.median(floor_cpu)},
            "speedup_vs_per_environment": one_by_one.median / ours.median,
            "ceiling_vs_per_environment": one_by_one.median / least.median,
            "speedup_vs_docs": by_docs.median * scale / ours.median,
        }
    return out


def print_fleet(size: int, latency: float, figures: dict[str, Any]) -> None:
    """One block per sandbox: seconds and requests per way, and the speed-ups."""
    print(f"\nfleet status: {size} backups, {latency * 1000:.0f} ms latency")
    for label, ways in figures.items():
        print(f"  {label} ({ways['environments']} environments):")
        for name in (*WAYS, "floor"):
            way = ways[name]
            cpu = f"  client CPU {way['client_cpu_s']:.3f} s" if "client_cpu_s" in way else ""
            print(f"    {name:32} {way['median_s']:8.3f} s  {way['requests']:6d} requests{cpu}")
            if "collector_s" in way:
                print(
                    f"      of its CPU: {way['collector_s']:.3f} s in the garbage collector "
                    f"({way['full_collections']} full collections)"
                )
        print(
            f"    speed-up: {ways['speedup_vs_per_environment']:.1f}x vs per environment "
            f"(the floor allows {ways['ceiling_vs_per_environment']:.1f}x), "
            f"{ways['speedup_vs_docs']:.0f}x vs the docs"
        )


def run(
    sizes: list[int],
    latencies: list[float],
    seed: int,
    repeats: int,
    extra_applications: int = 0,
    apart: bool = True,
) -> list[dict[str, Any]]:
    """Every size and latency in a fresh subprocess sandbox (with ``extra_applications``), on a
    CPU of its own if ``apart`` (:func:`bench.measure.sandbox_apart`)."""
    results = []
    for size in sizes:
        for latency in latencies:
            with sandbox_apart(
                apart,
                seed=seed,
                backups=size,
                latency=latency,
                extra_applications=extra_applications,
            ) as sb:
                figures = measure(sb, repeats)
            print_fleet(size, latency, figures)
            results.append({"backups": size, "latency_s": latency, "fleet": figures})
    return results
