"""The async client checks idle connections through their sockets, and still drops closed ones.

Before each request httpcore's pool asks every idle connection whether the server has closed it.
anyio answers by building the stream's attribute table afresh each time, a quarter of the async
client's CPU on a large listing; ``divio_ext.core.network`` polls the socket directly instead.
Real sockets on loopback: MockTransport has no connections.
"""

from __future__ import annotations

from typing import Any

import anyio
import httpcore._backends.anyio
import pytest
from divio_api.api.backups import get_backup
from wire import serving

from divio_ext import AsyncDivioClient, RetryPolicy
from divio_ext.core.contract import APPLICATIONS_LIST
from divio_sandbox import Sandbox

from .support import TOKEN

#: An answer that lets the client keep the connection (no ``Connection: close``); the server
#: closes it anyway once it is sent.
KEPT_ALIVE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 35\r\n\r\n"
    b'{"uuid": "b1", "environment": "e1"}'
)


@pytest.fixture
def readability_asked_of_anyio(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time httpcore's anyio stream is asked whether it is readable."""
    asked: list[str] = []
    original = httpcore._backends.anyio.AnyIOStream.get_extra_info

    def spy(self: Any, info: str) -> Any:
        if info == "is_readable":
            asked.append(info)
        return original(self, info)

    monkeypatch.setattr(httpcore._backends.anyio.AnyIOStream, "get_extra_info", spy)
    return asked


@pytest.mark.anyio
async def test_idle_connections_are_checked_without_anyio_attribute_lookups(
    sandbox: Sandbox, readability_asked_of_anyio: list[str]
) -> None:
    async with AsyncDivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        for _ in range(20):  # one connection, kept alive and checked before each request
            page = await client.call(APPLICATIONS_LIST, page_size=1)
            assert page.results
    assert readability_asked_of_anyio == []


@pytest.mark.anyio
async def test_a_connection_the_server_closed_while_idle_is_not_reused() -> None:
    script = [(KEPT_ALIVE, 0.0)]
    with serving(script) as server:
        once = RetryPolicy(max_attempts=1)  # a reused dead connection would fail, not retry
        async with AsyncDivioClient(token=TOKEN, base_url=server.url, retry=once) as client:
            first = await client.call(get_backup, uuid="b1")
            await anyio.sleep(0.2)  # the server has closed it by now
            second = await client.call(get_backup, uuid="b1")
    assert first.uuid == second.uuid == "b1"
    assert len(server.requests) == 2, "each request on a connection of its own"
