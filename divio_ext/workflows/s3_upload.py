"""The ``s3-sts-v1`` upload: a file sent to an S3 bucket with temporary AWS credentials.

The API hands out a bucket, a key and short-lived STS credentials; requests to S3 with them
must be signed (AWS Signature Version 4), so the file goes through boto3's managed transfer, as
the official Divio CLI does, rather than a hand-written signer. boto3 is optional (the ``s3``
extra): this module imports it, and :mod:`divio_ext.workflows.copy_restore` imports this module
only once the API has offered this handler, having checked that boto3 is installed.

* **Region and endpoint**: the parameters name neither, and the official CLI passes neither: the
  client resolves them the usual boto3 way (botocore's S3 client retries in the bucket's region
  when S3 answers that the bucket lives elsewhere).
* **Constant memory**: the file is read from disk part by part (multipart above
  :data:`CHUNK`), no more than :data:`CONCURRENCY` parts ahead of what S3 has received.
* **No secret leaks**: the credentials are in no ``repr`` (:class:`S3Object`); botocore's own
  debug records (which quote the session token, the signed headers and the signature) pass the
  scrubber while the upload runs (:func:`~divio_ext.core.logging_.secrets_scrubbed`); an error
  names the handler, the status and S3's error code, never the text of botocore's exception,
  and is raised with no cause or context attached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import IO, Any

import boto3.session
import botocore.exceptions
from boto3.s3.transfer import ProgressCallbackInvoker, TransferConfig, create_transfer_manager
from botocore.config import Config

from divio_ext.core import errors
from divio_ext.core.logging_ import secrets_scrubbed
from divio_ext.workflows.upload_targets import S3 as HANDLER
from divio_ext.workflows.upload_targets import S3Object

#: The size of one part of a multipart upload (and the size from which one is used).
CHUNK = 8 * 1024 * 1024
#: How many parts are sent (and held in memory) at once.
CONCURRENCY = 4
#: The loggers whose records may quote the credentials or a signature.
LOGGERS = ("botocore", "boto3", "s3transfer", "urllib3")


def transfer_config() -> TransferConfig:
    """boto3's managed transfer, bounded: parts of :data:`CHUNK`, :data:`CONCURRENCY` at a time,
    and always the classic (botocore) transfer client, never the CRT one, whose requests bypass
    botocore and so its retries, logging and event hooks."""
    config = TransferConfig(
        multipart_threshold=CHUNK,
        multipart_chunksize=CHUNK,
        max_concurrency=CONCURRENCY,
        preferred_transfer_client="classic",
    )
    # Parts read ahead of the senders wait in memory; by default up to 10 of them.
    config.max_in_memory_upload_chunks = CONCURRENCY
    return config


#: How often a running upload looks whether it was asked to stop.
STOP_POLL = 0.05


def upload(
    target: S3Object,
    file: IO[bytes],
    on_bytes: Callable[[int], None],
    stop: threading.Event,
) -> None:
    """Write ``file`` (from its current position) to ``target``'s bucket and key.

    ``on_bytes`` hears how many more bytes were sent, from boto3's worker threads. Raises
    :class:`~divio_ext.core.errors.UploadFailed` naming the status and S3's error code.
    Setting ``stop`` from another thread (an async caller's cancellation; the sync driver never
    sets it) cancels the transfer: the parts on their way are finished, no other is sent, and
    the multipart upload is aborted (boto3's transfer manager does both); it then raises
    boto3's ``CancelledError``. Its ``upload_fileobj`` is this manager, without a way to cancel
    it.
    """
    failure: str | None = None
    with secrets_scrubbed(*target.secrets(), loggers=LOGGERS):
        try:
            client = boto3.session.Session().client(
                "s3",
                aws_access_key_id=target.access_key_id,
                aws_secret_access_key=target.secret_access_key,
                aws_session_token=target.session_token,
                config=Config(retries={"mode": "standard"}),
            )
            with create_transfer_manager(client, transfer_config()) as manager:
                sending = manager.upload(
                    fileobj=file,
                    bucket=target.bucket,
                    key=target.key,
                    subscribers=[ProgressCallbackInvoker(on_bytes)],
                )
                while not sending.done():
                    if stop.wait(STOP_POLL):
                        sending.cancel()
                        break
                sending.result()
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            failure = describe(error)
    if failure is not None:
        # Raised here, outside the except blocks: nothing quoting botocore's text is chained.
        raise errors.UploadFailed(f"the {HANDLER} upload {failure}; nothing was restored")


def describe(error: BaseException) -> str:
    """What went wrong, without botocore's message: the HTTP status and S3's error code of a
    refusal, or the kind of failure."""
    response: Any = getattr(error, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code") or "no error code")
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"answered HTTP {status} ({code})" if status else f"was refused ({code})"
    return f"failed: {type(error).__name__}"
