"""Test helpers for the core client: a fake clock, a fake paginated API, client factories."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from clocks import FakeClock

from divio_ext import AsyncDivioClient, DivioClient, RetryPolicy

TOKEN = "s3cr3t-t0ken-9f8e7d6c5b4a"
API = "https://api.divio.com"
BACKUPS = "/apps/v3/backups/"

Handler = Callable[[httpx.Request], Any]


def policy(clock: FakeClock | None = None, **kwargs: Any) -> RetryPolicy:
    """A retry policy on a fake clock whose jitter always picks the full backoff."""
    return RetryPolicy(clock=clock or FakeClock(), random=lambda: 1.0, **kwargs)


def sync_client(handler: Handler, **kwargs: Any) -> DivioClient:
    kwargs.setdefault("token", TOKEN)
    kwargs.setdefault("retry", policy())
    return DivioClient(transport=httpx.MockTransport(handler), **kwargs)


def async_client(handler: Handler, **kwargs: Any) -> AsyncDivioClient:
    kwargs.setdefault("token", TOKEN)
    kwargs.setdefault("retry", policy())
    return AsyncDivioClient(transport=httpx.MockTransport(handler), **kwargs)


def backup(uuid: str) -> dict[str, Any]:
    return {"uuid": uuid, "environment": "env1", "state": "COMPLETED", "success": "SUCCESS"}


@dataclass
class FakeBackups:
    """DRF-style page-number listing of backups, with knobs to misbehave.

    ``uuids`` may be changed between requests (via ``before``) to simulate a list that grows or
    shrinks while it is being paged; ``fail`` maps a page number to a response to return instead.
    """

    uuids: list[str]
    next_base: str = API
    before: Callable[[int], None] | None = None
    fail: dict[int, httpx.Response] = field(default_factory=dict)
    empty_pages: set[int] = field(default_factory=set)
    requests: list[httpx.Request] = field(default_factory=list)

    @classmethod
    def of(cls, n: int, **kwargs: Any) -> FakeBackups:
        return cls([f"b{i:04d}" for i in range(n)], **kwargs)

    @property
    def pages(self) -> list[int]:
        return [int(r.url.params["page"]) for r in self.requests]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == BACKUPS, request.url
        self.requests.append(request)
        number = int(request.url.params.get("page", "1"))
        size = int(request.url.params.get("page_size", "20"))
        if self.before is not None:
            self.before(number)
        if number in self.fail:
            return self.fail[number]
        last = max(1, math.ceil(len(self.uuids) / size))
        if number > last:
            return httpx.Response(404, json={"detail": "Invalid page."})
        chunk = self.uuids[(number - 1) * size : number * size]
        if number in self.empty_pages:
            chunk = []
        query = "&".join(f"{k}={v}" for k, v in request.url.params.multi_items() if k != "page")
        link = f"{self.next_base}{BACKUPS}?{query}&page={number + 1}" if number < last else None
        body = {"count": len(self.uuids), "next": link, "previous": None}
        body["results"] = [backup(u) for u in chunk]
        return httpx.Response(200, json=body)
