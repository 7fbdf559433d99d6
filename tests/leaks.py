"""The secrets of the sandbox's file transfers, and everything an exception tells, for the tests
that check that a secret shows nowhere."""

from __future__ import annotations

import traceback
from urllib.parse import quote

import httpx

from divio_sandbox import Sandbox
from divio_sandbox.control import download_signature


def download_secrets(sb: Sandbox) -> set[str]:
    """Every backup download URL the sandbox handed out, and the signature each one's
    redirect target carries (``redirect_downloads``), as it is and percent-encoded."""
    assert sb.runtime is not None
    store = sb.runtime.store
    found = set()
    for uuid in store.backup_download_service_instances.rows:
        signature = download_signature(store.seed, uuid)
        found |= {f"{sb.url}/_sandbox/downloads/{uuid}", signature, quote(signature, safe="")}
    return found


def told(error: BaseException) -> str:
    """What an exception and its chain say: texts, reprs, the formatted traceback, and the URL of
    any httpx request one of them carries."""
    parts = traceback.format_exception(error)
    seen: BaseException | None = error
    while seen is not None:
        parts += [str(seen), repr(seen)]
        if isinstance(seen, httpx.RequestError):
            parts.append(str(seen.request.url))
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


def shown(secrets: set[str], *texts: str) -> list[str]:
    """The secrets that appear in any of ``texts``."""
    return sorted(secret for secret in secrets if any(secret in text for text in texts))
