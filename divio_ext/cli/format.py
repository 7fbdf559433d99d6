"""How the command shows things: aligned tables for people, plain JSON values for scripts.

Names, statuses, URLs and error messages come from the server. Printed raw, an ESC could move
the cursor or retitle the window, a CR rewrite the line, BEL ring, a bidi override reorder what
is read: so every text for people goes through ``visible``, which shows such characters as
escapes (``\x1b``). JSON output needs nothing: ``json.dumps`` escapes them itself.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
from collections.abc import Sequence

_UNITS = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB")
#: Shown for a value the server did not give.
MISSING = "-"
#: Shown for the value of a sensitive variable, which the API does not reveal.
HIDDEN = "(hidden by the API)"
#: A name a .env line can hold without quotes (python-dotenv, docker compose, shells).
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
#: C0 and C1 control characters, DEL, and the bidirectional embeddings, overrides and isolates.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, keep: str = "") -> str:
    """``text`` with control characters shown as escapes; those in ``keep`` are left as they are.

    ``keep="\\n"`` is for multi-line blocks that this program itself lays out.
    """

    def escape(found: re.Match[str]) -> str:
        char = found.group()
        return char if char in keep else char.encode("unicode_escape").decode("ascii")

    return _INVISIBLE.sub(escape, text)


def reason(error: OSError) -> str:
    """Why an ``OSError`` happened, for a one-line message: its text (``No space left on
    device``), or its kind when it has none."""
    return error.strerror or type(error).__name__


def human_size(size: int | None) -> str:
    """``1288490188`` -> ``"1.2 GiB"``; binary units, one decimal above bytes."""
    if size is None:
        return MISSING
    amount = float(size)
    for unit in _UNITS:
        if amount < 1024 or unit == _UNITS[-1]:
            return f"{size} bytes" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def when(moment: datetime.datetime | None) -> str:
    """A timestamp for people: UTC, to the second, e.g. ``2026-03-01 02:00:13 UTC``."""
    if moment is None:
        return MISSING
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def iso(moment: datetime.datetime | None) -> str | None:
    """A timestamp for scripts: ISO 8601 in UTC with ``Z``, or ``None``."""
    if moment is None:
        return None
    text = moment.astimezone(datetime.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def cell(value: object) -> str:
    """One table cell: ``None`` as ``-``, booleans as yes/no, control characters escaped."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return visible(str(value))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns aligned with two spaces between them; a header line; no trailing spaces."""
    cells = [list(headers), *([cell(value) for value in row] for row in rows)]
    widths = [max(len(line[index]) for line in cells) for index in range(len(headers))]
    lines = [
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True))
        for line in cells
    ]
    return "\n".join(line.rstrip() for line in lines)


def pairs(items: Sequence[tuple[str, object]]) -> str:
    """A two-column "label  value" block for a single object."""
    labels = [visible(label) for label, _ in items]
    width = max((len(label) for label in labels), default=0)
    return "\n".join(
        f"{label.ljust(width)}  {cell(value)}".rstrip()
        for label, (_, value) in zip(labels, items, strict=True)
    )


def dotenv_value(value: str) -> str:
    """``value`` in single quotes, as python-dotenv reads it back unchanged.

    Single quotes, because inside them ``$``, ``#``, double quotes and newlines are plain
    characters (a newline stays a real newline within the quotes); only the backslash and the
    single quote need a backslash. python-dotenv's own ``set_key`` writes values the same way.
    Note that python-dotenv expands ``${NAME}`` even in single quotes unless read with
    ``interpolate=False``.
    """
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def dotenv(variables: Sequence[tuple[str, str | None]]) -> str:
    """A .env file of ``(name, value)`` pairs; a ``None`` value (hidden) becomes a comment.

    The file says which variables it leaves out and why, so that nobody mistakes it for the
    whole environment.
    """
    lines: list[str] = []
    hidden = [name for name, value in variables if value is None]
    if hidden:
        lines.append(f"# {len(hidden)} sensitive variable(s) left out: the API hides their values")
    for name, value in variables:
        key = name if _PLAIN_NAME.fullmatch(name) else dotenv_value(name)
        if value is None:
            lines.append(f"# {visible(key)}=  (sensitive: hidden by the API)")
        else:
            lines.append(f"{key}={dotenv_value(value)}")
    return "\n".join(lines)


#: An age as people type it: a number with a unit (s, m, h, d, w; bare numbers are seconds).
_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw]?)")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_age(text: str) -> datetime.timedelta | None:
    """``"24h"`` -> 24 hours; ``"90m"``, ``"2d"``, ``"1w"``, ``"3600"`` (seconds); else None
    (also for an age longer than a ``timedelta`` holds)."""
    found = _AGE.fullmatch(text.strip().lower())
    if found is None:
        return None
    try:
        return datetime.timedelta(seconds=float(found.group(1)) * _SECONDS[found.group(2)])
    except OverflowError:  # beyond timedelta's 999 999 999 days
        return None


def parse_duration(text: str) -> datetime.timedelta:
    """An age that must be one (``--max-age``).

    Anything else raises ``argparse.ArgumentTypeError``, whose message argparse prints as it
    is (for a ``ValueError`` it prints the function's name instead).
    """
    found = parse_age(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 36h, 90m, 2d)")
    return found


def json_text(data: object) -> str:
    """``--json`` output: indented, keys sorted, so that two runs compare line by line."""
    return json.dumps(data, indent=2, sort_keys=True)
