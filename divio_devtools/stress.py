"""Fault runs: the headline workflows against a sandbox in chaos mode, checked against a clean run.

For every seed, each workflow first runs on a fault-free sandbox: that answer is the truth.
Then it runs on a fresh sandbox of the same seed in which a share of the API requests fail as
networks and proxies do (429 with Retry-After, a 502 HTML page, 503, a dropped connection, a
slow answer). Every chaos run must end in one of two ways:

* **correct**: exactly the fault-free answer (same items, same order, no duplicate, nothing
  missing; for the waiting workflows the same finished backup or deployment);
* **clean error**: a ``DivioError`` that names the fault (``APIConnectionError``, ``RateLimited``,
  ``ServerError``, ``ResponseDecodeError``) in a one-line message.

Anything else is counted against the client: a different answer (**wrong**), an error that
blames the data instead of the fault, such as "application not found" or "deployment failed"
(**misleading**), or an exception that is not a ``DivioError`` at all (**raw**). Writes are
also checked on the server: a run may create at most one backup or deployment, and exactly one
if it returned an answer. The process exits with status 1 if any run was not correct or clean.

Retries happen on a fake clock (nothing really sleeps; its sleeps count the retries). Waiting
workflows poll on a clock that advances the sandbox's fixed clock, so a backup "takes minutes"
in milliseconds. Each run gets its own sandbox, so runs are independent and a seed replays
exactly (the sandbox draws its faults from its seed). Usage::

    python -m divio_devtools.stress                       # 40 seeds x 5%, 20%, 40%: a few minutes
    python -m divio_devtools.stress --runs 200 --rates 0.1,0.5 --workflows latest-backup
"""

from __future__ import annotations

import argparse
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
from divio_ext.workflows import PollPolicy, aio, create_backup, deploy, latest_backup
from divio_sandbox import Sandbox

APP, ENV = "example-application", "live"
DEFAULT_RATES = (0.05, 0.2, 0.4)
LIST_PAGE_SIZE = 20
#: Errors that name a fault of the network or the server: the acceptable way to fail.
FAULT_ERRORS: tuple[type[DivioError], ...] = (
    APIConnectionError,
    RateLimited,
    ServerError,
    ResponseDecodeError,
)
OUTCOMES = ("correct", "clean", "wrong", "misleading", "raw")


class RetryClock:
    """The retry policy's clock: sleeping only moves its own time forward.

    The client sleeps on it exactly once before every retry, so ``retries`` counts the retries
    of one run exactly, even while other runs go on in other threads.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.retries = 0
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return 1_780_000_000.0 + self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds
            self.retries += 1

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


class SandboxClock:
    """The waiting workflows' clock: a pause advances the sandbox's fixed clock instead."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sandbox.clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass(frozen=True)
class Context:
    """What one workflow run gets: a sandbox, a client on it and the waiting policy."""

    sandbox: Sandbox
    client: DivioClient
    poll: PollPolicy
    retry_clock: RetryClock

    def async_client(self) -> AsyncDivioClient:
        return AsyncDivioClient(
            token=self.sandbox.tokens["alice"],
            base_url=self.sandbox.url,
            retry=self.client.retry,
            timeout=self.client.http.timeout,
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


def run_list_backups(ctx: Context, concurrency: int = 1) -> Any:
    """Every backup the token sees, in pages of the API's default size (about 25 pages)."""
    pager = ctx.client.paginate(BACKUPS_LIST, page_size=LIST_PAGE_SIZE, concurrency=concurrency)
    return [dump(item) for item in pager]


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


WORKFLOWS: dict[str, Workflow] = {
    w.name: w
    for w in (
        Workflow("latest-backup", run_latest_backup),
        Workflow("latest-backup-async", run_latest_backup_async),
        Workflow("list-backups", run_list_backups),
        Workflow("list-backups-prefetch", lambda ctx: run_list_backups(ctx, concurrency=4)),
        Workflow("create-backup-and-wait", run_create_backup, creates=BACKUPS_LIST),
        Workflow("deploy-and-wait", run_deploy, creates=DEPLOYMENTS_LIST),
    )
}


@dataclass(frozen=True)
class Settings:
    """How each run's sandbox and client behave."""

    slow_seconds: float = 0.05
    timeout: float = 10.0
    faults: tuple[str, ...] = ("429", "502", "503", "drop", "slow")


@dataclass
class Truth:
    """The fault-free run of one workflow on one seed."""

    answer: Any
    count_before: int | None = None


@dataclass
class Outcome:
    kind: str
    faults: int
    retries: int
    cause: str = ""


def _count(sandbox: Sandbox, operation: Any) -> int:
    sandbox.configure(chaos=0.0)
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        return sum(1 for _ in client.paginate(operation))


@contextmanager
def running(seed: int, rate: float, settings: Settings) -> Iterator[Context]:
    with Sandbox(
        seed=seed, chaos=rate, faults=settings.faults, slow_seconds=settings.slow_seconds
    ) as sandbox:
        clock = RetryClock()
        with DivioClient(
            token=sandbox.tokens["alice"],
            base_url=sandbox.url,
            retry=RetryPolicy(clock=clock),
            timeout=settings.timeout,
        ) as client:
            yield Context(sandbox, client, PollPolicy(clock=SandboxClock(sandbox)), clock)


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
                self.truths[key] = Truth(workflow.run(ctx), before)
        return self.truths[key]

    def run(self, workflow: Workflow, seed: int, rate: float) -> Outcome:
        truth = self.truth(workflow, seed)
        with running(seed, rate, self.settings) as ctx:
            answer: Any = None
            try:
                answer = workflow.run(ctx)
                kind, cause = ("correct", "") if answer == truth.answer else ("wrong", "answer")
            except FAULT_ERRORS as error:
                kind, cause = _clean(error)
            except DivioError as error:
                kind, cause = "misleading", f"{type(error).__name__}: {error}"
            except Exception as error:
                kind, cause = "raw", f"{type(error).__module__}.{type(error).__name__}: {error}"
            faults = sum(ctx.sandbox.stats()["faults"].values())
            retries = ctx.retry_clock.retries
            if workflow.creates is not None and kind in ("correct", "clean"):
                assert truth.count_before is not None
                created = _count(ctx.sandbox, workflow.creates) - truth.count_before
                if created > 1 or (kind == "correct" and created != 1):
                    kind, cause = "wrong", f"{created} objects created"
        return Outcome(kind, faults, retries, cause)


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

    @property
    def runs(self) -> int:
        return sum(self.outcomes.values())

    @property
    def bad(self) -> int:
        return self.outcomes["wrong"] + self.outcomes["misleading"] + self.outcomes["raw"]

    def add(self, outcome: Outcome) -> None:
        self.outcomes[outcome.kind] += 1
        self.faults += outcome.faults
        self.retries += outcome.retries
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
            list(pool.map(runner.truth, [workflow] * len(seeds), seeds))
            for rate in rates:
                row = Row(name, rate)
                started = time.perf_counter()
                runs = pool.map(runner.run, [workflow] * len(seeds), seeds, [rate] * len(seeds))
                for outcome in runs:
                    row.add(outcome)
                row.seconds = time.perf_counter() - started
                rows.append(row)
                if progress is not None:
                    progress(row)
    return rows


HEADER = (
    f"{'workflow':<24}{'rate':>6}{'runs':>6}{'faults':>8}{'retries':>9}"
    f"{'correct':>9}{'clean':>7}{'wrong':>7}{'mislead':>9}{'raw':>5}{'s':>7}"
)


def format_row(row: Row) -> str:
    o = row.outcomes
    return (
        f"{row.workflow:<24}{row.rate:>6.0%}{row.runs:>6}{row.faults:>8}{row.retries:>9}"
        f"{o['correct']:>9}{o['clean']:>7}{o['wrong']:>7}{o['misleading']:>9}{o['raw']:>5}"
        f"{row.seconds:>7.1f}"
    )


def format_causes(rows: Sequence[Row]) -> list[str]:
    lines = []
    for row in rows:
        if row.causes:
            shown = ", ".join(f"{cause} {n}" for cause, n in row.causes.most_common())
            lines.append(f"  {row.workflow} at {row.rate:.0%}: {shown}")
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
        "--slow", type=float, default=0.05, help="seconds a 'slow' fault delays its answer"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="client timeout in seconds; below --slow, slow faults become read timeouts",
    )
    arguments = parser.parse_args(argv)
    arguments.rates = [float(r) for r in arguments.rates.split(",") if r]
    arguments.workflows = [w for w in arguments.workflows.split(",") if w]
    unknown = [w for w in arguments.workflows if w not in WORKFLOWS]
    if unknown:
        parser.error(f"unknown workflow(s): {', '.join(unknown)}")
    if arguments.runs < 1 or arguments.workers < 1 or not all(0 <= r <= 1 for r in arguments.rates):
        parser.error("--runs and --workers must be at least 1, every rate between 0 and 1")
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
    runner = Runner(Settings(slow_seconds=arguments.slow, timeout=arguments.timeout))
    seeds = range(arguments.first_seed, arguments.first_seed + arguments.runs)
    print(
        f"{arguments.runs} seeded runs per workflow and rate (seeds {seeds.start}..{seeds[-1]}), "
        f"faults {', '.join(runner.settings.faults)}, slow {arguments.slow:g} s, "
        f"client timeout {arguments.timeout:g} s",
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
    bad = sum(row.bad for row in rows)
    if bad:
        print(f"FAIL: {bad} runs gave a wrong answer, a misleading error or a raw exception")
        return 1
    print("OK: every run gave the fault-free answer or a clean error naming the fault")
    return 0


if __name__ == "__main__":
    sys.exit(main())
