"""Helpers of the workflow tests: a clock that moves the sandbox, a request counter, clients."""

from __future__ import annotations

from typing import Any

import httpx

from divio_ext import DivioClient
from divio_sandbox import Sandbox


class Counter:
    """An httpx request hook that remembers the path and query of every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.URL] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request.url)

    def __len__(self) -> int:
        return len(self.requests)

    def clear(self) -> None:
        self.requests.clear()


def client_for(sandbox: Sandbox, counter: Counter | None = None, **options: Any) -> DivioClient:
    hooks = {"request": [counter]} if counter is not None else {}
    return DivioClient(
        token=sandbox.tokens["alice"], base_url=sandbox.url, event_hooks=hooks, **options
    )
