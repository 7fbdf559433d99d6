"""Client-wide pacing: one cool-down after Retry-After, and an AIMD limit on requests in flight.

Everything runs on a fake clock: nothing sleeps, and no assertion depends on how fast it runs.
"""

from __future__ import annotations

import threading
from typing import Any

import anyio
import httpx
import pytest
from divio_api.api.backups import get_backup

from divio_ext import RateLimited
from divio_ext.core.pacing import ConcurrencyLimit, Cooldown, Slot

from .support import FakeClock, async_client, policy, sync_client

OK = {"uuid": "b1", "environment": "e1"}


def throttled(seconds: int) -> httpx.Response:
    return httpx.Response(429, json={"detail": "Throttled."}, headers={"Retry-After": str(seconds)})


class Server:
    """Answers from a list, and notes the fake time at which each request arrived."""

    def __init__(self, clock: FakeClock, *answers: httpx.Response | int) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.arrivals: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.arrivals.append(self.clock.now)
        answer = self.answers.pop(0)
        return answer if isinstance(answer, httpx.Response) else httpx.Response(answer, json=OK)


# --- The cool-down ----------------------------------------------------------------------------


def test_a_cooldown_counts_down_and_is_never_shortened() -> None:
    cooldown = Cooldown()
    assert cooldown.remaining(now=100.0) == 0.0
    cooldown.extend(105.0)
    cooldown.extend(103.0)  # a shorter Retry-After seen later does not cut the pause short
    assert cooldown.remaining(now=101.0) == 4.0
    assert cooldown.remaining(now=106.0) == 0.0


def test_a_retry_after_holds_every_later_request_of_the_client() -> None:
    clock = FakeClock()
    server = Server(clock, throttled(5), 200)
    with sync_client(server, retry=policy(clock)) as client:
        with pytest.raises(RateLimited):  # this call gives up at once...
            client.call(get_backup, uuid="b1", retry=policy(clock, max_attempts=1))
        client.call(get_backup, uuid="b2")  # ...and another one still waits for the server
    assert server.arrivals == [0.0, 5.0]
    assert clock.sleeps == [5.0]


@pytest.mark.anyio
async def test_async_tasks_share_the_cooldown_too() -> None:
    clock = FakeClock()
    server = Server(clock, throttled(3), 200)
    async with async_client(server, retry=policy(clock)) as client:
        with pytest.raises(RateLimited):
            await client.call(get_backup, uuid="b1", retry=policy(clock, max_attempts=1))
        await client.call(get_backup, uuid="b2")
    assert server.arrivals == [0.0, 3.0]


def test_a_cooldown_beyond_the_deadline_is_not_waited_for() -> None:
    """Waiting an hour to then fail helps nobody: the request goes out and fails fast."""
    clock = FakeClock()
    server = Server(clock, throttled(3600), throttled(3600))
    with sync_client(server, retry=policy(clock, deadline=60)) as client:
        for uuid in ("b1", "b2"):
            with pytest.raises(RateLimited):
                client.call(get_backup, uuid=uuid)
    assert server.arrivals == [0.0, 0.0]
    assert clock.sleeps == []


def test_the_retrying_request_itself_waits_exactly_the_retry_after() -> None:
    clock = FakeClock()
    server = Server(clock, throttled(2), 200)
    with sync_client(server, retry=policy(clock)) as client:
        assert client.call(get_backup, uuid="b1").uuid == "b1"
    assert server.arrivals == [0.0, 2.0]


# --- The adaptive concurrency limit -------------------------------------------------------------


def fill(limit: ConcurrencyLimit) -> list[Slot]:
    """Take every free slot."""
    slots = []
    while (slot := limit.try_acquire()) is not None:
        slots.append(slot)
    return slots


def test_the_limit_starts_wide_open() -> None:
    limit = ConcurrencyLimit(ceiling=8)
    assert len(fill(limit)) == 8


def test_an_overload_cuts_the_limit_to_a_share_of_what_was_in_flight() -> None:
    limit = ConcurrencyLimit(ceiling=64, decrease=0.5)
    slots = [limit.acquire() for _ in range(8)]  # 8 in flight, far below the ceiling
    limit.release(slots[0], overloaded=True)
    assert limit.limit == 4.0  # half of the 8 in flight, not half of the unused 64
    for slot in slots[1:5]:
        assert limit.try_acquire() is None  # 7, 6, 5, 4 still in flight: no new request
        limit.release(slot, overloaded=True)  # (sent before the cut: no second cut)
    assert limit.limit == 4.0
    assert len(fill(limit)) == 1  # 3 in flight, room for a fourth


def test_overloads_from_one_round_trip_count_once() -> None:
    limit = ConcurrencyLimit(ceiling=8, decrease=0.5)
    window = fill(limit)
    for slot in window[:5]:  # five 429s from requests sent together: one signal
        limit.release(slot, overloaded=True)
    assert limit.limit == 4.0
    later = limit.try_acquire()
    assert later is not None
    limit.release(later, overloaded=True)  # sent after the cut: a new signal
    assert limit.limit == 2.0


def test_the_limit_never_falls_below_one() -> None:
    limit = ConcurrencyLimit(ceiling=4, decrease=0.5)
    for _ in range(10):
        limit.release(limit.acquire(), overloaded=True)
    assert limit.limit == 1.0
    assert len(fill(limit)) == 1


def test_successes_grow_the_limit_back_by_about_one_per_round_trip() -> None:
    limit = ConcurrencyLimit(ceiling=16, decrease=0.5)
    limit.release(fill(limit)[0], overloaded=True)
    limit.in_flight = 0  # the other 15 answers are lost; only the signal matters here
    assert limit.limit == 8.0
    for _ in range(8):  # one full window of successes
        window = fill(limit)
        for slot in window:
            limit.release(slot, overloaded=False)
        assert len(window) < 16
    assert 11 <= limit.limit <= 13


def test_growth_stops_at_twice_what_is_in_use_and_at_the_ceiling() -> None:
    limit = ConcurrencyLimit(ceiling=16, decrease=0.5)
    limit.release(limit.acquire(), overloaded=True)
    assert limit.limit == 1.0
    for _ in range(100):  # one request at a time: no need for more than 2
        limit.release(limit.acquire(), overloaded=False)
    assert limit.limit == 2.0
    for _ in range(100):
        for slot in fill(limit):
            limit.release(slot, overloaded=False)
    assert limit.limit == 16.0


def test_a_waiting_thread_gets_the_slot_that_is_given_back() -> None:
    limit = ConcurrencyLimit(ceiling=1)
    held = limit.acquire()
    got: list[Slot] = []
    waiter = threading.Thread(target=lambda: got.append(limit.acquire()))
    waiter.start()
    assert got == []
    limit.release(held, overloaded=False)
    waiter.join(timeout=10)
    assert len(got) == 1
    assert limit.in_flight == 1


@pytest.mark.anyio
async def test_a_waiting_task_gets_the_slot_that_is_given_back() -> None:
    limit = ConcurrencyLimit(ceiling=1)
    held = await limit.acquire_async()
    got: list[Slot] = []

    async def wait_for_a_slot() -> None:
        got.append(await limit.acquire_async())

    async with anyio.create_task_group() as group:
        group.start_soon(wait_for_a_slot)
        await anyio.wait_all_tasks_blocked()
        assert got == []
        limit.release(held, overloaded=False)
    assert len(got) == 1


@pytest.mark.parametrize(("status", "shrinks"), [(429, True), (503, True), (502, False)])
def test_the_client_shrinks_its_limit_when_the_server_says_it_is_overloaded(
    status: int, shrinks: bool
) -> None:
    clock = FakeClock()
    answer: Any = throttled(0) if status == 429 else status
    with sync_client(Server(clock, answer, 200), retry=policy(clock)) as client:
        pacing = client.http.policy.pacing
        client.call(get_backup, uuid="b1")
        assert (pacing.limit.limit < pacing.limit.ceiling) is shrinks
        assert pacing.limit.in_flight == 0


class LateSlots(ConcurrencyLimit):
    """A limit whose slots, after the first, come free only ``wait`` seconds (of the fake
    clock) after they are asked for: the client's other requests hold them meanwhile."""

    def __init__(self, clock: FakeClock, wait: float) -> None:
        super().__init__()
        self.clock, self.wait, self.given = clock, wait, 0

    def _queue(self) -> None:
        self.given += 1
        if self.given > 1:
            self.clock.now += self.wait

    def acquire(self) -> Slot:
        self._queue()
        return super().acquire()

    async def acquire_async(self) -> Slot:
        self._queue()
        return await super().acquire_async()


def test_a_retry_queued_behind_the_clients_other_requests_keeps_its_whole_deadline() -> None:
    """Under throttling the client keeps few requests in flight, so a retry can wait long for a
    slot: that is the client's own queue, not the server failing. It used to count, and a page
    of a large batch gave up after three attempts that would each have been answered."""
    clock = FakeClock()
    server = Server(clock, 503, 503, 200)
    with sync_client(server, retry=policy(clock, deadline=60)) as client:
        client.http.policy.pacing.limit = LateSlots(clock, wait=100)
        assert client.call(get_backup, uuid="b1").uuid == "b1"
    assert server.arrivals == [0.0, 100.5, 201.5]


@pytest.mark.anyio
async def test_an_async_retry_queued_for_a_slot_keeps_its_whole_deadline_too() -> None:
    clock = FakeClock()
    server = Server(clock, 503, 503, 200)
    async with async_client(server, retry=policy(clock, deadline=60)) as client:
        client.http.policy.pacing.limit = LateSlots(clock, wait=100)
        assert (await client.call(get_backup, uuid="b1")).uuid == "b1"
    assert server.arrivals == [0.0, 100.5, 201.5]


def test_the_deadline_still_counts_the_servers_own_waits() -> None:
    """Only the queue for a slot is set aside: backoffs and Retry-After still count."""
    clock = FakeClock()
    server = Server(clock, throttled(30), throttled(30), 200)
    with (
        sync_client(server, retry=policy(clock, deadline=50)) as client,
        pytest.raises(RateLimited),
    ):
        client.call(get_backup, uuid="b1")
    assert server.arrivals == [0.0, 30.0]
