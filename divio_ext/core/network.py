"""What httpcore's connection pools connect with: a network backend wrapped for each client.

httpx offers no way to pass a network backend, so :func:`fit_backend` and
:func:`fit_async_backend` set the pool's ``_network_backend`` (httpcore creates every new
connection with it); :func:`divio_ext.core.pool.fit` calls them for the pools httpx builds.

* Sync: an attempt cannot be interrupted from outside, so every socket operation is cut to what
  is left of the attempt's deadline (:data:`DEADLINE`, set by ``PolicyClient``); otherwise a
  server sending a byte just before each read timeout could hold a request for ever.
  ``tests/core/test_deadline.py`` proves it on real sockets.
* Async: the deadline is an anyio cancel scope around the attempt, so nothing is cut here. But
  before every request the pool asks each idle connection whether the server has closed it
  (``is_readable``), and anyio answers by building the stream's table of attributes afresh each
  time: with 32 requests in flight that was a quarter of the async client's CPU on a large
  listing. The wrapper keeps the connection's socket and polls it directly, as httpcore's own
  sync backend does.
"""

from __future__ import annotations

import select
import time
from contextvars import ContextVar
from typing import Any, Protocol

import httpcore

#: When the current sync attempt must be over (``time.monotonic()``), None outside attempts.
DEADLINE: ContextVar[float | None] = ContextVar("divio_ext_deadline", default=None)


def _left(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """The socket timeout to use now: httpx's own, cut to what is left of the deadline."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the per-request deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes never wait past the current attempt's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, with the connections wrapped in ``_DeadlineStream``."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._backend.connect_tcp(host, port, left, local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _Socket(Protocol):
    """What a connection's ``socket`` extra is under any backend: asyncio's ``TransportSocket``,
    the standard library's socket or trio's."""

    def fileno(self) -> int: ...


def _readable(sock: _Socket) -> bool:
    """Whether a read would not wait: data has arrived, or the peer closed (a read returns
    ``b""``). A socket without a descriptor any more counts as closed."""
    descriptor = sock.fileno()
    if descriptor < 0:
        return True
    if hasattr(select, "poll"):  # not limited to descriptors below FD_SETSIZE, unlike select
        poller = select.poll()
        poller.register(descriptor, select.POLLIN)
        return bool(poller.poll(0))
    ready, _, _ = select.select([descriptor], [], [], 0)
    return bool(ready)


class _ReadableStream(httpcore.AsyncNetworkStream):
    """An async connection that answers ``is_readable`` from its socket, kept at connect time
    (a stream without one is asked as before)."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        found = stream.get_extra_info("socket")
        self._socket: _Socket | None = found if callable(getattr(found, "fileno", None)) else None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _ReadableStream(await self._stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return _readable(self._socket)
        return self._stream.get_extra_info(info)


class _ReadableBackend(httpcore.AsyncNetworkBackend):
    """httpcore's async network backend, with the connections wrapped in ``_ReadableStream``."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        return _ReadableStream(
            await self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        return _ReadableStream(
            await self._backend.connect_unix_socket(path, timeout, socket_options)
        )

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def fit_backend(pool: httpcore.ConnectionPool) -> None:
    """Give a sync connection pool the deadline-aware backend."""
    backend = pool._network_backend
    if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, _DeadlineBackend):
        pool._network_backend = _DeadlineBackend(backend)


def fit_async_backend(pool: httpcore.AsyncConnectionPool) -> None:
    """Give an async connection pool the backend that checks sockets directly."""
    backend = pool._network_backend
    if isinstance(backend, httpcore.AsyncNetworkBackend) and not isinstance(
        backend, _ReadableBackend
    ):
        pool._network_backend = _ReadableBackend(backend)
