"""Pulling a backup to a file: prepare the download, wait for it, stream it safely to disk.

What people otherwise write by hand with httpx, with the parts that are easy to get wrong done
once:

* **Never a partial file under the final name**: bytes go to a temporary file beside the
  destination, synced to disk and renamed over it only once the size is verified. (A named
  pipe or a device, such as ``/dev/null``, is written as it is: a rename would replace it.)
  Where the file goes, and what is refused first, is :mod:`divio_ext.workflows.destinations`.
* **Resumed, not restarted**: a transfer that breaks off continues with an HTTP ``Range``
  request from the last byte received (``If-Range`` guards against a changed file). A server
  that ignores ``Range`` answers the whole file again; the bytes already written are skipped.
* **The size is checked** against what the file server states (``Content-Length``, or the total
  of ``Content-Range``); when it states none, against the size the API reported.
* **The bytes are what the server sent**: the file is read raw, never decoded. Object stores
  serve a storage archive (``.tar.gz``) with ``Content-Encoding: gzip``; an ordinary httpx
  download would silently gunzip it into a ``.tar``. ``Accept-Encoding: identity`` also stops a
  proxy from compressing a dump on the fly.
* **Constant memory**: chunks are written as they arrive, as httpx reads them off the socket.
* **No token leaves for the file server**: the download URL is pre-signed and lives on another
  origin, so the file is fetched with a separate plain httpx client that has no credentials
  (the API client's auth would only add its token for the API origin, but a separate client
  does not depend on that).
* **The URL stays out of the logs**: whoever holds it can fetch the file, and httpx logs each
  request's URL at INFO, so it is scrubbed from the HTTP stack's log records while the
  transfer runs (:func:`~divio_ext.core.logging_.secrets_scrubbed`). A redirect's target may be
  pre-signed too, so redirects are followed here, not by httpx (:func:`follow`), and each target
  is scrubbed before it is requested. Errors name the kind of failure, never a URL, and have no
  httpx exception (which holds the request) chained to them.

The rules (which request to send next, what to write, when the transfer is complete) are a
small sans-IO state machine, :class:`Transfer`, and the loop around it is one flow,
:func:`download` (:mod:`divio_ext.workflows.file_flow`), which the sync and the async drivers
carry out: :func:`pull_backup` here and ``pull_backup`` of ``divio_ext.workflows.aio``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, TypeVar

import httpx

from divio_ext.core.errors import DownloadFailed
from divio_ext.core.http import shared_ssl_context
from divio_ext.core.logging_ import Scrubbed, secrets_scrubbed
from divio_ext.resources import bound
from divio_ext.workflows import arguments, file_flow
from divio_ext.workflows.backups import download_url_plan
from divio_ext.workflows.destinations import (
    Destination,
    check_destination,
    destination_path,
    open_in_place,
    synced,
    synced_directory,
    temporary_beside,
    written_in_place,
)
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback

T = TypeVar("T")

#: How often a broken transfer is resumed before giving up.
ATTEMPTS = 5
#: How many redirects one request of the file may follow.
REDIRECTS = 5
#: The file server's timeouts: generous reads (a slow store), a short connect.
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


@dataclass(frozen=True)
class TransferProgress:
    """Reported to ``on_transfer`` as bytes arrive: how far, out of how much, since when."""

    received: int
    total: int | None
    elapsed: float
    attempt: int


TransferCallback = Callable[[TransferProgress], None]


class Transfer:
    """The rules of one download, without I/O: what to ask for, what to keep, when it is done.

    A driver loops: send a GET with :meth:`request_headers`, hand the status and headers to
    :meth:`start`, pass every raw chunk through :meth:`accept` and write what it returns, then
    call :meth:`complete`. If the connection breaks (or the body ends short), it calls
    :meth:`interrupted` and loops again; that raises :class:`DownloadFailed` once ``attempts``
    transfers have broken off.
    """

    def __init__(self, expected_size: int | None = None, attempts: int = ATTEMPTS) -> None:
        self.attempts = attempts
        self.attempt = 1
        #: Bytes written so far (the position the next request resumes from).
        self.received = 0
        #: The file's size as the server states it (or as the API reported it).
        self.total: int | None = expected_size
        self._validator: str | None = None
        #: Whether the file server has stated the size (``total`` is then its statement).
        self._stated = False
        self._skip = 0

    def request_headers(self) -> dict[str, str]:
        """Headers of the next request: the raw encoding, and a ``Range`` when resuming."""
        headers = {"Accept-Encoding": "identity"}
        if self.received:
            headers["Range"] = f"bytes={self.received}-"
            if self._validator is not None:
                headers["If-Range"] = self._validator
        return headers

    def start(self, status: int, headers: Mapping[str, str]) -> None:
        """Read a response's status and headers; raises :class:`DownloadFailed` on an error."""
        if status == 206 and self.received:
            first, total = _content_range(headers.get("content-range"))
            if first != self.received:
                raise DownloadFailed(
                    f"the file server resumed at byte {first} instead of {self.received}"
                )
            self._skip = 0
            self._settle_total(total)
            return
        if status != 200:
            raise DownloadFailed(f"the file server answered HTTP {status}")
        validator = headers.get("etag") or headers.get("last-modified")
        if self.received and validator != self._validator:
            # If-Range answers the whole file when it changed: what was written is stale.
            raise DownloadFailed("the file changed on the server while it was being downloaded")
        if self.received and validator is None:
            # Without a validator a changed file cannot be told from the same one sent again,
            # and skipping what was written would splice two files together.
            raise DownloadFailed(
                "the file server sent the whole file again, without an ETag or Last-Modified "
                "to show it is the same file; start the download again"
            )
        # The whole file again, the same (a server without Range): skip what was written.
        self._skip = self.received
        self._validator = validator
        # Content-Length counts the raw bytes, which are what is counted here.
        self._settle_total(_byte_count(headers.get("content-length") or ""))

    def accept(self, chunk: bytes) -> bytes:
        """The part of ``chunk`` to write (none while skipping bytes already written)."""
        if self._skip:
            dropped = min(self._skip, len(chunk))
            self._skip -= dropped
            chunk = chunk[dropped:]
        self.received += len(chunk)
        if self.total is not None and self.received > self.total:
            raise DownloadFailed(
                f"the file server sent more than the {self.total} bytes it announced"
            )
        return chunk

    def complete(self) -> bool:
        """Whether the transfer has everything (after a response body ended normally).

        Without a stated size, a body that ended normally is the whole file.
        """
        return self.total is None or self.received == self.total

    def has_all(self) -> bool:
        """Whether every byte of the stated size has arrived, however the body ended: a
        chunked body whose last (empty) chunk was lost breaks off after its last byte, and
        resuming past the end would only be refused (416)."""
        return self.total is not None and self.received == self.total

    def interrupted(self, error: Exception | None) -> None:
        """A transfer broke off: count it, or raise :class:`DownloadFailed` when out of tries."""
        if self.attempt >= self.attempts:
            why = f": {type(error).__name__}" if error is not None else ""
            raise DownloadFailed(
                f"the transfer broke off {self.attempt} times{why}; received {self.received} of "
                f"{self.total if self.total is not None else 'an unknown number of'} bytes"
            ) from None
        self.attempt += 1

    def _settle_total(self, stated: int | None) -> None:
        """The server's statement of the size replaces the API's (it describes these bytes);
        a statement that differs from its earlier one means another file."""
        if stated is None:
            return
        if self._stated and stated != self.total:
            raise DownloadFailed(
                "the file changed on the server while it was being downloaded (its size went "
                f"from {self.total} to {stated} bytes)"
            )
        self.total, self._stated = stated, True


def _content_range(header: str | None) -> tuple[int, int | None]:
    """``bytes 100-199/1000`` -> ``(100, 1000)``; ``*`` as the total -> ``None``."""
    unit, _, rest = (header or "").partition(" ")
    span, _, total = rest.partition("/")
    first = span.partition("-")[0]
    start = _byte_count(first)
    if unit != "bytes" or start is None:
        raise DownloadFailed(f"the file server sent an unreadable Content-Range: {header!r}")
    return start, _byte_count(total)


def _byte_count(text: str) -> int | None:
    """A number of bytes as HTTP writes it, ASCII digits only (``None`` otherwise): a header is
    read as Latin-1, and ``"²".isdigit()`` is true where ``int("²")`` fails."""
    return int(text) if text.isascii() and text.isdigit() else None


@dataclass(frozen=True)
class Pulled:
    """Where a pulled backup went and how big it is."""

    #: The file written, or ``None`` when the bytes went to a stream (``-``: standard output).
    path: Path | None
    size: int


def download_client() -> httpx.Client:
    """A plain httpx client for the file server: no credentials. It follows no redirect: the
    download flow follows them itself (:func:`follow`), and an upload never does."""
    return httpx.Client(timeout=TIMEOUT, verify=shared_ssl_context())


def async_download_client() -> httpx.AsyncClient:
    """:func:`download_client` for the async drivers."""
    return httpx.AsyncClient(timeout=TIMEOUT, verify=shared_ssl_context())


def download(
    url: str,
    sink: IO[bytes],
    *,
    expected_size: int | None = None,
    on_transfer: TransferCallback | None = None,
    attempts: int = ATTEMPTS,
) -> file_flow.Flow[int]:
    """The file at ``url`` to ``sink`` by the rules of :class:`Transfer`, as a flow (for
    :func:`~divio_ext.workflows.file_flow.run` or ``arun``); its size."""
    transfer = Transfer(expected_size, attempts)
    started = time.monotonic()
    with secrets_scrubbed(urls=[url]) as scrubbed:
        while True:
            got = yield from follow(url, transfer.request_headers(), scrubbed)
            broke: Exception | None = None
            if isinstance(got, httpx.Response):
                transfer.start(got.status_code, got.headers)
                while chunk := (yield file_flow.READ):
                    if not isinstance(chunk, bytes):
                        broke = _broken(chunk)
                        break
                    if data := transfer.accept(chunk):
                        yield file_flow.Write(sink, data)
                    if on_transfer is not None:
                        on_transfer(progress(transfer, started))
                if transfer.has_all() or (broke is None and transfer.complete()):
                    return transfer.received
            else:
                broke = _broken(got)
            transfer.interrupted(broke)


def follow(
    url: str, headers: Mapping[str, str], scrubbed: Scrubbed
) -> file_flow.Flow[file_flow.Outcome]:
    """A GET of ``url`` that follows redirects (up to :data:`REDIRECTS`); the final outcome.

    The client does not follow them itself (:class:`~divio_ext.workflows.file_flow.Open`):
    each target is added to the secrets ``scrubbed`` before it is requested, since a pre-signed
    URL may lead to another one, and httpx logs every request's URL at INFO.
    """
    for _ in range(REDIRECTS + 1):
        got = yield file_flow.Open(url, headers)
        if not isinstance(got, httpx.Response) or got.next_request is None:
            return got
        url = str(got.next_request.url)
        scrubbed.url(url)
    raise DownloadFailed(f"the file server redirected more than {REDIRECTS} times")


def _broken(outcome: file_flow.Outcome) -> httpx.TransportError:
    """The error that broke a transfer off; any other outcome fails the download, naming only
    the kind of error (httpx's may quote the URL)."""
    if isinstance(outcome, httpx.TransportError):
        return outcome
    kind = type(outcome).__name__
    raise DownloadFailed(f"the download failed: {kind}") from None


def stream_file(
    url: str,
    sink: IO[bytes],
    *,
    expected_size: int | None = None,
    on_transfer: TransferCallback | None = None,
    attempts: int = ATTEMPTS,
    http: httpx.Client | None = None,
) -> int:
    """Write the file at ``url`` to ``sink`` by the rules of :class:`Transfer`; its size."""
    flow = download(
        url, sink, expected_size=expected_size, on_transfer=on_transfer, attempts=attempts
    )
    return run_files(flow, http)


def run_files(flow: file_flow.Flow[T], http: httpx.Client | None) -> T:
    """Drive a file transfer's flow with ``http``, or with a :func:`download_client` of its own
    (closed at the end)."""
    with contextlib.ExitStack() as stack:
        client = http if http is not None else stack.enter_context(download_client())
        return file_flow.run(flow, client)


def progress(transfer: Transfer, started: float) -> TransferProgress:
    """What ``on_transfer`` is told: the transfer's position, measured from ``started``."""
    return TransferProgress(
        transfer.received, transfer.total, time.monotonic() - started, transfer.attempt
    )


def default_filename(
    sib: bound.ServiceInstanceBackup, application: str, environment: str, prefix: str = "DEFAULT"
) -> str:
    """``<app>-<env>-<type>-<when>.<ext>``: ``.dump`` for databases, ``.tar.gz`` for storage;
    the service's ``prefix`` follows its type unless it is ``DEFAULT``, so that the dumps of
    two databases of one environment are told apart by name."""
    taken = sib.taken_at
    when = taken.strftime("%Y%m%dT%H%M%SZ") if taken is not None else sib.uuid
    kind = (sib.service_type or "backup").lower()
    if prefix != "DEFAULT":
        kind = f"{kind}-{prefix.lower()}"
    extension = "tar.gz" if sib.service_type == "STORAGE" else "dump"
    return f"{application}-{environment}-{kind}-{when}.{extension}"


def pull_backup(
    sib: bound.ServiceInstanceBackup,
    destination: Destination,
    *,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    on_transfer: TransferCallback | None = None,
    attempts: int = ATTEMPTS,
    http: httpx.Client | None = None,
    sync: bool = True,
) -> Pulled:
    """Download the file of one service-instance backup to ``destination``.

    ``destination`` is a path (a ``str`` or path-like; a symbolic link is followed to the file
    it names) or a binary stream. Asks the server to prepare a download (as
    :func:`~divio_ext.workflows.backup_download_url` does, reporting to ``on_progress`` while it
    waits), then streams the file: to a path (through a temporary file renamed at the end; a
    named pipe or a device as it is) or to a binary stream such as ``sys.stdout.buffer``.
    ``on_transfer`` receives :class:`TransferProgress` as bytes arrive. A transfer that breaks
    off is resumed up to ``attempts`` times in all; the size is verified. Raises
    :class:`~divio_ext.core.errors.DownloadFailed` (nothing is left at the path then) or the
    errors of preparing the download. A path that cannot be written (a directory, or one whose
    directory is missing or read-only) raises its ``OSError`` before anything is asked of the
    server (:func:`check_destination`), and an empty one
    :class:`~divio_ext.core.errors.InvalidArgument`. ``http`` replaces the plain httpx client
    used for the file (it must carry no credentials: the URL is pre-signed). A file written
    through a temporary file is synced to disk before it takes its name, and the rename after
    (as ``pg_dump`` syncs its output), so that a machine that crashes right after the pull
    cannot leave an empty or partial file under the final name; ``sync=False`` skips that.
    ``divio_ext.workflows.aio.pull_backup`` is the same for an ``AsyncDivioClient``.
    """
    arguments.of_client("sib", sib, bound.ServiceInstanceBackup)
    arguments.transfer(attempts=attempts, http=http, asynchronous=False, on_transfer=on_transfer)
    target = destination_path(destination)
    if isinstance(target, Path):
        check_destination(target)
    url = sib.client.run(download_url_plan(sib.model, policy, on_progress))
    flow = pull_flow(url, target, sib.size, on_transfer, attempts, sync=sync)
    return run_files(flow, http)


def pull_flow(
    url: str,
    destination: Path | IO[bytes],
    expected_size: int | None,
    on_transfer: TransferCallback | None,
    attempts: int,
    *,
    sync: bool = True,
) -> file_flow.Flow[Pulled]:
    """The part of :func:`pull_backup` after the download is prepared, for either driver:
    the file to a stream, to a path through a temporary file renamed at the end (with
    ``sync``, the file synced to disk before, and its directory after), or to a pipe or device
    as it is (:func:`written_in_place`)."""
    stream = partial(
        download, url, expected_size=expected_size, on_transfer=on_transfer, attempts=attempts
    )
    if not isinstance(destination, Path):
        return Pulled(None, (yield from stream(destination)))
    if not written_in_place(destination):
        with temporary_beside(destination) as file:
            size = yield from stream(file)
            if sync:
                yield file_flow.Blocking(partial(synced, file))
        if sync:
            yield file_flow.Blocking(partial(synced_directory, destination.parent))
        return Pulled(destination, size)
    with (yield from open_in_place(destination)) as file:
        size = yield from stream(file)
    return Pulled(destination, size)
