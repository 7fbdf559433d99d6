"""Client-wide pacing: one cool-down after a ``Retry-After``, an adaptive cap on requests.

``retry.py`` decides what one request does after a failure. A server that throttles is not
talking about one request, though: it is telling the whole client to slow down. Each client
therefore owns one ``Pacing``, shared by every thread (sync client) or task (async client)
that sends through it:

* ``Cooldown``: when an answer carries ``Retry-After``, no request of the client is sent before
  that moment, so the eight pages a pager has in flight do not each collect their own 429.
  A request waits only if the cool-down ends within its own deadline; a longer cool-down would
  make it fail anyway, so it is sent and fails at once with the server's answer.
* ``ConcurrencyLimit``: how many requests may be in flight at once. It shrinks when the server
  says it is overloaded (429 or 503) and grows back on success: additive increase,
  multiplicative decrease (AIMD), the rule TCP congestion control and the AWS SDKs' "adaptive"
  retry mode use. Like botocore's client rate limiter, a decrease starts from what was really in
  flight (not from an unused maximum), takes 0.7 of it, and happens at most once per round
  trip, so a burst of 429s from requests sent together counts as one signal; growth is at most
  twice what is in use, so an idle client does not build up a burst.

Pages of a listing, the concurrent steps of a workflow and a user's own threads all pass
through the same limit, so nested concurrency (a workflow gathering several concurrent
listings) is bounded too. Nothing here does I/O or reads a clock by itself: times come from the
client's retry clock, so tests use a fake one.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from dataclasses import dataclass

import anyio

logger = logging.getLogger("divio_ext")

#: The most requests one client has in flight when the server has never pushed back. A
#: workflow gathers up to 8 listings of up to 8 pages each, so this never slows a healthy run.
DEFAULT_CEILING = 64
#: The share of the in-flight requests kept after an overload signal (botocore's CUBIC beta).
DECREASE = 0.7
#: Statuses by which a server says it is overloaded (as opposed to broken: 502, 504).
OVERLOAD_STATUSES = frozenset({429, 503})


class Cooldown:
    """A moment before which no request of the client should be sent (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until = -math.inf

    def extend(self, until: float) -> None:
        """Hold requests until ``until`` (monotonic seconds), unless already held longer."""
        with self._lock:
            self._until = max(self._until, until)

    def remaining(self, now: float) -> float:
        """Seconds left at ``now`` (0 when there is no cool-down)."""
        with self._lock:
            return max(0.0, self._until - now)


@dataclass(frozen=True)
class Slot:
    """A permission to have one request in flight; ``epoch`` is the limit's state when taken."""

    epoch: int


class ConcurrencyLimit:
    """AIMD cap on the requests in flight, for threads (``acquire``) and tasks (``acquire_async``).

    A request takes a ``Slot`` before each attempt and gives it back with whether the server
    said it was overloaded. ``epoch`` counts decreases: a slot taken before the latest decrease
    carries an older epoch, and its overload signal is not counted a second time.
    """

    def __init__(self, ceiling: int = DEFAULT_CEILING, *, decrease: float = DECREASE) -> None:
        if ceiling < 1 or not 0 < decrease < 1:
            raise ValueError("ConcurrencyLimit needs ceiling >= 1 and 0 < decrease < 1")
        self.ceiling = ceiling
        self.decrease = decrease
        self.limit = float(ceiling)
        self.in_flight = 0
        self.epoch = 0
        self._lock = threading.Lock()
        self._freed = threading.Condition(self._lock)
        self._async_waiters: deque[anyio.Event] = deque()

    def try_acquire(self) -> Slot | None:
        """A slot if one is free now, else None."""
        with self._lock:
            return self._take()

    def _take(self) -> Slot | None:
        if self.in_flight >= max(1, math.floor(self.limit)):
            return None
        self.in_flight += 1
        return Slot(self.epoch)

    def acquire(self) -> Slot:
        """A slot, blocking the calling thread until one is free."""
        with self._freed:
            while (slot := self._take()) is None:
                self._freed.wait()
            return slot

    async def acquire_async(self) -> Slot:
        """A slot, suspending the calling task until one is free."""
        while True:
            with self._lock:
                slot = self._take()
                if slot is not None:
                    return slot
                freed = anyio.Event()
                self._async_waiters.append(freed)
            await freed.wait()

    def release(self, slot: Slot, *, overloaded: bool) -> None:
        """Give ``slot`` back; ``overloaded`` if the server answered 429 or 503."""
        with self._lock:
            in_flight = self.in_flight
            self.in_flight -= 1
            if overloaded:
                if slot.epoch == self.epoch:
                    self.limit = max(1.0, self.decrease * min(self.limit, in_flight))
                    self.epoch += 1
                    logger.debug("server overloaded: at most %d requests in flight", self.limit)
            else:
                grown = min(self.limit + 1.0 / self.limit, 2.0 * in_flight, self.ceiling)
                self.limit = max(self.limit, grown)
            self._freed.notify_all()
            waiters, self._async_waiters = self._async_waiters, deque()
        for freed in waiters:  # each re-checks; a cancelled waiter's event is simply ignored
            freed.set()


class Pacing:
    """The pacing state one client shares between all its requests."""

    def __init__(self, ceiling: int = DEFAULT_CEILING) -> None:
        self.cooldown = Cooldown()
        self.limit = ConcurrencyLimit(ceiling)

    def __repr__(self) -> str:
        return f"Pacing(limit={self.limit.limit:.1f}, in_flight={self.limit.in_flight})"
