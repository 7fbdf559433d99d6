"""The client the global options describe: ``--token-file``, ``--zone``, ``--base-url``,
``--retries``, ``--deadline`` and ``--read-only``.

Used by the commands that talk to the API and by shell completion. It imports the client only
when one is made, so that ``--help`` and completion scripts stay fast.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from divio_ext.cli.format import reason
from divio_ext.cli.options import PROG, UsageError

if TYPE_CHECKING:
    from divio_ext.resources.client import DivioClient

#: Shown when no token is found: the ways a command-line user can give one.
HOW_TO_LOG_IN = (
    "no Divio API token found: pass --token-file FILE, set DIVIO_API_TOKEN, or run "
    "`divio login` (the Divio CLI stores the token in ~/.netrc as machine control.{zone})"
)


class MissingToken(Exception):
    """No token was given or found (exit code 4, like a rejected one)."""


def _token(args: argparse.Namespace) -> str | None:
    """``--token-file``, else (with ``--zone``) the token the client would find for that zone."""
    if args.token_file is not None:
        from divio_ext.core.config import Secret, clean_token

        try:  # "-sig": a byte-order mark, as Windows editors write one, is not part of it
            text = args.token_file.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise UsageError(f"{PROG}: error: cannot read --token-file: {reason(error)}") from None
        except UnicodeDecodeError:  # its text is never quoted: it may be the token
            raise UsageError(
                f"{PROG}: error: cannot read --token-file: it is not UTF-8 text (PowerShell 5 "
                "writes UTF-16 by default: use Set-Content -Encoding ascii)"
            ) from None
        return clean_token(Secret(text), "--token-file").reveal()
    if args.zone is None:
        return None
    import dataclasses

    from divio_ext.core.config import Sources, resolve_token

    sources = dataclasses.replace(Sources.read(os.environ), zone=args.zone)
    secret, _, _ = resolve_token(None, sources)
    return None if secret is None else secret.reveal()


def make_client(args: argparse.Namespace) -> DivioClient:
    """The client the global options describe; it refuses to start without a token.

    For commands registered with ``plain=True`` that need a client.
    """
    from divio_ext.core.retry import RetryPolicy
    from divio_ext.resources.client import DivioClient

    base_url = args.base_url
    if base_url is None and args.zone is not None:
        base_url = f"https://api.{args.zone.strip()}"
    retry = RetryPolicy.from_environment(retries=args.retries, deadline=args.deadline)
    client = DivioClient(
        token=_token(args), base_url=base_url, read_only=args.read_only or None, retry=retry
    )
    settings = client.settings
    if settings.token is None:
        client.close()
        message = HOW_TO_LOG_IN.format(zone=args.zone or settings.zone)
        if settings.token_problem:
            message += f"; note: {settings.token_problem}"
        raise MissingToken(message)
    return client
