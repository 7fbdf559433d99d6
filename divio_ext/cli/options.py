"""The vocabulary every part of the command line shares: its name, the service types, usage
errors and the parsers of options.

It imports only the standard library, so the parser (``cli/main.py``), the commands and shell
completion can all use it without importing one another.
"""

from __future__ import annotations

import argparse
import math

PROG = "divio-ext"

#: Service types the API knows (``--type`` is matched case-insensitively; others are passed on).
SERVICE_TYPES = ("DATABASE", "STORAGE", "ELASTICSEARCH", "REDIS", "RABBITMQ")
#: What ``--type`` and ``--prefix`` mean when left out: the main database.
DEFAULT_TYPE, DEFAULT_PREFIX = "DATABASE", "DEFAULT"
#: What ``--timeout`` means when left out: seconds to wait at most for each wait.
WAIT_TIMEOUT = 1800.0


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


def service_type(given: str) -> str:
    """``--type``: any case; a known type is spelled as the API spells it."""
    return _spelled(given, f"give a service type: one of {', '.join(SERVICE_TYPES)}")


def service_prefix(given: str) -> str:
    """``--prefix``: any case; an empty one names no service instance, so it is refused."""
    return _spelled(given, "give a service prefix, such as DEFAULT")


def _spelled(given: str, missing: str) -> str:
    """``given`` as the API spells types and prefixes (upper case); empty is ``missing``."""
    upper = given.strip().upper()
    if not upper:
        raise argparse.ArgumentTypeError(missing)
    return upper


def output_path(given: str) -> str:
    """``-o``: a path, or ``-``. An empty one (``-o "$UNSET"``) is refused: it once meant "no
    ``-o``" and wrote under the backup's own name in the current directory."""
    if not given:
        raise argparse.ArgumentTypeError("give a file, a directory, or - for standard output")
    return given


def seconds(given: str) -> float:
    """``--timeout``: a number of seconds, 0 or more (``nan`` and ``inf`` are refused)."""
    try:
        found = float(given)
    except ValueError:
        found = math.nan
    if not math.isfinite(found) or found < 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {given!r}")
    return found
