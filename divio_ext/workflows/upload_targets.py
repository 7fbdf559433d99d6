"""What the API hands out for an upload, and whether divio-ext can use it.

``POST /apps/v3/backups/upload/`` answers with a ``handler`` and its ``upload_parameters`` per
service instance (api-notes §6.12). This module reads that answer into an :class:`UploadTarget`
and refuses what divio-ext cannot send before a byte is downloaded. It needs neither httpx nor
boto3: the transfers themselves are in :mod:`divio_ext.workflows.copy_restore` (one HTTP request)
and :mod:`divio_ext.workflows.s3_upload` (boto3, the ``s3`` extra).
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from divio_ext.core import errors
from divio_ext.core.logging_ import Scrubbed, secrets_scrubbed

EXOSCALE = "exo-presigned-v1"
AZURE = "az-sas-v1"
S3 = "s3-sts-v1"
#: The upload handlers divio-ext can use (``s3-sts-v1`` with the ``s3`` extra).
SUPPORTED_HANDLERS = (EXOSCALE, AZURE, S3)
#: Azure's limit for a blob written by one "Put Blob" request (service versions since 2019).
AZURE_PUT_BLOB_LIMIT = 5000 * 1024 * 1024
#: The Blob service version asked for: one whose "Put Blob" takes files up to that limit.
AZURE_VERSION = "2020-04-08"


@dataclass(frozen=True)
class S3Object:
    """Where the file goes and the temporary credentials that may write it there.

    ``repr`` shows the bucket and the key, never the credentials.
    """

    bucket: str
    key: str
    access_key_id: str = field(repr=False)
    secret_access_key: str = field(repr=False)
    session_token: str = field(repr=False)

    def secrets(self) -> tuple[str, str, str]:
        return (self.access_key_id, self.secret_access_key, self.session_token)


@dataclass(frozen=True)
class UploadTarget:
    """Where and how the file goes: one request and its headers, or an S3 object (``s3``, then
    ``url`` is ``None``); the size it takes at most.

    The URLs are pre-signed (whoever holds them may write), so ``repr`` leaves them out; so does
    the S3 object's.
    """

    handler: str
    url: str | None = field(repr=False)
    finish_url: str = field(repr=False)
    limit: int | None
    headers: Mapping[str, str]
    s3: S3Object | None = None

    def check_size(self, size: int) -> None:
        """Raise :class:`~divio_ext.core.errors.UploadTooLarge` if ``size`` does not fit."""
        if self.limit is not None and size > self.limit:
            raise errors.UploadTooLarge(size, self.limit, self.handler)

    def scrubbed(self) -> contextlib.AbstractContextManager[Scrubbed]:
        """A block in which the HTTP stack's log records show none of this target's secrets."""
        urls = [url for url in (self.url, self.finish_url) if url is not None]
        return secrets_scrubbed(*(self.s3.secrets() if self.s3 else ()), urls=urls)


def upload_target(answer: Mapping[str, Any], service_instance: str) -> UploadTarget:
    """Read the upload answer's target for ``service_instance`` (its ``results`` entry).

    Raises :class:`~divio_ext.core.errors.UnsupportedUploadHandler` for a handler divio-ext
    cannot use, and :class:`~divio_ext.core.errors.DivioError` for an answer without a target.
    """
    result = (answer.get("results") or {}).get(service_instance)
    if not isinstance(result, Mapping):
        raise errors.DivioError(
            f"the upload answer has no target for service instance {service_instance}"
        )
    handler = str(result.get("handler"))
    parameters = result.get("upload_parameters") or {}
    if handler not in SUPPORTED_HANDLERS:
        raise errors.UnsupportedUploadHandler(handler, SUPPORTED_HANDLERS)
    if handler == S3:
        return s3_target(parameters, result.get("finish_url"))
    url, finish_url = parameters.get("url"), result.get("finish_url")
    if not isinstance(url, str) or not isinstance(finish_url, str):
        raise errors.DivioError(f"the {handler} upload target lacks its url or finish_url")
    if handler == AZURE:
        headers = {"x-ms-blob-type": "BlockBlob", "x-ms-version": AZURE_VERSION}
        return UploadTarget(handler, url, finish_url, AZURE_PUT_BLOB_LIMIT, headers)
    method = str(parameters.get("http_method") or "PUT").upper()
    if method != "PUT":
        raise errors.UnsupportedUploadHandler(f"{handler} with {method}", SUPPORTED_HANDLERS)
    limit = parameters.get("max_file_size")
    return UploadTarget(handler, url, finish_url, limit if isinstance(limit, int) else None, {})


def s3_target(parameters: Mapping[str, Any], finish_url: object) -> UploadTarget:
    """An ``s3-sts-v1`` target; :class:`~divio_ext.core.errors.UploadExtraMissing` without
    boto3 (checked here, before anything is downloaded, not when the upload starts)."""
    if importlib.util.find_spec("boto3") is None:
        raise errors.UploadExtraMissing(S3, "s3", "boto3")
    names = ("bucket", "key", "aws_access_key_id", "aws_secret_access_key", "aws_session_token")
    values = [parameters.get(name) for name in names]
    if not isinstance(finish_url, str) or not all(isinstance(v, str) and v for v in values):
        raise errors.DivioError(
            f"the {S3} upload target lacks its finish_url or one of {', '.join(names)}"
        )
    # S3 takes up to 5 TiB in a multipart upload; the API states no limit of its own.
    return UploadTarget(S3, None, finish_url, None, {}, S3Object(*map(str, values)))
