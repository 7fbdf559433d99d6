"""Whether a parsed model holds what its required fields declare.

The generated parsers check that a required field is there, not what it holds: ``"uuid": 5``
or ``"service_instance": {...}`` reach the model as sent, and code that files items by id then
fails with a bare ``TypeError``, or quietly files every item under ``None``. The required fields
of the spec are ids (strings), a page's ``count`` (an integer) and ``results`` (a list of
models): so checking them costs little, and cannot refuse a body the API documents. The seam
(:mod:`.operations`) checks every success model it returns; a body that fails is a
``ResponseDecodeError``, like any other body the models cannot read.

Optional fields are left as the generated parsers leave them (a timestamp they cannot read stays
the server's string): the rules that read them (``divio_ext.resources.selection``) treat such a
value as absent, so one odd field does not stop an answer.
"""

from __future__ import annotations

import functools
import sys
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import attrs
import divio_api.models
from attrs import AttrsInstance

#: The field types a required field is checked for, and the exact types of a JSON value that
#: fit each (JSON gives no subclasses; ``true`` is not a count, and ``1`` is a number).
_FITS: dict[Any, tuple[type[Any], ...]] = {
    str: (str,),
    int: (int,),
    float: (float, int),
    bool: (bool,),
}


class GeneratedModels(Mapping[str, Any]):
    """The generated models by name, imported only when an annotation names one.

    Generated models import each other only for the type checker, so their annotations are
    resolved with this mapping in scope; the ``models`` package imports each model on first use.
    """

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(divio_api.models, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(divio_api.models.__all__)

    def __len__(self) -> int:
        return len(divio_api.models.__all__)


def hints(model: type[Any]) -> dict[str, Any]:
    """The resolved annotations of a generated model."""
    return typing.get_type_hints(model, vars(sys.modules[model.__module__]), GeneratedModels())


_MISSING = object()


@dataclass(frozen=True)
class _Shape:
    """The required fields of one model that are checked: plain values and lists of models."""

    plain: tuple[tuple[str, type[Any], tuple[type[Any], ...]], ...]
    lists: tuple[tuple[str, type[AttrsInstance] | None], ...]


@functools.cache
def _shape(model: type[AttrsInstance]) -> _Shape:
    plain: list[tuple[str, type[Any], tuple[type[Any], ...]]] = []
    lists: list[tuple[str, type[AttrsInstance] | None]] = []
    annotations = hints(model)
    for field in attrs.fields(model):
        if field.default is not attrs.NOTHING:
            continue  # optional (``UNSET``) or ``additional_properties``
        hint = annotations[field.name]
        if hint in _FITS:
            plain.append((field.name, hint, _FITS[hint]))
        elif typing.get_origin(hint) is list:
            (item,) = typing.get_args(hint)
            lists.append((field.name, item if attrs.has(item) else None))
    return _Shape(tuple(plain), tuple(lists))


def required_plain(
    model: type[AttrsInstance],
) -> tuple[tuple[str, type[Any], tuple[type[Any], ...]], ...]:
    """The required plain fields of ``model`` that are checked: name, declared type, the JSON
    types that fit it."""
    return _shape(model).plain


def required_lists(
    model: type[AttrsInstance],
) -> tuple[tuple[str, type[AttrsInstance] | None], ...]:
    """The required list fields of ``model``: name, and the model of their items if they are
    models."""
    return _shape(model).lists


def row_mismatch(model: type[AttrsInstance], row: dict[str, Any]) -> str | None:
    """Where a JSON object does not hold what ``model``'s required fields declare (read by
    their names, :mod:`.rows` having checked that they are the JSON keys); ``None`` if it does.

    Required lists are checked to be lists, and their objects checked in turn.
    """
    shape = _shape(model)
    for name, kind, fits in shape.plain:
        found = row.get(name, _MISSING)
        if type(found) not in fits:
            what = (
                "missing" if found is _MISSING else f"{type(found).__name__}, not {kind.__name__}"
            )
            return f"{name} is {what}"
    for name, item_model in shape.lists:
        items = row.get(name, _MISSING)
        if type(items) is not list:
            return (
                f"{name} is {'missing' if items is _MISSING else type(items).__name__}, not a list"
            )
        if item_model is None:
            continue
        for index, item in enumerate(items):
            if type(item) is not dict:
                return f"{name}[{index}] is {type(item).__name__}, not an object"
            if (problem := row_mismatch(item_model, item)) is not None:
                return f"{name}[{index}].{problem}"
    return None


def mismatch(parsed: object) -> str | None:
    """Where ``parsed`` does not hold what its required fields declare; ``None`` if it does.

    The answer names the model, the field and the type found, never the value (which a hostile
    server chose). Lists of models are checked item by item, inline: a page of a listing is the
    common case and the costly one.
    """
    model = type(parsed)
    if not attrs.has(model):
        return None
    shape = _shape(model)
    for name, kind, fits in shape.plain:
        found = getattr(parsed, name)
        if type(found) not in fits:
            return f"{model.__name__}.{name} is {type(found).__name__}, not {kind.__name__}"
    for name, item_model in shape.lists:
        items = getattr(parsed, name)
        if type(items) is not list:
            return f"{model.__name__}.{name} is {type(items).__name__}, not a list"
        if item_model is None:
            continue
        inner = _shape(item_model)
        for index, item in enumerate(items):
            for field, kind, fits in inner.plain:
                found = getattr(item, field)
                if type(found) not in fits:
                    where = f"{model.__name__}.{name}[{index}].{field}"
                    return f"{where} is {type(found).__name__}, not {kind.__name__}"
            if inner.lists and (problem := mismatch(item)) is not None:
                return f"{model.__name__}.{name}[{index}]: {problem}"
    return None
