"""The sandbox's notion of "now", from which all long-running work is computed.

Nothing in the sandbox runs in the background: a backup's state is a pure function of its
creation time and the clock. Tests use a fixed clock and advance it; demos use a real clock
that starts at the same fixed instant, so seeded data looks the same in both.
"""

import math
import threading
import time
from datetime import UTC, datetime, timedelta

#: The instant every sandbox starts at; seeded history lies before it.
EPOCH = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
#: How far the clock may be advanced in total: a century keeps every computed date valid.
MAX_OFFSET = 100 * 365 * 24 * 3600.0


class Clock:
    """A thread-safe clock: fixed (moves only when advanced) or real (also moves with time)."""

    def __init__(self, mode: str = "fixed", start: datetime = EPOCH) -> None:
        if mode not in ("fixed", "real"):
            raise ValueError(f"clock mode must be 'fixed' or 'real', not {mode!r}")
        self.mode = mode
        self._start = start
        self._offset = 0.0
        self._monotonic_start = time.monotonic()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the current sandbox time (timezone-aware UTC)."""
        with self._lock:
            elapsed = self._offset
            if self.mode == "real":
                elapsed += time.monotonic() - self._monotonic_start
        return self._start + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (works in both modes) and return the new time.

        The value is checked before the clock changes: NaN, infinity or an advance past
        ``MAX_OFFSET`` would otherwise leave a clock that every later request fails to read.
        """
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("seconds must be a finite number >= 0 (the clock cannot go back)")
        with self._lock:
            if self._offset + seconds > MAX_OFFSET:
                raise ValueError(
                    f"the sandbox clock cannot be advanced by more than {MAX_OFFSET:g} s"
                )
            self._offset += seconds
        return self.now()
