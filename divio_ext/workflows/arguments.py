"""Arguments the workflows take from their callers, checked before any request is sent.

Workflows are called from code that a type checker may never see, and Python lets two mistakes
through quietly: a single name where a list of names is expected is iterated as its characters
(``applications="my-app"`` would look for applications ``m``, ``y``, ...), and a number where a
``timedelta`` is expected fails only later, far from the call. So a single name is read as the
one name it is, and anything else that is not what the workflow takes is refused at the call,
with the argument named.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable


def names(argument: str, given: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """``given`` as a tuple of names (``None`` stays ``None``: no narrowing); a single string is
    one name, not its characters. Anything but strings is a ``TypeError`` naming ``argument``."""
    if given is None:
        return None
    if isinstance(given, bytes) or not isinstance(given, str | Iterable):
        raise TypeError(f"{argument} takes a name (str) or names, not {type(given).__name__}")
    found = (given,) if isinstance(given, str) else tuple(given)
    wrong = [item for item in found if not isinstance(item, str)]
    if wrong:
        raise TypeError(f"{argument} takes names (str), not {type(wrong[0]).__name__}")
    return found


def narrowing(argument: str, given: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """:func:`names` for an argument that narrows a check (``None``: all): an empty list is a
    ``ValueError``, as a list a script computed empty would otherwise check nothing."""
    found = names(argument, given)
    if found == ():
        raise ValueError(f"{argument} names nothing: pass None for all")
    return found


def duration(argument: str, given: object) -> datetime.timedelta:
    """``given`` if it is a ``timedelta`` of zero or more, else a ``TypeError`` or ``ValueError``
    naming ``argument``."""
    if not isinstance(given, datetime.timedelta):
        raise TypeError(f"{argument} takes a datetime.timedelta, not {type(given).__name__}")
    if given < datetime.timedelta(0):
        raise ValueError(f"{argument} cannot be negative: {given}")
    return given


def moment(argument: str, given: object) -> datetime.datetime | None:
    """``given`` if it is ``None`` or a ``datetime`` with a time zone, else a ``TypeError`` or
    ``ValueError`` naming ``argument`` (a naive one cannot be compared with the API's times,
    which would fail only when an age is first read)."""
    if given is None:
        return None
    if not isinstance(given, datetime.datetime):
        raise TypeError(f"{argument} takes a datetime.datetime, not {type(given).__name__}")
    if given.utcoffset() is None:
        raise ValueError(f"{argument} needs a time zone (e.g. datetime.UTC): {given}")
    return given
