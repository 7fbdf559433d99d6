"""The connection pool hands out connections in one pass, with httpcore's choices.

httpcore 1.0 re-examines every connection for every idle connection whenever a request
arrives or finishes, and polls every idle connection's socket; ``divio_ext.core.pool`` makes
the same choices in one pass and polls only the connection it hands out, plus one other in
turn. Real sockets on loopback, against a small keep-alive server that counts connections.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import httpcore
import httpx
import pytest

from divio_ext import DivioClient
from divio_ext.core import pool
from divio_ext.core.contract import APPLICATIONS_LIST
from divio_sandbox import Sandbox


class KeepAliveServer(ThreadingHTTPServer):
    """Answers every GET with a small body after ``delay`` seconds, keeping connections open;
    remembers every connection it accepted."""

    daemon_threads = True

    def __init__(self, delay: float) -> None:
        self.delay = delay
        #: When set, every request waits here for as many others before it is answered.
        self.together: threading.Barrier | None = None
        self.accepted: list[socket.socket] = []
        self.last: socket.socket | None = None
        super().__init__(("127.0.0.1", 0), _Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        self.accepted.append(connection)
        return connection, address

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close_all_but_the_last_used(self) -> None:
        """Close connections from the server's side, as a server's idle timeout does: all but
        the one that answered last."""
        for connection in self.accepted:
            if connection is not self.last:
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: KeepAliveServer

    def do_GET(self) -> None:
        if self.server.together is not None:
            self.server.together.wait(timeout=10)
        time.sleep(self.server.delay)
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.last = self.connection

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[KeepAliveServer]:
    running = KeepAliveServer(delay=0.05)
    thread = threading.Thread(target=running.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def fitted(limits: httpx.Limits) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(limits=limits)
    pool.fit(transport)
    return transport


def connections(transport: httpx.HTTPTransport) -> list[httpcore.ConnectionInterface]:
    return list(transport._pool.connections)


def in_parallel(client: httpx.Client, url: str, count: int) -> list[int]:
    with ThreadPoolExecutor(max_workers=count) as workers:
        return list(workers.map(lambda _: client.get(url).status_code, range(count)))


@pytest.fixture
def expiry_checks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each time a connection is asked whether it has expired (a socket poll when idle)."""
    asked: list[object] = []
    for kind in (httpcore.HTTPConnection, httpcore.AsyncHTTPConnection):
        original = kind.has_expired

        def spy(self: Any, original: Any = original) -> bool:
            asked.append(self)
            return bool(original(self))

        monkeypatch.setattr(kind, "has_expired", spy)
    return asked


def test_the_clients_pools_are_fitted(sandbox: Sandbox) -> None:
    with DivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        transport = client.http._transport
        assert isinstance(transport, httpx.HTTPTransport)
        assert type(transport._pool) is not httpcore.ConnectionPool
        assert client.call(APPLICATIONS_LIST, page_size=1).results


def test_requests_in_turn_reuse_one_connection(server: KeepAliveServer) -> None:
    transport = fitted(httpx.Limits(max_connections=10, max_keepalive_connections=10))
    with httpx.Client(transport=transport) as client:
        for _ in range(5):
            assert client.get(server.url).status_code == 200
    assert len(server.accepted) == 1


def test_concurrent_requests_get_connections_of_their_own_and_keep_them(
    server: KeepAliveServer,
) -> None:
    transport = fitted(httpx.Limits(max_connections=100, max_keepalive_connections=32))
    server.together = threading.Barrier(32)  # all 32 in flight at once, however slow the start
    with httpx.Client(transport=transport) as client:
        assert in_parallel(client, server.url, 32) == [200] * 32
        opened = len(server.accepted)
        assert in_parallel(client, server.url, 32) == [200] * 32
        assert len(connections(transport)) == opened == 32
    assert len(server.accepted) == opened, "the second round opened no connection"


def test_no_more_connections_than_the_limit(server: KeepAliveServer) -> None:
    transport = fitted(httpx.Limits(max_connections=3, max_keepalive_connections=3))
    with httpx.Client(transport=transport) as client:
        assert in_parallel(client, server.url, 12) == [200] * 12
    assert len(server.accepted) == 3


def test_idle_connections_beyond_the_keep_alive_limit_are_closed(
    server: KeepAliveServer,
) -> None:
    transport = fitted(httpx.Limits(max_connections=100, max_keepalive_connections=2))
    with httpx.Client(transport=transport) as client:
        assert in_parallel(client, server.url, 8) == [200] * 8
        assert client.get(server.url).status_code == 200
        kept = connections(transport)
    assert len(server.accepted) == 8
    assert len(kept) <= 2


def test_a_request_polls_at_most_two_idle_connections(
    server: KeepAliveServer, expiry_checks: list[object]
) -> None:
    transport = fitted(httpx.Limits(max_connections=100, max_keepalive_connections=32))
    with httpx.Client(transport=transport) as client:
        in_parallel(client, server.url, 32)
        assert len(connections(transport)) >= 16
        expiry_checks.clear()
        assert client.get(server.url).status_code == 200
    # one pass when the request arrives, one when it is done: the connection handed out and
    # one other each (httpcore asks every idle connection in both)
    assert len(expiry_checks) <= 4


def test_connections_the_server_closed_are_let_go_while_another_is_used(
    server: KeepAliveServer,
) -> None:
    transport = fitted(httpx.Limits(max_connections=100, max_keepalive_connections=32))
    with httpx.Client(transport=transport) as client:
        in_parallel(client, server.url, 6)
        idle = len(connections(transport))
        assert client.get(server.url).status_code == 200  # the connection handed out first
        server.close_all_but_the_last_used()
        time.sleep(0.1)
        for _ in range(2 * idle):  # each on that same connection, which is still open
            assert client.get(server.url).status_code == 200
        assert len(connections(transport)) == 1, "the closed ones were let go, in turn"


def test_a_pool_that_is_not_httpcores_own_is_left_alone() -> None:
    class Own(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(204)

    transport = Own()
    pool.fit(transport)
    assert not hasattr(transport, "_pool")
    mocked = httpx.MockTransport(lambda request: httpx.Response(204))
    pool.fit(mocked)
    with httpx.Client(transport=mocked) as client:
        assert client.get("http://example.invalid/").status_code == 204


@pytest.mark.anyio
async def test_the_async_pool_makes_the_same_choices(
    server: KeepAliveServer, expiry_checks: list[object]
) -> None:
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=32)
    )
    pool.fit(transport)
    assert type(transport._pool) is not httpcore.AsyncConnectionPool
    statuses: list[int] = []

    async with httpx.AsyncClient(transport=transport) as client:

        async def get() -> None:
            statuses.append((await client.get(server.url)).status_code)

        for _ in range(2):
            async with anyio.create_task_group() as group:
                for _ in range(16):
                    group.start_soon(get)
        opened = len(server.accepted)
        expiry_checks.clear()
        await get()
    assert statuses == [200] * 33
    assert len(server.accepted) == opened <= 16, "the second round opened no connection"
    assert 1 <= len(expiry_checks) <= 4


@pytest.mark.anyio
async def test_no_async_request_is_turned_away_by_a_connection_handed_to_another(
    server: KeepAliveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an event loop a request handed a connection starts on it only at its task's turn;
    meanwhile the connection must not be handed to others, who would each fail with
    ``ConnectionNotAvailable`` and queue again."""
    turned_away: list[object] = []
    original = httpcore.AsyncHTTP11Connection.handle_async_request

    async def spy(self: Any, request: httpcore.Request) -> httpcore.Response:
        try:
            return await original(self, request)
        except httpcore.ConnectionNotAvailable:
            turned_away.append(self)
            raise

    monkeypatch.setattr(httpcore.AsyncHTTP11Connection, "handle_async_request", spy)
    server.delay = 0.005
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=32)
    )
    pool.fit(transport)
    statuses: list[int] = []
    async with httpx.AsyncClient(transport=transport) as client:
        limit = anyio.CapacityLimiter(8)

        async def get() -> None:
            async with limit:
                statuses.append((await client.get(server.url)).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(64):
                group.start_soon(get)
    assert statuses == [200] * 64
    assert turned_away == []


class Connection:
    """A connection as the pass sees it: its state, and how often it was asked to expire."""

    def __init__(
        self, *, idle: bool = True, expired: bool = False, origin: bool = True, closed: bool = False
    ) -> None:
        self.idle, self.expired, self.origin, self.asked = idle, expired, origin, 0
        self.closed, self.looked_at = closed, 0

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return self.origin

    def is_available(self) -> bool:
        return self.idle

    def has_expired(self) -> bool:
        self.asked += 1
        return self.expired

    def is_idle(self) -> bool:
        self.looked_at += 1
        return self.idle

    def is_closed(self) -> bool:
        self.looked_at += 1
        return self.closed


class Waiting:
    """A request in the pool: queued until the pass hands it a connection."""

    def __init__(self, connection: Connection | None = None) -> None:
        self.request = httpcore.Request("GET", "http://api.invalid/")
        self.connection = connection

    def assign_to_connection(self, connection: Connection) -> None:
        self.connection = connection


class Pool:
    """The state of a pool that the pass reads and changes."""

    _sweep = 0

    def __init__(
        self,
        connections: list[Connection],
        requests: list[Waiting],
        *,
        most: int,
        kept: int,
        http2: bool = False,
    ) -> None:
        self._connections, self._requests = connections, requests
        self._max_connections, self._max_keepalive_connections = most, kept
        self._http2 = http2
        self.created: list[Connection] = []

    def create_connection(self, origin: httpcore.Origin) -> Connection:
        self.created.append(Connection(idle=False))
        return self.created[-1]


def test_a_connection_handed_to_a_waiting_request_is_never_closed_as_surplus() -> None:
    handed, spare = Connection(), Connection()
    state = Pool([handed, spare], [Waiting(handed)], most=10, kept=0)
    assert pool.assign(state) == [spare]
    assert state._connections == [handed]


def test_a_connection_handed_to_a_waiting_request_is_never_closed_to_make_room() -> None:
    handed = Connection(origin=False)  # idle, to another origin, handed but not yet started on
    spare = Connection(origin=False)
    queued = Waiting()
    state = Pool([handed], [Waiting(handed), queued], most=1, kept=1)
    assert pool.assign(state) == []
    assert queued.connection is None, "it waits for room"
    state = Pool([handed, spare], [Waiting(handed), queued], most=2, kept=2)
    assert pool.assign(state) == [spare], "room is made by closing an idle connection not handed"
    assert queued.connection is state.created[0]


def test_a_connection_handed_to_a_waiting_request_is_not_handed_to_another() -> None:
    handed = Connection()  # idle until its request starts on it
    queued = Waiting()
    state = Pool([handed], [Waiting(handed), queued], most=10, kept=10)
    assert pool.assign(state) == []
    assert queued.connection is state.created[0], "a connection of its own, not a turn-away"


def test_an_idle_connection_goes_to_one_of_the_requests_queued_together() -> None:
    free = Connection()
    first, second = Waiting(), Waiting()
    state = Pool([free], [first, second], most=10, kept=10)
    assert pool.assign(state) == []
    assert first.connection is free
    assert second.connection is state.created[0]


def test_an_http2_connection_is_shared_by_the_requests_waiting_for_it() -> None:
    handed = Connection()
    queued = Waiting()
    state = Pool([handed], [Waiting(handed), queued], most=10, kept=10, http2=True)
    assert pool.assign(state) == []
    assert queued.connection is handed
    assert state.created == []


def test_an_expired_connection_is_closed_instead_of_handed_out() -> None:
    stale, fresh = Connection(expired=True), Connection()
    queued = Waiting()
    state = Pool([stale, fresh], [queued], most=10, kept=10)
    state._sweep = 1  # this pass's turn is on the fresh one
    assert pool.assign(state) == [stale]
    assert queued.connection is fresh
    assert (stale.asked, fresh.asked) == (1, 2)


def test_one_idle_connection_is_checked_per_pass_in_turn() -> None:
    idle = [Connection() for _ in range(4)]
    state = Pool(list(idle), [], most=10, kept=10)
    for _ in range(8):
        assert pool.assign(state) == []
    assert [connection.asked for connection in idle] == [2, 2, 2, 2]


def test_a_closed_connection_goes_once_no_request_holds_it() -> None:
    broken = Connection(idle=False, closed=True)
    holder = Waiting(broken)
    state = Pool([broken, Connection(closed=True)], [holder], most=10, kept=10)
    assert pool.assign(state) == []
    assert state._connections == [broken], "the one no request holds is dropped at once"
    state._requests.remove(holder)  # the request has let go of it
    assert pool.assign(state) == []
    assert state._connections == []


def test_the_connections_requests_hold_are_not_asked_about_their_state() -> None:
    held = [Connection(idle=False) for _ in range(30)]
    free = Connection()
    state = Pool([*held, free], [Waiting(c) for c in held], most=40, kept=40)
    pool.assign(state)
    assert [c.looked_at for c in held] == [0] * 30
    assert free.looked_at == 2
