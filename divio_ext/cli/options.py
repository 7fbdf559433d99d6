"""The vocabulary every part of the command line shares: its name, the service types, usage
errors and the ``--type`` parser.

It imports only the standard library, so the parser (``cli/main.py``), the commands and shell
completion can all use it without importing one another.
"""

from __future__ import annotations

import argparse

PROG = "divio-ext"

#: Service types the API knows (``--type`` is matched case-insensitively; others are passed on).
SERVICE_TYPES = ("DATABASE", "STORAGE", "ELASTICSEARCH", "REDIS", "RABBITMQ")
#: What ``--type`` and ``--prefix`` mean when left out: the main database.
DEFAULT_TYPE, DEFAULT_PREFIX = "DATABASE", "DEFAULT"


class UsageError(Exception):
    """A problem with the command line itself (exit code 2)."""


def service_type(given: str) -> str:
    """``--type``: any case; a known type is spelled as the API spells it."""
    upper = given.strip().upper()
    if not upper:
        raise argparse.ArgumentTypeError(f"give a service type: one of {', '.join(SERVICE_TYPES)}")
    return upper
