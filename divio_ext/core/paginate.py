"""One lazy pager for every generated list operation, sync (``for``) and async (``async for``).

DRF page-number pagination: each response has ``results``, ``next`` and usually ``count``. The
pager reads the page *number* from ``next`` and calls the generated operation again with the
same filters (typed models, no hand-built URLs); a ``next`` on another host or scheme is refused.

Filters are never trusted: Django REST Framework silently ignores a query parameter it does not
know, so a filter that names a field of the listed items (``environment``, ``application``,
``service_instance``, ``slug``...) is also checked on every item, and items that do not match
are dropped. Filters that are not item fields (``name_search``) are sent only.

Positions are exact: a continuation token names the page, the page size, how many items of that
page were already consumed and how many items were yielded in total (for ``limit``). Any error
raised while paging carries the token of the page that failed, so a scan resumes with no
duplicate and no missing item. The page-walking rules live in ``_Walk``, free of I/O, so the
sync and async pagers only differ in how they fetch.
"""

from __future__ import annotations

import hashlib
import types
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs

import anyio
import attrs
import httpx
from divio_api.types import Unset

from . import operations
from .config import origin
from .errors import DivioError, NotFound, PaginationError
from .logging_ import Redactor

T = TypeVar("T")
#: The page size asked for when none is given: the most DRF serves by default (its maximum is
#: set per server; one that serves fewer is followed by its ``next`` links all the same).
DEFAULT_MAX_PAGE_SIZE = 100
MAX_CONCURRENCY = 16
#: The sync pager's default pages in flight: the next page is on its way (and being parsed)
#: while the caller works through this one. Asking the server for one page at a time leaves it
#: idle while this side parses, and CPython's one interpreter lock cannot hide that with a
#: single request in flight. The async pager defaults to one page at a time, because a page
#: fetched ahead by a task must finish before the current page's items are handed out (no task
#: may outlive an iteration step), so it would not overlap the caller's work.
SYNC_CONCURRENCY = 2
ASYNC_CONCURRENCY = 1
#: A listing that sends this many empty pages in a row, each with a ``next`` link, is stopped:
#: DRF sends an empty page only for an empty list, so such a server would be paged for ever.
MAX_EMPTY_PAGES = 5
#: Page numbers (and continuation token fields) longer than this are not numbers we can use.
_MAX_DIGITS = 18
#: Pages scheduled ahead, as a multiple of the pages in flight (see ``_Walk.window``).
LOOKAHEAD = 2
_FORMAT_VERSION = "v1"

Fetch = Callable[[dict[str, Any]], Any]
AsyncFetch = Callable[[dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page as the pager saw it.

    ``items`` excludes items consumed before a resume, repeats of the previous page's items and
    items beyond ``limit``. ``next_token`` resumes right after this page (None at the end).
    ``model`` is the generated page model (``previous``, ``additional_properties``...).
    """

    items: list[T]
    number: int
    count: int | None
    next_token: str | None
    model: Any


@dataclass(frozen=True)
class _Position:
    page: int
    size: int
    skip: int  # items of `page` already consumed
    seen: int  # items yielded so far, counted against `limit`


@dataclass(frozen=True)
class _Cursor:
    """Where each item of one page leaves the listing, computed only when asked for.

    Building a position (and its token) for every item cost more than the item itself; the
    pager keeps ``(cursor, index, seen)`` per item and makes the position when a token is read.
    """

    page: int
    size: int
    length: int
    next_page: int | None

    def after(self, index: int, seen: int) -> _Position | None:
        """The position after the item at ``index - 1``, ``seen`` items yielded so far."""
        if index < self.length:
            return _Position(self.page, self.size, index, seen)
        if self.next_page is None:
            return None
        return _Position(self.next_page, self.size, 0, seen)


#: What a walk hands its pager: a page, its cursor, and (index after, seen) per item.
Taken = tuple["Page[Any]", _Cursor, list[tuple[int, int]]]


def _text(field: Any) -> str | None:
    return None if field is None or isinstance(field, Unset) else str(field)


def verified_filters(operation: types.ModuleType, names: Iterable[str]) -> frozenset[str]:
    """The filters among ``names`` that are fields of the listed items: checked on each item."""
    item = operations.item_model(operation)
    if item is None or not attrs.has(item):
        return frozenset()
    return frozenset(names) & attrs.fields_dict(item).keys()


def _number(text: str) -> int | None:
    """A page number or token field: ASCII digits only (``"²".isdigit()`` is true), not huge."""
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        return int(text)
    return None


class Listing:
    """What is being listed: operation, filters, page size, limit; validated up front."""

    def __init__(
        self,
        operation: operations.Operation,
        filters: Mapping[str, Any],
        *,
        base_url: httpx.URL,
        page_size: int | None,
        limit: int | None,
        concurrency: int,
        max_page_size: int,
        redact: Redactor,
    ) -> None:
        endpoint = operations.endpoint(operation)
        label = str(endpoint)
        generated = operations.module(operation)
        accepted = operations.parameters(generated)
        if "page" not in accepted or "page_size" not in accepted:
            raise TypeError(f"{label} is not a page-number list operation")
        reserved = sorted({"page", "page_size"} & filters.keys())
        if reserved:
            raise TypeError(
                f"{', '.join(reserved)} cannot be a filter: use page_size= and "
                "continuation tokens (by_page / items) instead"
            )
        unknown = sorted(set(filters) - set(accepted))
        if unknown:
            filters_accepted = [p for p in accepted if p not in ("page", "page_size")]
            raise TypeError(
                f"{label} has no filter {', '.join(unknown)}; "
                f"it accepts: {', '.join(filters_accepted) or 'none'}"
            )
        if max_page_size < 1:
            raise ValueError("max_page_size must be at least 1")
        if page_size is not None and not 1 <= page_size <= max_page_size:
            raise ValueError(f"page_size must be between 1 and {max_page_size}, not {page_size}")
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be 0 or more, not {limit}")
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be between 1 and {MAX_CONCURRENCY}")
        if page_size is None:
            page_size = min(max_page_size, limit) if limit else max_page_size
        self.label = label
        # DRF's next link is the request's own URL with another page: this prefix recognises it
        # without parsing the whole URL (the same scheme, host, port and path, nothing else).
        self._next_prefix = (
            f"{str(base_url).rstrip('/')}{endpoint.path}?" if "{" not in endpoint.path else ""
        )
        self.filters = {k: v for k, v in filters.items() if not isinstance(v, Unset)}
        self.checks = [
            (name, self._expected(self.filters[name]))
            for name in sorted(verified_filters(generated, self.filters))
        ]
        self.base_url = base_url
        self.page_size = page_size
        self.limit = limit
        self.concurrency = concurrency
        self.max_page_size = max_page_size
        self.redact = redact
        described = f"{label}|{sorted((k, repr(v)) for k, v in self.filters.items())}"
        self.fingerprint = hashlib.sha256(described.encode()).hexdigest()[:12]

    @staticmethod
    def _expected(value: Any) -> frozenset[str]:
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        return frozenset(str(v) for v in values)

    def matches(self, item: Any) -> bool:
        """Whether ``item`` satisfies every filter that names one of its fields.

        An item that does not show the field at all cannot be shown to match, so it is dropped.
        """
        return all(_text(getattr(item, name, None)) in expected for name, expected in self.checks)

    def arguments(self, number: int, size: int) -> dict[str, Any]:
        return {**self.filters, "page": number, "page_size": size}

    def token(self, position: _Position) -> str:
        p = position
        return f"{_FORMAT_VERSION}.{self.fingerprint}.{p.size}.{p.page}.{p.skip}.{p.seen}"

    def start(self, token: str | None) -> _Position:
        if token is None:
            return _Position(page=1, size=self.page_size, skip=0, seen=0)
        parts = token.split(".")
        numbers = [_number(p) for p in parts[2:]]
        if len(parts) != 6 or parts[0] != _FORMAT_VERSION or None in numbers:
            raise PaginationError(f"{token!r} is not a divio-ext continuation token")
        if parts[1] != self.fingerprint:
            raise PaginationError(
                "this continuation token belongs to another listing (operation or filters differ)"
            )
        size, page, skip, seen = (n for n in numbers if n is not None)
        if not 1 <= size <= self.max_page_size or page < 1:
            raise PaginationError(f"{token!r} is not a valid continuation token")
        return _Position(page=page, size=size, skip=skip, seen=seen)

    def next_number(self, model: Any, number: int) -> int | None:
        """The page number in the model's ``next`` link, after checking where it points."""
        link = getattr(model, "next_", None)
        if not isinstance(link, str) or not link:
            return None
        if self._next_prefix and link.startswith(self._next_prefix):
            # The usual link, to this very list on the API: only its query needs reading.
            query = link[len(self._next_prefix) :].partition("#")[0]
            value = _number(parse_qs(query).get("page", [""])[0])
        else:
            value = self._checked_page(link, number)
        if value is None:
            raise PaginationError(
                f"the next link of page {number} has no page number; "
                f"{self.label} cannot be paged by number"
            )
        if value <= number:
            raise PaginationError(f"the next link of page {number} goes back to page {value}")
        return value

    def _checked_page(self, link: str, number: int) -> int | None:
        """The page number of any other ``next`` link, once its origin is known to be the API's."""
        try:
            url = self.base_url.join(link)
        except httpx.InvalidURL as exc:
            raise PaginationError(f"the next link of page {number} is not a valid URL") from exc
        if origin(url) != origin(self.base_url):
            # The host comes from the server, which may have put an echo of the token in it.
            elsewhere = self.redact(f"{url.scheme}://{url.host}")
            raise PaginationError(
                f"refusing to follow the next link of page {number} to {elsewhere}: "
                f"it is not the API ({self.base_url.scheme}://{self.base_url.host}), and the "
                "token must never leave the API host"
            )
        return _number(url.params.get("page", ""))


def past_the_last_page(error: DivioError) -> bool:
    """Whether ``error`` is DRF's 404 "Invalid page.": the page asked for is beyond the last
    one (for a list that has shrunk since its count was read)."""
    return isinstance(error, NotFound) and (error.detail or "").strip().lower() == "invalid page."


class _Walk:
    """The state of one pass over a listing: which page comes next, and when to stop."""

    def __init__(self, listing: Listing, position: _Position) -> None:
        self.listing = listing
        self.size = position.size
        self.position: _Position | None = position
        self.ceiling = 0  # last page number worth fetching ahead (0: no prefetch)
        self.empty_in_a_row = 0
        self._previous_ids: set[str] = set()

    def pending(self) -> int | None:
        """Number of the page to fetch next, or None when the walk is over."""
        p = self.position
        if p is None or (self.listing.limit is not None and p.seen >= self.listing.limit):
            return None
        return p.page

    def window(self, number: int) -> range:
        """Pages to have scheduled while waiting for ``number``.

        Twice as many as may be in flight (``concurrency``): while one page is being retried,
        the other workers go on with the pages after it instead of idling behind it.
        """
        ahead = LOOKAHEAD * self.listing.concurrency
        return range(number, min(number + ahead, self.ceiling + 1))

    def annotate(self, exc: DivioError) -> DivioError:
        """Attach where to resume: the position before the page that failed."""
        if self.position is not None:
            exc.continuation_token = self.listing.token(self.position)
        return exc

    def arguments(self, number: int) -> dict[str, Any]:
        return self.listing.arguments(number, self.size)

    def probe_arguments(self) -> dict[str, Any]:
        """A one-item request of page 1: just to learn the current ``count``."""
        return self.listing.arguments(1, 1)

    def past_end(self, exc: DivioError, number: int) -> bool:
        """DRF's 404 "Invalid page." for a page beyond the last one."""
        return number > 1 and past_the_last_page(exc)

    def shrank(self, probe: Any, number: int) -> bool:
        """Whether the list is now too short to have page ``number``: then it ended."""
        count = getattr(probe, "count", None)
        if isinstance(count, int) and count <= (number - 1) * self.size:
            self.position = None
            return True
        return False

    def take(self, model: Any) -> Taken:
        """Turn a fetched page into items, and where each of them leaves the listing."""
        start, listing = self.position, self.listing
        assert start is not None, "take() is only called while a page is pending"
        if model is None or not isinstance(getattr(model, "results", None), list):
            raise PaginationError(f"page {start.page} has no results list")
        results: list[Any] = model.results
        next_number = listing.next_number(model, start.page)
        cursor = _Cursor(start.page, start.size, len(results), next_number)
        items: list[Any] = []
        marks: list[tuple[int, int]] = []
        previous, checks, limit = self._previous_ids, listing.checks, listing.limit
        seen, index = start.seen, start.skip
        fresh = False  # whether the page brought any item not seen before (kept or not)
        while index < len(results) and (limit is None or seen < limit):
            item = results[index]
            index += 1
            if previous and getattr(item, "uuid", None) in previous:
                continue  # the list grew at its start and shifted this item onto this page
            fresh = True
            if checks and not listing.matches(item):
                continue  # the server ignored a filter
            seen += 1
            items.append(item)
            marks.append((index, seen))
        self._previous_ids = {i for i in (getattr(r, "uuid", None) for r in results) if i}
        # Items dropped because the server ignored a filter are progress all the same: only
        # pages of nothing new (an empty page, or repeats) suggest a server paging for ever.
        self.empty_in_a_row = 0 if fresh or next_number is None else self.empty_in_a_row + 1
        if self.empty_in_a_row >= MAX_EMPTY_PAGES:
            raise PaginationError(
                f"page {start.page} is the {MAX_EMPTY_PAGES}th page in a row with no new items "
                "but a next link; stopping, as the server would otherwise be paged for ever"
            )
        self.position = cursor.after(index, seen)
        if self.ceiling == 0 and next_number is not None:
            self.ceiling = self._ceiling(model, len(results), next_number, seen)
        count = getattr(model, "count", None)
        page = Page(
            items=items,
            number=start.page,
            count=count if isinstance(count, int) else None,
            next_token=listing.token(self.position) if self.position is not None else None,
            model=model,
        )
        return page, cursor, marks

    def _ceiling(self, model: Any, size: int, next_number: int, seen: int) -> int:
        """The last page that the count (and limit) say exists: safe to prefetch up to it."""
        count = getattr(model, "count", None)
        if self.listing.concurrency == 1 or not isinstance(count, int) or size == 0:
            return 0
        last = -(-count // size)  # integer ceiling: a count of 10**400 is no float
        if self.listing.limit is not None:
            last = min(last, next_number - 1 - (-(self.listing.limit - seen) // size))
        return last


class _ThreadPrefetch:
    """Pages fetched ahead on a small thread pool sharing the (thread-safe) httpx client."""

    def __init__(self, fetch: Callable[[int], Any], workers: int) -> None:
        self._fetch = fetch
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="divio-ext-pager")
        self._futures: dict[int, Future[Any]] = {}

    def schedule(self, numbers: Iterable[int]) -> None:
        for number in numbers:
            if number not in self._futures:
                self._futures[number] = self._pool.submit(self._fetch, number)

    def get(self, number: int) -> Any:
        for stale in [n for n in self._futures if n < number]:
            self._futures.pop(stale).cancel()
        future = self._futures.pop(number, None)
        return future.result() if future is not None else self._fetch(number)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class _Failed:
    """A prefetched page's error, kept until that page is asked for."""

    error: Exception


class _TaskPrefetch:
    """Pages fetched ahead in anyio task groups, at most ``workers`` requests at a time.

    Structured concurrency allows no task to outlive the ``async for`` step that started it (a
    pager may be abandoned with ``break`` at any item), so pages are fetched a window at a time:
    when page ``n`` is needed and not yet here, the scheduled pages from ``n`` on are fetched
    together in one task group, which ends before the pager yields again. A page that fails is
    kept as its error and raised when that page is asked for, so the others are not lost.
    """

    def __init__(self, fetch: Callable[[int], Awaitable[Any]], workers: int) -> None:
        self._fetch = fetch
        self._workers = anyio.CapacityLimiter(workers)
        self._wanted: list[int] = []
        self._ready: dict[int, Any] = {}

    def schedule(self, numbers: Iterable[int]) -> None:
        self._wanted = [n for n in numbers if n not in self._ready]

    async def get(self, number: int) -> Any:
        for stale in [n for n in self._ready if n < number]:
            del self._ready[stale]
        if number not in self._ready:
            window = [n for n in self._wanted if n >= number] or [number]
            async with anyio.create_task_group() as group:
                for page in window:
                    group.start_soon(self._fill, page)
        found = self._ready.pop(number)
        if isinstance(found, _Failed):
            raise found.error
        return found

    async def _fill(self, number: int) -> None:
        async with self._workers:
            try:
                self._ready[number] = await self._fetch(number)
            except Exception as error:  # raised when this page is asked for, not before
                self._ready[number] = _Failed(error)

    async def close(self) -> None:
        self._ready.clear()


@dataclass(frozen=True)
class _Need:
    """A page a walk needs: page ``number`` (with ``window`` worth reading ahead), or the probe."""

    number: int
    window: range
    probe: bool = False


class _PagerBase:
    def __init__(self, listing: Listing) -> None:
        self._listing = listing
        self._token: str | None = None
        self._mark: tuple[_Cursor, int, int] | None = None  # after the last item yielded

    @property
    def continuation_token(self) -> str | None:
        """Where the latest iteration stopped (after its last item, or at the failed page)."""
        if self._mark is not None:
            cursor, index, seen = self._mark
            position = cursor.after(index, seen)
            return None if position is None else self._listing.token(position)
        return self._token

    def _stopped_at(self, token: str | None) -> None:
        self._token, self._mark = token, None

    def _begin(self, token: str | None) -> _Walk:
        walk = _Walk(self._listing, self._listing.start(token))
        self._stopped_at(token)
        return walk

    def _steps(self, walk: _Walk) -> Generator[_Need | Taken, Any, None]:
        """One pass over the listing, for both pagers: it yields the pages it needs (``_Need``)
        and is sent them, or thrown their error, and yields each page taken.

        A page past the end (DRF's "Invalid page.") is checked with a one-item probe: a list
        that shrank while being read has ended. Any error carries where to resume.
        """
        while (number := walk.pending()) is not None:
            try:
                try:
                    model = yield _Need(number, walk.window(number))
                except DivioError as exc:
                    if walk.past_end(exc, number) and walk.shrank(
                        (yield _Need(number, range(0), probe=True)), number
                    ):
                        break
                    raise
                taken = walk.take(model)
            except DivioError as exc:
                self._stopped_at(walk.annotate(exc).continuation_token)
                raise
            yield taken
        self._stopped_at(None if walk.position is None else self._listing.token(walk.position))

    def __repr__(self) -> str:
        listing = self._listing
        return (
            f"{type(self).__name__}({listing.label}, filters={listing.filters!r}, "
            f"page_size={listing.page_size}, limit={listing.limit}, "
            f"concurrency={listing.concurrency})"
        )


class Pager(_PagerBase, Generic[T]):
    """Lazy iteration over a list operation: ``for item in pager`` fetches a page at a time."""

    def __init__(self, fetch: Fetch, listing: Listing) -> None:
        super().__init__(listing)
        self._fetch_arguments = fetch

    def __iter__(self) -> Iterator[T]:
        return self.items()

    def items(self, continuation_token: str | None = None) -> Iterator[T]:
        """Items from the start, or from where ``continuation_token`` says."""
        for page, cursor, marks in self._walk(continuation_token):
            for item, (index, seen) in zip(page.items, marks, strict=True):
                self._mark = (cursor, index, seen)
                yield item

    def pages(self) -> Iterator[Page[T]]:
        """Pages from the start."""
        return self.by_page()

    def by_page(self, continuation_token: str | None = None) -> Iterator[Page[T]]:
        """Pages from the start, or from where ``continuation_token`` says."""
        for page, _, _ in self._walk(continuation_token):
            self._stopped_at(page.next_token)
            yield page

    def _walk(self, token: str | None) -> Iterator[Taken]:
        walk = self._begin(token)

        def fetch(number: int) -> Any:
            return self._fetch_arguments(walk.arguments(number))

        concurrency = self._listing.concurrency
        prefetch = _ThreadPrefetch(fetch, concurrency) if concurrency > 1 else None
        steps = self._steps(walk)
        reply: Any = None
        failure: DivioError | None = None
        try:
            while True:
                try:
                    step = steps.send(reply) if failure is None else steps.throw(failure)
                except StopIteration:
                    return
                reply, failure = None, None
                if not isinstance(step, _Need):
                    yield step
                    continue
                try:
                    if step.probe:
                        reply = self._fetch_arguments(walk.probe_arguments())
                    elif prefetch is not None:
                        prefetch.schedule(step.window)
                        reply = prefetch.get(step.number)
                    else:
                        reply = fetch(step.number)
                except DivioError as exc:
                    failure = exc
        finally:
            if prefetch is not None:
                prefetch.close()


class AsyncPager(_PagerBase, Generic[T]):
    """Lazy async iteration over a list operation: ``async for item in pager``."""

    def __init__(self, fetch: AsyncFetch, listing: Listing) -> None:
        super().__init__(listing)
        self._fetch_arguments = fetch

    def __aiter__(self) -> AsyncIterator[T]:
        return self.items()

    async def items(self, continuation_token: str | None = None) -> AsyncIterator[T]:
        """Items from the start, or from where ``continuation_token`` says."""
        async for page, cursor, marks in self._walk(continuation_token):
            for item, (index, seen) in zip(page.items, marks, strict=True):
                self._mark = (cursor, index, seen)
                yield item

    def pages(self) -> AsyncIterator[Page[T]]:
        """Pages from the start."""
        return self.by_page()

    async def by_page(self, continuation_token: str | None = None) -> AsyncIterator[Page[T]]:
        """Pages from the start, or from where ``continuation_token`` says."""
        async for page, _, _ in self._walk(continuation_token):
            self._stopped_at(page.next_token)
            yield page

    async def _walk(self, token: str | None) -> AsyncIterator[Taken]:
        walk = self._begin(token)

        async def fetch(number: int) -> Any:
            return await self._fetch_arguments(walk.arguments(number))

        concurrency = self._listing.concurrency
        prefetch = _TaskPrefetch(fetch, concurrency) if concurrency > 1 else None
        steps = self._steps(walk)
        reply: Any = None
        failure: DivioError | None = None
        try:
            while True:
                try:
                    step = steps.send(reply) if failure is None else steps.throw(failure)
                except StopIteration:
                    return
                reply, failure = None, None
                if not isinstance(step, _Need):
                    yield step
                    continue
                try:
                    if step.probe:
                        reply = await self._fetch_arguments(walk.probe_arguments())
                    elif prefetch is not None:
                        prefetch.schedule(step.window)
                        reply = await prefetch.get(step.number)
                    else:
                        reply = await fetch(step.number)
                except DivioError as exc:
                    failure = exc
        finally:
            if prefetch is not None:
                await prefetch.close()
