"""How a client's connection pool hands connections to requests: in one pass, not a square.

httpcore's pool reconsiders its connections whenever a request arrives or finishes. In
httpcore 1.0 that pass is quadratic (for every idle connection it walks all of them again,
and for every queued request it filters them twice more: encode/httpcore#1035, still open),
and it asks every idle connection's socket whether the server has closed it, a system call
each. With 32 requests in flight over 32 kept-alive connections that is about a thousand
connection checks and twenty polls per request: on a 50 000-backup fleet status it was about
a sixth of the client's CPU (``python -m bench --only fleet``).

:func:`fit` gives the pool of an httpx transport a pass that makes the same choices in time
linear in the connections, and that asks the socket only of the connection it is about to
hand out (plus one other idle connection per pass, in turn, so that connections the server
closed are still let go of while the pool is quiet). The choices are httpcore's:

* closed connections are dropped (one that a request still holds, at the first pass after
  the request has let go of it: the pass asks nothing of the connections requests hold,
  which during a batch are nearly all of them);
* idle connections beyond ``max_keepalive_connections`` are closed, oldest first (httpcore
  compares the number of *all* connections with that limit, the first bug of #1035; here it
  is the idle ones, as documented), but never one already handed to a waiting request
  (encode/httpcore#1110);
* each queued request gets the first available connection to its origin that has not
  expired, else a new connection while there are fewer than ``max_connections``, else an idle
  connection is closed to make room.

One choice differs, on purpose. httpcore counts an HTTP/1.1 connection as available until a
request starts on it, so a connection already handed to one waiting request is handed to the
next ones too; all but the first of them then fail with ``ConnectionNotAvailable`` and queue
again, each failure costing another pass. On an event loop, where the request handed a
connection runs only when its task's turn comes, that happened about 2 000 times in a
50 000-backup fleet status of 430 requests. Here a connection goes to one request at a time,
unless the pool speaks HTTP/2, whose connections take several requests at once.

Only pools of exactly httpcore's own classes are changed, and only while they have the
attributes this pass reads; anything else (a proxy's pool, a mocked transport, a later
httpcore) keeps its own pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import httpcore
import httpx

from divio_ext.core import network

#: What the pass reads of a pool; a pool without all of these is left alone.
_POOL_STATE = (
    "_connections",
    "_requests",
    "_max_connections",
    "_max_keepalive_connections",
    "_http2",
)


class _Connection(Protocol):
    """What the pass asks of a connection (httpcore's sync and async connections alike)."""

    def can_handle_request(self, origin: httpcore.Origin) -> bool: ...
    def is_available(self) -> bool: ...
    def has_expired(self) -> bool: ...
    def is_idle(self) -> bool: ...
    def is_closed(self) -> bool: ...


C = TypeVar("C", bound=_Connection)


class _Request(Protocol[C]):
    """A request waiting in the pool (httpcore's ``PoolRequest``, sync or async)."""

    request: httpcore.Request
    connection: C | None

    def assign_to_connection(self, connection: C) -> None: ...


class _State(Protocol[C]):
    """What the pass reads and changes of a pool (httpcore's, sync or async)."""

    _connections: list[C]
    _max_connections: int
    _max_keepalive_connections: int
    #: Whether connections may speak HTTP/2 (and so take more than one request at a time).
    _http2: bool
    _sweep: int

    @property
    def _requests(self) -> Sequence[_Request[C]]: ...

    def create_connection(self, origin: httpcore.Origin) -> C: ...


def assign(pool: _State[C]) -> list[C]:
    """One pass of ``pool`` (sync or async): requests get connections, the connections to
    close are returned (the pool closes them outside its lock, as httpcore does)."""
    closing: list[C] = []
    queued: list[_Request[C]] = []
    spoken_for: set[int] = set()
    for request in pool._requests:
        if request.connection is None:  # queued (httpcore's ``is_queued``)
            queued.append(request)
        else:
            spoken_for.add(id(request.connection))
    connections: list[C] = []
    idle: list[C] = []
    for c in pool._connections:
        if id(c) in spoken_for:
            connections.append(c)  # busy; if it closed, it goes once its request has let go
        elif not c.is_closed():
            connections.append(c)
            if c.is_idle():
                idle.append(c)
    surplus = idle[: max(0, len(idle) - pool._max_keepalive_connections)]
    idle = idle[len(surplus) :]
    if idle:
        turn = pool._sweep % len(idle)
        pool._sweep = turn + 1
        if idle[turn].has_expired():
            surplus.append(idle.pop(turn))
    if surplus:
        dropped = {id(c) for c in surplus}
        connections = [c for c in connections if id(c) not in dropped]
        closing += surplus
    shared = pool._http2
    available: dict[tuple[bytes, bytes, int], list[C]] = {}  # by origin (not hashable)
    for request in queued:
        origin = request.request.url.origin
        key = (origin.scheme, origin.host, origin.port)
        if key not in available:
            available[key] = [
                c
                for c in connections
                if (shared or id(c) not in spoken_for)
                and c.is_available()
                and c.can_handle_request(origin)
            ]
        candidates = available[key]
        while candidates and candidates[0].is_idle() and candidates[0].has_expired():
            expired = candidates.pop(0)
            connections.remove(expired)
            closing.append(expired)
        if candidates:
            request.assign_to_connection(candidates[0])
            spoken_for.add(id(candidates[0]))
            if not shared:
                del candidates[0]
            continue
        if len(connections) >= pool._max_connections:
            room = next((c for c in connections if c.is_idle() and id(c) not in spoken_for), None)
            if room is None:
                continue
            connections.remove(room)
            closing.append(room)
        connection = pool.create_connection(origin)
        connections.append(connection)
        request.assign_to_connection(connection)
    pool._connections = connections
    return closing


class _Pool(httpcore.ConnectionPool):
    """httpcore's sync pool with the one-pass assignment."""

    #: Which idle connection the next pass checks for expiry, in turn.
    _sweep = 0

    def _assign_requests_to_connections(self) -> list[httpcore.ConnectionInterface]:
        return assign(self)


class _AsyncPool(httpcore.AsyncConnectionPool):
    """httpcore's async pool with the one-pass assignment."""

    #: Which idle connection the next pass checks for expiry, in turn.
    _sweep = 0

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        return assign(self)


def fit(transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None) -> None:
    """Give the httpcore pool of an httpx transport the network backend of
    :mod:`divio_ext.core.network` and, if it is exactly httpcore's pool, the one-pass
    assignment; other transports (``MockTransport``, a user's own) are left alone.

    httpx builds the pool itself and offers no way to choose its class, so the pool is given
    the subclass in place: the subclass adds nothing but the pass and its sweep counter.
    """
    pool = getattr(transport, "_pool", None)
    linear = all(hasattr(pool, name) for name in _POOL_STATE)
    if isinstance(pool, httpcore.ConnectionPool):
        network.fit_backend(pool)
        if linear and type(pool) is httpcore.ConnectionPool:
            pool.__class__ = _Pool
    elif isinstance(pool, httpcore.AsyncConnectionPool):
        network.fit_async_backend(pool)
        if linear and type(pool) is httpcore.AsyncConnectionPool:
            pool.__class__ = _AsyncPool
