"""A page of a list operation as checked JSON rows, for listings too long to model item by item.

The seam (:mod:`.operations`) returns generated models, which is right for nearly every call. A
question that reads a long history only to keep a handful of it (the latest usable backup among
50 000 service-instance backups) pays for every model it throws away: building them was about a
fifth of the fleet status's client CPU (``python -m bench --only fleet``). Here the generated
operation still builds the request (its ``_get_kwargs``, the same function its
``sync_detailed`` sends) and the policy client sends it, but the body is decoded once and its
items stay the server's JSON objects. They are checked as the seam checks a model
(:mod:`.conformance`): the page's ``count`` and ``results``, and each item's required fields.
:meth:`Rows.model` builds the generated model of an item the caller keeps.

Reading a row's optional fields is the caller's business: it reads them by their API names
(service-instance backups: api-notes §6.5), as the generated model would (a timestamp it cannot
read counts as none).

The body is decoded with orjson, in about half the time of ``json.loads`` (the seam's parser,
through httpx): a page's decoding is a fifth of its client CPU, in the part of a fleet status
that client CPU bounds. orjson reads RFC 8259 JSON only, which is all a DRF server writes: a body
with ``NaN``, a lone surrogate or a byte-order mark is refused here as not JSON, and an integer
beyond 64 bits is read as a float (a ``count`` is then refused; a ``size`` shows as unknown).
It refuses JSON nested deeper than 1024 levels itself, without recursion, so the HTTP layer's
count of brackets (:func:`~divio_ext.core.http.too_deeply_nested`, for Python's parser) is
skipped for these bodies: two passes over each page, a tenth of a page's decoding time.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import httpx
import orjson
from divio_api.client import AuthenticatedClient

from . import conformance
from .errors import OperationUnavailable, decode_error
from .http import call_scope
from .logging_ import Redactor
from .operations import PARSE_ERRORS, decode_failure, parse_or_failure
from .operations import item_model as listed_item
from .retry import RetryPolicy

T = TypeVar("T")
#: An item of a page as the server sent it: a JSON object whose required fields were checked.
Row = dict[str, Any]


@dataclass(frozen=True)
class Rows(Generic[T]):
    """One page of a list operation: its ``count``, ``next`` and items as checked JSON rows.

    ``model(row)`` is the generated model of one of its rows (a row that model cannot read
    raises :class:`~divio_ext.errors.ResponseDecodeError`, like any body the seam returns).
    """

    count: int
    next_: object
    results: list[Row]
    model: Callable[[Row], T] = field(repr=False)

    def models(self) -> list[T]:
        """Every row as its generated model."""
        return [self.model(row) for row in self.results]


def empty(item_model: type[T]) -> Rows[T]:
    """A page without items (a listing that shrank below a page asked for)."""
    return Rows(0, None, [], item_model.from_dict)  # type: ignore[attr-defined]


@functools.cache
def item_model(operation: types.ModuleType) -> type[Any]:
    """The item model of a page-number list operation whose rows can be read here.

    Refused (:class:`~divio_ext.errors.OperationUnavailable`) when the operation does not list
    a model, or when that model's required fields are not its JSON keys (the generated parser
    reads each required field by the key the spec gives; a regenerated spec that renamed one
    would otherwise make every row fail its check).
    """
    model = listed_item(operation)
    if model is None or not hasattr(model, "from_dict"):
        raise OperationUnavailable(f"{operation.__name__} is not a list of models")
    required = {name: f"<{name}>" for name, _, _ in conformance.required_plain(model)}
    try:
        parsed = model.from_dict(required)
    except PARSE_ERRORS:
        parsed = None
    if parsed is None or any(getattr(parsed, name) != value for name, value in required.items()):
        raise OperationUnavailable(
            f"{model.__name__}: its required fields are not its JSON keys, so its rows cannot "
            "be checked; read this listing through the models"
        )
    return model


def invoke(
    generated: AuthenticatedClient,
    operation: types.ModuleType,
    arguments: dict[str, Any],
    *,
    retry: RetryPolicy | None,
    redact: Redactor,
) -> Rows[Any]:
    """One page of a list operation, synchronously, as :class:`Rows`."""
    model = item_model(operation)
    with call_scope(retry, parser_limits_depth=True):
        response = generated.get_httpx_client().request(**operation._get_kwargs(**arguments))
    return decode(response, model, redact)


async def ainvoke(
    generated: AuthenticatedClient,
    operation: types.ModuleType,
    arguments: dict[str, Any],
    *,
    retry: RetryPolicy | None,
    redact: Redactor,
) -> Rows[Any]:
    """The same, awaited."""
    model = item_model(operation)
    with call_scope(retry, parser_limits_depth=True):
        client = generated.get_async_httpx_client()
        response = await client.request(**operation._get_kwargs(**arguments))
    return decode(response, model, redact)


def decode(response: httpx.Response, model: type[T], redact: Redactor) -> Rows[T]:
    """The page a success response holds, every required field checked.

    A body that is not such a page is a ``ResponseDecodeError`` naming what is wrong (the
    field and the type found, never the value).
    """
    problem: str | None
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError as error:  # said below, without chaining the parser's text
        problem, body = f"{type(error).__name__}: {error}", None
    else:
        problem = page_mismatch(body, model)
    if problem is not None:
        raise decode_error(response, problem, scrub=redact)
    return Rows(body["count"], body.get("next"), body["results"], _reader(response, model, redact))


def page_mismatch(body: object, model: type[Any]) -> str | None:
    """Where ``body`` is not a page of ``model`` items; ``None`` if it is."""
    page = f"a page of {model.__name__}"
    if type(body) is not dict:
        return f"{page} is {type(body).__name__}, not an object"
    count, results = body.get("count"), body.get("results")
    if type(count) is not int:
        return f"{page}: count is {type(count).__name__}, not int"
    if type(results) is not list:
        return f"{page}: results is {type(results).__name__}, not a list"
    for index, row in enumerate(results):
        if type(row) is not dict:
            return f"{page}: results[{index}] is {type(row).__name__}, not an object"
        if (problem := conformance.row_mismatch(model, row)) is not None:
            return f"{page}: results[{index}].{problem}"
    return None


def _reader(response: httpx.Response, model: type[T], redact: Redactor) -> Callable[[Row], T]:
    """How a row of ``response`` becomes its model: any failure is a ``ResponseDecodeError``."""

    def read(row: Row) -> T:
        parsed = parse_or_failure(lambda: model.from_dict(row))  # type: ignore[attr-defined]
        if isinstance(parsed, Exception):
            raise decode_failure(response, parsed, redact)
        if (problem := conformance.mismatch(parsed)) is not None:
            raise decode_error(response, problem, scrub=redact)
        return cast(T, parsed)

    return read
