"""Helpers every handler uses: visibility-aware lookups, filtered selections, responses.

Visibility is DRF's queryset filtering: objects of other organisations do not exist for the
caller (404 on detail, absent from lists, "does not exist" in bodies).
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from starlette.responses import Response

from divio_sandbox.context import Context
from divio_sandbox.pagination import paginate, paginate_encoded
from divio_sandbox.responses import JSON, json_response, not_found
from divio_sandbox.routing import ApiRequest
from divio_sandbox.table import Table


class Owned(Protocol):
    @property
    def uuid(self) -> str: ...

    @property
    def organisation(self) -> str: ...


OwnedT = TypeVar("OwnedT", bound=Owned)


def lookup(ctx: Context, table: Table[OwnedT]) -> Callable[[str], OwnedT | None]:
    """A lookup that finds only objects of the caller's organisations."""

    def find(uuid: str) -> OwnedT | None:
        row = table.get(uuid)
        return row if row is not None and ctx.can_see(row.organisation) else None

    return find


def get_or_404(ctx: Context, table: Table[OwnedT], uuid: str, model: str) -> OwnedT:
    row = lookup(ctx, table)(uuid)
    if row is None:
        raise not_found(model)
    return row


def select(
    ctx: Context,
    table: Table[OwnedT],
    parents: Mapping[str, tuple[str | None, Table[Any]]],
    where: Callable[[OwnedT], bool] | None = None,
) -> Sequence[str]:
    """Uuids of the caller's rows whose reference fields equal the given parents.

    ``parents`` maps a field to (filter value or None, the table it refers to). A parent the
    caller cannot see matches nothing; a visible one implies visibility of its children, so
    the filtered index can be sliced directly (O(page)).
    """
    equals: dict[str, str] = {}
    for name, (value, parent_table) in parents.items():
        if value is None:
            continue
        parent = parent_table.get(value)
        if parent is None or not ctx.can_see(parent.organisation):
            return []
        equals[name] = value
    if not equals:
        orgs = ctx.user.organisations
        if len(orgs) == 1:
            equals["organisation"] = next(iter(orgs))
        else:
            inner = where
            where = lambda row: row.organisation in orgs and (inner is None or inner(row))  # noqa: E731
    return table.select(equals, where)


def page(
    ctx: Context, req: ApiRequest, uuids: Sequence[str], render: Callable[[str], Any]
) -> Response:
    return json_response(paginate(req.url, req.query, uuids, render))


def encoded_page(req: ApiRequest, uuids: Sequence[str], encode: Callable[[str], bytes]) -> Response:
    """``page`` for items whose JSON is at hand already (the same bytes, assembled)."""
    return Response(paginate_encoded(req.url, req.query, uuids, encode), 200, media_type=JSON)


def ok(data: Any) -> Response:
    return json_response(data)


def created(data: Any) -> Response:
    return json_response(data, 201)


def param(ctx: Context, req: ApiRequest, name: str, *, unconfirmed: bool = False) -> str | None:
    """A query filter's value (empty means absent, as in django-filter).

    Filters no public source confirms (api-notes §4.3) vanish in ``ignore_filters`` mode, as on
    a server that lacks them: DRF silently ignores unknown query parameters.
    """
    if unconfirmed and ctx.knobs.ignore_filters:
        return None
    value = req.query.get(name)
    return value if value else None
