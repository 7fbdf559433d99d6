"""The plan drivers and the polling loop, with stand-in clients and a fake clock (no server)."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import pytest
from clocks import FakeClock

from divio_ext import errors
from divio_ext.core.engine import (
    Call,
    Collect,
    FindFirst,
    Gather,
    Plan,
    Sleep,
    run_async,
    run_sync,
)
from divio_ext.workflows.waiting import PollPolicy, Progress, Status, poll

GET = types.ModuleType("get_thing")
LIST = types.ModuleType("list_things")


class SyncStandIn:
    """Answers ``call`` from a script of results (or exceptions); lists from a fixed list."""

    def __init__(self, answers: list[Any] | None = None, items: list[Any] | None = None) -> None:
        self.answers = list(answers or [])
        self.items = items or []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.listed: list[dict[str, Any]] = []

    def call(self, operation: types.ModuleType, *, body: Any = None, **params: Any) -> Any:
        self.calls.append((operation.__name__, params))
        answer = self.answers.pop(0) if self.answers else params
        if isinstance(answer, Exception):
            raise answer
        return answer

    def paginate(self, operation: types.ModuleType, **filters: Any) -> Iterator[Any]:
        self.listed.append(filters)
        yield from self.items


class AsyncStandIn(SyncStandIn):
    async def call(self, operation: types.ModuleType, *, body: Any = None, **params: Any) -> Any:  # type: ignore[override]
        return SyncStandIn.call(self, operation, body=body, **params)

    def paginate(self, operation: types.ModuleType, **filters: Any) -> Any:  # type: ignore[override]
        items = SyncStandIn.paginate(self, operation, **filters)

        async def iterate() -> Any:
            for item in items:
                yield item

        return iterate()


def not_found() -> errors.NotFound:
    return errors.NotFound("404", status=404, method="GET", url="http://127.0.0.1/x/")


def lookup_with_fallback() -> Plan[Any]:
    try:
        return (yield Call(GET, {"uuid": "first"}))
    except errors.NotFound:
        return (yield Call(GET, {"uuid": "second"}))


def test_an_error_is_thrown_back_into_the_plan_which_may_recover() -> None:
    client = SyncStandIn(answers=[not_found(), "found second"])
    assert run_sync(client, lookup_with_fallback()) == "found second"
    assert [params["uuid"] for _, params in client.calls] == ["first", "second"]


def test_an_error_the_plan_does_not_handle_reaches_the_caller() -> None:
    client = SyncStandIn(answers=[not_found(), not_found()])
    with pytest.raises(errors.NotFound):
        run_sync(client, lookup_with_fallback())


def test_gather_returns_results_in_the_order_of_its_plans() -> None:
    def plan() -> Plan[list[Any]]:
        return (yield Gather(tuple(Call(GET, {"n": n}) for n in range(10)), concurrency=4))

    results = run_sync(SyncStandIn(), plan())
    assert results == [{"n": n} for n in range(10)]


def countdown() -> Gather:
    """Calls 3, 2 and 1; each finished call n > 1 adds a call n - 1 (via ``more``)."""

    def more(index: int, answer: dict[str, int]) -> list[Call]:
        return [Call(GET, {"n": answer["n"] - 1})] if answer["n"] > 1 else []

    return Gather(tuple(Call(GET, {"n": n}) for n in (3, 2, 1)), concurrency=2, more=more)


def test_a_gather_may_add_plans_as_its_plans_finish_and_answers_in_the_order_added() -> None:
    def plan() -> Plan[list[Any]]:
        return (yield countdown())

    client = SyncStandIn()
    results = run_sync(client, plan())
    assert [r["n"] for r in results[:3]] == [3, 2, 1]
    assert sorted(r["n"] for r in results[3:]) == [1, 1, 2]
    assert len(client.calls) == 6


@pytest.mark.anyio
async def test_the_async_driver_adds_plans_the_same_way() -> None:
    def plan() -> Plan[list[Any]]:
        return (yield countdown())

    results = await run_async(AsyncStandIn(), plan())
    assert [r["n"] for r in results[:3]] == [3, 2, 1]
    assert sorted(r["n"] for r in results[3:]) == [1, 1, 2]


def test_after_an_error_the_plans_not_started_are_not_run() -> None:
    client = SyncStandIn(answers=[not_found()])

    def plan() -> Plan[Any]:
        return (yield Gather(tuple(Call(GET, {"n": n}) for n in range(50)), concurrency=1))

    with pytest.raises(errors.NotFound):
        run_sync(client, plan())
    assert len(client.calls) < 50


def test_collect_and_find_first_pass_their_filters_to_the_pager() -> None:
    client = SyncStandIn(items=[1, 2, 3, 4])

    def plan() -> Plan[tuple[Any, Any]]:
        every = yield Collect(LIST, {"environment": "e"})
        even = yield FindFirst(LIST, lambda item: item % 2 == 0, {"slug": "s"})
        return every, even

    assert run_sync(client, plan()) == ([1, 2, 3, 4], 2)
    assert client.listed[0]["environment"] == "e"
    assert client.listed[1]["slug"] == "s"


@pytest.mark.anyio
async def test_the_async_driver_runs_the_same_plans() -> None:
    client = AsyncStandIn(answers=[not_found(), "found second"], items=[5, 6])

    def plan() -> Plan[Any]:
        found = yield from lookup_with_fallback()
        every, first_even = yield Gather(
            (Collect(LIST), FindFirst(LIST, lambda item: item % 2 == 0))
        )
        return found, every, first_even

    assert await run_async(client, plan()) == ("found second", [5, 6], 6)


@pytest.mark.anyio
async def test_an_error_inside_an_async_gather_is_raised_as_itself() -> None:
    client = AsyncStandIn(answers=["ok", not_found()])

    def plan() -> Plan[Any]:
        return (yield Gather((Call(GET), Call(GET)), concurrency=1))

    with pytest.raises(errors.NotFound):
        await run_async(client, plan())


def status_after(looks_needed: int) -> Any:
    seen = {"looks": 0}

    def inspect(model: Any) -> Status:
        seen["looks"] += 1
        return Status(finished=seen["looks"] >= looks_needed, text=f"look {seen['looks']}")

    return inspect


def test_poll_backs_off_reports_progress_and_returns_the_finished_model() -> None:
    clock = FakeClock()
    reports: list[Progress] = []
    policy = PollPolicy(interval=2, backoff=2, max_interval=5, timeout=None, clock=clock)
    plan = poll(
        Call(GET, {"uuid": "w"}),
        status_after(4),
        kind="backup",
        uuid="w",
        policy=policy,
        on_progress=reports.append,
    )
    client = SyncStandIn()
    assert run_sync(client, plan) == {"uuid": "w"}
    assert clock.sleeps == [2, 4, 5]
    assert [r.status.text for r in reports] == ["look 1", "look 2", "look 3", "look 4"]
    assert [r.elapsed for r in reports] == [0, 2, 6, 11]
    assert reports[-1].status.finished


def test_poll_times_out_with_the_last_status_in_the_message() -> None:
    clock = FakeClock()
    policy = PollPolicy(interval=10, backoff=1, timeout=25, clock=clock)
    plan = poll(Call(GET), status_after(100), kind="deployment", uuid="d1", policy=policy)
    with pytest.raises(errors.WaitTimeout, match=r"deployment d1 .* after 25 s .*look 4"):
        run_sync(SyncStandIn(), plan)
    assert clock.sleeps == [10, 10, 5]


def test_the_timeout_error_is_also_a_builtin_timeout_error() -> None:
    policy = PollPolicy(timeout=0, clock=FakeClock())
    plan = poll(Call(GET), status_after(100), kind="backup", uuid="b", policy=policy)
    with pytest.raises(TimeoutError):
        run_sync(SyncStandIn(), plan)


@pytest.mark.anyio
async def test_async_polling_sleeps_on_the_clock_too() -> None:
    clock = FakeClock()
    policy = PollPolicy(interval=3, backoff=1, clock=clock)
    plan = poll(Call(GET), status_after(3), kind="backup", uuid="b", policy=policy)
    await run_async(AsyncStandIn(), plan)
    assert clock.sleeps == [3, 3]


def test_a_sleep_step_uses_the_clock_it_names() -> None:
    clock = FakeClock()

    def plan() -> Plan[None]:
        yield Sleep(7, clock)

    run_sync(SyncStandIn(), plan())
    assert clock.sleeps == [7]
