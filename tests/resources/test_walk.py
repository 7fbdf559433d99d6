"""How the service-instance-backup listings are walked (``relations._walk``): which pages are
asked for, when, and in which order their readings come back. Stand-in clients serve the pages,
so the timing can be forced."""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Generator
from typing import Any

import anyio
import httpx
import pytest

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.core.engine import run_async, run_sync
from divio_ext.core.rows import Rows
from divio_ext.errors import PaginationError
from divio_ext.models import ServiceInstance, ServiceInstanceBackup
from divio_ext.resources import relations
from tests.resources.listed import listed_page

SIZE = 100


def instance(uuid: str) -> ServiceInstance:
    return ServiceInstance.from_dict(
        {
            "uuid": uuid,
            "environment": "e",
            "service": "s",
            "region": "r",
            "prefix": "DEFAULT",
            "type": "DATABASE",
        }
    )


class Listings:
    """Serves the pages of a few listings (``counts`` by instance; the complete listing holds
    them all, in that order, unless ``ignored``, when every filtered listing is the complete
    one). The first page of ``slow`` is answered only once some other listing's second page has
    been asked for, or after ``patience`` seconds."""

    def __init__(
        self, counts: dict[str, int], slow: str, ignored: bool = False, patience: float = 5
    ) -> None:
        self.patience = patience
        self.lie: int | None = None  # the count every page says, if not the true one
        self.everything = [(uuid, n) for uuid, count in counts.items() for n in range(count)]
        self.counts, self.slow, self.ignored = counts, slow, ignored
        self.asked: list[tuple[str | None, int]] = []
        self.went_on = threading.Event()
        self.slow_waited_in_vain = False

    def serve(self, params: dict[str, Any]) -> Rows[ServiceInstanceBackup]:
        wanted, number = params.get("service_instance"), params["page"]
        assert params["page_size"] == SIZE
        self.asked.append((wanted, number))
        if number == 2 and wanted != self.slow:
            self.went_on.set()
        items = [i for i in self.everything if self.ignored or wanted in (None, i[0])]
        page = items[(number - 1) * SIZE : number * SIZE]
        more = len(items) > number * SIZE
        rows = [{"uuid": f"{u}-{n}", "backup": f"b{n}", "service_instance": u} for u, n in page]
        count = len(items) if self.lie is None else self.lie
        return listed_page(rows, count, "next" if more else None)

    def rows(self, operation: types.ModuleType, **params: Any) -> Rows[ServiceInstanceBackup]:
        if params.get("service_instance") == self.slow and params["page"] == 1:
            self.slow_waited_in_vain = not self.went_on.wait(self.patience)
        return self.serve(params)


class AsyncListings(Listings):
    async def rows(  # type: ignore[override]
        self, operation: types.ModuleType, **params: Any
    ) -> Rows[ServiceInstanceBackup]:
        if params.get("service_instance") == self.slow and params["page"] == 1:
            with anyio.move_on_after(self.patience) as waited:
                while not self.went_on.is_set():
                    await anyio.sleep(0.001)
            self.slow_waited_in_vain = waited.cancelled_caught
        return self.serve(params)


def uuids(page: Rows[ServiceInstanceBackup]) -> list[str]:
    return [row.uuid for row in page.results]


INSTANCES = [instance("a"), instance("b")]
COUNTS = {"a": 250, "b": 150, "other": 30}


def expected(*listings: str) -> list[list[str]]:
    """Each listing's pages, in order, as ``uuids`` reads them."""
    pages = []
    for uuid in listings:
        count = COUNTS[uuid]
        pages += [
            [f"{uuid}-{n}" for n in range(s, min(s + SIZE, count))] for s in range(0, count, SIZE)
        ]
    return pages


def test_a_listing_goes_on_as_soon_as_its_own_first_page_is_in() -> None:
    client = Listings(COUNTS, slow="b")
    found = run_sync(client, relations._walk(INSTANCES, uuids))  # type: ignore[arg-type]
    assert not client.slow_waited_in_vain, "a's pages did not wait for b's first page"
    assert found == expected("a", "b"), "read in page order, listing by listing"
    assert sorted(client.asked, key=str) == sorted(
        [(None, 1), ("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2)], key=str
    )


@pytest.mark.anyio
async def test_the_async_walk_goes_on_the_same_way() -> None:
    client = AsyncListings(COUNTS, slow="b")
    found = await run_async(client, relations._walk(INSTANCES, uuids))  # type: ignore[arg-type]
    assert not client.slow_waited_in_vain
    assert found == expected("a", "b")


def test_the_walk_waits_for_the_pages_that_decide_whether_the_server_filters() -> None:
    """The complete listing's first page and the first instance's decide; until both are in,
    no later page is asked for (here the first instance is the slow one)."""
    client = Listings(COUNTS, slow="a", patience=0.3)
    found = run_sync(client, relations._walk(INSTANCES, uuids))  # type: ignore[arg-type]
    assert client.slow_waited_in_vain, "b's pages waited for a's first page"
    assert found == expected("a", "b")


def test_where_the_server_ignores_the_filter_only_the_complete_listing_is_walked() -> None:
    client = Listings(COUNTS, slow="none", ignored=True)
    found = run_sync(client, relations._walk(INSTANCES, uuids))  # type: ignore[arg-type]
    complete = expected("a", "b", "other")
    assert [uuid for page in found for uuid in page] == [u for page in complete for u in page]
    assert sorted(n for listing, n in client.asked if listing is None) == [1, 2, 3, 4, 5]
    assert sorted(client.asked, key=str).count(("a", 1)) == 1
    assert not [n for listing, n in client.asked if listing is not None and n > 1]


def test_one_instance_is_walked_without_the_complete_listing() -> None:
    client = Listings(COUNTS, slow="none")
    found = run_sync(client, relations._walk([instance("b")], uuids))  # type: ignore[arg-type]
    assert found == expected("b")
    assert client.asked == [("b", 1), ("b", 2)]


def liar(count: int, real: int) -> httpx.MockTransport:
    """A server whose service-instance-backup listing holds ``real`` items but says ``count``,
    with ``next`` set up to the count, and DRF's 404 "Invalid page." past the real end."""

    def answer(request: httpx.Request) -> httpx.Response:
        number, size = int(request.url.params["page"]), int(request.url.params["page_size"])
        items = [{"uuid": f"s{n}", "backup": f"b{n}", "service_instance": "a"} for n in range(real)]
        page = items[(number - 1) * size : number * size]
        if not page and number > 1:
            return httpx.Response(404, json={"detail": "Invalid page."})
        more = "https://api.divio.com/next" if number * size < count else None
        return httpx.Response(
            200, json={"count": count, "next": more, "previous": None, "results": page}
        )

    return httpx.MockTransport(answer)


#: Requests a 250-item listing may cost whatever its count: its first page, the pages asked for
#: ahead of it, and one more for each of its three pages answered before its end is known.
BOUND = 1 + relations.PAGES_AHEAD + 3


@pytest.mark.parametrize("count", [10**5, 10**9, 2**63 - 1])
def test_a_count_far_beyond_the_listing_costs_a_bounded_number_of_requests(count: int) -> None:
    """A wrong (or hostile) count once made the walk ask for count / 100 pages: 10**9 hung."""
    sent: list[httpx.Request] = []
    options = {"transport": liar(count, real=250), "event_hooks": {"request": [sent.append]}}
    with DivioClient(token="t0ken-abcdefgh", **options) as client:
        pages = client.run(relations._walk([instance("a")], Rows.models))
    assert sorted(sib.uuid for page in pages for sib in page) == sorted(f"s{n}" for n in range(250))
    assert len(sent) <= BOUND


def test_a_count_beyond_64_bits_is_read_as_the_number_it_is_and_bounds_nothing() -> None:
    """As Python's parser reads it (the seam's); the walk stops where the pages end."""
    sent: list[httpx.Request] = []
    options = {"transport": liar(10**30, real=250), "event_hooks": {"request": [sent.append]}}
    with DivioClient(token="t0ken-abcdefgh", **options) as client:
        pages = client.run(relations._walk([instance("a")], Rows.models))
    assert sum(len(page) for page in pages) == 250
    assert len(sent) <= BOUND


@pytest.mark.anyio
async def test_the_async_walk_is_bounded_the_same_way() -> None:
    sent: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        sent.append(request)

    options = {"transport": liar(10**9, real=250), "event_hooks": {"request": [count]}}
    async with AsyncDivioClient(token="t0ken-abcdefgh", **options) as client:
        pages = await client.run(relations._walk([instance("a")], Rows.models))
    assert sum(len(page) for page in pages) == 250
    assert len(sent) <= BOUND


def test_a_listing_ends_at_the_page_that_says_it_is_the_last_whatever_its_count() -> None:
    """Pages past the real end answered with no items (not DRF's 404) end the listing too."""
    client = Listings({"a": 250}, slow="none")
    client.lie = 10**9
    found = run_sync(client, relations._walk([instance("a")], uuids))  # type: ignore[arg-type]
    assert [page for page in found if page] == expected("a")
    assert max(number for _, number in client.asked) <= BOUND


@pytest.mark.parametrize("said", [100, 150])
def test_a_count_too_low_is_read_past_while_the_pages_say_there_is_more(said: int) -> None:
    """A count lower than the listing (one that grew while it was read, or a wrong one) once
    ended the walk at the count's last page: the newest backups, on the pages after it, were
    not seen and the answer was wrong."""
    client = Listings({"a": 250}, slow="none")
    client.lie = said
    found = run_sync(client, relations._walk([instance("a")], uuids))  # type: ignore[arg-type]
    assert found == expected("a")
    assert sorted(number for _, number in client.asked) == [1, 2, 3]


def test_a_listing_that_goes_on_far_past_its_count_fails_after_a_bounded_number_of_requests() -> (
    None
):
    sent: list[httpx.Request] = []

    def endless(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        page = [{"uuid": f"{number}-{n}", "backup": "b", "service_instance": "a"} for n in range(9)]
        more = f"https://api.divio.com/apps/v3/service-instance-backups/?page={number + 1}"
        return httpx.Response(200, json={"count": 9, "next": more, "results": page})

    options = {"transport": httpx.MockTransport(endless), "event_hooks": {"request": [sent.append]}}
    with (
        DivioClient(token="t0ken-abcdefgh", **options) as client,
        pytest.raises(PaginationError, match="more than 40 pages past the 9 items its count says"),
    ):
        client.run(relations._walk([instance("a")], Rows.models))
    assert len(sent) == 1 + relations.PAGES_AHEAD


@pytest.mark.parametrize("count", [250, 10**6])
def test_a_server_that_serves_page_1_for_every_number_fails_instead_of_answering_from_it(
    count: int,
) -> None:
    """Every page the first, with a next link: the walk once took pages 2 and 3 for more of
    the same and answered from page 1's items alone, or (with a large count) asked for count /
    100 pages."""
    sent: list[httpx.Request] = []

    def first_page(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        page = [{"uuid": f"s{n}", "backup": f"b{n}", "service_instance": "a"} for n in range(100)]
        more = "https://api.divio.com/apps/v3/service-instance-backups/?page=2"
        return httpx.Response(200, json={"count": count, "next": more, "results": page})

    options = {"transport": httpx.MockTransport(first_page)}
    with (
        DivioClient(token="t0ken-abcdefgh", **options) as client,
        pytest.raises(PaginationError, match=r"page 2 of .* starts with the item page 1 starts"),
    ):
        client.run(relations._walk([instance("a")], Rows.models))
    assert len(sent) <= BOUND


def test_a_page_whose_worker_was_held_up_until_the_last_page_was_in_is_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers take pages up in order, but one can be held up (by other threads holding the
    interpreter) between taking page 2 up and asking for it, while page 3, the last, is
    answered; page 2 is still part of the listing. It was skipped, and its items lost."""
    client = Listings({"a": 250}, slow="none")
    original = relations._Schedule._later_page

    def held_up(
        self: relations._Schedule[Any], listing: int, number: int
    ) -> Generator[Any, Any, Any]:
        deadline = time.monotonic() + 5
        while number == 2 and listing not in self.ended and time.monotonic() < deadline:
            time.sleep(0.001)
        return (yield from original(self, listing, number))

    monkeypatch.setattr(relations._Schedule, "_later_page", held_up)
    found = run_sync(client, relations._walk([instance("a")], uuids))  # type: ignore[arg-type]
    assert found == expected("a")
