"""Arguments the workflows take from their callers, checked before any request is sent.

Workflows are called from code that a type checker may never see, and Python lets two mistakes
through quietly: a single name where a list of names is expected is iterated as its characters
(``applications="my-app"`` would look for applications ``m``, ``y``, ...), and a number where a
``timedelta`` is expected fails only later, far from the call. So a single name is read as the
one name it is, and anything else that is not what the workflow takes is refused at the call,
with the argument named (a wrong type is a ``TypeError``; a value that cannot be meant an
:class:`~divio_ext.core.errors.InvalidArgument`, a ``ValueError`` that an ``except DivioError``
catches too). So is an object of the other kind of client (:func:`of_client`,
:func:`client`), and a waiting or transfer option that would fail only once the work runs
(:func:`waiting`, :func:`transfer`).
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Iterable

import httpx

from divio_ext.core.errors import InvalidArgument
from divio_ext.workflows.waiting import PollPolicy


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
    :class:`~divio_ext.core.errors.InvalidArgument`, as a list a script computed empty would
    otherwise check nothing."""
    found = names(argument, given)
    if found == ():
        raise InvalidArgument(f"{argument} names nothing: pass None for all")
    return found


def duration(argument: str, given: object) -> datetime.timedelta:
    """``given`` if it is a ``timedelta`` of zero or more, else a ``TypeError`` or
    :class:`~divio_ext.core.errors.InvalidArgument` naming ``argument``."""
    if not isinstance(given, datetime.timedelta):
        raise TypeError(f"{argument} takes a datetime.timedelta, not {type(given).__name__}")
    if given < datetime.timedelta(0):
        raise InvalidArgument(f"{argument} cannot be negative: {given}")
    return given


def moment(argument: str, given: object) -> datetime.datetime | None:
    """``given`` if it is ``None`` or a ``datetime`` with a time zone, else a ``TypeError`` or
    :class:`~divio_ext.core.errors.InvalidArgument` naming ``argument`` (a naive one cannot be
    compared with the API's times, which would fail only when an age is first read)."""
    if given is None:
        return None
    if not isinstance(given, datetime.datetime):
        raise TypeError(f"{argument} takes a datetime.datetime, not {type(given).__name__}")
    if given.utcoffset() is None:
        raise InvalidArgument(f"{argument} needs a time zone (e.g. datetime.UTC): {given}")
    return given


def of_client(argument: str, given: object, expected: type) -> None:
    """Refuse (``TypeError``, naming ``argument``) ``given`` unless it is an ``expected`` (an
    object bound to the workflow's kind of client), before any request.

    The sync and the async workflows take the objects of their own kind of client. An object of
    the other kind once ran the plan anyway: an async workflow given a ``DivioClient``'s object
    did all its writes (a restore, a backup) and only then failed to await them, so a retry did
    them twice; a sync workflow given an ``AsyncDivioClient``'s sent nothing and returned as if
    it had. The message says where the other kind's workflows are.
    """
    if isinstance(given, expected):
        return
    name, wanted = type(given).__name__, expected.__name__
    if name == wanted:  # the generated model of the same name
        name = f"{type(given).__module__}.{name}"
    hint = ""
    if name == f"Async{wanted}":
        hint = ": an AsyncDivioClient's objects go to divio_ext.workflows.aio"
    elif wanted == f"Async{name}":
        hint = ": a DivioClient's objects go to divio_ext.workflows, not .aio"
    raise TypeError(f"{argument} takes {_a(wanted)}, not {name}{hint}")


def client(given: object, *, asynchronous: bool) -> None:
    """Refuse (``TypeError``) a ``client`` that is not of the kind the workflow runs on (an
    ``AsyncDivioClient`` for ``divio_ext.workflows.aio``, else a ``DivioClient``), told apart
    by its ``run``, before any request, for the reasons :func:`of_client` gives."""
    run = getattr(given, "run", None)
    if callable(run) and inspect.iscoroutinefunction(run) == asynchronous:
        return
    wanted = "AsyncDivioClient" if asynchronous else "DivioClient"
    hint = ""
    if callable(run):
        hint = (
            ": a DivioClient goes to divio_ext.workflows, not .aio"
            if asynchronous
            else ": an AsyncDivioClient goes to divio_ext.workflows.aio"
        )
    raise TypeError(f"client takes {_a(wanted)}, not {type(given).__name__}{hint}")


def waiting(policy: object, on_progress: object) -> None:
    """Refuse (``TypeError``) a ``policy`` that is not a ``PollPolicy`` or an ``on_progress``
    that cannot be called, before the request that starts the work: they are first used while
    it is waited for, when the work (a backup, a restore, a deployment) is already running."""
    if policy is not None and not isinstance(policy, PollPolicy):
        raise TypeError(f"policy takes a PollPolicy, not {type(policy).__name__}")
    _callback("on_progress", on_progress)


def transfer(*, attempts: object, http: object, asynchronous: bool, **callbacks: object) -> None:
    """Refuse what a file transfer (a pull, or the copy ``restore_to`` makes) would fail on only
    once it runs, after the download was prepared, and for a copy after an upload backup was
    created in the target: a callback (``on_transfer``, ``on_upload``) that cannot be called,
    ``attempts`` that are not a whole number of 1 or more (``TypeError``, or
    :class:`~divio_ext.core.errors.InvalidArgument`), and an ``http`` client of the other kind
    (an ``httpx.AsyncClient`` for ``divio_ext.workflows.aio``, else an ``httpx.Client``)."""
    for name, callback in callbacks.items():
        _callback(name, callback)
    if isinstance(attempts, bool) or not isinstance(attempts, int):
        raise TypeError(f"attempts takes an int, not {type(attempts).__name__}")
    if attempts < 1:
        raise InvalidArgument(f"attempts must be 1 or more, not {attempts}")
    wanted = httpx.AsyncClient if asynchronous else httpx.Client
    if http is not None and not isinstance(http, wanted):
        raise TypeError(f"http takes an httpx.{wanted.__name__}, not {type(http).__name__}")


def _callback(argument: str, given: object) -> None:
    """Refuse (``TypeError``) a callback that cannot be called (``None``: none)."""
    if given is not None and not callable(given):
        raise TypeError(f"{argument} takes a function, not {type(given).__name__}")


def _a(name: str) -> str:
    """``name`` with its indefinite article."""
    return f"{'an' if name[:1] in 'AEIOU' else 'a'} {name}"
