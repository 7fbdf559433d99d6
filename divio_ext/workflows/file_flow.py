"""A file transfer written once, run by a sync or an async driver.

Pulling a backup (a download resumed with ``Range``) and copying one (that download, then an
upload and a finish request) are *flows*: generators that yield what they need done and are sent
back what happened, as :meth:`divio_ext.core.http.RequestPolicy.flow` is for one API request
(and httpx's ``Auth.auth_flow`` for authentication). The rules of a transfer live in the flow
alone; :func:`run` (an ``httpx.Client``) and :func:`arun` (an ``httpx.AsyncClient``) only carry
out its steps:

* :class:`Open`: send a GET and hand back the response with its body unread;
* :data:`READ`: the open response's next raw chunk (``b""`` once its body has ended);
* :class:`Write`: bytes to a local file or stream (from a worker thread in async code);
* :class:`Send`: a request whose whole answer is read, its body a :class:`Body` read from a file;
* :class:`Blocking`: a blocking call, such as boto3's upload (a worker thread in async code);
* :class:`Pause`: wait a moment before trying something again (cancellable in async code).

A failure of the network comes back to the flow as a value, an ``httpx.HTTPError``, not as an
exception raised into it, so whatever the flow raises has no httpx exception as its context:
those carry the request, and so its pre-signed URL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TypeVar, cast

import anyio
import httpx

T = TypeVar("T")

#: How much of a file one chunk of an upload body carries.
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Open:
    """Send a GET for ``url`` with ``headers``; sent back: the response (body unread), or the
    ``httpx.HTTPError``. A response opened before is closed first. A redirect is not followed
    but sent back, whatever the client's setting: the flow decides where to go (and what to
    scrub from the logs) before the next request."""

    url: str = field(repr=False)
    headers: Mapping[str, str]


class Read:
    """The step :data:`READ`."""


#: Read the open response's next raw chunk; sent back: the bytes (``b""`` once the body has
#: ended) or the ``httpx.HTTPError`` that broke it off.
READ = Read()


@dataclass(frozen=True)
class Write:
    """Write ``data`` to ``sink``; sent back: ``None``."""

    sink: IO[bytes]
    data: bytes


class Body:
    """A request body read from ``file``, from where it stands, :data:`CHUNK` bytes at a time;
    ``count`` hears each chunk (and returns what to send). Iterable by both drivers: the sync
    one reads here, the async one from a worker thread."""

    def __init__(self, file: IO[bytes], count: Callable[[bytes], bytes]) -> None:
        self._file = file
        self._count = count

    def read(self) -> bytes:
        """The next chunk, counted; ``b""`` at the end of the file."""
        chunk = self._file.read(CHUNK)
        return self._count(chunk) if chunk else chunk

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.read, b"")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while chunk := await anyio.to_thread.run_sync(self.read):
            yield chunk


@dataclass(frozen=True)
class Send:
    """Send a request and read its whole answer; sent back: the response or the
    ``httpx.HTTPError``. A redirect is sent back, never followed: its target may be another
    signed URL, and a body streamed from a file cannot be sent twice."""

    method: str
    url: str = field(repr=False)
    headers: Mapping[str, str]
    body: Body | None = None


@dataclass(frozen=True)
class Blocking:
    """Make a blocking call (in a worker thread, in async code); sent back: ``None``.

    ``cancel``, if given, stops the call from another thread: when an async caller is
    cancelled, the driver calls it and waits for the call to end before the cancellation goes
    on, so that nothing the call started (boto3's upload threads) outlives it. Without it the
    cancellation waits for the call to finish.
    """

    call: Callable[[], object]
    cancel: Callable[[], object] | None = None


@dataclass(frozen=True)
class Pause:
    """Wait ``seconds``; sent back: ``None``. What a flow waits on this way (a named pipe's
    reader, say), an async caller's cancellation or timeout ends at once, where a worker
    thread blocked in a system call could not be stopped."""

    seconds: float


Step = Open | Read | Write | Send | Blocking | Pause
Outcome = httpx.Response | bytes | httpx.HTTPError | None
Flow = Generator[Step, Outcome, T]


def _raw(response: httpx.Response) -> Iterator[bytes]:
    """The body's bytes as sent (not decoded), as they come. A response built already read
    (``httpx.Response(content=...)``, as test mocks and recorded cassettes build them) has no
    stream left to read, but still holds those bytes: they are read from it again."""
    if response.is_stream_consumed:
        return iter(cast(httpx.SyncByteStream, response.stream))
    return response.iter_raw()


def _araw(response: httpx.Response) -> AsyncIterator[bytes]:
    """:func:`_raw` for an ``httpx.AsyncClient``'s response."""
    if response.is_stream_consumed:
        return aiter(cast(httpx.AsyncByteStream, response.stream))
    return response.aiter_raw()


def run(flow: Flow[T], client: httpx.Client) -> T:
    """Carry out ``flow``'s steps with ``client``; its result."""
    opened: httpx.Response | None = None
    chunks: Iterator[bytes] | None = None
    outcome: Outcome = None
    try:
        while True:
            step = flow.send(outcome)  # outside any ``except``: nothing is chained to its errors
            outcome = None
            try:
                if isinstance(step, Read):
                    assert chunks is not None, "a flow reads only after it opened a response"
                    outcome = next(chunks, b"")
                elif isinstance(step, Write):
                    step.sink.write(step.data)
                elif isinstance(step, Open):
                    if opened is not None:
                        opened.close()
                    request = client.build_request("GET", step.url, headers=step.headers)
                    opened = client.send(request, stream=True, follow_redirects=False)
                    chunks = _raw(opened)
                    outcome = opened
                elif isinstance(step, Send):
                    content = None if step.body is None else iter(step.body)
                    outcome = client.request(
                        step.method,
                        step.url,
                        headers=step.headers,
                        content=content,
                        follow_redirects=False,
                    )
                elif isinstance(step, Pause):
                    time.sleep(step.seconds)
                else:
                    step.call()
            except httpx.HTTPError as error:
                outcome = error
    except StopIteration as done:
        result: T = done.value
        return result
    finally:
        flow.close()
        if opened is not None:
            opened.close()


async def arun(flow: Flow[T], client: httpx.AsyncClient) -> T:
    """:func:`run` for an ``httpx.AsyncClient``: local files are written from worker threads."""
    opened: httpx.Response | None = None
    chunks: AsyncIterator[bytes] | None = None
    outcome: Outcome = None
    try:
        while True:
            step = flow.send(outcome)
            outcome = None
            try:
                if isinstance(step, Read):
                    assert chunks is not None, "a flow reads only after it opened a response"
                    outcome = await anext(chunks, b"")
                elif isinstance(step, Write):
                    await anyio.to_thread.run_sync(step.sink.write, step.data)
                elif isinstance(step, Open):
                    if opened is not None:
                        await opened.aclose()
                    request = client.build_request("GET", step.url, headers=step.headers)
                    opened = await client.send(request, stream=True, follow_redirects=False)
                    chunks = _araw(opened)
                    outcome = opened
                elif isinstance(step, Send):
                    content = None if step.body is None else aiter(step.body)
                    outcome = await client.request(
                        step.method,
                        step.url,
                        headers=step.headers,
                        content=content,
                        follow_redirects=False,
                    )
                elif isinstance(step, Pause):
                    await anyio.sleep(step.seconds)
                else:
                    await _blocking(step)
            except httpx.HTTPError as error:
                outcome = error
    except StopIteration as done:
        result: T = done.value
        return result
    finally:
        flow.close()
        if opened is not None:
            await opened.aclose()


async def _blocking(step: Blocking) -> None:
    """Carry out ``step`` in a worker thread; a cancellation calls its ``cancel`` and waits,
    shielded, for the call to end (see :class:`Blocking`)."""
    if step.cancel is None:
        await anyio.to_thread.run_sync(step.call)
        return
    ended = threading.Event()

    def call() -> None:
        try:
            step.call()
        finally:
            ended.set()

    try:
        await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    except anyio.get_cancelled_exc_class():
        step.cancel()
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(ended.wait)
        raise
