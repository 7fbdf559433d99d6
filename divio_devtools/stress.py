"""Fault runs: the main workflows against a sandbox in chaos mode, checked against a clean run.

For every seed, each workflow first runs on a fault-free sandbox: that answer is the truth,
and its duration the reference time. Then it runs on a fresh sandbox of the same seed in which
a share of the API requests fail as networks and proxies do (429 with ``Retry-After: 1``, a 502
HTML page, 503, a dropped connection, a slow answer). By default the sandbox also ignores the
filters public sources cannot confirm, as a server without them would, so the workflows read
every page (``latest-backup`` about 60). Every chaos run must end in one of two ways:

* **correct**: exactly the fault-free answer (same items, same order, no duplicate, nothing
  missing; for the waiting workflows the same finished backup or deployment);
* **clean error**: a ``DivioError`` that names the fault (``APIConnectionError``, ``RateLimited``,
  ``ServerError``, ``ResponseDecodeError``) in a one-line message.

Anything else is counted against the client: a different answer (**wrong**), an error that
blames the data instead of the fault, such as "application not found" or "deployment failed"
(**misleading**), or an exception that is not a ``DivioError`` at all (**raw**). Writes are
also checked on the server: a run may create at most one backup or deployment, exactly one if
it returned an answer, and none if its error said the server did not act.

Targets (the process exits with status 1 if one is missed, or if any run was not correct or
clean): every read workflow gives the fault-free answer in at least 99 % of runs at fault rates
up to 20 % and 95 % up to 40 %; the runs at 20 % take at most 3 times as long as the fault-free
ones, in total (the ``x clean`` column gives the ratio per row).

Time is a time-lapse: the clients' clock runs ``--speed`` times faster than real time, so a
``Retry-After`` of 1 s or a backoff of 0.5 s sleeps 1/speed as long, deadlines are counted in
the same sped-up seconds, and the sandbox's answers, given ``--latency`` (in the same seconds),
stand for those of a real API across the internet. Waiting workflows poll on a clock that
advances the sandbox's fixed clock, so a backup "takes minutes" in milliseconds. Each run gets
its own sandbox, so runs are independent; the chaos draws come from the seed, but which request
gets which draw depends on how concurrent requests interleave. The runs of a row share the
machine (``--workers`` at a time, sandboxes in this process): on few cores that slows every
request, fault-free or not, which dilutes the time ratio; ``--workers 1`` measures it without
that load, more slowly. Usage::

    python -m divio_devtools.stress                       # 40 seeds x 5%, 20%, 40%: a few minutes
    python -m divio_devtools.stress --runs 200 --rates 0.1,0.5 --workflows latest-backup
    python -m divio_devtools.stress --honour-filters      # a server that applies every filter
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx

from divio_ext import (
    APIConnectionError,
    AsyncDivioClient,
    DivioClient,
    DivioError,
    ResponseDecodeError,
    RetryPolicy,
    ServerError,
)
from divio_ext.core.contract import BACKUPS_LIST, DEPLOYMENTS_LIST
from divio_ext.errors import RateLimited
from divio_ext.resources.bound import application
from divio_ext.workflows import (
    PollPolicy,
    aio,
    backup_status,
    create_backup,
    deploy,
    latest_backup,
)
from divio_sandbox import Sandbox
from divio_sandbox.waiting import SandboxTime

APP, ENV = "example-application", "live"
DEFAULT_RATES = (0.05, 0.2, 0.4)
LIST_PAGE_SIZE = 100
#: Backups in each sandbox: enough for about 60 pages of service-instance backups when the
#: server ignores the filter that would narrow them to one service instance.
DEFAULT_BACKUPS = 3000
#: The moment fleet statuses are measured from, the same in every run, so that a state cannot
#: change between the fault-free run and a chaos run as the wall clock moves on.
STATUS_AT = datetime.datetime(2026, 6, 2, tzinfo=datetime.UTC)
#: Errors that name a fault of the network or the server: the acceptable way to fail.
FAULT_ERRORS: tuple[type[DivioError], ...] = (
    APIConnectionError,
    RateLimited,
    ServerError,
    ResponseDecodeError,
)
OUTCOMES = ("correct", "clean", "wrong", "misleading", "raw")
#: (highest fault rate, share of runs of a read workflow that must give the fault-free answer)
CORRECT_TARGETS = ((0.2, 0.99), (0.4, 0.95))
#: Runs at this fault rate may take at most ``SLOWDOWN_TARGET`` times the fault-free time.
SLOWDOWN_RATE, SLOWDOWN_TARGET = 0.2, 3.0


class TimeLapse:
    """The clients' clock: real time, running ``speed`` times faster.

    Stateless, so one is shared by every run and every thread of a run: concurrent sleeps
    overlap as they do in real time, and a client-wide cool-down is the same moment for all.
    """

    def __init__(self, speed: float) -> None:
        self.speed = speed

    def monotonic(self) -> float:
        return time.monotonic() * self.speed

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds / self.speed)

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.speed)


class AttemptCounter:
    """Counts the attempts of each logical request (an httpx request hook sees every attempt
    of the same request object), so ``retries`` is exact whatever the client waited for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._attempts: dict[int, tuple[httpx.Request, int]] = {}

    def hook(self, request: httpx.Request) -> None:
        with self._lock:
            _, count = self._attempts.get(id(request), (request, 0))
            self._attempts[id(request)] = (request, count + 1)

    async def async_hook(self, request: httpx.Request) -> None:
        self.hook(request)

    @property
    def retries(self) -> int:
        with self._lock:
            return sum(count - 1 for _, count in self._attempts.values())


@dataclass(frozen=True)
class Context:
    """What one workflow run gets: a sandbox, a client on it and the waiting policy."""

    sandbox: Sandbox
    client: DivioClient
    poll: PollPolicy
    attempts: AttemptCounter

    def async_client(self) -> AsyncDivioClient:
        return AsyncDivioClient(
            token=self.sandbox.tokens["alice"],
            base_url=self.sandbox.url,
            retry=self.client.retry,
            timeout=self.client.http.timeout,
            event_hooks={"request": [self.attempts.async_hook]},
        )


def dump(model: Any) -> Any:
    """A model (bound or generated) as plain JSON values, for exact comparison."""
    return json.loads(json.dumps(model.to_dict(), sort_keys=True, default=str))


def _latest(found: Any) -> Any:
    return {
        "service_instance_backup": dump(found.service_instance_backup),
        "backup": dump(found.backup),
        "service_instance": found.service_instance.uuid,
        "environment": found.environment.uuid,
        "application": found.application.uuid,
    }


def run_latest_backup(ctx: Context) -> Any:
    return _latest(latest_backup(ctx.client, APP, ENV))


def run_latest_backup_async(ctx: Context) -> Any:
    async def main() -> Any:
        async with ctx.async_client() as client:
            return _latest(await aio.latest_backup(client, APP, ENV))

    return anyio.run(main)


def _statuses(found: Iterable[Any]) -> Any:
    return [
        {
            "application": status.application.uuid,
            "environment": status.environment.uuid,
            "state": status.state,
            "problem": status.problem,
            "seen": dict(status.seen),
            "latest": None if status.latest is None else _latest(status.latest),
        }
        for status in found
    ]


def run_backup_status(ctx: Context) -> Any:
    """Every environment's latest usable backup: the fleet status, every listing at once."""
    return _statuses(backup_status(ctx.client, now=STATUS_AT))


def run_backup_status_async(ctx: Context) -> Any:
    async def main() -> Any:
        async with ctx.async_client() as client:
            return _statuses(await aio.backup_status(client, now=STATUS_AT))

    return anyio.run(main)


def run_list_backups(ctx: Context, concurrency: int = 1) -> Any:
    """Every backup the token sees, in pages of the API's default size (about 25 pages)."""
    pager = ctx.client.paginate(BACKUPS_LIST, page_size=LIST_PAGE_SIZE, concurrency=concurrency)
    return [dump(item) for item in pager]


def run_environment(listing: str) -> Callable[[Context], Any]:
    """A bound listing of the live environment: ``backups``, ``deployments``, variables."""

    def run(ctx: Context) -> Any:
        live = application(ctx.client, APP).environment(ENV)
        return [dump(item) for item in getattr(live, listing)()]

    run.__name__ = f"run_{listing}"
    return run


def run_create_backup(ctx: Context) -> Any:
    live = application(ctx.client, APP).environment(ENV)
    made = create_backup(live, policy=ctx.poll)
    return {"backup": dump(made), "parts": [dump(part) for part in made.parts]}


def run_deploy(ctx: Context) -> Any:
    live = application(ctx.client, APP).environment(ENV)
    return dump(deploy(live, policy=ctx.poll))


@dataclass(frozen=True)
class Workflow:
    """A workflow under test; ``creates`` lists what it adds on the server (at most one)."""

    name: str
    run: Callable[[Context], Any]
    creates: Any = None

    @property
    def reads(self) -> bool:
        return self.creates is None


WORKFLOWS: dict[str, Workflow] = {
    w.name: w
    for w in (
        Workflow("latest-backup", run_latest_backup),
        Workflow("latest-backup-async", run_latest_backup_async),
        Workflow("backup-status", run_backup_status),
        Workflow("backup-status-async", run_backup_status_async),
        Workflow("list-backups", run_list_backups),
        Workflow("list-backups-prefetch", lambda ctx: run_list_backups(ctx, concurrency=4)),
        Workflow("backups", run_environment("backups")),
        Workflow("deployments", run_environment("deployments")),
        Workflow("env-vars", run_environment("environment_variables")),
        Workflow("create-backup-and-wait", run_create_backup, creates=BACKUPS_LIST),
        Workflow("deploy-and-wait", run_deploy, creates=DEPLOYMENTS_LIST),
    )
}


@dataclass(frozen=True)
class Settings:
    """How each run's sandbox and client behave; ``speed`` and ``latency`` as in the docstring."""

    slow_seconds: float = 0.05
    timeout: float = 10.0
    faults: tuple[str, ...] = ("429", "502", "503", "drop", "slow")
    ignore_filters: bool = True
    backups: int = DEFAULT_BACKUPS
    speed: float = 20.0
    latency: float = 0.2


@dataclass
class Truth:
    """The fault-free run of one workflow on one seed."""

    answer: Any
    seconds: float
    count_before: int | None = None


@dataclass
class Outcome:
    kind: str
    faults: int
    retries: int
    cause: str = ""
    seconds: float = 0.0


def _count(sandbox: Sandbox, operation: Any) -> int:
    sandbox.configure(chaos=0.0)
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        return sum(1 for _ in client.paginate(operation))


@contextmanager
def running(seed: int, rate: float, settings: Settings) -> Iterator[Context]:
    with Sandbox(
        seed=seed,
        backups=settings.backups,
        chaos=rate,
        faults=settings.faults,
        slow_seconds=settings.slow_seconds,
        latency=settings.latency / settings.speed,
        ignore_filters=settings.ignore_filters,
    ) as sandbox:
        attempts = AttemptCounter()
        with DivioClient(
            token=sandbox.tokens["alice"],
            base_url=sandbox.url,
            retry=RetryPolicy(clock=TimeLapse(settings.speed)),
            timeout=settings.timeout,
            event_hooks={"request": [attempts.hook]},
        ) as client:
            yield Context(sandbox, client, PollPolicy(clock=SandboxTime(sandbox.clock)), attempts)


def _timed(workflow: Workflow, ctx: Context) -> tuple[Any, float]:
    started = time.perf_counter()
    answer = workflow.run(ctx)
    return answer, time.perf_counter() - started


@dataclass
class Runner:
    """Runs workflows under chaos and classifies each run against the fault-free truth."""

    settings: Settings = field(default_factory=Settings)
    truths: dict[tuple[str, int], Truth] = field(default_factory=dict)

    def truth(self, workflow: Workflow, seed: int) -> Truth:
        key = (workflow.name, seed)
        if key not in self.truths:
            with running(seed, 0.0, self.settings) as ctx:
                before = _count(ctx.sandbox, workflow.creates) if workflow.creates else None
                answer, seconds = _timed(workflow, ctx)
                self.truths[key] = Truth(answer, seconds, before)
        return self.truths[key]

    def run(self, workflow: Workflow, seed: int, rate: float) -> Outcome:
        truth = self.truth(workflow, seed)
        with running(seed, rate, self.settings) as ctx:
            acted: bool | None = None
            started = time.perf_counter()
            try:
                answer = workflow.run(ctx)
                kind, cause = ("correct", "") if answer == truth.answer else ("wrong", "answer")
            except FAULT_ERRORS as error:
                kind, cause = _clean(error)
                acted = error.server_may_have_acted
            except DivioError as error:
                kind, cause = "misleading", f"{type(error).__name__}: {error}"
            except Exception as error:
                kind, cause = "raw", f"{type(error).__module__}.{type(error).__name__}: {error}"
            seconds = time.perf_counter() - started
            faults = sum(ctx.sandbox.stats()["faults"].values())
            retries = ctx.attempts.retries
            if workflow.creates is not None and kind in ("correct", "clean"):
                assert truth.count_before is not None
                created = _count(ctx.sandbox, workflow.creates) - truth.count_before
                if created > 1 or (kind == "correct" and created != 1):
                    kind, cause = "wrong", f"{created} objects created"
                elif acted is False and created:
                    kind, cause = "wrong", f"said the server did not act, but {created} created"
        return Outcome(kind, faults, retries, cause, seconds)


def _clean(error: DivioError) -> tuple[str, str]:
    """A fault error is clean if its message is one non-empty line."""
    message = str(error)
    if not message.strip() or "\n" in message:
        return "misleading", f"{type(error).__name__} with a malformed message: {message!r}"
    return "clean", type(error).__name__


@dataclass
class Row:
    workflow: str
    rate: float
    outcomes: Counter[str] = field(default_factory=Counter)
    faults: int = 0
    retries: int = 0
    causes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    #: Durations of the runs themselves (without starting sandboxes), chaos and fault-free.
    run_seconds: float = 0.0
    clean_seconds: float = 0.0

    @property
    def runs(self) -> int:
        return sum(self.outcomes.values())

    @property
    def bad(self) -> int:
        return self.outcomes["wrong"] + self.outcomes["misleading"] + self.outcomes["raw"]

    @property
    def slowdown(self) -> float:
        return self.run_seconds / self.clean_seconds if self.clean_seconds else 0.0

    def add(self, outcome: Outcome, truth: Truth) -> None:
        self.outcomes[outcome.kind] += 1
        self.faults += outcome.faults
        self.retries += outcome.retries
        self.run_seconds += outcome.seconds
        self.clean_seconds += truth.seconds
        if outcome.cause:
            self.causes[outcome.cause] += 1


def run_matrix(
    runner: Runner,
    workflows: Iterable[str],
    rates: Sequence[float],
    seeds: Sequence[int],
    *,
    workers: int = 1,
    progress: Callable[[Row], None] | None = None,
) -> list[Row]:
    """One row per workflow and rate; the seeds of a row run ``workers`` at a time."""
    rows = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for name in workflows:
            workflow = WORKFLOWS[name]
            truths = list(pool.map(runner.truth, [workflow] * len(seeds), seeds))
            for rate in rates:
                row = Row(name, rate)
                started = time.perf_counter()
                runs = pool.map(runner.run, [workflow] * len(seeds), seeds, [rate] * len(seeds))
                for outcome, truth in zip(runs, truths, strict=True):
                    row.add(outcome, truth)
                row.seconds = time.perf_counter() - started
                rows.append(row)
                if progress is not None:
                    progress(row)
    return rows


def correct_target(rate: float) -> float | None:
    """The share of runs of a read workflow that must be correct at ``rate`` (None: no target)."""
    return next((share for limit, share in CORRECT_TARGETS if rate <= limit + 1e-9), None)


def missed_targets(rows: Sequence[Row]) -> list[str]:
    """Every target the rows miss, as one line each."""
    missed = []
    for row in rows:
        share = correct_target(row.rate)
        correct = row.outcomes["correct"]
        if WORKFLOWS[row.workflow].reads and share is not None and correct < share * row.runs:
            missed.append(
                f"{row.workflow} at {row.rate:.0%}: {correct}/{row.runs} correct, below {share:.0%}"
            )
    slow = [row for row in rows if abs(row.rate - SLOWDOWN_RATE) < 1e-9]
    ratio = slowdown(slow)
    if slow and ratio > SLOWDOWN_TARGET:
        missed.append(
            f"runs at {SLOWDOWN_RATE:.0%} faults took {ratio:.2f}x the fault-free time, "
            f"above {SLOWDOWN_TARGET:g}x"
        )
    return missed


def slowdown(rows: Sequence[Row]) -> float:
    """Total time of the rows' runs over the total time of the same runs without faults."""
    clean = sum(row.clean_seconds for row in rows)
    return sum(row.run_seconds for row in rows) / clean if clean else 0.0


HEADER = (
    f"{'workflow':<24}{'rate':>6}{'runs':>6}{'faults':>8}{'retries':>9}"
    f"{'correct':>9}{'clean':>7}{'wrong':>7}{'mislead':>9}{'raw':>5}{'x clean':>9}{'s':>7}"
)


def format_row(row: Row) -> str:
    o = row.outcomes
    return (
        f"{row.workflow:<24}{row.rate:>6.0%}{row.runs:>6}{row.faults:>8}{row.retries:>9}"
        f"{o['correct']:>9}{o['clean']:>7}{o['wrong']:>7}{o['misleading']:>9}{o['raw']:>5}"
        f"{row.slowdown:>9.2f}{row.seconds:>7.1f}"
    )


def format_causes(rows: Sequence[Row]) -> list[str]:
    lines = []
    for row in rows:
        if row.causes:
            shown = ", ".join(f"{cause} {n}" for cause, n in row.causes.most_common())
            lines.append(f"  {row.workflow} at {row.rate:.0%}: {shown}")
    return lines


def format_summary(rows: Sequence[Row]) -> list[str]:
    """Per fault rate: reads correct, and the total time against the fault-free time."""
    lines = []
    for rate in sorted({row.rate for row in rows}):
        at_rate = [row for row in rows if row.rate == rate]
        reads = [row for row in at_rate if WORKFLOWS[row.workflow].reads]
        correct = sum(row.outcomes["correct"] for row in reads)
        runs = sum(row.runs for row in reads)
        lines.append(
            f"  {rate:>4.0%} faults: reads correct {correct}/{runs} "
            f"({correct / runs if runs else 0:.1%}), time {slowdown(at_rate):.2f}x fault-free"
        )
    return lines


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="seeds per workflow and rate")
    parser.add_argument("--first-seed", type=int, default=1, help="seeds are first..first+runs-1")
    parser.add_argument(
        "--rates",
        default=",".join(str(r) for r in DEFAULT_RATES),
        help="comma-separated fault rates (fractions of requests), default 0.05,0.2,0.4",
    )
    parser.add_argument(
        "--workflows",
        default=",".join(WORKFLOWS),
        help=f"comma-separated, from: {', '.join(WORKFLOWS)}",
    )
    parser.add_argument("--workers", type=int, default=8, help="runs in parallel (threads)")
    parser.add_argument(
        "--slow", type=float, default=0.05, help="real seconds a 'slow' fault delays its answer"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="client timeout in real seconds; below --slow, slow faults become read timeouts",
    )
    parser.add_argument(
        "--honour-filters",
        action="store_true",
        help="the sandbox applies every filter (default: it ignores the unconfirmed ones)",
    )
    parser.add_argument(
        "--backups", type=int, default=DEFAULT_BACKUPS, help="backups in each sandbox"
    )
    parser.add_argument(
        "--speed", type=float, default=20.0, help="how much faster the clients' clock runs"
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.2,
        help="sandbox latency per request, in sped-up seconds (default 0.2: a distant API)",
    )
    arguments = parser.parse_args(argv)
    arguments.rates = [float(r) for r in arguments.rates.split(",") if r]
    arguments.workflows = [w for w in arguments.workflows.split(",") if w]
    unknown = [w for w in arguments.workflows if w not in WORKFLOWS]
    if unknown:
        parser.error(f"unknown workflow(s): {', '.join(unknown)}")
    if arguments.runs < 1 or arguments.workers < 1 or not all(0 <= r <= 1 for r in arguments.rates):
        parser.error("--runs and --workers must be at least 1, every rate between 0 and 1")
    if not arguments.speed > 0 or arguments.latency < 0:
        parser.error("--speed must be positive and --latency at least 0")
    return arguments


class _BelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def quiet_servers() -> None:
    """Keep uvicorn's start and access lines out of the table.

    Sandboxes started at the same time in several threads race in uvicorn's logging setup,
    which can switch its access log back on; a filter survives that setup, handlers do not.
    """
    for name in ("uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).addFilter(_BelowWarning())


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    quiet_servers()
    settings = Settings(
        slow_seconds=arguments.slow,
        timeout=arguments.timeout,
        ignore_filters=not arguments.honour_filters,
        backups=arguments.backups,
        speed=arguments.speed,
        latency=arguments.latency,
    )
    runner = Runner(settings)
    seeds = range(arguments.first_seed, arguments.first_seed + arguments.runs)
    filters = "honoured" if arguments.honour_filters else "ignored where unconfirmed"
    print(
        f"{arguments.runs} seeded runs per workflow and rate (seeds {seeds.start}..{seeds[-1]}), "
        f"{settings.backups} backups, faults {', '.join(settings.faults)}, filters {filters}; "
        f"time-lapse {settings.speed:g}x, latency {settings.latency:g} s; "
        f"slow {arguments.slow:g} s and client timeout {arguments.timeout:g} s real;\n"
        f"default {RetryPolicy()!r}",
        flush=True,
    )
    print(HEADER, flush=True)
    rows = run_matrix(
        runner,
        arguments.workflows,
        arguments.rates,
        list(seeds),
        workers=arguments.workers,
        progress=lambda row: print(format_row(row), flush=True),
    )
    print("causes of clean errors (and of anything else):")
    print("\n".join(format_causes(rows)) or "  none")
    print("summary:")
    print("\n".join(format_summary(rows)))
    bad = sum(row.bad for row in rows)
    missed = missed_targets(rows)
    for line in missed:
        print(f"MISSED: {line}")
    if bad:
        print(f"FAIL: {bad} runs gave a wrong answer, a misleading error or a raw exception")
    if bad or missed:
        return 1
    print(
        "OK: every run gave the fault-free answer or a clean error naming the fault, "
        "and every target was met"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
