"""The bytes behind the sandbox's download URLs: small, deterministic stand-ins for real dumps.

A database download looks like a PostgreSQL custom-format dump (it starts with ``PGDMP``); a
storage download is a real gzipped tar archive with a manifest, as the docs describe media
backups (api-notes §6.6). Uploaded files are served back as they were uploaded.
"""

import gzip
import io
import json
import tarfile

from divio_sandbox.records import ServiceInstanceBackup


def download_bytes(sib: ServiceInstanceBackup) -> tuple[bytes, str]:
    """(content, media type) of the file a backup download of ``sib`` serves."""
    if sib.uploaded is not None:
        return sib.uploaded, "application/octet-stream"
    if sib.service_type == "DATABASE":
        body = f"PGDMP sandbox dump of service instance backup {sib.uuid}\n".encode()
        return body, "application/octet-stream"
    manifest = json.dumps({"service_instance_backup": sib.uuid, "files": ["media/logo.png"]})
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        for name, data in (("manifest.json", manifest.encode()), ("media/logo.png", b"\x89PNG")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(archive.getvalue(), mtime=0), "application/gzip"


def receipt_bytes(number: str, pdf: bool) -> tuple[bytes, str]:
    """An invoice receipt page, or a minimal PDF when ``.pdf`` is appended (api-notes §6.11)."""
    if pdf:
        return f"%PDF-1.4\n% Receipt {number}\n%%EOF\n".encode(), "application/pdf"
    return f"<html><body><h1>Receipt {number}</h1></body></html>".encode(), "text/html"
