"""Showing a file transfer: a progress bar on a terminal, a few quiet lines anywhere else.

On a terminal the bar is rich's (bytes, rate, time left): a well-kept library that ships
download columns, installed with the ``cli`` extra (``pip install 'divio-ext[cli]'``). Without
it, or when stderr is not a terminal (cron, CI logs, a pipe), one line per tenth of the file
(or per 100 MiB when the size is unknown) and one per resumed transfer, so logs stay short.
"""

from __future__ import annotations

import importlib.util
from types import TracebackType
from typing import Any, TextIO

from divio_ext.cli.format import human_size, visible
from divio_ext.workflows.pull import TransferProgress

#: Without a known size, a quiet line is written after each this many bytes.
UNSIZED_STEP = 100 * 1024 * 1024


def rich_available() -> bool:
    """Whether the optional progress-bar library is installed."""
    return importlib.util.find_spec("rich") is not None


class TransferDisplay:
    """An ``on_transfer`` callback; use it as a context manager so the bar is closed."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self._stream = stream
        self._label = visible(label)
        self._bar: Any = None
        self._task: Any = None
        self._next_line = 0
        self._attempt = 1
        if stream.isatty() and rich_available():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(binary_units=True),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=Console(file=stream),
                transient=False,
            )

    def __enter__(self) -> TransferDisplay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._bar.stop()

    def __call__(self, progress: TransferProgress) -> None:
        if self._bar is not None:
            if self._task is None:  # drawn from the first bytes on: while the download is
                self._bar.start()  # prepared, the status line has the terminal's last line
                self._task = self._bar.add_task(self._label, total=None)
            self._bar.update(self._task, completed=progress.received, total=progress.total)
            return
        if progress.attempt != self._attempt:
            self._attempt = progress.attempt
            self._line(f"transfer broke off; resumed (try {progress.attempt})")
        if progress.received < self._next_line and progress.received != progress.total:
            return
        total = progress.total
        if total:
            percent = 100 * progress.received // total
            self._next_line = (percent // 10 + 1) * total // 10
            amount = f"{human_size(progress.received)} of {human_size(total)} ({percent}%)"
        else:
            self._next_line = progress.received + UNSIZED_STEP
            amount = human_size(progress.received)
        rate = progress.received / progress.elapsed if progress.elapsed > 0 else 0.0
        self._line(f"{amount}, {human_size(int(rate))}/s")

    def _line(self, text: str) -> None:
        self._stream.write(f"{self._label}: {text}\n")
        self._stream.flush()
