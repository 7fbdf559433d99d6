"""The HTTP layer: headers, timeouts, proxies, redirects, extension points, read-only guard."""

from __future__ import annotations

import gzip
import platform
import re
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType
from typing import Any

import certifi
import httpcore
import httpx
import pytest
from divio_api.api.backups import create_backup, get_backup, list_backups
from divio_api.api.environments import partial_update_environment
from wire import json_answer, serving

from divio_ext import APIError, DivioClient, ReadOnlyError, __version__
from divio_ext.core.config import load_settings
from divio_ext.core.http import MAX_BODY_BYTES, client_options
from divio_ext.core.retry import RetryPolicy
from divio_ext.errors import ResponseTooLarge
from divio_ext.workflows.pull import download_client

from .support import TOKEN, async_client, backup, sync_client

ONE_BACKUP = {"uuid": "b1", "environment": "e1"}


def answer(
    requests: list[httpx.Request], response: httpx.Response | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return response if response is not None else httpx.Response(200, json=ONE_BACKUP)

    return handler


def test_user_agent_names_divio_ext_httpx_and_python() -> None:
    requests: list[httpx.Request] = []
    with sync_client(answer(requests)) as client:
        client.call(get_backup, uuid="b1")
    expected = (
        f"divio-ext/{__version__} httpx/{httpx.__version__} python/{platform.python_version()}"
    )
    assert requests[0].headers["user-agent"] == expected
    assert re.fullmatch(r"divio-ext/\S+ httpx/\S+ python/\S+", expected)
    assert requests[0].headers["accept"] == "application/json"


def test_user_headers_are_kept_and_may_replace_the_user_agent() -> None:
    requests: list[httpx.Request] = []
    headers = {"User-Agent": "my-script/1.0", "X-Trace": "abc"}
    with sync_client(answer(requests), headers=headers) as client:
        client.call(get_backup, uuid="b1")
    assert requests[0].headers["user-agent"] == "my-script/1.0"
    assert requests[0].headers["x-trace"] == "abc"


def test_timeouts_are_set_by_default_and_configurable() -> None:
    default = DivioClient(token=TOKEN).http.timeout
    assert (default.connect, default.read) == (10.0, 30.0)
    custom = DivioClient(token=TOKEN, timeout=httpx.Timeout(5.0, connect=2.0)).http.timeout
    assert (custom.connect, custom.read) == (2.0, 5.0)
    assert DivioClient(token=TOKEN, timeout=7).http.timeout.read == 7


def test_proxies_from_the_environment_keep_working(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    client = DivioClient(token=TOKEN)
    transport = client.http._transport_for_url(httpx.URL("https://api.divio.com/apps/v3/"))
    assert isinstance(transport, httpx.HTTPTransport)
    assert isinstance(transport._pool, httpcore.HTTPProxy)


def test_without_proxy_variables_the_default_transport_connects_directly() -> None:
    client = DivioClient(token=TOKEN)
    transport = client.http._transport_for_url(httpx.URL("https://api.divio.com/apps/v3/"))
    assert isinstance(transport, httpx.HTTPTransport)
    assert not isinstance(transport._pool, httpcore.HTTPProxy)


def test_event_hooks_see_every_request() -> None:
    seen: list[str] = []
    hooks = {"request": [lambda request: seen.append(request.url.path)]}
    with sync_client(answer([]), event_hooks=hooks) as client:
        client.call(get_backup, uuid="b1")
    assert seen == ["/apps/v3/backups/b1/"]


@pytest.mark.parametrize("name", ["auth", "follow_redirects"])
def test_settings_the_client_manages_cannot_be_overridden(name: str) -> None:
    with pytest.raises(TypeError, match=name):
        DivioClient(token=TOKEN, **{name: None})


def test_redirects_are_not_followed_and_become_clear_errors() -> None:
    requests: list[httpx.Request] = []
    moved = httpx.Response(302, headers={"Location": "https://evil.example.com/steal"})
    with sync_client(answer(requests, moved)) as client, pytest.raises(APIError) as caught:
        client.call(get_backup, uuid="b1")
    assert [r.url.host for r in requests] == ["api.divio.com"]
    assert caught.value.status == 302
    assert "evil.example.com" in str(caught.value)
    assert "DIVIO_API_URL" in str(caught.value)


def test_token_is_only_sent_to_the_api_origin() -> None:
    requests: list[httpx.Request] = []
    with sync_client(answer(requests)) as client:
        client.http.get("https://elsewhere.example.com/file")
        client.http.get("http://api.divio.com/apps/v3/")
        client.http.get("https://api.divio.com:8443/apps/v3/")
        client.http.get("https://api.divio.com/apps/v3/")
    sent = [r.headers.get("authorization") for r in requests]
    assert sent == [None, None, None, f"Token {TOKEN}"]


WRITES = [
    (create_backup, {"body": {"environment": "e1", "services": ["s1"]}}),
    (partial_update_environment, {"uuid": "e1", "body": {"branch": "main"}}),
]


@pytest.mark.parametrize(("operation", "arguments"), WRITES)
def test_read_only_refuses_writes_before_sending(
    operation: ModuleType, arguments: dict[str, Any]
) -> None:
    requests: list[httpx.Request] = []
    with sync_client(answer(requests), read_only=True) as client:
        with pytest.raises(ReadOnlyError, match="read-only"):
            client.call(operation, **arguments)
        for method in ("PUT", "DELETE"):
            with pytest.raises(ReadOnlyError, match=method):
                client.http.request(method, "/apps/v3/backups/b1/")
        client.call(get_backup, uuid="b1")
    assert [r.method for r in requests] == ["GET"]


def test_read_only_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIVIO_READ_ONLY", "1")
    requests: list[httpx.Request] = []
    with sync_client(answer(requests)) as client, pytest.raises(ReadOnlyError):
        client.call(create_backup, body={"environment": "e1", "services": ["s1"]})
    assert requests == []


@pytest.mark.anyio
async def test_async_client_applies_the_same_policy() -> None:
    requests: list[httpx.Request] = []
    async with async_client(answer(requests), read_only=True) as client:
        fetched = await client.call(get_backup, uuid="b1")
        with pytest.raises(ReadOnlyError):
            await client.call(create_backup, body={"environment": "e1", "services": ["s1"]})
    assert fetched.uuid == "b1"
    assert [r.method for r in requests] == ["GET"]
    assert requests[0].headers["authorization"] == f"Token {TOKEN}"
    assert requests[0].headers["user-agent"].startswith("divio-ext/")


def sets_a_cookie(requests: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    """Answers every request with a backup and a ``Set-Cookie`` header."""

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        cookie = {"Set-Cookie": "sessionid=from-the-server; Path=/"}
        return httpx.Response(200, json=ONE_BACKUP, headers=cookie)

    return handler


def test_a_cookie_a_response_sets_is_neither_kept_nor_sent_back() -> None:
    requests: list[httpx.Request] = []
    with sync_client(sets_a_cookie(requests)) as client:
        client.call(get_backup, uuid="b1")
        client.call(get_backup, uuid="b1")
        assert dict(client.http.cookies) == {}
    assert ["cookie" in request.headers for request in requests] == [False, False]


@pytest.mark.anyio
async def test_the_async_client_keeps_no_cookie_a_response_sets_either() -> None:
    requests: list[httpx.Request] = []
    async with async_client(sets_a_cookie(requests)) as client:
        await client.call(get_backup, uuid="b1")
        await client.call(get_backup, uuid="b1")
        assert dict(client.http.cookies) == {}
    assert "cookie" not in requests[1].headers


def test_cookies_the_caller_sets_are_sent_and_stay_the_only_ones() -> None:
    requests: list[httpx.Request] = []
    with sync_client(sets_a_cookie(requests), cookies={"mine": "1"}) as client:
        client.call(get_backup, uuid="b1")
        client.http.cookies = {"replaced": "2"}
        client.call(get_backup, uuid="b1")
        client.call(get_backup, uuid="b1")
    assert [request.headers.get("cookie") for request in requests] == [
        "mine=1",
        "replaced=2",
        "replaced=2",
    ]


def tls_context_of(**httpx_kwargs: Any) -> object:
    """The ``verify`` a DivioClient built with ``httpx_kwargs`` hands httpx."""
    settings = load_settings(token=TOKEN, base_url="https://api.divio.com", read_only=None)
    options = client_options(settings, retry=RetryPolicy(), timeout=30.0, httpx_kwargs=httpx_kwargs)
    return options.get("verify")


def test_clients_share_one_tls_context_that_verifies_the_server() -> None:
    context = tls_context_of()
    assert isinstance(context, ssl.SSLContext)
    assert tls_context_of() is context, "made once, not per client (about 15 ms each)"
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    with download_client() as plain:
        assert plain._transport._pool._ssl_context is context  # type: ignore[attr-defined]


def test_a_changed_ca_setting_gets_its_own_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    usual = tls_context_of()
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    assert tls_context_of() is not usual
    assert tls_context_of() is tls_context_of()
    assert tls_context_of(trust_env=False) is not tls_context_of()


def test_a_callers_own_tls_settings_are_left_to_httpx() -> None:
    mine = ssl.create_default_context()
    assert tls_context_of(verify=mine) is mine
    assert tls_context_of(verify=False) is False
    assert tls_context_of(cert="client.pem") is None, "a certificate would load into the shared one"


def test_client_is_a_context_manager_that_closes_its_pool() -> None:
    with sync_client(answer([])) as client:
        client.call(get_backup, uuid="b1")
    assert client.http.is_closed


def test_list_items_are_generated_models() -> None:
    page = {"count": 1, "next": None, "previous": None, "results": [backup("b1")]}
    with sync_client(answer([], httpx.Response(200, json=page))) as client:
        model = client.call(list_backups)
    assert model.results[0].uuid == "b1"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY", "all_proxy"])
def test_a_loopback_api_is_never_reached_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch, host: str, variable: str
) -> None:
    # The proxy would receive the Authorization header in clear over plain http.
    with (
        serving([(json_answer(b"{}", "502 Bad Gateway"), 0)]) as proxy,
        serving([(json_answer(b'{"uuid": "b1", "environment": "e1"}'), 0)]) as api,
    ):
        monkeypatch.setenv(variable, proxy.url)
        base_url = api.url.replace("127.0.0.1", host)
        with DivioClient(token=TOKEN, base_url=base_url) as client:
            assert client.call(get_backup, uuid="b1").uuid == "b1"
    assert proxy.requests == []
    assert len(api.requests) == 1


@pytest.mark.parametrize("method", ["PROPPATCH", "MKCOL", "LOCK", "TRACE", "CONNECT"])
def test_read_only_lets_only_get_head_and_options_through(method: str) -> None:
    requests: list[httpx.Request] = []
    with sync_client(answer(requests), read_only=True) as client:
        with pytest.raises(ReadOnlyError, match=method):
            client.http.request(method, "/apps/v3/backups/b1/")
        for allowed in ("GET", "HEAD", "OPTIONS"):
            client.http.request(allowed, "/apps/v3/backups/b1/")
    assert [r.method for r in requests] == ["GET", "HEAD", "OPTIONS"]


@pytest.mark.anyio
async def test_a_redirect_is_not_followed_even_when_a_call_asks_for_it() -> None:
    requests: list[httpx.Request] = []

    def moved(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(302, headers={"Location": "https://evil.example.com/steal"})

    with sync_client(moved) as client, pytest.raises(APIError):
        client.http.get("/apps/v3/backups/b1/", follow_redirects=True)
    async with async_client(moved) as aclient:
        with pytest.raises(APIError):
            await aclient.http.get("/apps/v3/backups/b1/", follow_redirects=True)
    assert [r.url.host for r in requests] == ["api.divio.com", "api.divio.com"]


class Flood(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body of ``size`` bytes produced a MiB at a time, as a server would send it."""

    CHUNK = 1024 * 1024

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.sent < self.size:
            chunk = b" " * min(self.CHUNK, self.size - self.sent)
            self.sent += len(chunk)
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


@pytest.mark.anyio
async def test_a_success_body_over_the_limit_is_refused_without_reading_it_all() -> None:
    floods: list[Flood] = []

    def flood(request: httpx.Request) -> httpx.Response:
        floods.append(Flood(MAX_BODY_BYTES + Flood.CHUNK * 4))
        return httpx.Response(200, stream=floods[-1])

    with sync_client(flood) as client, pytest.raises(ResponseTooLarge, match="larger than"):
        client.call(get_backup, uuid="b1")
    async with async_client(flood) as aclient:
        with pytest.raises(ResponseTooLarge):
            await aclient.call(get_backup, uuid="b1")
    assert [f.sent for f in floods] == [MAX_BODY_BYTES + Flood.CHUNK] * 2


@pytest.mark.anyio
async def test_only_the_start_of_a_large_error_body_is_read() -> None:
    floods: list[Flood] = []

    def flood(request: httpx.Request) -> httpx.Response:
        floods.append(Flood(Flood.CHUNK * 16))
        return httpx.Response(400, stream=floods[-1])

    with sync_client(flood) as client, pytest.raises(APIError) as caught:
        client.call(get_backup, uuid="b1")
    async with async_client(flood) as aclient:
        with pytest.raises(APIError):
            await aclient.call(get_backup, uuid="b1")
    assert caught.value.status == 400
    assert [f.sent for f in floods] == [Flood.CHUNK] * 2


def test_the_body_limit_counts_decompressed_bytes() -> None:
    # A small gzip body that inflates past the limit (a "zip bomb") is refused all the same.
    bomb = gzip.compress(b"0" * (MAX_BODY_BYTES + 1), compresslevel=1)
    assert len(bomb) < MAX_BODY_BYTES // 100

    def inflating(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip"}
        return httpx.Response(200, stream=httpx.ByteStream(bomb), headers=headers)

    with sync_client(inflating) as client, pytest.raises(ResponseTooLarge):
        client.call(get_backup, uuid="b1")
