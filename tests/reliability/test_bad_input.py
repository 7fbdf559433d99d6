"""Bad input, one row each: a clear one-line error before, or instead of, a wrong request.

Every row names the exception class and words its message must contain; every message must be
a single line without the token. The first tables need no server at all (nothing may be sent);
server misbehaviour is played by ``httpx.MockTransport``; unknown slugs go to the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from divio_api.api.backups import get_backup, list_backups
from divio_api.api.environments import copy_environment, partial_update_environment

from divio_ext import (
    APIStatusError,
    ConfigurationError,
    DivioClient,
    InvalidArgument,
    PaginationError,
    ResponseDecodeError,
    RetryPolicy,
)
from divio_ext.core.errors import (
    ApplicationNotFound,
    EnvironmentNotFound,
    NoUsableBackup,
    ServiceInstanceNotFound,
)
from divio_ext.core.operations import endpoint
from divio_ext.core.paginate import MAX_EMPTY_PAGES
from divio_ext.errors import NotFound, RateLimited, ValidationError
from divio_ext.workflows import latest_backup
from divio_sandbox import Sandbox

TOKEN = "rel1ab1e-t0ken-5d4c3b2a1f0e9d8c"
API = "https://api.divio.com"
BACKUP = {"uuid": "b1", "environment": "e1", "state": "COMPLETED", "success": "SUCCESS"}


class Server:
    """A MockTransport handler that answers every request the same way and remembers them."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.answer = answer or (lambda request: httpx.Response(404, json={"detail": "Not found."}))
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    def client(self, **kwargs: Any) -> DivioClient:
        kwargs.setdefault("token", TOKEN)
        return DivioClient(transport=httpx.MockTransport(self), **kwargs)


def one_line_error(caught: pytest.ExceptionInfo[BaseException], cls: type, words: str) -> str:
    """The message of ``caught``, after checking its class and that it is one useful line."""
    error = caught.value
    message = str(error)
    assert type(error) is cls, f"{type(error).__name__}: {message}"
    assert message.strip(), "the message must not be empty"
    assert len(message.splitlines()) == 1, message
    assert words in message, message
    assert TOKEN not in message
    return message


# --- 1. Configuration: refused when the client is built or first used; nothing is sent. -------

BAD_CONFIGURATION = [
    pytest.param({"token": ""}, ConfigurationError, "is empty", id="empty-token"),
    pytest.param({"token": " \t "}, ConfigurationError, "is empty", id="whitespace-token"),
    pytest.param({"token": "abc\ndef1234"}, ConfigurationError, "control", id="newline-token"),
    pytest.param({"token": "abc\r\nX-Evil: 1"}, ConfigurationError, "control", id="header-inject"),
    pytest.param({"token": "Token abcdef12"}, ConfigurationError, "whitespace", id="token-prefix"),
    pytest.param({"base_url": "not a url"}, ConfigurationError, "URL", id="url-garbage"),
    pytest.param({"base_url": "api.divio.com"}, ConfigurationError, "absolute", id="url-no-scheme"),
    pytest.param({"base_url": "ftp://api.divio.com"}, ConfigurationError, "http(s)", id="url-ftp"),
    pytest.param({"base_url": "https://"}, ConfigurationError, "absolute", id="url-no-host"),
    pytest.param({"base_url": f"{API}/?x=1"}, ConfigurationError, "query", id="url-query"),
    pytest.param(
        {"base_url": "https://me:pw@api.divio.com"}, ConfigurationError, "user", id="url-userinfo"
    ),
    pytest.param(
        {"base_url": "http://api.divio.com"}, ConfigurationError, "plain http", id="http-remote"
    ),
    pytest.param(
        {"base_url": "http://10.0.0.5:8000"}, ConfigurationError, "plain http", id="http-private"
    ),
    pytest.param({"token": None}, ConfigurationError, "DIVIO_API_TOKEN", id="no-token-at-all"),
]


@pytest.mark.parametrize(("options", "cls", "words"), BAD_CONFIGURATION)
def test_bad_configuration_is_refused_before_any_request(
    options: dict[str, Any], cls: type, words: str
) -> None:
    server = Server()
    with pytest.raises(cls) as caught:
        server.client(**options).call(get_backup, uuid="b1")
    one_line_error(caught, cls, words)
    assert server.requests == []


def test_plain_http_to_a_remote_host_from_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIVIO_API_URL", "http://api.divio.com")
    monkeypatch.setenv("DIVIO_API_TOKEN", TOKEN)
    with pytest.raises(ConfigurationError) as caught:
        DivioClient()
    one_line_error(caught, ConfigurationError, "use https://")


# --- 2. Arguments of the pager: programming errors, refused up front. -------------------------

BAD_PAGING = [
    pytest.param({"page_size": 0}, ValueError, "between 1 and 100", id="page-size-0"),
    pytest.param({"page_size": -5}, ValueError, "between 1 and 100", id="page-size-negative"),
    pytest.param({"page_size": 101}, ValueError, "between 1 and 100", id="page-size-above-cap"),
    pytest.param({"limit": -1}, ValueError, "limit must be 0 or more", id="limit-negative"),
    pytest.param({"environment_uuid": "e1"}, TypeError, "it accepts:", id="unknown-filter"),
]


@pytest.mark.parametrize(("arguments", "cls", "words"), BAD_PAGING)
def test_bad_paging_arguments_are_refused_before_any_request(
    arguments: dict[str, Any], cls: type, words: str
) -> None:
    server = Server()
    with pytest.raises(cls) as caught:
        list(server.client().paginate(list_backups, **arguments))
    one_line_error(caught, cls, words)
    assert server.requests == []


# --- 3. Identifiers: whatever an id contains, the request stays on its own path. -------------

ESCAPING_IDS = [
    pytest.param("../../iam/v3/me", id="dot-dot-slashes"),
    pytest.param("a/b", id="slash"),
    pytest.param("a b", id="space"),
    pytest.param("a?page=2", id="query"),
    pytest.param("a#frag", id="fragment"),
    pytest.param("%2e%2e", id="encoded-dot-dot"),
    pytest.param("..%2f..%2fiam", id="encoded-slashes"),
    pytest.param("l33t2jdmbrhhrlf6yherrnn7g4\n", id="trailing-newline"),
]


def confined(request: httpx.Request, collection: str) -> bool:
    """Whether ``request`` targets exactly one item of ``collection`` (no query, no fragment)."""
    path = request.url.raw_path.decode("ascii")
    if not path.startswith(collection) or request.url.query:
        return False
    rest = path.removeprefix(collection)
    return rest.count("/") == 1 and rest.endswith("/") and rest not in ("/", "./", "../")


@pytest.mark.parametrize("uuid", ESCAPING_IDS)
def test_a_crafted_id_cannot_reach_another_endpoint(uuid: str) -> None:
    server = Server()
    with pytest.raises(NotFound) as caught:
        server.client().call(get_backup, uuid=uuid)
    one_line_error(caught, NotFound, "check the identifier")
    (request,) = server.requests
    assert confined(request, "/apps/v3/backups/"), request.url


DOT_SEGMENT_IDS = [
    pytest.param(get_backup, {"uuid": ".."}, id="get-dot-dot"),
    pytest.param(get_backup, {"uuid": "."}, id="get-dot"),
    pytest.param(get_backup, {"uuid": ""}, id="get-empty"),
    pytest.param(get_backup, {"uuid": "  "}, id="get-blank"),
    pytest.param(
        partial_update_environment, {"uuid": "..", "body": {"branch": "main"}}, id="patch-dot-dot"
    ),
    pytest.param(copy_environment, {"uuid": "..", "body": {"new_slug": "copy"}}, id="copy-dot-dot"),
]


@pytest.mark.parametrize(("operation", "arguments"), DOT_SEGMENT_IDS)
def test_a_dot_segment_or_empty_id_is_refused_before_sending(
    operation: Any, arguments: dict[str, Any]
) -> None:
    """URL normalisation would turn these into the parent collection (e.g. PATCH /apps/v3/)."""
    server = Server()
    with pytest.raises(InvalidArgument, match="is not an id") as caught:
        server.client().call(operation, **arguments)
    assert "\n" not in str(caught.value)
    assert server.requests == []
    # named by what the API documents (method and path), not by the generated module's name,
    # which a regenerated client may spell differently
    assert str(caught.value).startswith(f"{endpoint(operation)}: uuid=")


# --- 4. Server misbehaviour: an error that says what came back, never a wrong answer. --------


def reply(status: int, **kwargs: Any) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, **kwargs)


def page(results: list[dict[str, Any]], next_link: str | None) -> dict[str, Any]:
    return {"count": 40, "next": next_link, "previous": None, "results": results}


#: JSON nested far deeper than Python's parser can follow (it raises RecursionError).
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000

HTML_PAGE = "<!DOCTYPE html><html><body><h1>Sign in</h1>\n<form>...</form></body></html>"

MISBEHAVING_DETAIL = [
    pytest.param(
        reply(200, text="OK", headers={"Content-Type": "text/plain"}),
        ResponseDecodeError,
        "not the JSON the API promises",
        id="non-json-2xx",
    ),
    pytest.param(
        reply(200, content=b'{"uuid": "b1", "env', headers={"Content-Type": "application/json"}),
        ResponseDecodeError,
        "JSONDecodeError",
        id="truncated-json",
    ),
    pytest.param(
        reply(200, text=HTML_PAGE, headers={"Content-Type": "text/html"}),
        ResponseDecodeError,
        "a proxy or a wrong DIVIO_API_URL",
        id="html-page-200",
    ),
    pytest.param(
        reply(200, json={"environment": "e1", "state": "COMPLETED"}),
        ResponseDecodeError,
        "'uuid'",
        id="missing-required-field",
    ),
    pytest.param(
        reply(200, json={"environment": {"uuid": "e1"}, "uuid": "b1"}),
        ResponseDecodeError,
        "Backup.environment is dict, not str",
        id="id-field-holds-an-object",
    ),
    pytest.param(
        reply(200, json={"environment": "e1", "uuid": None}),
        ResponseDecodeError,
        "Backup.uuid is NoneType, not str",
        id="id-field-null",
    ),
    pytest.param(
        reply(200, content=b"null", headers={"Content-Type": "application/json"}),
        ResponseDecodeError,
        "TypeError",
        id="json-null",
    ),
    pytest.param(
        reply(200, content=DEEP_JSON, headers={"Content-Type": "application/json"}),
        ResponseDecodeError,
        "JSON nested too deeply",
        id="deeply-nested-json-200",
    ),
    pytest.param(
        reply(400, content=DEEP_JSON, headers={"Content-Type": "application/json"}),
        ValidationError,
        "body: [[[[",
        id="deeply-nested-json-400",
    ),
    pytest.param(
        reply(302, headers={"Location": "https://evil.example.com/steal"}),
        APIStatusError,
        "redirect to https://evil.example.com/steal not followed",
        id="redirect-302-other-host",
    ),
    pytest.param(
        reply(307, headers={"Location": "https://evil.example.com/steal"}),
        APIStatusError,
        "a token must not follow redirects",
        id="redirect-307-other-host",
    ),
    pytest.param(
        reply(308, headers={"Location": "http://api.divio.com/apps/v3/backups/b1/"}),
        APIStatusError,
        "check DIVIO_API_URL",
        id="redirect-308-downgrade",
    ),
]


@pytest.mark.parametrize(("answer", "cls", "words"), MISBEHAVING_DETAIL)
def test_a_misbehaving_server_gives_a_clear_error(
    answer: Callable[[httpx.Request], httpx.Response], cls: type, words: str
) -> None:
    server = Server(answer)
    with pytest.raises(cls) as caught:
        server.client().call(get_backup, uuid="b1")
    one_line_error(caught, cls, words)
    # Exactly one request, to the API: nothing (and no token) followed a redirect.
    (request,) = server.requests
    assert request.url.host == "api.divio.com"


MISBEHAVING_PAGES = [
    pytest.param(
        page([BACKUP], "https://evil.example.com/apps/v3/backups/?page=2"),
        PaginationError,
        "refusing to follow the next link of page 1 to https://evil.example.com",
        id="next-other-host",
    ),
    pytest.param(
        page([BACKUP], "http://api.divio.com/apps/v3/backups/?page=2"),
        PaginationError,
        "refusing to follow",
        id="next-downgrade-to-http",
    ),
    pytest.param(
        page([BACKUP], "//evil.example.com/apps/v3/backups/?page=2"),
        PaginationError,
        "refusing to follow",
        id="next-scheme-relative",
    ),
    pytest.param(
        page([BACKUP], "https://api.divio.com@evil.example.com/?page=2"),
        PaginationError,
        "refusing to follow",
        id="next-userinfo-trick",
    ),
    pytest.param(
        page([BACKUP], "/apps/v3/backups/?cursor=abc"),
        PaginationError,
        "has no page number",
        id="next-cursor-link",
    ),
    pytest.param(
        page([BACKUP], "/apps/v3/backups/?page=1"),
        PaginationError,
        "goes back to page 1",
        id="next-loops-back",
    ),
    pytest.param(
        page([BACKUP], "/apps/v3/backups/?page=%C2%B2"),
        PaginationError,
        "has no page number",
        id="next-page-superscript-two",
    ),
    pytest.param(
        page([BACKUP], "/apps/v3/backups/?page=" + "7" * 5000),
        PaginationError,
        "has no page number",
        id="next-page-5000-digits",
    ),
    pytest.param(
        page([BACKUP], f"https://{TOKEN}.evil.example.com/apps/v3/backups/?page=2"),
        PaginationError,
        "refusing to follow the next link of page 1 to https://[redacted].evil.example.com",
        id="next-host-echoes-the-token",
    ),
    pytest.param(
        {"count": 3, "next": None, "previous": None},
        ResponseDecodeError,
        "'results'",
        id="page-missing-results",
    ),
    pytest.param(
        {"count": "3", "next": None, "previous": None, "results": [BACKUP]},
        ResponseDecodeError,
        "PaginatedBackupList.count is str, not int",
        id="page-count-as-text",
    ),
    pytest.param(
        page([BACKUP, {**BACKUP, "uuid": 7}], None),
        ResponseDecodeError,
        "PaginatedBackupList.results[1].uuid is int, not str",
        id="item-id-a-number",
    ),
]


@pytest.mark.parametrize(("body", "cls", "words"), MISBEHAVING_PAGES)
def test_a_misbehaving_list_gives_a_clear_error_and_yields_nothing_wrong(
    body: dict[str, Any], cls: type, words: str
) -> None:
    server = Server(reply(200, json=body))
    pager = server.client().paginate(list_backups)
    with pytest.raises(cls) as caught:
        list(pager)
    one_line_error(caught, cls, words)
    assert [r.url.host for r in server.requests] == ["api.divio.com"]


@pytest.mark.parametrize(
    "link",
    [
        pytest.param("http://[::1", id="bad-ipv6-host"),
        pytest.param("::::", id="colons"),
        pytest.param("/apps/v3/backups/?page=2\x00", id="nul-byte"),
    ],
)
def test_a_malformed_next_link_is_a_pagination_error(link: str) -> None:
    server = Server(reply(200, json=page([BACKUP], link)))
    with pytest.raises(PaginationError) as caught:
        list(server.client().paginate(list_backups))
    one_line_error(caught, PaginationError, "next link")


def test_an_unreadable_retry_after_is_ignored() -> None:
    server = Server(
        reply(429, json={"detail": "Slow down."}, headers={"Retry-After": "²".encode()})
    )
    with pytest.raises(RateLimited) as caught:
        server.client(retry=RetryPolicy(max_attempts=1)).call(get_backup, uuid="b1")
    one_line_error(caught, RateLimited, "Slow down.")
    assert caught.value.retry_after is None


def numbered_pages(count: int, size: int = 1) -> Callable[[httpx.Request], httpx.Response]:
    """Pages of distinct backups that always link to the next page, claiming ``count``."""

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        results = [{**BACKUP, "uuid": f"b{number}-{i}"} for i in range(size)]
        body = {**page(results, f"{API}/apps/v3/backups/?page={number + 1}"), "count": count}
        return httpx.Response(200, json=body)

    return answer


def test_an_absurd_count_does_not_break_concurrent_paging() -> None:
    server = Server(numbered_pages(10**400))
    found = list(server.client().paginate(list_backups, concurrency=4, limit=6))
    assert [item.uuid for item in found] == [f"b{n}-0" for n in range(1, 7)]


def test_empty_pages_with_ever_increasing_next_links_stop_the_pager() -> None:
    server = Server(numbered_pages(10, size=0))
    with pytest.raises(PaginationError) as caught:
        list(server.client().paginate(list_backups, limit=5))
    one_line_error(caught, PaginationError, "in a row with no new items")
    assert len(server.requests) == MAX_EMPTY_PAGES


# --- 5. Workflows: a slug that does not exist says what does. --------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=0) as sb:
        yield sb


@dataclass(frozen=True)
class Lookup:
    application: str
    environment: str
    service: tuple[str, str] = ("DATABASE", "DEFAULT")
    user: str = "alice"


UNKNOWN_SLUGS = [
    pytest.param(
        Lookup("no-such-app", "live"),
        ApplicationNotFound,
        "not found among the",
        id="unknown-application",
    ),
    pytest.param(
        Lookup("../../iam/v3/me", "live"),
        ApplicationNotFound,
        "example-application",
        id="path-as-application",
    ),
    pytest.param(
        Lookup("example-application", "staging"),
        EnvironmentNotFound,
        "(its environments: feature-x, live, test)",
        id="unknown-environment",
    ),
    pytest.param(
        Lookup("example-application", "live", ("DATABASE", "REPLICA")),
        ServiceInstanceNotFound,
        "(it has: DATABASE/ANALYTICS, DATABASE/DEFAULT, STORAGE/DEFAULT)",
        id="unknown-service-prefix",
    ),
    pytest.param(
        Lookup("fresh-application", "test"),
        ServiceInstanceNotFound,
        "(it has: none)",
        id="environment-without-services",
    ),
    pytest.param(
        Lookup("fresh-application", "live"),
        NoUsableBackup,
        "no successful backup of DATABASE/DEFAULT",
        id="no-usable-backup-yet",
    ),
    pytest.param(
        Lookup("example-application", "live", user="mallory"),
        ApplicationNotFound,
        "'example-application' not found",
        id="other-organisations-application",
    ),
]


@pytest.mark.parametrize(("lookup", "cls", "words"), UNKNOWN_SLUGS)
def test_unknown_slugs_name_what_exists_instead(
    sandbox: Sandbox, lookup: Lookup, cls: type, words: str
) -> None:
    with (
        DivioClient(token=sandbox.tokens[lookup.user], base_url=sandbox.url) as client,
        pytest.raises(cls) as caught,
    ):
        latest_backup(client, lookup.application, lookup.environment, *lookup.service)
    message = one_line_error(caught, cls, words)
    assert sandbox.tokens[lookup.user] not in message
