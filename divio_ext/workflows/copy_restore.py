"""Restoring a backup into *another* environment, through the documented upload flow.

The restore request has no documented field that names a target (api-notes §6.7), so this does
what the official Divio CLI does when it pushes a database: the backup is copied to the target
environment through the upload flow (api-notes §6.12) and restored there (api-notes §7, the
push sequence):

1. **Stage** (API calls, a plan): find the source's service instance, the target environment's
   instance of the same type and prefix, ask ``POST /apps/v3/backups/upload/`` for an upload
   target there, and check its ``handler`` is one divio-ext can use *before* any byte moves;
   then prepare the source's download (:func:`~divio_ext.workflows.backups.download_url_plan`).
2. **Transfer** (files, outside the API; one flow, :func:`transfer_flow`, for both clients):
   stream the source's file to an anonymous temporary file with the download flow of
   :func:`divio_ext.workflows.pull.download` (resumed with ``Range``, size checked), check it
   fits the target's size limit, stream it to the upload target, and POST the ``finish_url``.
   Memory use does not grow with the file.
3. **Finish** (a plan): wait for the uploaded backup as for any backup
   (:func:`~divio_ext.workflows.backups.wait_for_backup`) and restore its service-instance
   backup, the first of the backup, with :func:`~divio_ext.workflows.backups.restore_plan`.

The upload and finish requests go to hosts whose only credential is the URL itself (or, for
S3, the temporary credentials handed out with it). They are sent by a plain httpx client that
has no token at all (the API client's auth would add it only for the API's origin anyway), and
the URLs and credentials are treated as secrets: they are scrubbed from the HTTP stack's log
records while they are in use and quoted in no message or ``repr``.

The handlers, all three the official Divio CLI knows: ``exo-presigned-v1`` (a pre-signed
``PUT``, up to the ``max_file_size`` it announces), ``az-sas-v1`` (an Azure "Put Blob" to a
blob URL carrying a SAS, up to 5000 MiB in one request) and ``s3-sts-v1`` (a bucket, a key and
temporary AWS credentials: boto3's managed upload, in :mod:`divio_ext.workflows.s3_upload`,
which needs the ``s3`` extra). Any other handler, or ``s3-sts-v1`` without boto3, raises
:class:`~divio_ext.core.errors.UnsupportedUploadHandler` (for the latter its subclass
:class:`~divio_ext.core.errors.UploadExtraMissing`) before anything is downloaded.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO

import httpx

from divio_ext.core import errors
from divio_ext.core.contract import BACKUP_UPLOAD, ENVIRONMENT, SERVICE_INSTANCE
from divio_ext.core.engine import Call, Plan
from divio_ext.resources import bound, resolve
from divio_ext.resources.models import BackupRestore as BackupRestoreModel
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.models import ServiceInstance as ServiceInstanceModel
from divio_ext.resources.models import ServiceInstanceBackup as ServiceInstanceBackupModel
from divio_ext.resources.selection import size_of, text
from divio_ext.workflows import arguments, file_flow, pull
from divio_ext.workflows.backups import (
    download_url_plan,
    restorable,
    restore_plan,
    wait_for_backup,
)
from divio_ext.workflows.pull import TransferCallback, TransferProgress
from divio_ext.workflows.upload_targets import S3Object, UploadTarget, upload_target
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback

#: When the copy is scheduled for deletion, counted from asking for its upload: the restore
#: needs it only briefly, and the official CLI schedules its uploads an hour ahead too.
RETENTION = datetime.timedelta(hours=1)
_ERROR_CODE = re.compile(rb"<Code>([A-Za-z]{1,64})</Code>")


@dataclass(frozen=True)
class Staged:
    """What the file transfer needs, found by :func:`stage_plan`."""

    source: ServiceInstanceBackupModel
    target: ServiceInstanceModel
    #: The uuid of the backup the upload fills (in the target environment).
    backup: str
    upload: UploadTarget
    #: The note (:func:`~divio_ext.core.errors.noted`) on an error that stops the copy before
    #: its upload is finished. Once the upload has been asked for, the target environment holds
    #: a backup that only a finished upload completes; it stays unfinished until the server
    #: deletes it at the time asked for (:data:`RETENTION`), and the API has no confirmed way to
    #: delete it sooner. The note names it, so that whoever sees it in the target's backups
    #: knows where it came from.
    leftover: str
    download_url: str = field(repr=False)
    #: The note on an error after the upload (waiting for the copy, or the restore): the copy
    #: stays in the target until the server deletes it.
    uploaded: str

    @property
    def size(self) -> int | None:
        """The source file's size as the API reports it (the file server's statement wins)."""
        return size_of(self.source.size)


def stage_plan(
    source: ServiceInstanceBackupModel,
    environment: EnvironmentModel,
    notes: str | None,
    policy: PollPolicy | None,
    on_progress: ProgressCallback | None,
    across_applications: bool = False,
) -> Plan[Staged]:
    """Step 1 of :func:`restore_to`, for either client: everything up to the file transfer.

    Refuses (:class:`~divio_ext.core.errors.InvalidArgument`) a target that is the source's own
    environment, or (unless ``across_applications``) one of another application, before any
    write; the upload request comes before the download is prepared,
    so an unusable handler stops everything before a byte is downloaded.
    """
    arguments.waiting(policy, on_progress)
    restorable(source)
    instance: ServiceInstanceModel = yield Call(SERVICE_INSTANCE, {"uuid": source.service_instance})
    where = text(environment.slug) or environment.uuid
    if instance.environment == environment.uuid:
        raise errors.InvalidArgument(
            f"backup {source.backup} is a backup of {where} itself: restore it in place, "
            "or name another environment"
        )
    if not across_applications:
        home: EnvironmentModel = yield Call(ENVIRONMENT, {"uuid": instance.environment})
        if home.application != environment.application:
            raise errors.InvalidArgument(
                f"{where} is an environment of another application than backup "
                f"{source.backup}'s: pass across_applications=True to overwrite it with it"
            )
    service_type, prefix = resolve.service_kind(instance)
    instances = yield from resolve.service_instances(environment)
    target = resolve.pick_service_instance(instances, service_type, prefix, where=where)
    deleted_at = datetime.datetime.now(datetime.UTC) + RETENTION
    body = {
        "environment": environment.uuid,
        "services": [target.uuid],
        "notes": notes if notes is not None else f"divio-ext: copy of backup {source.backup}",
        "scheduled_for_deletion_at": deleted_at.isoformat(),
    }
    answer = yield Call(BACKUP_UPLOAD, body=body)
    deleted = f"{deleted_at:%Y-%m-%d %H:%M:%S} UTC"
    leftover = (
        f"The copy's upload backup {answer.uuid} in {where} was left unfinished; it is "
        f"scheduled for deletion at {deleted}."
    )
    uploaded = f"The copy, backup {answer.uuid} in {where}, stays there until {deleted}."
    with errors.noted(leftover):
        upload = upload_target(answer.to_dict(), target.uuid)
        url: str = yield from download_url_plan(source, policy, on_progress)
    return Staged(source, target, answer.uuid, upload, leftover, url, uploaded)


def finish_plan(
    staged: Staged,
    notes: str | None,
    wait: bool,
    policy: PollPolicy | None,
    on_progress: ProgressCallback | None,
) -> Plan[BackupRestoreModel]:
    """Step 3 of :func:`restore_to`, for either client: wait for the copy, then restore it."""
    _, parts = yield from wait_for_backup(staged.backup, policy, on_progress)
    if not parts:
        raise errors.DivioError(f"the uploaded backup {staged.backup} lists no backed-up service")
    restored: BackupRestoreModel = yield from restore_plan(
        parts[0], notes, wait, policy, on_progress
    )
    return restored


class UploadMeter:
    """Counts what was read (or, for S3, sent) for the upload and reports it as
    :class:`TransferProgress`. boto3 reports from its worker threads, hence the lock."""

    def __init__(self, total: int, on_upload: TransferCallback | None) -> None:
        self.total = total
        self.sent = 0
        self._on_upload = on_upload
        self._started = time.monotonic()
        self._lock = threading.Lock()

    def count(self, chunk: bytes) -> bytes:
        self.add(len(chunk))
        return chunk

    def add(self, amount: int) -> None:
        with self._lock:
            self.sent += amount
            if self._on_upload is not None:
                elapsed = time.monotonic() - self._started
                self._on_upload(TransferProgress(self.sent, self.total, elapsed, 1))


def upload_headers(upload: UploadTarget, size: int) -> dict[str, str]:
    """The upload request's headers: the handler's, and the length (object stores refuse a
    chunked body, so the file is sent with its size stated)."""
    return {
        **upload.headers,
        "Content-Length": str(size),
        "Content-Type": "application/octet-stream",
    }


def check_answer(response: httpx.Response, upload: UploadTarget, step: str) -> None:
    """Raise :class:`~divio_ext.core.errors.UploadFailed` unless ``response`` is a success.

    The object store's error ``Code`` is quoted (a word such as ``AuthenticationFailed``), never
    its body, which may echo the signed request.
    """
    if response.is_success:
        return
    found = _ERROR_CODE.search(response.content[: 64 * 1024])
    code = f" ({found.group(1).decode()})" if found else ""
    raise errors.UploadFailed(
        f"the {upload.handler} {step} answered HTTP {response.status_code}{code}; "
        "nothing was restored"
    )


def transport_failure(
    error: httpx.HTTPError, upload: UploadTarget, step: str
) -> errors.UploadFailed:
    """An upload error without the cause's text, which may quote the URL."""
    return errors.UploadFailed(
        f"the {upload.handler} {step} failed: {type(error).__name__}; nothing was restored"
    )


def check_workdir(workdir: object) -> None:
    """Raise the error the temporary file in ``workdir`` (``None``: the system's temporary
    directory) would meet: a missing directory, a file, no permission. It is created only once
    the upload backup exists in the target, which such a failure would leave unfinished."""
    if workdir is None:
        return
    if not isinstance(workdir, str | bytes | os.PathLike):
        raise TypeError(f"workdir takes a path, not {type(workdir).__name__}")
    directory = os.fsdecode(workdir)
    try:
        tempfile.TemporaryFile(dir=directory).close()
    except OSError as error:  # it named the temporary file, not the directory
        raise OSError(error.errno, error.strerror, directory) from None


def transfer_flow(
    staged: Staged,
    *,
    on_transfer: TransferCallback | None,
    on_upload: TransferCallback | None,
    attempts: int,
    workdir: Path | None,
) -> file_flow.Flow[int]:
    """Step 2 of :func:`restore_to`, for either driver: download, check, upload, finish."""
    upload = staged.upload
    with upload.scrubbed(), tempfile.TemporaryFile(dir=workdir) as file:
        size = yield from pull.download(
            staged.download_url,
            file,
            expected_size=staged.size,
            on_transfer=on_transfer,
            attempts=attempts,
        )
        upload.check_size(size)
        file.seek(0)
        meter = UploadMeter(size, on_upload)
        if upload.s3 is not None:
            stop = threading.Event()
            sending = partial(upload_to_s3, upload.s3, file, meter, stop)
            yield file_flow.Blocking(sending, cancel=stop.set)
        else:
            assert upload.url is not None
            headers = upload_headers(upload, size)
            body = file_flow.Body(file, meter.count)
            sent = yield file_flow.Send("PUT", upload.url, headers, body)
            check_answer(_answer(sent, upload), upload, "upload")
        finished = yield file_flow.Send("POST", upload.finish_url, {})
        check_answer(_answer(finished, upload), upload, "finish request")
    return size


def _answer(outcome: file_flow.Outcome, upload: UploadTarget) -> httpx.Response:
    """The response to an upload request; a failure of the network is an
    :class:`~divio_ext.core.errors.UploadFailed` that names only its kind."""
    if isinstance(outcome, httpx.Response):
        return outcome
    assert isinstance(outcome, httpx.HTTPError)
    raise transport_failure(outcome, upload, "upload") from None


def upload_to_s3(
    target: S3Object, file: IO[bytes], meter: UploadMeter, stop: threading.Event
) -> None:
    """The ``s3-sts-v1`` upload (boto3's, blocking; the async driver runs it in a thread, and
    sets ``stop`` if it is cancelled)."""
    from divio_ext.workflows import s3_upload

    s3_upload.upload(target, file, meter.add, stop)


def restore_to(
    sib: bound.ServiceInstanceBackup,
    environment: bound.Environment,
    *,
    notes: str | None = None,
    wait: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    on_transfer: TransferCallback | None = None,
    on_upload: TransferCallback | None = None,
    attempts: int = pull.ATTEMPTS,
    http: httpx.Client | None = None,
    workdir: Path | None = None,
    across_applications: bool = False,
) -> bound.BackupRestore:
    """Restore one service-instance backup onto ``environment``'s service instance of the same
    type and prefix, by copying it there. This overwrites that instance's data.

    The returned restore's ``backup`` is the copy made in ``environment`` (deleted by the
    server an hour later). ``on_progress`` hears the waits (download, copy, restore);
    ``on_transfer`` and ``on_upload`` receive :class:`~divio_ext.workflows.pull.TransferProgress`
    for the download and the upload (for an ``s3-sts-v1`` upload, ``on_upload`` is called from
    boto3's worker threads). The file passes through a temporary file in ``workdir``
    (default: the system's), removed at the end. ``http`` replaces the plain httpx client for
    the file transfers: it must carry no credentials.

    ``environment`` must be one of the same application as the backup's, unless
    ``across_applications=True``: a copy over another application's data is then meant.

    Raises :class:`~divio_ext.core.errors.InvalidArgument` when ``environment`` is the backup's
    own or (without ``across_applications``) of another application,
    :class:`~divio_ext.core.errors.ServiceInstanceNotFound` (listing what it has) when it lacks
    the service, :class:`~divio_ext.core.errors.UnsupportedUploadHandler` before any
    download (:class:`~divio_ext.core.errors.UploadExtraMissing` for ``s3-sts-v1`` without
    boto3), :class:`~divio_ext.core.errors.UploadTooLarge` or
    :class:`~divio_ext.core.errors.UploadFailed` before any restore is started,
    :class:`~divio_ext.core.errors.DownloadFailed`, and
    :class:`~divio_ext.core.errors.WorkFailed` with the server's messages. An error raised after
    the upload target was given carries a note (``__notes__``) naming the unfinished upload
    backup it left in ``environment`` (:attr:`Staged.leftover`), and one raised after the upload
    (waiting for the copy, or the restore) a note naming the copy, which stays there until the
    server deletes it.
    ``divio_ext.workflows.aio.restore_to`` is the same for an ``AsyncDivioClient``.
    """
    arguments.of_client("sib", sib, bound.ServiceInstanceBackup)
    arguments.of_client("environment", environment, bound.Environment)
    arguments.transfer(
        attempts=attempts,
        http=http,
        asynchronous=False,
        on_transfer=on_transfer,
        on_upload=on_upload,
    )
    check_workdir(workdir)
    client = sib.client
    staged = client.run(
        stage_plan(sib.model, environment.model, notes, policy, on_progress, across_applications)
    )
    flow = transfer_flow(
        staged, on_transfer=on_transfer, on_upload=on_upload, attempts=attempts, workdir=workdir
    )
    with errors.noted(staged.leftover):
        pull.run_files(flow, http)
    with errors.noted(staged.uploaded):
        restored = client.run(finish_plan(staged, notes, wait, policy, on_progress))
    return bound.BackupRestore(client, restored)
