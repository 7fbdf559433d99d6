"""The one clock of divio-ext: monotonic time for deadlines, wall time for HTTP dates, sleeps.

Retries (``core/retry.py``), the client-wide pacing (``core/pacing.py``) and waiting for
long-running work (``workflows/waiting.py``) all read time and sleep through a ``Clock``, so a
test passes one fake clock that never really sleeps (or one that moves a sandbox's clock), and
the async side sleeps with anyio, the one async runtime (it is what httpx brings).
"""

from __future__ import annotations

import time
from typing import Protocol

import anyio


class Clock(Protocol):
    """Where time comes from and how to wait for it, sync and async."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    async def asleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: ``time.monotonic``, ``time.time``, ``time.sleep`` and ``anyio.sleep``."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)
