"""The pager, sync and async: laziness, limits, edge cases, safety, resuming, prefetching."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest
from divio_api.api.backups import get_backup, list_backups

from divio_ext import DivioClient, DivioError, NotFound, Page, PaginationError, ServerError

from .support import FakeBackups, FakeClock, async_client, policy, sync_client

MODES = ["sync", "async"]
NO_RETRY = {"retry": policy(FakeClock(), max_attempts=1)}


async def scan(
    mode: str, api: Any, token: str | None = None, client_kwargs: Any = None, **kwargs: Any
) -> tuple[list[str], DivioError | None]:
    """Items of a pager run until it ends or fails, and the error if it failed."""
    uuids: list[str] = []
    try:
        if mode == "sync":
            with sync_client(api, **(client_kwargs or {})) as client:
                for item in client.paginate(list_backups, **kwargs).items(token):
                    uuids.append(item.uuid)
        else:
            async with async_client(api, **(client_kwargs or {})) as aclient:
                async for item in aclient.paginate(list_backups, **kwargs).items(token):
                    uuids.append(item.uuid)
    except DivioError as exc:
        return uuids, exc
    return uuids, None


async def pages(mode: str, api: Any, token: str | None = None, **kwargs: Any) -> list[Page[Any]]:
    if mode == "sync":
        with sync_client(api) as client:
            return list(client.paginate(list_backups, **kwargs).by_page(token))
    async with async_client(api) as aclient:
        return [page async for page in aclient.paginate(list_backups, **kwargs).by_page(token)]


async def items(mode: str, api: Any, **kwargs: Any) -> list[str]:
    uuids, error = await scan(mode, api, **kwargs)
    assert error is None, error
    return uuids


pytestmark = pytest.mark.anyio


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """Each pager test runs against DivioClient and AsyncDivioClient."""
    return str(request.param)


async def test_items_come_lazily_in_order_with_the_largest_page_size(mode: str) -> None:
    api = FakeBackups.of(250)
    assert await items(mode, api) == api.uuids
    assert api.pages == [1, 2, 3]
    assert {r.url.params["page_size"] for r in api.requests} == {"100"}


async def test_filters_are_passed_to_every_page(mode: str) -> None:
    api = FakeBackups.of(5)
    await items(mode, api, environment="env1", page_size=2)
    assert [r.url.params["environment"] for r in api.requests] == ["env1"] * 3


async def test_an_empty_list_takes_one_request(mode: str) -> None:
    api = FakeBackups.of(0)
    assert await items(mode, api) == []
    assert api.pages == [1]


async def test_exactly_one_full_page_takes_one_request(mode: str) -> None:
    api = FakeBackups.of(100)
    assert len(await items(mode, api)) == 100
    assert api.pages == [1]


async def test_limit_fetches_no_more_pages_than_needed(mode: str) -> None:
    api = FakeBackups.of(250)
    assert await items(mode, api, limit=150) == api.uuids[:150]
    assert api.pages == [1, 2]
    small = FakeBackups.of(250)
    assert await items(mode, small, limit=5) == small.uuids[:5]
    assert [r.url.params["page_size"] for r in small.requests] == ["5"]
    none = FakeBackups.of(250)
    assert await items(mode, none, limit=0) == []
    assert none.requests == []


async def test_limit_at_a_page_boundary_stops_without_another_request(mode: str) -> None:
    api = FakeBackups.of(90)
    assert len(await items(mode, api, page_size=30, limit=60)) == 60
    assert api.pages == [1, 2]


async def test_pages_report_number_count_and_where_to_resume(mode: str) -> None:
    api = FakeBackups.of(7)
    seen = await pages(mode, api, page_size=3)
    assert [(p.number, p.count, len(p.items)) for p in seen] == [(1, 7, 3), (2, 7, 3), (3, 7, 1)]
    assert seen[-1].next_token is None
    assert seen[0].next_token is not None
    rest = await pages(mode, FakeBackups.of(7), token=seen[0].next_token, page_size=3)
    assert [p.number for p in rest] == [2, 3]


async def test_items_shifted_by_a_growing_list_are_not_repeated(mode: str) -> None:
    api = FakeBackups.of(6)
    original = list(api.uuids)

    def grow(number: int) -> None:
        if number == 2:
            api.uuids.insert(0, "newest")

    api.before = grow
    assert await items(mode, api, page_size=3) == original
    assert api.pages == [1, 2, 3]


async def test_an_empty_page_before_the_end_is_skipped(mode: str) -> None:
    api = FakeBackups.of(9, empty_pages={2})
    assert await items(mode, api, page_size=3) == api.uuids[:3] + api.uuids[6:]
    assert api.pages == [1, 2, 3]


async def test_invalid_page_after_the_list_shrank_is_the_end(mode: str) -> None:
    api = FakeBackups.of(9)

    def shrink(number: int) -> None:
        if number == 3 and len(api.uuids) == 9:
            del api.uuids[:4]

    api.before = shrink
    assert await items(mode, api, page_size=3) == [f"b{i:04d}" for i in range(6)]
    assert api.pages == [1, 2, 3, 1]  # the last request only checks the current count
    assert api.requests[-1].url.params["page_size"] == "1"


async def test_invalid_page_without_a_shrink_is_an_error(mode: str) -> None:
    api = FakeBackups.of(9, fail={2: httpx.Response(404, json={"detail": "Invalid page."})})
    uuids, error = await scan(mode, api, page_size=3)
    assert uuids == api.uuids[:3]
    assert isinstance(error, NotFound)
    assert error.continuation_token is not None


@pytest.mark.parametrize("elsewhere", ["https://evil.example.com", "http://api.divio.com"])
async def test_a_next_link_to_another_host_or_scheme_is_refused(mode: str, elsewhere: str) -> None:
    api = FakeBackups.of(5, next_base=elsewhere)
    uuids, error = await scan(mode, api, page_size=2)
    assert isinstance(error, PaginationError)
    assert "refusing to follow" in str(error)
    assert uuids == []
    assert [r.url.host for r in api.requests] == ["api.divio.com"]


async def test_the_refusal_names_the_host_scrubbed_only_of_this_clients_token(mode: str) -> None:
    # Another live client whose token happens to be a word of the message must not garble it.
    with DivioClient(token="example", base_url="https://api.divio.com"):
        api = FakeBackups.of(5, next_base="https://evil.example.com")
        _, error = await scan(mode, api, page_size=2)
    assert "to https://evil.example.com: it is not the API" in str(error)


async def test_a_flaky_page_is_retried_in_place_and_the_listing_goes_on(mode: str) -> None:
    """Each page has the whole retry budget: five failures of page 2 do not restart the scan."""
    api = FakeBackups.of(9, fail={2: httpx.Response(503, json={"detail": "Down."})})

    def recover(number: int) -> None:
        if api.pages.count(2) == 6:
            api.fail.clear()

    api.before = recover
    assert await items(mode, api, page_size=3) == api.uuids
    assert api.pages == [1, 2, 2, 2, 2, 2, 2, 3]


async def test_a_scan_resumes_exactly_where_a_persistent_failure_stopped_it(mode: str) -> None:
    api = FakeBackups.of(9, fail={2: httpx.Response(503, json={"detail": "Down."})})
    first, error = await scan(mode, api, client_kwargs=NO_RETRY, page_size=3)
    assert isinstance(error, ServerError)
    assert first == api.uuids[:3]
    assert error.continuation_token is not None
    api.fail.clear()
    rest = await items(mode, api, token=error.continuation_token, page_size=3)
    assert first + rest == api.uuids


async def test_a_resumed_limit_counts_what_was_already_yielded(mode: str) -> None:
    api = FakeBackups.of(20, fail={2: httpx.Response(503, json={"detail": "Down."})})
    first, error = await scan(mode, api, client_kwargs=NO_RETRY, page_size=5, limit=12)
    assert error is not None
    assert len(first) == 5
    api.fail.clear()
    rest = await items(mode, api, token=error.continuation_token, page_size=5, limit=12)
    assert first + rest == api.uuids[:12]


async def test_tokens_of_other_listings_are_refused(mode: str) -> None:
    token = (await pages(mode, FakeBackups.of(5), page_size=2))[0].next_token
    _, error = await scan(mode, FakeBackups.of(5), token=token, environment="other")
    assert isinstance(error, PaginationError)
    assert "another listing" in str(error)
    _, error = await scan(mode, FakeBackups.of(5), token="page=2")
    assert isinstance(error, PaginationError)


async def test_concurrent_prefetch_yields_in_page_order(mode: str) -> None:
    api = FakeBackups.of(1000)
    assert await items(mode, api, concurrency=4) == api.uuids
    assert sorted(api.pages) == list(range(1, 11))


async def test_concurrent_prefetch_respects_the_limit(mode: str) -> None:
    api = FakeBackups.of(1000)
    assert await items(mode, api, concurrency=4, limit=250) == api.uuids[:250]
    assert sorted(api.pages) == [1, 2, 3]


async def test_concurrent_prefetch_stops_at_a_shrunk_end(mode: str) -> None:
    api = FakeBackups.of(500)

    def shrink(number: int) -> None:
        if number == 2 and len(api.uuids) == 500:
            del api.uuids[250:]

    api.before = shrink
    uuids = await items(mode, api, concurrency=4)
    assert uuids == api.uuids
    assert len(uuids) == 250


async def test_concurrent_failure_carries_the_failed_page(mode: str) -> None:
    api = FakeBackups.of(1000, fail={4: httpx.Response(503, json={"detail": "Down."})})
    first, error = await scan(mode, api, client_kwargs=NO_RETRY, concurrency=3)
    assert first == api.uuids[:300]
    assert error is not None
    api.fail.clear()
    rest = await items(mode, api, token=error.continuation_token, concurrency=3)
    assert first + rest == api.uuids


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ({"page_size": 0}, "page_size must be between 1 and 100"),
        ({"page_size": 101}, "page_size must be between 1 and 100"),
        ({"limit": -1}, "limit must be 0 or more"),
        ({"concurrency": 0}, "concurrency must be between 1 and 16"),
        ({"concurrency": 17}, "concurrency must be between 1 and 16"),
    ],
)
async def test_invalid_arguments_are_refused_up_front(
    mode: str, arguments: dict[str, Any], complaint: str
) -> None:
    api = FakeBackups.of(5)
    factory = sync_client if mode == "sync" else async_client
    with pytest.raises(ValueError, match=complaint):
        factory(api).paginate(list_backups, **arguments)
    with pytest.raises(TypeError, match="use page_size"):
        factory(api).paginate(list_backups, page=2)
    with pytest.raises(TypeError, match="no filter colour"):
        factory(api).paginate(list_backups, colour="blue")
    with pytest.raises(TypeError, match="not a page-number list operation"):
        factory(api).paginate(get_backup)
    assert api.requests == []


async def test_breaking_out_leaves_a_token_that_resumes_after_the_last_item(mode: str) -> None:
    api = FakeBackups.of(9)
    taken: list[str] = []
    if mode == "sync":
        with sync_client(api) as client:
            pager = client.paginate(list_backups, page_size=3)
            for item in pager:
                taken.append(item.uuid)
                if len(taken) == 4:
                    break
            token = pager.continuation_token
    else:
        async with async_client(api) as aclient:
            apager = aclient.paginate(list_backups, page_size=3)
            async for item in apager:
                taken.append(item.uuid)
                if len(taken) == 4:
                    break
            token = apager.continuation_token
    rest = await items(mode, api, token=token, page_size=3)
    assert taken + rest == api.uuids


def counting(
    api: FakeBackups, hold: tuple[int, int] | None = None
) -> tuple[Any, dict[int, threading.Event], list[int]]:
    """``api`` as a handler that notes which pages were asked for and the most in flight.

    With ``hold=(a, b)``, the answer for page ``a`` waits until page ``b`` is asked for.
    """
    lock = threading.Lock()
    in_flight, peak = [0], [0]
    requested = {number: threading.Event() for number in range(1, 100)}

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        try:
            number = int(request.url.params["page"])
            requested[number].set()
            if hold is not None and number == hold[0]:
                assert requested[hold[1]].wait(timeout=10), f"page {hold[1]} was not in flight"
            return api(request)
        finally:
            with lock:
                in_flight[0] -= 1

    return handler, requested, peak


def test_by_default_the_sync_pager_fetches_the_next_page_while_the_caller_works() -> None:
    """While the caller is busy with one page's items, the next page is already asked for:
    two pages in flight at most, and no page the listing does not have."""
    api = FakeBackups.of(450)
    handler, requested, peak = counting(api, hold=(3, 4))
    uuids = []
    with sync_client(handler) as client:
        for backup in client.paginate(list_backups, page_size=100):
            if len(uuids) in (100, 200, 300):  # the first item of pages 2, 3 and 4
                page = len(uuids) // 100 + 1
                assert requested[page + 1].wait(timeout=10), f"page {page + 1} was not read ahead"
            uuids.append(backup.uuid)
    assert uuids == api.uuids
    assert sorted(api.pages) == [1, 2, 3, 4, 5]
    assert peak == [2]


def test_at_concurrency_1_the_sync_pager_asks_for_one_page_at_a_time_in_order() -> None:
    api = FakeBackups.of(450)
    handler, _, peak = counting(api)
    with sync_client(handler) as client:
        uuids = [b.uuid for b in client.paginate(list_backups, page_size=100, concurrency=1)]
    assert uuids == api.uuids
    assert api.pages == [1, 2, 3, 4, 5]
    assert peak == [1]


def test_the_sync_pager_reads_nothing_ahead_before_the_count_is_known() -> None:
    """A caller that stops on the first page (a lookup that finds its item there) costs one
    request, as does a list of one page: reading ahead starts once page 1 tells the count."""
    api = FakeBackups.of(450)
    with sync_client(api) as client:
        first = next(iter(client.paginate(list_backups, page_size=100)))
    assert first.uuid == api.uuids[0]
    assert api.pages == [1]


def test_the_sync_pager_reads_no_page_ahead_past_its_limit() -> None:
    api = FakeBackups.of(450)
    with sync_client(api) as client:
        uuids = [b.uuid for b in client.paginate(list_backups, page_size=100, limit=150)]
    assert uuids == api.uuids[:150]
    assert api.pages == [1, 2]


def test_sync_prefetch_really_overlaps_and_stays_bounded() -> None:
    api = FakeBackups.of(600)
    handler, _, peak = counting(api, hold=(2, 3))
    with sync_client(handler) as client:
        uuids = [b.uuid for b in client.paginate(list_backups, concurrency=3)]
    assert uuids == api.uuids
    assert 2 <= peak[0] <= 3


async def test_async_prefetch_really_overlaps_and_stays_bounded() -> None:
    api = FakeBackups.of(600)
    third_requested = asyncio.Event()
    in_flight, peak = 0, 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            number = int(request.url.params["page"])
            if number == 3:
                third_requested.set()
            if number == 2:
                await asyncio.wait_for(third_requested.wait(), timeout=10)
            await asyncio.sleep(0)
            return api(request)
        finally:
            in_flight -= 1

    async with async_client(handler) as client:
        uuids = [b.uuid async for b in client.paginate(list_backups, concurrency=3)]
    assert uuids == api.uuids
    assert 2 <= peak <= 3


def test_sync_prefetch_goes_on_past_a_page_that_is_held_up() -> None:
    """A page being retried occupies one worker; the others fetch the pages after it."""
    api = FakeBackups.of(1000)
    handler, _, _ = counting(api, hold=(2, 5))
    with sync_client(handler) as client:
        uuids = [b.uuid for b in client.paginate(list_backups, concurrency=2)]
    assert uuids == api.uuids


async def test_async_prefetch_goes_on_past_a_page_that_is_held_up() -> None:
    api = FakeBackups.of(1000)
    fifth_requested = asyncio.Event()
    in_flight, peak = 0, 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            number = int(request.url.params["page"])
            if number == 5:
                fifth_requested.set()
            if number == 2:
                await asyncio.wait_for(fifth_requested.wait(), timeout=10)
            await asyncio.sleep(0)
            return api(request)
        finally:
            in_flight -= 1

    async with async_client(handler) as client:
        uuids = [b.uuid async for b in client.paginate(list_backups, concurrency=2)]
    assert uuids == api.uuids
    assert peak == 2  # scheduled further ahead, but never more than 2 in flight
