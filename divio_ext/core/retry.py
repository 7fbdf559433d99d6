"""When to try a request again, and how long to wait: the retry policy, free of any I/O.

The sync and async clients share ``Attempts`` and only differ in how they sleep. Time and
randomness come from the policy (``clock``, ``random``) so tests can use a fake clock and
never really sleep. What all requests of one client do together (the cool-down after a
``Retry-After``, the adaptive cap on requests in flight) lives in ``divio_ext.core.pacing``.
"""

from __future__ import annotations

import math
import os
import random as _random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Self

import httpx

from .clock import Clock, SystemClock
from .errors import ConfigurationError

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: The one status after which a write is known not to have been acted on: DRF checks its
#: throttles before the view runs, so a 429 means the request was refused, not processed.
REFUSED_STATUS = 429
#: Failures that happen before the request leaves this machine: no connection was made.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
ENV_RETRIES = "DIVIO_RETRIES"
ENV_DEADLINE = "DIVIO_DEADLINE"


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How transient failures are retried: within a deadline, with a cap on attempts.

    Defaults: a request is tried again for up to ``deadline`` = 60 s after its first attempt,
    and at most ``max_attempts`` = 10 times in all. The deadline is the real budget, as in
    google-api-core's ``Retry(timeout=...)``: with exponential backoff an attempt count says
    little about how long a caller is blocked, while a deadline says exactly that. The attempt
    cap is only a backstop for failures that come back instantly. Time a request waits for a
    slot behind the client's other requests is not counted (:class:`Attempts`): the deadline
    bounds what the server's failures cost, not the client's own queue. Like google-api-core, the
    last backoff is shortened so that the last retry starts at the deadline rather than past it;
    a server's ``Retry-After`` is never shortened: if it ends after the deadline, the request
    fails at once with the server's answer. An attempt already under way is not cut short by the
    deadline (the request timeout bounds it).

    What is retried: connection errors, timeouts, protocol errors and ``retry_statuses`` (429,
    502, 503, 504) for idempotent methods. A ``POST`` or ``PATCH`` may act on the server even if
    its answer is lost, so by default it is retried only when the server certainly did not act
    on it: after a 429 (refused before processing) or when no connection could be made. With
    ``retry_non_idempotent=True`` it is retried like a GET, accepting that it may happen twice.

    The wait before retry *n* is uniformly random in ``[0, min(backoff_max, backoff_base *
    2**(n-1))]`` ("full jitter"), or exactly the server's ``Retry-After``, which also pauses
    every other request of the client (see ``divio_ext.core.pacing``).

    ``RetryPolicy(max_attempts=1)`` disables retries. ``RetryPolicy.from_environment()`` (what a
    client uses when given no policy) reads ``DIVIO_RETRIES`` (retries after the first attempt)
    and ``DIVIO_DEADLINE`` (seconds); the CLI's ``--retries`` and ``--deadline`` override them.
    """

    max_attempts: int = 10
    deadline: float = 60.0
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    retry_statuses: frozenset[int] = RETRY_STATUSES
    retry_non_idempotent: bool = False
    clock: Clock = field(default_factory=SystemClock, compare=False, repr=False)
    random: Callable[[], float] = field(default=_random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1")
        values = (self.backoff_base, self.backoff_max, self.deadline)
        if not all(0 <= value < math.inf for value in values):
            raise ValueError("RetryPolicy backoff_base, backoff_max and deadline must be >= 0")

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        retries: int | None = None,
        deadline: float | None = None,
    ) -> Self:
        """The default policy, adjusted by ``DIVIO_RETRIES`` / ``DIVIO_DEADLINE`` or arguments.

        Arguments win over the environment. A value that is not a count or a duration is a
        ``ConfigurationError``, not silently the default.
        """
        environ = os.environ if environ is None else environ
        if retries is None and environ.get(ENV_RETRIES, "").strip():
            retries = _parse_count(ENV_RETRIES, environ[ENV_RETRIES])
        if deadline is None and environ.get(ENV_DEADLINE, "").strip():
            deadline = _parse_seconds(ENV_DEADLINE, environ[ENV_DEADLINE])
        if retries is not None and retries < 0:
            raise ConfigurationError(f"retries must be 0 or more, not {retries}")
        if deadline is not None and not 0 <= deadline < math.inf:
            raise ConfigurationError(f"the deadline must be 0 or more seconds, not {deadline}")
        defaults = cls()
        return cls(
            max_attempts=defaults.max_attempts if retries is None else retries + 1,
            deadline=defaults.deadline if deadline is None else deadline,
        )

    def retries_response(self, method: str, status: int) -> bool:
        """Whether a request that got ``status`` may be sent again."""
        if status not in self.retry_statuses:
            return False
        return self._repeatable(method) or status == REFUSED_STATUS

    def retries_error(self, method: str, exc: httpx.RequestError) -> bool:
        """Whether a request that got no response may be sent again."""
        if not is_retryable_error(exc):
            return False
        return self._repeatable(method) or isinstance(exc, NOT_SENT_ERRORS)

    def _repeatable(self, method: str) -> bool:
        return self.retry_non_idempotent or method.upper() in IDEMPOTENT_METHODS

    def backoff(self, retry_number: int) -> float:
        """The jittered wait before retry ``retry_number`` (1 for the first retry)."""
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** (retry_number - 1))
        return ceiling * self.random()


def _parse_count(name: str, raw: str) -> int:
    text = raw.strip()
    if not text.isdigit() or not text.isascii():
        raise ConfigurationError(f"{name} must be a whole number of retries such as 9")
    return int(text)


def _parse_seconds(name: str, raw: str) -> float:
    try:
        seconds = float(raw.strip())
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:
        raise ConfigurationError(f"{name} must be a number of seconds such as 60")
    return seconds


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


def server_may_have_acted(
    method: str, *, status: int | None = None, exc: Exception | None = None
) -> bool | None:
    """For a write that failed without a clear answer: may the server have acted on it?

    None for reads (repeating them is harmless) and for answers that say why nothing was done
    (a 400 lists the fields, a 404 the missing object). False after a 429 (refused before
    processing) or when no connection was made; True after a 5xx or a lost answer, since the
    work may have been done before the failure.
    """
    if method.upper() in IDEMPOTENT_METHODS:
        return None
    if status == REFUSED_STATUS or isinstance(exc, NOT_SENT_ERRORS):
        return False
    if exc is not None or (status is not None and status >= 500):
        return True
    return None


class Attempts:
    """The retry bookkeeping of one logical request; its deadline starts at its first attempt.

    Waiting for a free slot or for a cool-down before the first attempt is the client pacing
    itself, not the server failing, so it does not count against the deadline; nor does waiting
    for a slot before a retry. Under heavy throttling the client keeps few requests in flight,
    and a retry of one page of a large batch can wait behind dozens of others: that queue is the
    client's own, and once it counted, pages gave up after three attempts that each would have
    been answered (``python -m divio_devtools.stress --workflows backup-status-async``).
    """

    def __init__(self, policy: RetryPolicy, method: str) -> None:
        self.policy = policy
        self.method = method
        self.started: float | None = None
        self.sent_at = 0.0
        self.count = 0

    def begin(self, queued: float = 0.0) -> None:
        """An attempt leaves now, after any wait for a cool-down and ``queued`` seconds waiting
        for a slot (which move the deadline back)."""
        self.count += 1
        self.sent_at = self.policy.clock.monotonic()
        if self.started is None:
            self.started = self.sent_at
        else:
            self.started += queued

    def elapsed(self) -> float:
        """Seconds since the current attempt left, for the log."""
        return self.policy.clock.monotonic() - self.sent_at

    def left(self) -> float:
        """Seconds until the deadline (the whole deadline before the first attempt)."""
        if self.started is None:
            return self.policy.deadline
        return self.policy.deadline - (self.policy.clock.monotonic() - self.started)

    def retry_after(self, response: httpx.Response) -> float | None:
        return parse_retry_after(response.headers.get("retry-after"), self.policy.clock.time())

    def _wait(self, server_wait: float | None) -> float | None:
        if self.count >= self.policy.max_attempts:
            return None
        left = self.left()
        if server_wait is not None:
            return server_wait if server_wait <= left else None
        if left <= 0:
            return None
        return min(self.policy.backoff(self.count), left)

    def after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying, or None if this response is final."""
        if not self.policy.retries_response(self.method, response.status_code):
            return None
        return self._wait(self.retry_after(response))

    def after_error(self, exc: httpx.RequestError) -> float | None:
        """Seconds to wait before retrying, or None if the error is final."""
        if not self.policy.retries_error(self.method, exc):
            return None
        return self._wait(None)
