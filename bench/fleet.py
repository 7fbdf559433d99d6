"""Fleet status: every environment's latest usable backup, three ways, on one sandbox.

1. ``backup_status``: divio-ext's fleet workflow (each collection listed once);
2. ``latest_backup`` per environment: what a script does with divio-ext's one-environment call;
3. the docs' method per environment (plain httpx, every list walked sequentially at the
   server's default page size, as the docs write it): measured on one environment and scaled
   to all of them, because it walks the account's whole backup history once per environment
   (at 50k backups and 20 ms that is most of an hour for the fleet); the label says "scaled".

All three must give the same answer for every environment they look at. Each runs with the
server honouring its filters and ignoring them. Besides wall time and requests, the CPU time
of this (client) process is reported for the two divio-ext ways: both read the same items
where the server filters, so the client's CPU is a floor under either way's time.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx

from bench import baselines
from bench.measure import RequestCounter, repeat
from divio_ext import DivioClient
from divio_ext.errors import NotFound
from divio_ext.workflows import backup_status, latest_backup
from divio_sandbox import Sandbox

#: Environments the docs' method is timed on (then scaled to the fleet).
DOCS_SAMPLE = 1

Answers = dict[tuple[str, str], str | None]
WAYS = ("backup_status", "latest_backup per environment", "docs per environment (scaled)")


def _client(sb: Sandbox, counter: RequestCounter) -> DivioClient:
    return DivioClient(
        token=sb.tokens["alice"], base_url=sb.url, event_hooks={"request": [counter]}
    )


def fleet(sb: Sandbox, counter: RequestCounter) -> Answers:
    with _client(sb, counter) as client:
        return {
            (str(s.application.slug), str(s.environment.slug)): (
                s.latest and s.latest.service_instance_backup.uuid
            )
            for s in backup_status(client)
        }


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
        hooks = {"request": [counter]}
        with httpx.Client(base_url=sb.url, headers=headers, event_hooks=hooks, timeout=60) as c:
            for app, env in environments:
                try:
                    answers[(app, env)] = baselines.docs_way(c, app, env)
                except LookupError:
                    answers[(app, env)] = None
        return answers

    return run


def with_cpu(run: Callable[[RequestCounter], Answers]) -> tuple[Any, list[float]]:
    """``run``, recording the CPU seconds of this process each call takes."""
    seconds: list[float] = []

    def timed(counter: RequestCounter) -> Answers:
        started = time.process_time()
        try:
            return run(counter)
        finally:
            seconds.append(time.process_time() - started)

    return timed, seconds


def measure(sb: Sandbox, repeats: int) -> dict[str, Any]:
    """All three ways, filters honoured then ignored; raises if any answers differ."""
    out: dict[str, Any] = {}
    for ignored in (False, True):
        sb.configure(ignore_filters=ignored)
        try:
            ours_run, ours_cpu = with_cpu(lambda counter: fleet(sb, counter))
            ours = repeat(ours_run, repeats)
            environments = sorted(ours.answer)
            theirs_run, theirs_cpu = with_cpu(per_environment(sb, environments))
            one_by_one = repeat(theirs_run, max(1, repeats // 2))
            sample = environments[:DOCS_SAMPLE]
            by_docs = repeat(docs(sb, sample), 1)
        finally:
            sb.configure(ignore_filters=False)
        if one_by_one.answer != ours.answer:
            raise RuntimeError(f"per-environment answers differ: {one_by_one.answer}")
        if any(by_docs.answer[key] != ours.answer[key] for key in sample):
            raise RuntimeError(f"the docs' method answers differently: {by_docs.answer}")
        scale = len(environments) / len(sample)
        label = "filters ignored" if ignored else "filters honoured"
        out[label] = {
            "environments": len(environments),
            "backup_status": {**ours.as_dict(), "client_cpu_s": statistics.median(ours_cpu)},
            "latest_backup per environment": {
                **one_by_one.as_dict(),
                "client_cpu_s": statistics.median(theirs_cpu),
            },
            "docs per environment (scaled)": {
                "median_s": by_docs.median * scale,
                "requests": round(by_docs.requests * scale),
                "measured_environments": len(sample),
            },
            "speedup_vs_per_environment": one_by_one.median / ours.median,
            "speedup_vs_docs": by_docs.median * scale / ours.median,
        }
    return out


def print_fleet(size: int, latency: float, figures: dict[str, Any]) -> None:
    """One block per sandbox: seconds and requests per way, and the speed-ups."""
    print(f"\nfleet status: {size} backups, {latency * 1000:.0f} ms latency")
    for label, ways in figures.items():
        print(f"  {label} ({ways['environments']} environments):")
        for name in WAYS:
            way = ways[name]
            cpu = f"  client CPU {way['client_cpu_s']:.3f} s" if "client_cpu_s" in way else ""
            print(f"    {name:32} {way['median_s']:8.3f} s  {way['requests']:6d} requests{cpu}")
        print(
            f"    speed-up: {ways['speedup_vs_per_environment']:.1f}x vs per environment, "
            f"{ways['speedup_vs_docs']:.0f}x vs the docs"
        )


def run(
    sizes: list[int], latencies: list[float], seed: int, repeats: int, extra_applications: int = 0
) -> list[dict[str, Any]]:
    """Every size and latency in a fresh subprocess sandbox (with ``extra_applications``)."""
    results = []
    for size in sizes:
        for latency in latencies:
            with Sandbox(
                seed=seed,
                backups=size,
                latency=latency,
                subprocess=True,
                extra_applications=extra_applications,
            ) as sb:
                figures = measure(sb, repeats)
            print_fleet(size, latency, figures)
            results.append({"backups": size, "latency_s": latency, "fleet": figures})
    return results
