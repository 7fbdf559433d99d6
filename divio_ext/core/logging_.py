"""What divio-ext writes to the ``divio_ext`` logger, and how secrets are kept out of it.

Every request is logged at DEBUG with method, path, status and duration; headers are shown
only if allow-listed (others appear as ``[redacted]``); each line passes through a ``Redactor``
that knows the client's token, so the token never appears at any level.

httpx and httpcore log on their own loggers (``httpx`` at INFO with the reason phrase,
``httpcore.*`` at DEBUG with the raw response headers), which a user may switch on. Every
client therefore registers its ``Redactor`` with ``SCRUBBER``, a ``logging.Filter`` installed on
those loggers that rewrites each of their records through every live client's redactor.
:func:`secrets_scrubbed` does the same for the secrets of one transfer (pre-signed URLs,
temporary storage credentials) while it runs: a pull's download, a copy's upload, and the
target of a redirect the download follows, added before it is requested. The query of a
``Location`` header is scrubbed from every record, since httpcore quotes the response headers
before the client has read them.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import weakref
from collections.abc import Iterable, Iterator

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
# An AWS Signature Version 4 (64 hex digits), as botocore quotes it in its debug records.
_SIGNATURE = re.compile(r"(?i)\b(signature)([=:]\s*)[0-9a-f]{64}\b")
# The query of a redirect's target, as httpcore's debug record of the response headers quotes
# ``(b'location', b'https://...?...')`` and as ``safe_headers`` shows ``location: https://...?...``:
# a pre-signed target's query is its signature, and the record is written before the client
# has seen the target (to add it to the secrets it scrubs exactly).
_LOCATION_QUERY = re.compile(r"""(?i)(\blocation['"]?(?:,\s*b?['"]|:\s*)[^\s'"?]*\?)[^\s'",]+""")


#: The loggers of the HTTP stack whose records may quote response headers or reason phrases.
HTTP_STACK_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "hpack.hpack",
)


def spellings(secret: str) -> set[str]:
    """The ways a secret can appear once a server or a library has quoted it.

    Tokens are printable ASCII (``config.clean_token``), so only ``\\`` and the quotes get
    escaped: by JSON (``\\"``, and ``\\/`` by some servers) and by ``repr`` of a str or of
    bytes (``\\'``), as h11 does when it quotes an illegal header line.
    """
    doubled = secret.replace("\\", "\\\\")
    quoted = doubled.replace('"', '\\"')
    return {
        secret,
        doubled,
        quoted,
        quoted.replace("/", "\\/"),
        doubled.replace("'", "\\'"),
    }


def scrub_credentials(text: str) -> str:
    """Replace credential-shaped values after ``Token``/``Bearer``/``Basic``, AWS request
    signatures, and the query of a ``Location`` header."""
    text = _CREDENTIAL.sub(rf"\1\2{REDACTED}", text)
    text = _LOCATION_QUERY.sub(rf"\1{REDACTED}", text)
    return _SIGNATURE.sub(rf"\1\2{REDACTED}", text)


class Redactor:
    """Removes known secrets, and anything shaped like an Authorization value, from text."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        self._secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str | None]) -> None:
        """Remove ``secrets`` too from now on (the list is replaced whole, so a record being
        scrubbed in another thread meanwhile sees the old list or the new one)."""
        known = {*self._secrets, *(spelling for s in secrets if s for spelling in spellings(s))}
        self._secrets = sorted(known, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return scrub_credentials(text)

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} spelling(s) of secrets)"


class Scrubber(logging.Filter):
    """A filter that passes every record of the HTTP stack through each live client's redactor.

    Redactors are held weakly: a client that is garbage-collected stops being scrubbed for,
    and the filter does not keep its token alive.
    """

    def __init__(self) -> None:
        super().__init__()
        self._redactors: weakref.WeakSet[Redactor] = weakref.WeakSet()
        self._lock = threading.Lock()

    def register(self, redactor: Redactor) -> None:
        """Scrub with ``redactor`` from now on; installs the filter on the HTTP stack loggers."""
        with self._lock:
            self._redactors.add(redactor)
            for name in HTTP_STACK_LOGGERS:
                stack_logger = logging.getLogger(name)
                if self not in stack_logger.filters:
                    stack_logger.addFilter(self)

    def cover(self, prefixes: Iterable[str]) -> None:
        """Also scrub the records of the loggers named ``prefixes`` and of every logger below
        them that exists now (a filter applies to its own logger's records only). Like
        :meth:`register`'s, the filter stays; once a redactor is gone it only removes
        credential-shaped values."""
        prefixes = tuple(prefixes)
        with self._lock:
            names = [
                name
                for name in list(logging.root.manager.loggerDict)
                if any(name == p or name.startswith(f"{p}.") for p in prefixes)
            ]
            for name in {*prefixes, *names}:
                covered = logging.getLogger(name)
                if self not in covered.filters:
                    covered.addFilter(self)

    def __call__(self, text: str) -> str:
        """``text`` with the secrets of every live client (and credential-shaped values) removed."""
        with self._lock:
            redactors = list(self._redactors)
        for redactor in redactors:
            text = redactor(text)
        return scrub_credentials(text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self(record.getMessage())
        record.args = None
        return True


#: The process-wide scrubber every client registers its redactor with.
SCRUBBER = Scrubber()


def url_spellings(url: str) -> list[str | None]:
    """A pre-signed URL as given, as httpx spells it in its log lines, and its query alone
    (the signature, which is the credential, wherever it is quoted)."""
    parsed = httpx.URL(url)
    return [url, str(parsed), parsed.query.decode("ascii", "replace") or None]


class Scrubbed:
    """The block of :func:`secrets_scrubbed`: ``url`` adds a pre-signed URL met while it runs,
    such as the target of a redirect, before anything is sent to it."""

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor

    def url(self, url: str) -> None:
        """Scrub ``url`` (as given, as httpx spells it, and its query) from now on."""
        self._redactor.add(url_spellings(url))


@contextlib.contextmanager
def secrets_scrubbed(
    *secrets: str | None, urls: Iterable[str] = (), loggers: Iterable[str] = ()
) -> Iterator[Scrubbed]:
    """Keep ``secrets`` and the pre-signed ``urls`` out of the HTTP stack's log records while
    the block runs (httpx logs every request's full URL at INFO), and out of the records of
    ``loggers`` (names of other libraries' loggers, such as ``botocore``, with those below them).
    Yields a :class:`Scrubbed`, which takes more URLs."""
    redactor = Redactor([*secrets, *(spelling for url in urls for spelling in url_spellings(url))])
    # The scrubber holds redactors weakly: this local keeps it registered until the end.
    SCRUBBER.register(redactor)
    SCRUBBER.cover(loggers)
    yield Scrubbed(redactor)


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


#: The attribute that marks a log record as a retry notice (:func:`log_retry`).
RETRY = "divio_ext_retry"


def log_retry(
    redact: Redactor, request: httpx.Request, wait: float, attempt: int, why: str
) -> None:
    """A retry is logged at INFO (requests are at DEBUG): it is the one thing a caller waits
    for without seeing why, and the command line shows the first of a run (``RETRY``)."""
    logger.info(
        "%s",
        redact(
            f"retrying {request.method} {target(request.url)} in {wait:.2f} s "
            f"(attempt {attempt + 1} next) after {why}"
        ),
        extra={RETRY: True},
    )


def log_refused(redact: Redactor, request: httpx.Request) -> None:
    logger.debug("%s", redact(f"read-only: refused {request.method} {target(request.url)}"))
