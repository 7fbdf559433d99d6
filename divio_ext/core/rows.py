"""A page of a list operation as checked rows, for listings too long to model item by item.

The seam (:mod:`.operations`) returns generated models, which is right for nearly every call. A
question that reads a long history only to keep a handful of it (the latest usable backup among
50 000 service-instance backups) pays for every model it throws away: building them was about a
fifth of the fleet status's client CPU (``python -m bench --only fleet``). Here the generated
operation still builds the request (its ``_get_kwargs``, the same function its
``sync_detailed`` sends) and the policy client sends it, but each item is decoded into a row
holding only what the question reads: the model's required fields, checked as the seam checks
a model (:mod:`.conformance`), and the optional fields the caller names, as the server sent
them (``None`` when absent or null). :meth:`Rows.model` builds the generated model of an item
the caller keeps, from the whole item the server sent.

Reading an optional field is the caller's business: it names the fields by their API names
(service-instance backups: api-notes §6.5) and reads them as the generated model would (a
timestamp it cannot read counts as none). A name the model does not have is refused when the
operation is first read, so a regenerated spec that renamed a field fails loudly rather than
reading ``None`` from every row.

The body is decoded by msgspec straight into those rows (:func:`row_type`): the required fields'
types are checked as it reads them, the fields no one reads are skipped, and a row is not an
object Python's collector tracks. Decoding each page into dictionaries first (orjson, as before),
then checking and reading them, took half as long again: reducing the 409 pages of a
50 000-backup fleet status on one thread took 97-104 ms that way and 67-70 ms this way (the
fastest of 15 runs, in three processes each). A failing check costs a
second decode of that page, into dictionaries, only to name the field and the type found (never
the value) as the seam would. msgspec reads RFC 8259 JSON only, which is all a DRF server
writes: a body with ``NaN``, a lone surrogate or a byte-order mark is refused here as not JSON;
integers of any size are read as Python's parser reads them. It stops at Python's recursion
limit, as Python's parser does, with a ``RecursionError`` that is refused here as nesting too
deep; so the HTTP layer's count of brackets (:func:`~divio_ext.core.http.too_deeply_nested`),
a second pass over each page, is skipped for these bodies.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import attrs
import httpx
import msgspec
from attrs import AttrsInstance
from divio_api.client import AuthenticatedClient

from . import conformance
from .errors import OperationUnavailable, decode_error
from .http import NESTED_TOO_DEEPLY, call_scope
from .logging_ import Redactor
from .operations import PARSE_ERRORS, decode_failure, parse_or_failure
from .operations import item_model as listed_item
from .retry import RetryPolicy

T = TypeVar("T")
#: An item of a page: a frozen msgspec struct whose attributes are the model's required fields
#: (checked) and the optional fields the caller named (the server's JSON values, ``None`` when
#: absent). Its type is made at run time from the generated model (:func:`row_type`).
Row = Any
#: The optional fields a caller reads from each row, by their API names.
Fields = tuple[str, ...]


@dataclass(frozen=True)
class Rows(Generic[T]):
    """One page of a list operation: its ``count``, ``next`` and items as checked rows.

    ``model(index)`` is the generated model of the item at ``index``, read from the whole item
    the server sent (one that model cannot read raises
    :class:`~divio_ext.errors.ResponseDecodeError`, like any body the seam returns).
    """

    count: int
    next_: object
    results: list[Row]
    model: Callable[[int], T] = field(repr=False)

    def models(self) -> list[T]:
        """Every item as its generated model."""
        return [self.model(index) for index in range(len(self.results))]


def empty(item_model: type[T]) -> Rows[T]:
    """A page without items (a listing that shrank below a page asked for)."""
    return Rows(0, None, [], _no_items)


def _no_items(index: int) -> Any:
    raise IndexError(f"an empty page has no item {index}")


@functools.cache
def item_model(operation: types.ModuleType) -> type[AttrsInstance]:
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


@functools.cache
def row_type(model: type[AttrsInstance], fields: Fields = ()) -> type[msgspec.Struct]:
    """The row of ``model``'s items that holds its required fields and ``fields``.

    A required field is declared with its JSON type (:mod:`.conformance`), so msgspec checks
    it; a required list is declared a list, its items checked afterwards. A named field is any
    JSON value. Refused (:class:`~divio_ext.errors.OperationUnavailable`) when ``model`` has no
    field of a name in ``fields``.
    """
    unknown = [name for name in fields if name not in attrs.fields_dict(model)]
    if unknown:
        raise OperationUnavailable(
            f"{model.__name__} has no field {', '.join(unknown)}: the spec has changed; "
            "update the code that reads it"
        )
    declared: list[tuple[str, Any] | tuple[str, Any, Any]] = [
        (name, kind) for name, kind, _ in conformance.required_plain(model)
    ]
    declared += [(name, list[Any]) for name, _ in conformance.required_lists(model)]
    named = {spec[0] for spec in declared}
    declared += [(name, Any, None) for name in fields if name not in named]
    return msgspec.defstruct(f"{model.__name__}Row", declared, frozen=True, gc=False)


@functools.cache
def _decoder(model: type[AttrsInstance], fields: Fields) -> msgspec.json.Decoder[Any]:
    """Reads a page of ``model`` rows: ``count``, ``results`` and ``next``, nothing else."""
    rows = types.GenericAlias(list, (row_type(model, fields),))
    page = msgspec.defstruct(
        f"{model.__name__}RowsPage",
        [("count", int), ("results", rows), ("next", Any, None)],
        gc=False,
    )
    return msgspec.json.Decoder(page)


def invoke(
    generated: AuthenticatedClient,
    operation: types.ModuleType,
    arguments: dict[str, Any],
    *,
    fields: Fields,
    retry: RetryPolicy | None,
    redact: Redactor,
) -> Rows[Any]:
    """One page of a list operation, synchronously, as :class:`Rows`."""
    model = item_model(operation)
    row_type(model, fields)  # a field the model lacks is refused before anything is sent
    with call_scope(retry, parser_limits_depth=True):
        response = generated.get_httpx_client().request(**operation._get_kwargs(**arguments))
    return decode(response, model, redact, fields)


async def ainvoke(
    generated: AuthenticatedClient,
    operation: types.ModuleType,
    arguments: dict[str, Any],
    *,
    fields: Fields,
    retry: RetryPolicy | None,
    redact: Redactor,
) -> Rows[Any]:
    """The same, awaited."""
    model = item_model(operation)
    row_type(model, fields)
    with call_scope(retry, parser_limits_depth=True):
        client = generated.get_async_httpx_client()
        response = await client.request(**operation._get_kwargs(**arguments))
    return decode(response, model, redact, fields)


def decode(
    response: httpx.Response, model: type[T], redact: Redactor, fields: Fields = ()
) -> Rows[T]:
    """The page a success response holds, every required field checked.

    A body that is not such a page is a ``ResponseDecodeError`` naming what is wrong (the
    field and the type found, never the value).
    """
    rows_of = cast("type[AttrsInstance]", model)
    problem: str | None
    try:
        page = _decoder(rows_of, fields).decode(response.content)
    except msgspec.ValidationError:  # said below, without chaining the parser's text
        problem = _refused(response.content, model)
    except (msgspec.DecodeError, RecursionError) as error:
        problem = _unreadable(error)
    else:
        # The items of required lists, if any, are checked on the page as dictionaries.
        lists = conformance.required_lists(rows_of)
        problem = page_mismatch(msgspec.json.decode(response.content), model) if lists else None
        if problem is None:
            return Rows(page.count, page.next, page.results, _reader(response, model, redact))
    raise decode_error(response, problem, scrub=redact)


def _refused(content: bytes, model: type[Any]) -> str:
    """What is wrong with a page msgspec refused, in the seam's words (decoded again, into
    dictionaries, only to say so)."""
    try:
        body = msgspec.json.decode(content)
    except (msgspec.DecodeError, RecursionError) as error:
        return _unreadable(error)
    return page_mismatch(body, model) or f"a page of {model.__name__} that cannot be read"


def _unreadable(error: msgspec.DecodeError | RecursionError) -> str:
    """Why msgspec could not read a body at all: not JSON, or nested past the recursion limit."""
    if isinstance(error, RecursionError):
        return NESTED_TOO_DEEPLY
    return f"not JSON: {error}"


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


class _Items(msgspec.Struct, gc=False):
    """A page's items, each kept as the JSON text the server sent (not decoded)."""

    results: list[msgspec.Raw]


_ITEMS = msgspec.json.Decoder(_Items)


def _reader(response: httpx.Response, model: type[T], redact: Redactor) -> Callable[[int], T]:
    """How an item of ``response`` becomes its model: the first time one is asked for, the page
    is split into its items' JSON texts (a third of the time of decoding it, and nothing for
    the collector to track); each item asked for is then decoded alone. Any failure is a
    ``ResponseDecodeError``."""
    items: list[msgspec.Raw] = []

    def read(index: int) -> T:
        if not items:
            items.extend(_ITEMS.decode(response.content).results)
        item = msgspec.json.decode(items[index])
        parsed = parse_or_failure(lambda: model.from_dict(item))  # type: ignore[attr-defined]
        if isinstance(parsed, Exception):
            raise decode_failure(response, parsed, redact)
        if (problem := conformance.mismatch(parsed)) is not None:
            raise decode_error(response, problem, scrub=redact)
        return cast(T, parsed)

    return read
