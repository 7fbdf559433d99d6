"""A page of a list operation as checked JSON rows (``client.rows``): the lean read that long
listings use instead of a model per item. It must send what the generated operation sends and
refuse, as clearly as the models do, any page whose required fields do not hold what they
declare."""

from __future__ import annotations

import importlib
import re
import types
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import httpx
import pytest
from divio_api.operation_index import OPERATIONS

from divio_ext import AsyncDivioClient, DivioClient, ResponseDecodeError
from divio_ext.core import http, operations, rows
from divio_ext.core.contract import (
    ENVIRONMENT_VARIABLES_LIST,
    SERVICE_INSTANCE_BACKUPS_LIST,
    Endpoint,
)
from divio_ext.core.errors import OperationUnavailable
from divio_ext.models import ServiceInstanceBackup

TOKEN = "r0wsab1e-t0ken-5d4c3b2a1f0e9d8c"
ITEM = {
    "uuid": "s1",
    "backup": "b1",
    "service_instance": "si1",
    "taken_at": "2026-03-01T10:00:00Z",
    "ended_at": "2026-03-01T10:05:00Z",
    "errors": None,
    "size": 1234,
}


def page(results: list[Any], **fields: Any) -> dict[str, Any]:
    return {"count": len(results), "next": None, "previous": None, "results": results, **fields}


class Server:
    """Answers every request with ``body`` (JSON unless bytes) and remembers the requests."""

    def __init__(self, body: object) -> None:
        self.body = body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if isinstance(self.body, bytes):
            return httpx.Response(200, content=self.body, headers={"Content-Type": "text/plain"})
        return httpx.Response(200, json=self.body)

    def client(self) -> DivioClient:
        return DivioClient(token=TOKEN, transport=httpx.MockTransport(self))


def fields(row: Any) -> dict[str, Any]:
    """What a row holds, by field name."""
    return {name: getattr(row, name) for name in row.__struct_fields__}


def test_a_page_is_its_items_as_sent_and_the_request_is_the_generated_operations() -> None:
    server = Server(page([ITEM, {**ITEM, "uuid": "s2"}], next="https://api.divio.com/x?page=2"))
    with server.client() as client:
        found = client.rows(SERVICE_INSTANCE_BACKUPS_LIST, service_instance="si1", page=1)
        with_models = client.call(SERVICE_INSTANCE_BACKUPS_LIST, service_instance="si1", page=1)
    assert found.count == 2
    assert found.next_ == "https://api.divio.com/x?page=2"
    required = {"uuid": "s1", "backup": "b1", "service_instance": "si1"}
    assert [fields(row) for row in found.results] == [required, {**required, "uuid": "s2"}]
    assert found.models() == with_models.results
    assert found.model(0) == ServiceInstanceBackup.from_dict(ITEM)
    rows_request, call_request = server.requests
    assert rows_request.url == call_request.url
    assert rows_request.headers["Authorization"] == f"Token {TOKEN}"


SAME_URL_CASES = [
    pytest.param("https://api.divio.com", SERVICE_INSTANCE_BACKUPS_LIST, {}, id="no-parameters"),
    pytest.param(
        "https://api.divio.com/",
        SERVICE_INSTANCE_BACKUPS_LIST,
        {"service_instance": "a b&c=d/e?f#g%h é", "page": 3, "page_size": 100},
        id="characters-to-encode",
    ),
    pytest.param(
        "http://127.0.0.1:8811/behind/a/proxy",
        SERVICE_INSTANCE_BACKUPS_LIST,
        {"backup": "b1", "page": 2},
        id="base-url-with-a-path",
    ),
    pytest.param(
        "https://api.divio.com",
        ENVIRONMENT_VARIABLES_LIST,
        {"environment": ["e1", "e 2"], "page": 1},
        id="a-list-parameter",
    ),
]


@pytest.mark.parametrize(("base_url", "endpoint", "arguments"), SAME_URL_CASES)
def test_rows_sends_the_url_the_generated_operation_sends(
    base_url: str, endpoint: Endpoint, arguments: dict[str, Any]
) -> None:
    server = Server(page([]))
    transport = httpx.MockTransport(server)
    with DivioClient(token=TOKEN, base_url=base_url, transport=transport) as client:
        client.rows(endpoint, **arguments)
        client.call(endpoint, **arguments)
    rows_request, call_request = server.requests
    assert str(rows_request.url) == str(call_request.url)
    assert rows_request.method == call_request.method == "GET"
    assert rows_request.headers == call_request.headers


@pytest.mark.parametrize(("base_url", "endpoint", "arguments"), SAME_URL_CASES)
@pytest.mark.anyio
async def test_the_async_rows_send_the_url_the_generated_operation_sends(
    base_url: str, endpoint: Endpoint, arguments: dict[str, Any]
) -> None:
    server = Server(page([]))
    transport = httpx.MockTransport(server)
    async with AsyncDivioClient(token=TOKEN, base_url=base_url, transport=transport) as client:
        await client.rows(endpoint, **arguments)
        await client.call(endpoint, **arguments)
    rows_request, call_request = server.requests
    assert str(rows_request.url) == str(call_request.url)
    assert rows_request.headers == call_request.headers


def test_default_parameters_and_urls_not_from_the_root_are_left_to_httpx() -> None:
    root = httpx.URL("https://api.divio.com")
    assert http.whole_url(root, httpx.QueryParams({"f": "json"}), "/apps/v3/x/", None) is None
    assert http.whole_url(httpx.URL("https://h/?q=1"), httpx.QueryParams(), "/x/", None) is None
    for url in ("https://elsewhere.example/x", "//elsewhere.example/x", "x/", httpx.URL("/x/")):
        assert http.whole_url(root, httpx.QueryParams(), url, {"page": 2}) is None
    assert http.whole_url(root, httpx.QueryParams(), "/x/", [("page", 2)]) is None
    whole = http.whole_url(root, httpx.QueryParams(), "/apps/v3/things/", {"page": 2})
    assert whole == "https://api.divio.com/apps/v3/things/?page=2"


def test_every_request_the_policy_client_builds_has_the_url_httpx_would_build() -> None:
    plain = httpx.Client(base_url="http://127.0.0.1:8811/behind/a/proxy")
    with DivioClient(token=TOKEN, base_url="http://127.0.0.1:8811/behind/a/proxy") as client:
        for url, params in [("/apps/v3/x/", {"a": "b c", "n": [1, 2]}), ("/y", None), ("/z", {})]:
            ours = client.http.build_request("GET", url, params=params)
            assert str(ours.url) == str(plain.build_request("GET", url, params=params).url)


@pytest.mark.anyio
async def test_the_async_client_reads_the_same_rows() -> None:
    server = Server(page([ITEM]))
    transport = httpx.MockTransport(server)
    async with AsyncDivioClient(token=TOKEN, transport=transport) as client:
        found = await client.rows(SERVICE_INSTANCE_BACKUPS_LIST, page=1)
    assert [row.uuid for row in found.results] == ["s1"]
    assert found.model(0).uuid == "s1"


def test_a_row_holds_the_required_fields_and_the_optional_ones_named_as_sent() -> None:
    """Nothing else is decoded; a named field the item lacks, or sends as null, is ``None``."""
    without_time = {k: v for k, v in ITEM.items() if k != "taken_at"}
    server = Server(page([ITEM, {**without_time, "errors": ["disk full"], "extra": {"a": [1]}}]))
    with server.client() as client:
        found = client.rows(SERVICE_INSTANCE_BACKUPS_LIST, fields=("taken_at", "errors"), page=1)
    required = {"uuid": "s1", "backup": "b1", "service_instance": "si1"}
    assert [fields(row) for row in found.results] == [
        {**required, "taken_at": "2026-03-01T10:00:00Z", "errors": None},
        {**required, "taken_at": None, "errors": ["disk full"]},
    ]


def test_a_named_field_the_model_does_not_have_is_refused_before_anything_is_sent() -> None:
    """A regenerated spec that renamed a field must not read as ``None`` on every row."""
    server = Server(page([ITEM]))
    with server.client() as client, pytest.raises(OperationUnavailable, match="no field taken"):
        client.rows(SERVICE_INSTANCE_BACKUPS_LIST, fields=("taken",), page=1)
    assert server.requests == []


def test_an_empty_page_has_no_rows() -> None:
    found = rows.empty(ServiceInstanceBackup)
    assert (found.count, found.next_, found.results, found.models()) == (0, None, [], [])


BAD_PAGES = [
    pytest.param(b"OK", "not the JSON the API promises", id="not-json"),
    pytest.param(b'{"count": 1, "res', "not JSON", id="truncated-json"),
    pytest.param(b"null", "a page of ServiceInstanceBackup is NoneType, not an object", id="null"),
    pytest.param([ITEM], "is list, not an object", id="a-bare-list"),
    pytest.param(page([ITEM], count="1"), "count is str, not int", id="count-as-text"),
    pytest.param(page([ITEM], count=True), "count is bool, not int", id="count-as-bool"),
    pytest.param({"count": 1}, "results is NoneType, not a list", id="no-results"),
    pytest.param(page([ITEM, "s2"]), "results[1] is str, not an object", id="item-as-text"),
    pytest.param(
        page([{k: v for k, v in ITEM.items() if k != "uuid"}]),
        "results[0].uuid is missing",
        id="item-without-id",
    ),
    pytest.param(
        page([{**ITEM, "service_instance": {"uuid": "si1"}}]),
        "results[0].service_instance is dict, not str",
        id="item-id-as-object",
    ),
    pytest.param(page([{**ITEM, "uuid": None}]), "uuid is NoneType, not str", id="item-id-null"),
    pytest.param(page([{**ITEM, "backup": 7}]), "backup is int, not str", id="item-id-number"),
    # What json.loads would read but is not RFC 8259 JSON, which is all DRF writes:
    pytest.param(
        b'{"count": 1, "next": null, "results": [{"uuid": "s1", "backup": "b1", '
        b'"service_instance": "si1", "size": NaN}]}',
        "not JSON",
        id="nan",
    ),
    pytest.param(b'\xef\xbb\xbf{"count": 0, "results": []}', "not JSON", id="byte-order-mark"),
    pytest.param(b'{"count": 0, "results": ["\\ud800"]}', "not JSON", id="lone-surrogate"),
    # Nesting stops at Python's recursion limit, as in Python's parser (the brackets are not
    # counted first for these bodies): in a field no one reads, too.
    pytest.param(b"[" * 100_000 + b"]" * 100_000, "nested too deeply", id="deeply-nested"),
    pytest.param(
        b'{"count": 1, "results": [{"uuid": "s1", "backup": "b1", "service_instance": "si1", '
        b'"note": ' + b"[" * 1100 + b"]" * 1100 + b"}]}",
        "nested too deeply",
        id="a-deeply-nested-field",
    ),
]


@pytest.mark.parametrize(("body", "words"), BAD_PAGES)
def test_a_page_that_is_not_what_the_spec_declares_is_a_clear_decode_error(
    body: object, words: str
) -> None:
    with Server(body).client() as client, pytest.raises(ResponseDecodeError) as caught:
        client.rows(SERVICE_INSTANCE_BACKUPS_LIST, page=1)
    message = str(caught.value)
    assert words in message, message
    assert len(message.splitlines()) == 1
    assert TOKEN not in message
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


def test_a_secret_echoed_in_a_bad_page_does_not_reach_the_error() -> None:
    body = page([{**ITEM, "uuid": None, "note": f"Token {TOKEN}"}])
    with Server(body).client() as client, pytest.raises(ResponseDecodeError) as caught:
        client.rows(SERVICE_INSTANCE_BACKUPS_LIST, page=1)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value.body_excerpt)


@attrs.define
class Renamed:
    """A model whose required field is read from another JSON key than its own name."""

    uuid: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Renamed:
        return cls(uuid=data["id"])


@attrs.define
class Fussy:
    """A model whose parser refuses what the row check lets through, quoting the value."""

    uuid: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fussy:
        raise ValueError(f"cannot read {data}")


def test_rows_are_refused_for_a_model_whose_required_fields_are_not_its_json_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rows, "listed_item", lambda operation: Renamed)
    with pytest.raises(OperationUnavailable, match="Renamed: its required fields are not"):
        rows.item_model(types.ModuleType("a_regenerated_operation"))


def test_every_list_of_the_generated_client_can_be_read_as_rows() -> None:
    generated = [importlib.import_module(name) for name in OPERATIONS.values()]
    readable = [m for m in generated if operations.item_model(m) is not None]
    assert len(readable) >= 10
    for operation in readable:
        assert rows.item_model(operation) is operations.item_model(operation)


def test_a_row_its_model_cannot_read_is_a_decode_error_without_the_parsers_words() -> None:
    request = httpx.Request("GET", "https://api.divio.com/apps/v3/things/")
    response = httpx.Response(200, json=page([{"uuid": "s1", "note": TOKEN}]), request=request)
    with DivioClient(token=TOKEN) as client:
        found = rows.decode(response, Fussy, client.http.policy.redact)
        with pytest.raises(ResponseDecodeError, match="ValueError: cannot read") as caught:
            found.model(0)
    assert TOKEN not in str(caught.value)
    assert caught.value.__context__ is None


@attrs.define
class Tagged:
    """A model with a required list, whose items are checked as the seam checks them."""

    uuid: str
    tags: list[str]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tagged:
        return cls(uuid=data["uuid"], tags=data["tags"])


@pytest.mark.parametrize(
    ("items", "problem"),
    [
        pytest.param([{"uuid": "s1", "tags": []}, {"uuid": "s2", "tags": ["a"]}], None, id="lists"),
        pytest.param(
            [{"uuid": "s1", "tags": "a"}], "results[0].tags is str, not a list", id="text"
        ),
        pytest.param([{"uuid": "s1"}], "results[0].tags is missing, not a list", id="missing"),
    ],
)
def test_a_required_list_is_read_and_checked_in_every_row(
    items: list[dict[str, Any]], problem: str | None
) -> None:
    request = httpx.Request("GET", "https://api.divio.com/apps/v3/things/")
    response = httpx.Response(200, json=page(items), request=request)
    with DivioClient(token=TOKEN) as client:
        if problem is None:
            found = rows.decode(response, Tagged, client.http.policy.redact)
            assert [row.tags for row in found.results] == [item["tags"] for item in items]
            assert found.models() == [Tagged.from_dict(item) for item in items]
            return
        with pytest.raises(ResponseDecodeError, match=re.escape(problem)):
            rows.decode(response, Tagged, client.http.policy.redact)


def test_nesting_too_deep_is_refused_on_a_worker_thread_too() -> None:
    """The walk reads its pages on worker threads, whose stacks can be smaller."""
    with Server(b"[" * 100_000 + b"]" * 100_000).client() as client:
        with ThreadPoolExecutor(1) as pool:
            reading = pool.submit(client.rows, SERVICE_INSTANCE_BACKUPS_LIST, page=1)
        with pytest.raises(ResponseDecodeError, match="nested too deeply"):
            reading.result()
