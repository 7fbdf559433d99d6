"""Waiting for long-running work (backups, deployments, downloads, restores) to finish.

The API has no push notifications: a client polls the object until it reports that it has
finished. :func:`poll` does this once for every kind of work, with a growing interval (so a long
backup does not cost hundreds of requests), a progress callback, and a timeout that raises
:class:`divio_ext.core.errors.WaitTimeout`. Whether the finished work *succeeded* is the caller's
decision, because each kind reports failure differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from divio_ext.core import errors
from divio_ext.core.clock import Clock, SystemClock
from divio_ext.core.engine import Call, Plan, Sleep


@dataclass(frozen=True)
class PollPolicy:
    """How often to look and how long to wait.

    The first look happens at once; then the pause starts at ``interval`` seconds and grows by
    ``backoff`` up to ``max_interval``. ``timeout`` (seconds, ``None`` = forever) bounds the
    whole wait. ``clock`` supplies time and sleep; tests pass one that advances a sandbox.
    """

    interval: float = 2.0
    backoff: float = 1.5
    max_interval: float = 15.0
    timeout: float | None = 30 * 60.0
    clock: Clock = field(default_factory=SystemClock)

    def pauses(self) -> Iterator[float]:
        """The successive pauses between looks."""
        pause = self.interval
        while True:
            yield pause
            pause = min(pause * self.backoff, self.max_interval)


@dataclass(frozen=True)
class Status:
    """What one look at the work showed: whether it has finished, and how far it got."""

    finished: bool
    text: str
    percent: float | None = None


@dataclass(frozen=True)
class Progress:
    """Reported to the ``on_progress`` callback after every look."""

    kind: str
    uuid: str
    status: Status
    elapsed: float
    looks: int


ProgressCallback = Callable[[Progress], None]


def poll(
    fetch: Call,
    inspect: Callable[[Any], Status],
    *,
    kind: str,
    uuid: str,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> Plan[Any]:
    """Repeat ``fetch`` until ``inspect`` says the work has finished; the answer is the last model.

    Raises :class:`divio_ext.core.errors.WaitTimeout` when ``policy.timeout`` passes first; the
    message names the work and its last status. Any other error that stops the wait (Ctrl-C,
    a cancellation, a failed look) gets a note (``__notes__``) saying the same: the work goes
    on on the server, only the wait stopped.
    """
    policy = policy or PollPolicy()
    clock = policy.clock
    started = clock.monotonic()
    pauses = policy.pauses()
    looks = 0
    goes_on = f"The {kind} {uuid} goes on on the server; only the wait for it stopped."
    with errors.noted(goes_on, unless=(errors.WaitTimeout,)):
        while True:
            model = yield fetch
            looks += 1
            status = inspect(model)
            elapsed = clock.monotonic() - started
            if on_progress is not None:
                looked = Progress(kind=kind, uuid=uuid, status=status, elapsed=elapsed, looks=looks)
                on_progress(looked)
            if status.finished:
                return model
            pause = next(pauses)
            if policy.timeout is not None:
                remaining = policy.timeout - elapsed
                if remaining <= 0:
                    raise errors.WaitTimeout(
                        f"{kind} {uuid} has not finished after {elapsed:.0f} s "
                        f"(last status: {status.text}); it may still finish on the server"
                    )
                pause = min(pause, remaining)
            yield Sleep(pause, clock)
