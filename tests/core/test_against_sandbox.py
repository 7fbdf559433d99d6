"""The core client against the local sandbox (loopback only): real HTTP, real DRF-style pages.

Chaos makes a seeded share of requests fail as networks and proxies do (429 with Retry-After,
502 HTML, 503, dropped connections); retries run on a fake clock, so nothing really sleeps.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Iterator
from typing import Any

import httpcore
import pytest
from divio_api.api.backups import get_backup, list_backups

from divio_ext import AsyncDivioClient, DivioClient, DivioError, NotFound
from divio_ext.core.contract import BACKUP
from divio_ext.core.engine import Call, Gather, Plan
from divio_sandbox import Sandbox

from .support import FakeClock, policy

FAULTS = ("429", "502", "503", "drop")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@pytest.fixture(scope="module")
def everything(sandbox: Sandbox) -> list[str]:
    """All backups alice can see, listed once without any fault."""
    sandbox.configure(chaos=0.0)
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        uuids = [b.uuid for b in client.paginate(list_backups, page_size=20)]
    assert len(uuids) > 60  # several pages
    assert len(set(uuids)) == len(uuids)
    return uuids


def client(sandbox: Sandbox, **kwargs: Any) -> DivioClient:
    kwargs.setdefault("retry", policy(FakeClock(), max_attempts=10, deadline=1e9))
    return DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url, **kwargs)


@pytest.mark.parametrize("concurrency", [1, 4])
def test_retries_carry_a_listing_through_chaos(
    sandbox: Sandbox, everything: list[str], concurrency: int
) -> None:
    sandbox.configure(chaos=0.3, faults=FAULTS)
    try:
        with client(sandbox) as c:
            uuids = [b.uuid for b in c.paginate(list_backups, concurrency=concurrency)]
    finally:
        sandbox.configure(chaos=0.0)
    assert uuids == everything


@pytest.mark.anyio
async def test_async_listing_matches_the_sync_one(sandbox: Sandbox, everything: list[str]) -> None:
    sandbox.configure(chaos=0.3, faults=FAULTS)
    try:
        async with AsyncDivioClient(
            token=sandbox.tokens["alice"],
            base_url=sandbox.url,
            retry=policy(FakeClock(), max_attempts=10, deadline=1e9),
        ) as c:
            uuids = [b.uuid async for b in c.paginate(list_backups, page_size=20, concurrency=3)]
    finally:
        sandbox.configure(chaos=0.0)
    assert uuids == everything


def test_a_scan_without_retries_completes_by_resuming(
    sandbox: Sandbox, everything: list[str]
) -> None:
    sandbox.configure(chaos=0.4, faults=FAULTS)
    uuids: list[str] = []
    token: str | None = None
    failures = 0
    try:
        with client(sandbox, retry=policy(FakeClock(), max_attempts=1)) as c:
            pager = c.paginate(list_backups, page_size=20)
            while True:
                try:
                    uuids.extend(b.uuid for b in pager.items(token))
                    break
                except DivioError as exc:
                    failures += 1
                    assert failures < 200
                    token = exc.continuation_token
    finally:
        sandbox.configure(chaos=0.0)
    assert failures > 0
    assert uuids == everything


def test_another_organisations_backup_is_not_found(sandbox: Sandbox, everything: list[str]) -> None:
    with DivioClient(token=sandbox.tokens["mallory"], base_url=sandbox.url) as c:
        with pytest.raises(NotFound, match="not allowed to see it"):
            c.call(get_backup, uuid=everything[0])
        theirs = {b.uuid for b in c.paginate(list_backups)}
    assert theirs.isdisjoint(everything)


def test_the_escape_hatch_takes_an_endpoint_a_module_or_a_generated_function(
    sandbox: Sandbox, everything: list[str]
) -> None:
    with client(sandbox) as c:
        answers = [
            c.call(operation, uuid=everything[0]).uuid
            for operation in (BACKUP, get_backup, get_backup.sync_detailed)
        ]
        with pytest.raises(TypeError, match="not a generated operation"):
            c.call(print, uuid=everything[0])
    assert answers == [everything[0]] * 3


def count_connections(monkeypatch: pytest.MonkeyPatch, backend: type[Any]) -> list[object]:
    """Record every TCP connection ``backend`` opens from now on."""
    opened: list[object] = []
    connect = backend.connect_tcp

    def counting(self: object, *args: Any, **kwargs: Any) -> Any:
        opened.append(args)
        return connect(self, *args, **kwargs)

    async def async_counting(self: object, *args: Any, **kwargs: Any) -> Any:
        opened.append(args)
        return await connect(self, *args, **kwargs)

    is_async = backend is httpcore.AnyIOBackend
    monkeypatch.setattr(backend, "connect_tcp", async_counting if is_async else counting)
    return opened


def thirty_two_at_a_time(uuids: list[str]) -> Plan[list[Any]]:
    """Two rounds of 32 concurrent lookups: a workflow's batch of pages, twice."""
    lookups = tuple(Call(BACKUP, {"uuid": uuid}) for uuid in uuids[:32])
    first = yield Gather(lookups, concurrency=32)
    second = yield Gather(lookups, concurrency=32)
    return [*first, *second]


def test_concurrent_requests_keep_their_connections_alive(
    sandbox: Sandbox, everything: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool that kept fewer connections than requests in flight would close the extra ones
    after each round and open new ones for the next (each a TLS handshake against the API)."""
    opened = count_connections(monkeypatch, httpcore.SyncBackend)
    sandbox.configure(latency=0.05)  # so that 32 really are in flight together
    try:
        with client(sandbox) as c:
            answers = c.run(thirty_two_at_a_time(everything))
    finally:
        sandbox.configure(latency=0.0)
    assert len(answers) == 64
    assert 1 <= len(opened) <= 32


@pytest.mark.anyio
async def test_concurrent_async_requests_keep_their_connections_alive(
    sandbox: Sandbox, everything: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = count_connections(monkeypatch, httpcore.AnyIOBackend)
    sandbox.configure(latency=0.05)
    try:
        async with AsyncDivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as c:
            answers = await c.run(thirty_two_at_a_time(everything))
    finally:
        sandbox.configure(latency=0.0)
    assert len(answers) == 64
    assert 1 <= len(opened) <= 32


class RecordingFinder(importlib.abc.MetaPathFinder):
    """Records every module the import system searches for (it finds none itself)."""

    def __init__(self) -> None:
        self.searched: list[str] = []

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        self.searched.append(fullname)


@pytest.mark.anyio
async def test_async_requests_do_not_search_for_modules_again_and_again(
    sandbox: Sandbox, everything: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module found missing is searched for again (on disk) at every import; httpcore tries
    one on each async request, which doubled the async client's time until it was installed."""
    finder = RecordingFinder()
    async with AsyncDivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as c:
        await c.call(BACKUP, uuid=everything[0])  # everything imported once is imported now
        monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
        for uuid in everything[:5]:
            await c.call(BACKUP, uuid=uuid)
    assert finder.searched == []
