"""A one-line progress indicator on stderr while the command waits, only on a terminal.

Scripts that capture stderr, and CI logs, get nothing from it: an indicator that rewrites its
line with carriage returns is noise anywhere but an interactive terminal. Commands whose waits
are long and worth a log (``backup create --wait``, ``backup restore``, ``backup pull``) ask for
``lines=True``: off a terminal they then write one plain line each time the status changes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TextIO

from divio_ext.cli.format import visible
from divio_ext.cli.options import PROG
from divio_ext.core.logging_ import RETRY
from divio_ext.workflows.waiting import Progress

_FRAMES = "|/-\\"


class ProgressLine:
    """A callback for ``on_progress`` that redraws one status line; ``done()`` ends the line."""

    def __init__(self, stream: TextIO, *, lines: bool = False) -> None:
        self._stream = stream
        self._active = stream.isatty()
        self._lines = lines and not self._active
        self._last = ""
        self._drawn = 0

    def __call__(self, progress: Progress) -> None:
        if self._lines:
            self._line(progress)
        if not self._active:
            return
        frame = _FRAMES[progress.looks % len(_FRAMES)]
        percent = progress.status.percent
        done = f" {percent:.0f}%" if percent is not None else ""
        line = visible(
            f"{frame} {progress.kind} {progress.uuid}: {progress.status.text}{done} "
            f"({progress.elapsed:.0f} s)"
        )
        self._stream.write("\r" + line.ljust(self._drawn))
        self._stream.flush()
        self._drawn = len(line)

    def _line(self, progress: Progress) -> None:
        status = f"{progress.kind} {progress.uuid}: {progress.status.text}"
        if status != self._last:
            self._last = status
            self._stream.write(visible(f"{status} ({progress.elapsed:.0f} s)") + "\n")
            self._stream.flush()

    def done(self) -> None:
        """Clear the status line so the result starts on a clean line."""
        if self._active and self._drawn:
            self._stream.write("\r" + " " * self._drawn + "\r")
            self._stream.flush()
            self._drawn = 0


class RetryNotice(logging.Handler):
    """The first retry of a run, as one line on stderr (``--debug`` logs every one).

    A request that gets no answer (a refused connection, a timeout, a 503) is retried for up
    to a minute by default; without a word that looks like a hang, to a person and to a
    monitoring agent's log alike. One line says what is retried and why, and how to stop it;
    the progress line, if one is drawn, is cleared first.
    """

    def __init__(self, stream: TextIO, progress: ProgressLine) -> None:
        super().__init__(logging.INFO)
        self._stream, self._progress = stream, progress
        self.shown = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.shown or not getattr(record, RETRY, False):
            return
        self.shown = True
        self._progress.done()
        hint = "--retries 0 fails at once; --debug shows every attempt"
        self._stream.write(visible(f"{PROG}: {record.getMessage()} ({hint})") + "\n")
        self._stream.flush()


def retry_notice(stream: TextIO, progress: ProgressLine) -> contextlib.AbstractContextManager[None]:
    """:class:`RetryNotice` on the client's logger for the duration of a command."""
    return on_client_logger(RetryNotice(stream, progress), logging.INFO)


@contextlib.contextmanager
def on_client_logger(handler: logging.Handler, level: int) -> Iterator[None]:
    """``handler`` on the client's logger, which logs at ``level`` or below meanwhile; both
    are as they were afterwards."""
    logger = logging.getLogger("divio_ext")
    before = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > level:
        logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before)
