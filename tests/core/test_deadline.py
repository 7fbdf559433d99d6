"""Every attempt has a wall-clock deadline, even against a server that trickles its answer.

httpx's timeouts bound each socket read, so a server sending a little before each read times
out could hold a request for ever. These servers trickle for about 3 s; with ``timeout=0.5``
the client must give up with a ``APIConnectionError`` that names the deadline, instead of waiting
for the (valid) answer at the end of the trickle. Real sockets on loopback: MockTransport has
no time in it.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from divio_api.api.backups import get_backup
from wire import Script, json_answer, serving

from divio_ext import (
    APIConnectionError,
    APITimeoutError,
    AsyncDivioClient,
    ConfigurationError,
    DivioClient,
    RetryPolicy,
)

from .support import TOKEN

BODY = b'{"uuid": "b1", "environment": "e1"}'
DRIP = 0.1
DRIPS = 30  # about 3 s of trickling, six times the deadline

#: One header line every 0.1 s, then a valid answer.
TRICKLED_HEADERS: Script = [
    (b"HTTP/1.1 200 OK\r\n", DRIP),
    *[(f"X-Drip-{n}: .\r\n".encode(), DRIP) for n in range(DRIPS)],
    (json_answer(BODY).partition(b"\r\n")[2], 0),
]
#: A valid head, then the body one byte every 0.1 s.
PADDED = BODY[:-1] + b" " * DRIPS + b"}"
TRICKLED_BODY: Script = [
    (json_answer(PADDED)[: -len(PADDED)], DRIP),
    *[(bytes([byte]), DRIP) for byte in PADDED],
]
SCRIPTS = {"header-lines": TRICKLED_HEADERS, "body-bytes": TRICKLED_BODY}
ONCE = RetryPolicy(max_attempts=1)


def options(url: str) -> dict[str, Any]:
    return {"token": TOKEN, "base_url": url, "timeout": 0.5, "retry": ONCE}


def check(error: APIConnectionError) -> None:
    assert "each attempt may take 0.5 s in total" in str(error)
    assert error.attempts == 1


@pytest.mark.parametrize("script", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_a_trickling_server_cannot_hold_a_sync_request_past_the_deadline(script: Script) -> None:
    with (
        serving(script) as server,
        DivioClient(**options(server.url)) as client,
        pytest.raises(APITimeoutError) as caught,
    ):
        client.call(get_backup, uuid="b1")
    check(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize("script", SCRIPTS.values(), ids=SCRIPTS.keys())
async def test_a_trickling_server_cannot_hold_an_async_request_past_the_deadline(
    script: Script,
) -> None:
    with serving(script) as server:
        async with AsyncDivioClient(**options(server.url)) as client:
            with pytest.raises(APITimeoutError) as caught:
                await client.call(get_backup, uuid="b1")
    check(caught.value)


def test_a_prompt_server_is_answered_normally_on_real_sockets() -> None:
    with serving([(json_answer(BODY), 0)]) as server, DivioClient(**options(server.url)) as c:
        assert c.call(get_backup, uuid="b1").uuid == "b1"


@pytest.mark.parametrize(
    "timeout", [None, httpx.Timeout(None), httpx.Timeout(10.0, read=None)], ids=str
)
def test_no_timeout_is_refused_with_a_clear_error(timeout: httpx.Timeout | None) -> None:
    with pytest.raises(ConfigurationError, match="no timeout"):
        DivioClient(token=TOKEN, timeout=timeout)
