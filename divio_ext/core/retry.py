"""When to try a request again, and how long to wait: the retry policy, free of any I/O.

The sync and async clients share ``Attempts`` and only differ in how they sleep. Time and
randomness come from the policy (``clock``, ``random``) so tests can use a fake clock and
never really sleep.
"""

from __future__ import annotations

import asyncio
import random as _random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class Clock(Protocol):
    """The time source a policy uses: monotonic time for budgets, wall time for HTTP dates."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    async def async_sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def async_sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How transient failures are retried.

    Retried: connection errors, timeouts and ``retry_statuses`` for idempotent methods (and for
    POST/PATCH only with ``retry_non_idempotent=True``, since a retried POST may create a second
    backup). The wait before retry *n* is uniformly random in ``[0, min(backoff_max,
    backoff_base * 2**(n-1))]`` ("full jitter"), or exactly the server's ``Retry-After``. No retry
    starts once ``max_attempts`` requests were made or the wait would end after ``budget``
    seconds counted from the first attempt. ``RetryPolicy(max_attempts=1)`` disables retries.
    """

    max_attempts: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    budget: float = 60.0
    retry_statuses: frozenset[int] = RETRY_STATUSES
    retry_non_idempotent: bool = False
    clock: Clock = field(default_factory=SystemClock, compare=False, repr=False)
    random: Callable[[], float] = field(default=_random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")
        if self.backoff_base < 0 or self.backoff_max < 0 or self.budget < 0:
            raise ValueError("RetryPolicy backoff_base, backoff_max and budget must be >= 0")

    def retries_method(self, method: str) -> bool:
        return self.retry_non_idempotent or method.upper() in IDEMPOTENT_METHODS

    def backoff(self, retry_number: int) -> float:
        """The jittered wait before retry ``retry_number`` (1 for the first retry)."""
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** (retry_number - 1))
        return ceiling * self.random()


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true, and float("²") fails
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - now)


def is_retryable_error(exc: httpx.RequestError) -> bool:
    """Failures after which the same request may well succeed."""
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


class Attempts:
    """The retry bookkeeping of one logical request."""

    def __init__(self, policy: RetryPolicy, method: str) -> None:
        self.policy = policy
        self.method = method
        self.started = policy.clock.monotonic()
        self.count = 0

    def begin(self) -> None:
        self.count += 1

    def retry_after(self, response: httpx.Response) -> float | None:
        return parse_retry_after(response.headers.get("retry-after"), self.policy.clock.time())

    def _wait(self, server_wait: float | None) -> float | None:
        policy = self.policy
        if self.count >= policy.max_attempts or not policy.retries_method(self.method):
            return None
        wait = server_wait if server_wait is not None else policy.backoff(self.count)
        if policy.clock.monotonic() - self.started + wait > policy.budget:
            return None
        return wait

    def after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying, or None if this response is final."""
        if response.status_code not in self.policy.retry_statuses:
            return None
        return self._wait(self.retry_after(response))

    def after_error(self, exc: httpx.RequestError) -> float | None:
        """Seconds to wait before retrying, or None if the error is final."""
        if not is_retryable_error(exc):
            return None
        return self._wait(None)
