"""The bytes behind the sandbox's download URLs: deterministic stand-ins for real dumps.

A database download looks like a PostgreSQL custom-format dump (it starts with ``PGDMP``): a short
one by default, or, with the ``download_size`` setting, exactly that many bytes made up on the fly
from the service-instance backup's uuid (a 1 GB file is never held in memory). A storage download
is a real gzipped tar archive with a manifest, as the docs describe media backups (api-notes §6.6),
served the way object stores often serve a ``.tar.gz``: ``Content-Encoding: gzip`` over
``Content-Type: application/x-tar``, so a client that decompresses transparently would save
something other than what was stored. Uploaded files are served back as they were uploaded. Every
file answers ``Range`` requests (one range, as object stores do), and the ``drop_downloads``
setting cuts the next transfers off half-way (see :class:`FileResponse`).
"""

import gzip
import hashlib
import io
import json
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass

import anyio
import anyio.lowlevel
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from divio_sandbox.records import ServiceInstanceBackup

#: The block a generated dump repeats; its first bytes are the dump's header.
BLOCK = 64 * 1024
#: How much of a file one ``http.response.body`` message carries.
CHUNK = 256 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass(frozen=True)
class BackupFile:
    """A file to serve: its size, how it is labelled, and its bytes by position."""

    size: int
    media_type: str
    encoding: str | None
    #: The generated file's repeating block, or the whole content of a small file.
    block: bytes
    generated: bool

    def chunks(self, start: int, end: int) -> Iterator[bytes]:
        """The bytes ``start`` to ``end`` (exclusive), in pieces of at most ``CHUNK``."""
        if not self.generated:
            for offset in range(start, end, CHUNK):
                yield self.block[offset : min(end, offset + CHUNK)]
            return
        doubled = self.block * (CHUNK // BLOCK + 2)
        for offset in range(start, end, CHUNK):
            length = min(end, offset + CHUNK) - offset
            skip = offset % BLOCK
            yield doubled[skip : skip + length]


def backup_file(sib: ServiceInstanceBackup, size: int) -> BackupFile:
    """The file a backup download of ``sib`` serves; ``size`` > 0 makes database dumps that big."""
    if sib.uploaded is not None:
        return BackupFile(len(sib.uploaded), "application/octet-stream", None, sib.uploaded, False)
    if sib.service_type == "DATABASE":
        header = f"PGDMP sandbox dump of service instance backup {sib.uuid}\n".encode()
        if size <= 0:
            return BackupFile(len(header), "application/octet-stream", None, header, False)
        return BackupFile(size, "application/octet-stream", None, _block(header, sib.uuid), True)
    archive = _storage_archive(sib)
    return BackupFile(len(archive), "application/x-tar", "gzip", archive, False)


def _block(header: bytes, seed: str) -> bytes:
    """``BLOCK`` bytes: the header, then bytes drawn from ``seed`` (not compressible)."""
    parts = [header]
    counter = 0
    while sum(map(len, parts)) < BLOCK:
        parts.append(hashlib.sha256(f"{seed}:{counter}".encode()).digest())
        counter += 1
    return b"".join(parts)[:BLOCK]


def _storage_archive(sib: ServiceInstanceBackup) -> bytes:
    manifest = json.dumps({"service_instance_backup": sib.uuid, "files": ["media/logo.png"]})
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        for name, data in (("manifest.json", manifest.encode()), ("media/logo.png", b"\x89PNG")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(archive.getvalue(), mtime=0)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The ``(start, end)`` (end exclusive) a ``Range`` header asks for; ``None`` for all.

    Raises ``ValueError`` for a range that lies outside the file (the server answers 416). A
    header it does not understand (several ranges, another unit) is ignored, as RFC 9110 allows.
    """
    found = _RANGE.fullmatch((header or "").strip())
    if found is None or found.group() == "bytes=-":
        return None
    first, last = found.groups()
    if not first:  # a suffix: the last N bytes
        length = min(int(last), size)
        if length == 0:
            raise ValueError("empty suffix range")
        return size - length, size
    start = int(first)
    end = size if not last else min(int(last) + 1, size)
    if start >= size or end <= start:
        raise ValueError(f"range starts at {start} of {size} bytes")
    return start, end


class FileResponse(Response):
    """A file (or a range of it) streamed in pieces; ``cut`` stops it half-way on purpose.

    A cut transfer has announced its full ``Content-Length``, sends half of it and returns
    without finishing the response, so the server closes the connection: what a client sees
    when a large download breaks off.
    """

    def __init__(self, file: BackupFile, requested: str | None, *, cut: bool) -> None:
        self.file = file
        self.cut = cut
        self.background = None
        self.status_code = 200
        self.start, self.end = 0, file.size
        headers = [
            (b"content-type", file.media_type.encode()),
            (b"accept-ranges", b"bytes"),
        ]
        if file.encoding is not None:
            headers.append((b"content-encoding", file.encoding.encode()))
        try:
            wanted = byte_range(requested, file.size)
        except ValueError:
            self.status_code, self.start, self.end = 416, 0, 0
            headers.append((b"content-range", f"bytes */{file.size}".encode()))
        else:
            if wanted is not None:
                self.status_code, (self.start, self.end) = 206, wanted
                span = f"bytes {self.start}-{self.end - 1}/{file.size}"
                headers.append((b"content-range", span.encode()))
        headers.append((b"content-length", str(self.end - self.start).encode()))
        self.raw_headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        stop = self.start + (self.end - self.start) // 2 if self.cut else self.end
        if scope.get("method") != "HEAD":
            async with anyio.create_task_group() as streaming:
                streaming.start_soon(_stop_when_gone, receive, streaming.cancel_scope)
                for number, piece in enumerate(self.file.chunks(self.start, stop)):
                    await send({"type": "http.response.body", "body": piece, "more_body": True})
                    if number % CHECK_EVERY == 0:  # a server's send to a closed connection
                        await anyio.lowlevel.checkpoint()  # may return without ever waiting
                streaming.cancel_scope.cancel()
        if not self.cut:
            await send({"type": "http.response.body", "body": b"", "more_body": False})


#: Pieces sent between two looks at whether the client has gone.
CHECK_EVERY = 64


async def _stop_when_gone(receive: Receive, transfer: anyio.CancelScope) -> None:
    """End a transfer whose client has gone: the files are generated on the fly and may be
    a terabyte long, which a closed connection must not keep the server writing."""
    while (await receive())["type"] != "http.disconnect":
        pass
    transfer.cancel()


def receipt_bytes(number: str, pdf: bool) -> tuple[bytes, str]:
    """An invoice receipt page, or a minimal PDF when ``.pdf`` is appended (api-notes §6.11)."""
    if pdf:
        return f"%PDF-1.4\n% Receipt {number}\n%%EOF\n".encode(), "application/pdf"
    return f"<html><body><h1>Receipt {number}</h1></body></html>".encode(), "text/html"
