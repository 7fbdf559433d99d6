"""Pages of listed service-instance backups as the rules receive them: read by divio-ext's own
decoder (``divio_ext.core.rows``) from the JSON body a server would send."""

from __future__ import annotations

from typing import Any

import httpx

from divio_ext.core import rows
from divio_ext.core.logging_ import Redactor
from divio_ext.core.rows import Row, Rows
from divio_ext.models import ServiceInstanceBackup
from divio_ext.resources.selection import LISTED_FIELDS

LISTING = "https://api.divio.com/apps/v3/service-instance-backups/"


def listed_page(
    items: list[dict[str, Any]], count: int | None = None, next_: str | None = None
) -> Rows[ServiceInstanceBackup]:
    """``items`` as one page of the listing, with the fields the rules read."""
    body = {
        "count": len(items) if count is None else count,
        "next": next_,
        "previous": None,
        "results": items,
    }
    response = httpx.Response(200, json=body, request=httpx.Request("GET", LISTING))
    return rows.decode(response, ServiceInstanceBackup, Redactor([]), LISTED_FIELDS)


def listed_row(item: dict[str, Any]) -> Row:
    """``item`` as the row the rules read of it."""
    (read,) = listed_page([item]).results
    return read
