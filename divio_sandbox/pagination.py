"""DRF's ``PageNumberPagination``, reproduced: page size rules, absolute links, "Invalid page.".

Links are built from the URL the client called, with only ``page`` replaced (parameters sorted,
as DRF's ``replace_query_param`` does), so a client can follow ``next`` without re-sending its
filters. The page is sliced out of an already filtered, sorted uuid sequence: O(page).
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from divio_sandbox.responses import detail, render

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(raw: str | None) -> int:
    """DRF: a positive integer, capped at the maximum; anything else means the default."""
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE) if size > 0 else DEFAULT_PAGE_SIZE


def page_number(raw: str | None, pages: int) -> int:
    """Django's ``Paginator.validate_number`` plus DRF's ``last``; DRF's 404 when invalid."""
    if not raw:
        return 1
    if raw == "last":
        return pages
    try:
        number = int(raw)
    except ValueError:
        raise detail(404, "Invalid page.") from None
    if number < 1 or number > pages:
        raise detail(404, "Invalid page.")
    return number


def with_page(url: str, number: int | None) -> str:
    """``url`` with ``page`` set to ``number`` (or removed), like DRF's query helpers."""
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    params.pop("page", None)
    if number is not None:
        params["page"] = [str(number)]
    return urlunsplit(
        (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
    )


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: its envelope (``count``, ``next``, ``previous``) and its uuids."""

    count: int
    next: str | None
    previous: str | None
    uuids: Sequence[str]

    def envelope(self) -> dict[str, Any]:
        return {"count": self.count, "next": self.next, "previous": self.previous}


def select_page(url: str, query: Mapping[str, str], uuids: Sequence[str]) -> Page:
    """The page of ``uuids`` the query asks for (DRF's 404 for a page that does not exist)."""
    size = page_size(query.get("page_size"))
    count = len(uuids)
    pages = max(1, math.ceil(count / size))
    number = page_number(query.get("page"), pages)
    start = (number - 1) * size
    return Page(
        count=count,
        next=with_page(url, number + 1) if number < pages else None,
        previous=None if number == 1 else with_page(url, None if number == 2 else number - 1),
        uuids=uuids[start : start + size],
    )


def paginate(
    url: str,
    query: Mapping[str, str],
    uuids: Sequence[str],
    render_item: Callable[[str], Any],
) -> dict[str, Any]:
    """The page of ``uuids`` the query asks for, as ``{count, next, previous, results}``."""
    page = select_page(url, query, uuids)
    return {**page.envelope(), "results": [render_item(uuid) for uuid in page.uuids]}


def paginate_encoded(
    url: str,
    query: Mapping[str, str],
    uuids: Sequence[str],
    encode_item: Callable[[str], bytes],
) -> bytes:
    """``render(paginate(...))``, byte for byte, from items that are already encoded.

    The compact encoder writes a list as its items' encodings joined by commas, and the
    ``results`` key comes last, so the body can be assembled around the items' bytes: a page
    then costs no more than finding its items (see ``serializers.encoded_service_instance_backup``).
    """
    page = select_page(url, query, uuids)
    head = render(page.envelope())
    items = b",".join([encode_item(uuid) for uuid in page.uuids])
    return head[:-1] + b',"results":[' + items + b"]}"
