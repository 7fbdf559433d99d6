"""Chaos mode: a seeded fraction of API requests fail the way real networks and proxies do.

Faults: ``429`` (DRF's throttled body and ``Retry-After``), ``502`` (an HTML page from a proxy,
not JSON), ``503`` (DRF's ``ServiceUnavailable``), ``drop`` (the connection closes before the
body is complete) and ``slow`` (the real answer, ``slow_seconds`` late). Draws come from an RNG
seeded from the sandbox seed, so a sequential client sees the same faults on every run.
"""

import random
import threading

from starlette.responses import Response

from divio_sandbox.knobs import Knobs
from divio_sandbox.responses import json_response

BAD_GATEWAY_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
)


class Chaos:
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"{seed}:chaos")
        self._lock = threading.Lock()

    def draw(self, knobs: Knobs) -> str | None:
        """The fault for this request, or None to answer normally."""
        if knobs.chaos <= 0:
            return None
        with self._lock:
            hit = self._rng.random() < knobs.chaos
            return self._rng.choice(knobs.faults) if hit else None


def fault_response(kind: str, knobs: Knobs) -> Response:
    """The response for a ``429``, ``502`` or ``503`` fault."""
    if kind == "429":
        wait = knobs.retry_after
        unit = "second" if wait == 1 else "seconds"
        body = {"detail": f"Request was throttled. Expected available in {wait} {unit}."}
        return json_response(body, 429, {"Retry-After": str(wait)})
    if kind == "502":
        return Response(BAD_GATEWAY_PAGE, 502, media_type="text/html")
    if kind == "503":
        return json_response({"detail": "Service temporarily unavailable, try again later."}, 503)
    raise ValueError(f"not a response fault: {kind}")
