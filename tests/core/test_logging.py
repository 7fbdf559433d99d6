"""Logging: useful at DEBUG (method, path, status, duration) and never showing the token."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from divio_api.api.backups import get_backup, list_backups

from divio_ext import DivioError
from divio_ext.core.logging_ import scrub_credentials

from .support import TOKEN, FakeBackups, FakeClock, async_client, policy, sync_client


def echo_token(request: httpx.Request) -> httpx.Response:
    """A hostile server that repeats the Authorization header everywhere it can."""
    auth = request.headers["authorization"]
    return httpx.Response(
        401,
        json={"detail": f"Invalid token header: {auth}", "token": [auth]},
        headers={"X-Request-Id": "r1", "X-Echo": auth, "Location": f"/?t={TOKEN}"},
    )


def test_requests_are_logged_at_debug_with_method_path_status_duration(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG), sync_client(FakeBackups.of(3)) as client:
        client.call(list_backups, page_size=2)
    (record,) = [r for r in caplog.records if r.name == "divio_ext"]
    assert record.levelno == logging.DEBUG
    message = record.getMessage()
    assert message.startswith("GET /apps/v3/backups/?page_size=2 -> 200 in ")
    assert " ms (attempt 1)" in message
    assert "user-agent: divio-ext/" in message
    assert "authorization: [redacted]" in message


def test_nothing_is_logged_above_debug_for_a_normal_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="divio_ext"), sync_client(FakeBackups.of(1)) as c:
        c.call(list_backups)
    assert [r for r in caplog.records if r.name == "divio_ext"] == []


def test_the_token_never_appears_in_logs_errors_or_reprs(caplog: pytest.LogCaptureFixture) -> None:
    texts: list[str] = []
    retried = [503, 503]

    def flaky_then_echo(request: httpx.Request) -> httpx.Response:
        if retried:
            return httpx.Response(retried.pop(), text=f"busy {request.headers['authorization']}")
        return echo_token(request)

    def refuse(request: httpx.Request) -> Any:
        raise httpx.ConnectError(f"refused {request.headers['authorization']}", request=request)

    with caplog.at_level(logging.DEBUG):
        for handler in (flaky_then_echo, refuse):
            with sync_client(handler, retry=policy(FakeClock())) as client:
                texts += [repr(client), repr(client.http.auth), repr(client._generated)]
                with pytest.raises(DivioError) as caught:
                    client.call(get_backup, uuid="b1")
                error: Any = caught.value
                texts += [str(error), repr(error), repr(vars(error))]
    texts.append(caplog.text)
    texts += [repr(r.args) for r in caplog.records]
    assert "Invalid token header" in caplog.text or any("Invalid token" in t for t in texts)
    for text in texts:
        assert TOKEN not in text


@pytest.mark.anyio
async def test_the_token_never_appears_in_async_logs_or_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        async with async_client(echo_token) as client:
            with pytest.raises(DivioError) as caught:
                await client.call(get_backup, uuid="b1")
    assert "Invalid token header" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(vars(caught.value))
    assert TOKEN not in caplog.text


OTHER_CREDENTIALS = {
    "Basic": "dXNlcjpwcm94eS1wYXNzd29yZA==",
    "Bearer": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl",
    "token": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
}


@pytest.mark.parametrize(("scheme", "credential"), OTHER_CREDENTIALS.items())
def test_a_credential_the_client_does_not_know_is_redacted_by_its_shape(
    scheme: str, credential: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A proxy or gateway may echo a credential that is not the client's token (its own Basic
    # login, a JWT of another service): only its shape after the scheme word can give it away.
    def gateway(request: httpx.Request) -> httpx.Response:
        text = f"Invalid token header. upstream rejected Authorization: {scheme} {credential}"
        return httpx.Response(502, text=text, headers={"X-Request-Id": f"{scheme} {credential}"})

    with (
        caplog.at_level(logging.DEBUG),
        sync_client(gateway) as client,
        pytest.raises(DivioError) as caught,
    ):
        client.call(get_backup, uuid="b1")
    error: Any = caught.value
    for text in (str(error), repr(vars(error)), caplog.text):
        assert credential not in text
    assert f"{scheme} [redacted]" in str(error)
    assert "Invalid token header." in str(error), "prose after the word 'token' stays readable"


@pytest.mark.parametrize(
    ("quoted", "scrubbed"),
    [
        (  # httpcore's debug record of the response headers
            "[(b'server', b'x'), (b'location', b'https://blob.test/f?sv=1&sig=c2ln%3D')]",
            "[(b'server', b'x'), (b'location', b'https://blob.test/f?[redacted]')]",
        ),
        (  # divio-ext's own debug line, which shows the allow-listed Location header
            "response headers: location: /f?X-Amz-Signature=abc, server: x",
            "response headers: location: /f?[redacted], server: x",
        ),
        (
            "response headers: location: /apps/v3/backups/",
            "response headers: location: /apps/v3/backups/",
        ),
    ],
)
def test_a_redirects_query_is_scrubbed_wherever_its_location_header_is_quoted(
    quoted: str, scrubbed: str
) -> None:
    # Such a record is written before the client has seen the target it could scrub exactly.
    assert scrub_credentials(quoted) == scrubbed
