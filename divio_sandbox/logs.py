"""Runtime logs of an environment: an endless, deterministic stream computed on demand.

Entry ``k`` exists at ``start + k * PERIOD`` (plus some microseconds) for every deployed
environment, so any time window is answered by arithmetic, never by stored data. Windows are
walked the way divio-cli and Divio's export script do (api-notes §6.9): ``next`` moves forward
in time (a tail follows it forever; it repeats itself while no entry is new) and ``previous``
moves back (an export walks it until it returns the URL just fetched).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

#: One entry every this many seconds.
PERIOD = 30.0
_SERVICES = ("web", "web", "web", "worker", "cronjob", "web", "shell")
_PATHS = ("/", "/en/", "/api/health/", "/static/app.css", "/admin/login/", "/en/blog/")


@dataclass(frozen=True, slots=True)
class Window:
    """Entries in [lower, upper); ``newest_first`` picks the page at the upper end."""

    lower: datetime | None
    upper: datetime
    newest_first: bool


def timestamp(start: datetime, k: int) -> datetime:
    return start + timedelta(seconds=k * PERIOD, microseconds=(k * 7919) % 1_000_000)


def entry(start: datetime, k: int) -> dict[str, Any]:
    service = _SERVICES[k % len(_SERVICES)]
    if service == "web":
        path = _PATHS[k % len(_PATHS)]
        message = f'10.0.{k % 251}.{k % 197} - - "GET {path} HTTP/1.1" 200 {1000 + k % 9000}'
    elif service == "worker":
        message = f"Task newsletter.send[{k:08x}] succeeded in {k % 97 / 10:.1f}s"
    elif service == "cronjob":
        message = "Running scheduled job: python manage.py clearsessions\r"
    else:
        message = "\x1b[32mPython 3.11 shell session opened\x1b[0m"
    stamp = timestamp(start, k).isoformat().replace("+00:00", "Z")
    return {"timestamp": stamp, "service": service, "message": message}


def _first_at_or_after(start: datetime, moment: datetime) -> int:
    k = max(0, math.floor((moment - start).total_seconds() / PERIOD))
    while timestamp(start, k) < moment:
        k += 1
    return k


def select(start: datetime, window: Window, size: int) -> range:
    """Indexes of the entries on this page, oldest first."""
    if window.upper <= start or (window.lower is not None and window.lower >= window.upper):
        return range(0)
    low = 0 if window.lower is None else _first_at_or_after(start, window.lower)
    high = _first_at_or_after(start, window.upper)
    if window.newest_first:
        return range(max(low, high - size), high)
    return range(low, min(high, low + size))
