"""A clock for the *client's* waits that moves the sandbox's clock instead of sleeping.

divio-ext reads time and sleeps through one ``Clock`` protocol (``monotonic``, ``time``,
``sleep``, ``asleep``; see ``divio_ext.core.clock``). Handing this one to a wait
(``PollPolicy(clock=...)``) or a retry policy makes "wait ten seconds" advance the sandbox's
fixed clock by ten seconds at once: created backups and deployments progress, and a test that
waits for them takes no real time. It satisfies the protocol by shape; the sandbox does not
import the client.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

#: Wall time at the start (an arbitrary fixed moment, so HTTP dates are reproducible).
WALL_START = 1_780_000_000.0


class ClockControl(Protocol):
    """A sandbox clock that can be moved: the in-process one or a subprocess's."""

    def advance(self, seconds: float) -> datetime: ...


class SandboxTime:
    """Time that passes only when slept, each sleep moving the sandbox's clock as much."""

    def __init__(self, control: ClockControl | None = None) -> None:
        self.control = control
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return WALL_START + self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.control is not None:
            self.control.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
