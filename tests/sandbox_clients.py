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


class GoneBackups(httpx.HTTPTransport):
    """The sandbox, except that the backups named in ``gone`` answer 404 when fetched by uuid,
    as backups deleted after their service-instance backups were listed."""

    def __init__(self, gone: set[str]) -> None:
        super().__init__()
        self.gone = gone

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.removeprefix("/apps/v3/backups/").strip("/") in self.gone:
            return httpx.Response(404, json={"detail": "Not found."})
        return super().handle_request(request)
