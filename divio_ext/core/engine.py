"""One description of each workflow, run by a sync or an async driver.

A workflow is written once, as a generator that *yields* what it needs from the API (a call, a
full listing, a search, several of those at once, a pause) and receives the answer back. The
sync driver runs it on a :class:`~divio_ext.DivioClient` (concurrent steps in a thread pool), the
async driver on an :class:`~divio_ext.AsyncDivioClient` (concurrent steps in an anyio task
group). This keeps the sync and async APIs identical without two copies of every algorithm, and
makes concurrency explicit: a :class:`Gather` is the only place where requests overlap.

Errors raised by a step are thrown back into the generator at the ``yield``, so a workflow can
catch, say, a 404 and try something else.
"""

from __future__ import annotations

import contextlib
import queue
from collections.abc import Awaitable, Callable, Generator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar, cast

import anyio

from divio_ext.core.clock import Clock
from divio_ext.core.http import repeatable
from divio_ext.core.operations import Operation
from divio_ext.core.rows import Rows

T = TypeVar("T")

#: How many pages or lookups a workflow has in flight at once by default.
CONCURRENCY = 8


@dataclass(frozen=True)
class Call:
    """One operation call; the answer is the parsed model.

    ``repeatable``: a write whose repetition is harmless (it asks for work that changes no
    data), so it is retried as a read would be (:func:`~divio_ext.core.http.repeatable`).
    """

    operation: Operation
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    repeatable: bool = False


@dataclass(frozen=True)
class ReadRows:
    """One page of a list operation as checked rows (:class:`~divio_ext.core.rows.Rows`), for a
    plan that reads a long listing and keeps little of it: each row holds the item's required
    fields and the optional ``fields`` named here."""

    operation: Operation
    params: dict[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Collect:
    """Every item of a list operation: all pages, of the client's largest page size (the pager's
    default), fetched concurrently once the first page has told how many there are."""

    operation: Operation
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FindFirst:
    """The first item of a list operation for which ``match`` is true, or ``None``.

    Stops requesting pages as soon as it is found: with a working filter that is the first page.
    Its pager reads no page ahead (``concurrency=1``), so a search asks for no page it does not
    look at.
    """

    operation: Operation
    match: Callable[[Any], bool]
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Sleep:
    """A pause of ``seconds`` on ``clock``."""

    seconds: float
    clock: Clock


Plan = Generator["Step", Any, T]


@dataclass(frozen=True)
class Gather:
    """Run several plans (or steps) concurrently; the answer is their results, in the order
    they were added.

    At most ``concurrency`` run at the same time. ``more``, if given, is called with the index
    and the result of each plan as it finishes (by the driver, one call at a time) and may add
    plans to the same batch: a batch whose later items depend on the answers of its first ones
    starts each of them as soon as its own answer is in, instead of waiting for the slowest.
    If one fails, its error is raised and the plans that have not started are not run.
    """

    plans: tuple[Plan[Any] | Step, ...]
    concurrency: int = CONCURRENCY
    more: Callable[[int, Any], Iterable[Plan[Any] | Step]] | None = None


Step = Call | ReadRows | Collect | FindFirst | Sleep | Gather


class SyncAPI(Protocol):
    """What the sync driver needs from a client (``DivioClient`` provides it)."""

    def call(self, operation: Operation, *, body: Any = None, **params: Any) -> Any: ...

    def rows(
        self, operation: Operation, *, fields: tuple[str, ...] = (), **params: Any
    ) -> Rows[Any]: ...

    def paginate(
        self,
        operation: Operation,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = 1,
        **filters: Any,
    ) -> Iterable[Any]: ...


class AsyncPager(Protocol):
    def __aiter__(self) -> Any: ...


class AsyncAPI(Protocol):
    """What the async driver needs from a client (``AsyncDivioClient`` provides it)."""

    def call(self, operation: Operation, *, body: Any = None, **params: Any) -> Awaitable[Any]: ...

    def rows(
        self, operation: Operation, *, fields: tuple[str, ...] = (), **params: Any
    ) -> Awaitable[Rows[Any]]: ...

    def paginate(
        self,
        operation: Operation,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = 1,
        **filters: Any,
    ) -> AsyncPager: ...


def single(step: Step) -> Plan[Any]:
    """A plan of one step, so that a :class:`Gather` can mix steps and plans."""
    return (yield step)


def _as_plan(item: Plan[Any] | Step) -> Plan[Any]:
    return item if isinstance(item, Generator) else single(item)


def _resume(plan: Plan[T], answer: Any, failure: BaseException | None) -> tuple[Step | None, Any]:
    """Hand ``answer`` (or ``failure``) to the plan: its next step, or ``None`` and its result.

    A failure is raised inside the plan, where its step was, Ctrl-C and cancellation included:
    the plan re-raises what it cannot handle, and its ``with`` blocks and ``finally`` clauses
    run first (one that notes what a copy left behind must see an interrupt too).
    """
    try:
        return (plan.send(answer) if failure is None else plan.throw(failure)), None
    except StopIteration as stop:
        return None, stop.value


def run_sync(client: SyncAPI, plan: Plan[T]) -> T:
    """Run ``plan`` to completion on a sync client and return its result."""
    step, result = _resume(plan, None, None)
    while step is not None:
        try:
            answer, failure = _execute_sync(client, step), None
        except BaseException as error:  # handed to the plan: see _resume
            answer, failure = None, error
        step, result = _resume(plan, answer, failure)
    return cast(T, result)


def _execute_sync(client: SyncAPI, step: Step) -> Any:
    if isinstance(step, Call):
        with repeatable() if step.repeatable else contextlib.nullcontext():
            return client.call(step.operation, body=step.body, **step.params)
    if isinstance(step, ReadRows):
        return client.rows(step.operation, fields=step.fields, **step.params)
    if isinstance(step, Collect):
        pager = client.paginate(step.operation, concurrency=CONCURRENCY, **step.filters)
        return list(pager)
    if isinstance(step, FindFirst):
        pager = client.paginate(step.operation, concurrency=1, **step.filters)
        return next((item for item in pager if step.match(item)), None)
    if isinstance(step, Sleep):
        step.clock.sleep(step.seconds)
        return None
    if len(step.plans) <= 1 and step.more is None:
        return [run_sync(client, _as_plan(item)) for item in step.plans]
    return _gather_sync(client, step)


def _gather_sync(client: SyncAPI, step: Gather) -> list[Any]:
    """A :class:`Gather` on a thread pool; ``more`` runs on this thread as plans finish."""
    results: list[Any] = []
    finished: Finished = queue.SimpleQueue()
    with ThreadPoolExecutor(max_workers=max(1, step.concurrency)) as pool:

        def add(items: Iterable[Plan[Any] | Step]) -> None:
            for item in items:
                index = len(results)
                results.append(None)
                future = pool.submit(run_sync, client, _as_plan(item))
                future.add_done_callback(partial(_report, finished, index))

        add(step.plans)
        running = len(results)
        try:
            while running:
                index, done = finished.get()
                results[index] = done.result()
                added = len(results)
                if step.more is not None:
                    add(step.more(index, results[index]))
                running += len(results) - added - 1
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


#: How the pool's threads hand finished plans (index, future) back to the sync driver.
Finished = queue.SimpleQueue[tuple[int, Future[Any]]]


def _report(finished: Finished, index: int, done: Future[Any]) -> None:
    """A future's done callback: plan ``index`` has finished."""
    finished.put((index, done))


async def run_async(client: AsyncAPI, plan: Plan[T]) -> T:
    """Run ``plan`` to completion on an async client and return its result."""
    step, result = _resume(plan, None, None)
    while step is not None:
        try:
            answer, failure = await _execute_async(client, step), None
        except BaseException as error:  # handed to the plan: see _resume
            answer, failure = None, error
        step, result = _resume(plan, answer, failure)
    return cast(T, result)


async def _execute_async(client: AsyncAPI, step: Step) -> Any:
    if isinstance(step, Call):
        with repeatable() if step.repeatable else contextlib.nullcontext():
            return await client.call(step.operation, body=step.body, **step.params)
    if isinstance(step, ReadRows):
        return await client.rows(step.operation, fields=step.fields, **step.params)
    if isinstance(step, Collect):
        pager = client.paginate(step.operation, concurrency=CONCURRENCY, **step.filters)
        return [item async for item in pager]
    if isinstance(step, FindFirst):
        pager = client.paginate(step.operation, concurrency=1, **step.filters)
        async for item in pager:
            if step.match(item):
                return item
        return None
    if isinstance(step, Sleep):
        await step.clock.asleep(step.seconds)
        return None
    return await _gather_async(client, step)


async def _gather_async(client: AsyncAPI, step: Gather) -> list[Any]:
    """A :class:`Gather` in a task group; ``more`` runs on the event loop as plans finish."""
    results: list[Any] = []
    limiter = anyio.CapacityLimiter(max(1, step.concurrency))

    async def run_one(index: int, plan: Plan[Any]) -> None:
        async with limiter:
            results[index] = await run_async(client, plan)
        if step.more is not None:
            add(step.more(index, results[index]))

    try:
        async with anyio.create_task_group() as group:

            def add(items: Iterable[Plan[Any] | Step]) -> None:
                for item in items:
                    results.append(None)
                    group.start_soon(run_one, len(results) - 1, _as_plan(item))

            add(step.plans)
    except BaseExceptionGroup as group_error:
        raise _first_leaf(group_error) from None
    return results


def _first_leaf(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first real error inside a (possibly nested) exception group."""
    first = group.exceptions[0]
    return _first_leaf(first) if isinstance(first, BaseExceptionGroup) else first
