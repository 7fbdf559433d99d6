"""The file-transfer drivers: one flow, carried out alike by the sync and the async client."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from functools import partial
from typing import Any

import anyio
import httpx
import pytest

from divio_ext.workflows import file_flow
from divio_ext.workflows.file_flow import READ, Blocking, Body, Flow, Open, Pause, Send, Write

PIECES = (b"PGDMP ", b"sandbox ", b"dump")


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that arrives in :data:`PIECES`, for either client."""

    def __iter__(self) -> Iterator[bytes]:
        yield from PIECES

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in PIECES:
            yield piece


def file_server(request: httpx.Request) -> httpx.Response:
    """A file to GET, an upload that answers how much it received, a host that is down and a
    URL that redirects."""
    if request.url.path == "/down":
        raise httpx.ConnectError("unreachable", request=request)
    if request.url.path == "/moved":
        return httpx.Response(307, headers={"Location": "/elsewhere?sig=signed"})
    if request.method == "GET":
        return httpx.Response(200, stream=Pieces())
    if request.method == "PUT":
        return httpx.Response(201, text=f"{len(request.read())} bytes")
    return httpx.Response(404)


def run_sync(flow: Flow[Any]) -> Any:
    # A client that follows redirects, as one a user hands in may: the drivers never do.
    transport = httpx.MockTransport(file_server)
    with httpx.Client(transport=transport, follow_redirects=True) as client:
        return file_flow.run(flow, client)


def run_async(flow: Flow[Any]) -> Any:
    async def go() -> Any:
        transport = httpx.MockTransport(file_server)
        async with httpx.AsyncClient(transport=transport, follow_redirects=True) as client:
            return await file_flow.arun(flow, client)

    return anyio.run(go)


DRIVERS = pytest.mark.parametrize("drive", [run_sync, run_async], ids=["sync", "async"])


def every_step(sink: io.BytesIO, counted: list[bytes]) -> Flow[list[object]]:
    """A flow that takes each kind of step once and notes what it was sent back."""
    seen: list[object] = []
    got = yield Open("http://files.test/backup.dump", {})
    assert isinstance(got, httpx.Response)
    seen.append(got.status_code)
    while chunk := (yield READ):
        assert isinstance(chunk, bytes)
        seen.append(chunk)
        yield Write(sink, chunk)
    seen.append(sink.getvalue())
    upload = Body(io.BytesIO(b"x" * (file_flow.CHUNK + 1)), lambda c: counted.append(c) or c)
    sent = yield Send("PUT", "http://files.test/upload", {}, upload)
    assert isinstance(sent, httpx.Response)
    seen.append((sent.status_code, sent.text))
    broken = yield Send("POST", "http://files.test/down", {})
    seen.append(type(broken).__name__)
    yield Blocking(partial(seen.append, "called"))
    started = time.monotonic()
    paused = yield Pause(0.05)
    seen.append((paused, time.monotonic() - started >= 0.05))
    return seen


@DRIVERS
def test_each_step_is_carried_out_and_its_outcome_sent_back(
    drive: Callable[[Flow[Any]], Any],
) -> None:
    sink, counted = io.BytesIO(), []
    seen = drive(every_step(sink, counted))
    assert seen == [
        200,
        *PIECES,
        b"".join(PIECES),
        (201, f"{file_flow.CHUNK + 1} bytes"),
        "ConnectError",
        "called",
        (None, True),
    ]
    assert [len(chunk) for chunk in counted] == [file_flow.CHUNK, 1], "the body, read in chunks"


def fails_mid_body(opened: list[httpx.Response]) -> Flow[None]:
    got = yield Open("http://files.test/backup.dump", {})
    assert isinstance(got, httpx.Response)
    opened.append(got)
    yield READ
    raise ValueError("the flow gave up")


@DRIVERS
def test_a_flow_that_fails_mid_body_leaves_no_response_open(
    drive: Callable[[Flow[Any]], Any],
) -> None:
    opened: list[httpx.Response] = []
    with pytest.raises(ValueError, match="gave up"):
        drive(fails_mid_body(opened))
    assert opened[0].is_closed


def raises_on_failure() -> Flow[None]:
    got = yield Open("http://files.test/down", {})
    raise RuntimeError(f"the flow saw {type(got).__name__}")


@DRIVERS
def test_a_network_failure_comes_back_as_a_value_so_nothing_is_chained_to_the_flows_error(
    drive: Callable[[Flow[Any]], Any],
) -> None:
    with pytest.raises(RuntimeError, match="saw ConnectError") as raised:
        drive(raises_on_failure())
    assert raised.value.__context__ is None, "httpx's error, which carries the URL, is not chained"


def redirected(method: str) -> Flow[list[int]]:
    """A GET and a ``method`` request of a URL that redirects; the statuses sent back."""
    opened = yield Open("https://files.example/moved", {})
    sent = yield Send(method, "https://files.example/moved", {})
    assert isinstance(opened, httpx.Response)
    assert isinstance(sent, httpx.Response)
    return [opened.status_code, sent.status_code]


@DRIVERS
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_a_redirect_is_sent_back_to_the_flow_not_followed(
    drive: Callable[[Flow[Any]], Any], method: str
) -> None:
    assert drive(redirected(method)) == [307, 307]


def test_a_cancelled_async_caller_stops_a_blocking_call_and_waits_for_it_to_end() -> None:
    """A call that can be stopped (boto3's upload) is stopped, and nothing it started outlives
    the cancellation; one that cannot is waited for."""
    stop, ended = threading.Event(), []

    def call() -> None:
        stop.wait(10)
        ended.append(time.monotonic())

    def flow() -> Flow[None]:
        yield Blocking(call, cancel=stop.set)

    async def go() -> float:
        with anyio.move_on_after(0.1):
            await file_flow.arun(flow(), httpx.AsyncClient())
        return time.monotonic()

    started = time.monotonic()
    returned = anyio.run(go)
    assert returned - started < 5, "stopped, not waited out"
    assert ended, "the call ended"
    assert ended[0] <= returned, "before the cancellation returned"
