"""The one fake clock of the test suite: time that moves only when the code under test sleeps.

It satisfies ``divio_ext.core.clock.Clock``; a clock whose sleeps also move a sandbox is the
sandbox's own ``divio_sandbox.waiting.SandboxTime`` (the plugin's ``divio_wait_clock``).
"""

from __future__ import annotations

from divio_sandbox.waiting import SandboxTime


class FakeClock(SandboxTime):
    """Monotonic and wall time that only move when slept; ``sleeps`` lists every pause."""

    def __init__(self) -> None:
        super().__init__(control=None)

    @property
    def sleeps(self) -> list[float]:
        return self.slept
