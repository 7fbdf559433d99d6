"""Request counters, for benchmarks ("how many requests did that listing cost?") and chaos tests."""

import threading
from collections import Counter
from typing import Any


class Stats:
    """Thread-safe counts of API requests per ``METHOD /path/template/`` and of chaos faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()

    def count_request(self, method: str, template: str) -> None:
        with self._lock:
            self._requests[f"{method} {template}"] += 1

    def count_fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def snapshot(self) -> dict[str, Any]:
        """``{"total": n, "requests": {"GET /apps/v3/backups/": n, ...}, "faults": {...}}``."""
        with self._lock:
            return {
                "total": sum(self._requests.values()),
                "requests": dict(sorted(self._requests.items())),
                "faults": dict(sorted(self._faults.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._faults.clear()
