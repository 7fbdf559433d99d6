"""What divio-ext writes to the ``divio_ext`` logger, and how secrets are kept out of it.

Every request is logged at DEBUG with method, path, status and duration; headers are shown
only if allow-listed (others appear as ``[redacted]``); each line passes through a ``Redactor``
that knows the client's token, so the token never appears at any level.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import httpx

logger = logging.getLogger("divio_ext")

REDACTED = "[redacted]"
SAFE_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "allow",
        "cache-control",
        "connection",
        "content-length",
        "content-type",
        "date",
        "host",
        "location",
        "request-id",
        "retry-after",
        "server",
        "user-agent",
        "vary",
        "x-correlation-id",
        "x-request-id",
    }
)
# A credential-shaped value after an auth scheme word; 16+ characters so that prose such as
# DRF's "Invalid token header." stays readable. Known secrets are replaced exactly anyway.
_CREDENTIAL = re.compile(r"(?i)\b(token|bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{16,}")


class Redactor:
    """Removes known secrets, and anything shaped like an Authorization value, from text."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _CREDENTIAL.sub(rf"\1\2{REDACTED}", text)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secret(s))"


def safe_headers(headers: httpx.Headers) -> str:
    """Headers as ``name: value`` pairs, values outside the allow-list redacted."""
    return ", ".join(
        f"{name}: {value if name in SAFE_HEADERS else REDACTED}"
        for name, value in headers.multi_items()
    )


def target(url: httpx.URL) -> str:
    """Path and query: the host is the same for every request of a client."""
    return url.raw_path.decode("ascii", errors="replace")


def log_exchange(
    redact: Redactor, request: httpx.Request, response: httpx.Response, seconds: float, attempt: int
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "%s",
        redact(
            f"{request.method} {target(request.url)} -> {response.status_code} "
            f"in {seconds * 1000:.0f} ms (attempt {attempt}); "
            f"request headers: {safe_headers(request.headers)}; "
            f"response headers: {safe_headers(response.headers)}"
        ),
    )


def log_failure(
    redact: Redactor, request: httpx.Request, exc: Exception, seconds: float, attempt: int
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "%s",
        redact(
            f"{request.method} {target(request.url)} failed in {seconds * 1000:.0f} ms "
            f"(attempt {attempt}): {type(exc).__name__}: {exc}"
        ),
    )


def log_retry(redact: Redactor, request: httpx.Request, wait: float, attempt: int) -> None:
    logger.debug(
        "%s",
        redact(
            f"retrying {request.method} {target(request.url)} in {wait:.2f} s "
            f"(attempt {attempt + 1} next)"
        ),
    )


def log_refused(redact: Redactor, request: httpx.Request) -> None:
    logger.debug("%s", redact(f"read-only: refused {request.method} {target(request.url)}"))
