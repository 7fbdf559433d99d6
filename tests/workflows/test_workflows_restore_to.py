"""restore_to: a backup restored into another environment ends up there byte for byte, through
the documented upload flow, with no token or pre-signed URL anywhere it should not be."""

from __future__ import annotations

import datetime
import ipaddress
import logging
import re
import socket
import sys
import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import anyio
import boto3
import httpx
import pytest
from moto import mock_aws

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.core.errors import (
    DivioError,
    InvalidArgument,
    ReadOnlyError,
    ServiceInstanceNotFound,
    UnsupportedUploadHandler,
    UploadExtraMissing,
    UploadFailed,
    UploadTooLarge,
    WorkFailed,
)
from divio_ext.resources import bound, bound_async
from divio_ext.workflows import (
    PollPolicy,
    TransferProgress,
    aio,
    backup_download_url,
    latest_backup,
    restore_backup,
    restore_to,
)
from divio_ext.workflows.s3_upload import CHUNK
from divio_ext.workflows.upload_targets import upload_target
from divio_sandbox import Sandbox
from divio_sandbox.actions import S3_BUCKET
from divio_sandbox.waiting import SandboxTime
from tests.leaks import download_secrets, shown

MIB = 1024 * 1024
APP = "example-application"
UPLOAD = "POST /apps/v3/backups/upload/"
DOWNLOAD = "POST /apps/v3/backup-downloads/"
RESTORE = "POST /apps/v3/backup-restores/"
S3 = "s3-sts-v1"
HANDLERS = ["exo-presigned-v1", "az-sas-v1", S3]


@pytest.fixture
def policy(divio_sandbox: Sandbox) -> PollPolicy:
    return PollPolicy(clock=SandboxTime(divio_sandbox.clock))


class Recorder:
    """Every request a file-transfer client sends, as it left (headers included)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def methods(self) -> list[str]:
        return [request.method for request in self.requests]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def files(recorder: Recorder) -> Iterator[httpx.Client]:
    """A plain client for the file transfers, like the default one, that records requests."""
    with httpx.Client(follow_redirects=True, event_hooks={"request": [recorder]}) as client:
        yield client


class Connections:
    """Every address a socket of this process connected to while a test ran."""

    def __init__(self) -> None:
        self.addresses: list[str] = []

    def outside_loopback(self) -> list[str]:
        return [a for a in self.addresses if not ipaddress.ip_address(a).is_loopback]


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Connections:
    seen = Connections()
    connect = socket.socket.connect

    def recorded(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            seen.addresses.append(address[0])
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recorded)
    return seen


@pytest.fixture
def bucket(divio_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """S3 for ``s3-sts-v1`` uploads: moto's, in this process (it answers botocore's requests
    before any is sent). The sandbox reads the uploaded object from it at the finish request.
    Yields a client of that S3 for the test's own look."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=S3_BUCKET)

        def read(bucket: str, key: str) -> bytes | None:
            try:
                body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            except s3.exceptions.NoSuchKey:
                return None
            return body

        assert divio_sandbox.runtime is not None
        monkeypatch.setattr(divio_sandbox.runtime, "object_store", read)
        yield s3


def source(client: DivioClient, kind: str = "DATABASE") -> bound.ServiceInstanceBackup:
    return latest_backup(client, APP, "live", kind).service_instance_backup


def environment(client: DivioClient, slug: str) -> bound.Environment:
    return bound.application(client, APP).environment(slug)


def content(sib: bound.ServiceInstanceBackup, policy: PollPolicy) -> bytes:
    """The raw bytes the sandbox serves for ``sib``, fetched once with plain httpx."""
    with httpx.stream("GET", backup_download_url(sib, policy=policy)) as response:
        return b"".join(response.iter_raw())


def copied(restore: bound.BackupRestore) -> bound.ServiceInstanceBackup:
    """The service-instance backup a restore used: the copy in the target environment."""
    (part,) = restore.model.service_instance_restores
    uuid = part.service_instance_backup
    return bound.ServiceInstanceBackup(
        restore.client, restore.client.service_instance_backups.retrieve(uuid)
    )


@pytest.mark.parametrize("handler", HANDLERS)
def test_the_target_gets_exactly_the_source_backups_bytes(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    request: pytest.FixtureRequest,
    connections: Connections,
    handler: str,
) -> None:
    if handler == S3:
        request.getfixturevalue("bucket")
    divio_sandbox.configure(upload_handler=handler, download_size=3 * MIB + 7)
    original = source(fresh_client)
    test = environment(fresh_client, "test")
    sent: list[TransferProgress] = []
    asked = datetime.datetime.now(datetime.UTC)
    restore = restore_to(original, test, policy=policy, on_upload=sent.append)
    answered = datetime.datetime.now(datetime.UTC)
    assert (restore.finished, restore.success) == (True, "SUCCESS")
    copy = copied(restore)
    assert copy.backup().environment_uuid == test.uuid
    deleted_at = copy.backup().model.scheduled_for_deletion_at
    hour = datetime.timedelta(hours=1)
    assert asked + hour <= deleted_at <= answered + hour, "the copy is kept for an hour"
    assert copy.service_instance().environment_uuid == test.uuid
    assert copy.service_type == "DATABASE"
    assert content(copy, policy) == content(original, policy)
    assert sent[-1].received == sent[-1].total == 3 * MIB + 7
    assert connections.addresses, "the transfers went through sockets"
    assert connections.outside_loopback() == [], "nothing left this machine"


def s3_objects(bucket: Any) -> dict[str, bytes]:
    listed = bucket.list_objects_v2(Bucket=S3_BUCKET).get("Contents", [])
    return {
        item["Key"]: bucket.get_object(Bucket=S3_BUCKET, Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_a_large_file_goes_to_s3_in_parts_and_arrives_exact(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    bucket: Any,
    connections: Connections,
) -> None:
    divio_sandbox.configure(upload_handler=S3, download_size=2 * CHUNK + 5)
    original = source(fresh_client)
    sent: list[TransferProgress] = []
    restore = restore_to(
        original, environment(fresh_client, "test"), policy=policy, on_upload=sent.append
    )
    assert (restore.finished, restore.success) == (True, "SUCCESS")
    (key,) = s3_objects(bucket)
    assert s3_objects(bucket)[key] == content(original, policy)
    etag = bucket.head_object(Bucket=S3_BUCKET, Key=key)["ETag"]
    assert etag.strip('"').endswith("-3"), "a multipart upload of three parts"
    assert content(copied(restore), policy) == content(original, policy)
    assert sent[-1].received == sent[-1].total == 2 * CHUNK + 5
    assert [p.received for p in sent] == sorted(p.received for p in sent)
    assert connections.outside_loopback() == []


def test_a_storage_archive_is_copied_as_the_compressed_bytes_it_is(
    fresh_client: DivioClient, policy: PollPolicy
) -> None:
    original = source(fresh_client, "STORAGE")
    restore = restore_to(original, environment(fresh_client, "test"), policy=policy)
    copy = copied(restore)
    assert copy.service_type == "STORAGE"
    assert content(copy, policy) == content(original, policy)
    assert content(copy, policy).startswith(b"\x1f\x8b"), "still gzip, never decoded on the way"


def test_an_interrupted_download_is_resumed_and_the_copy_is_still_exact(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    divio_sandbox.configure(download_size=4 * MIB, drop_downloads=2)
    original = source(fresh_client)
    received: list[TransferProgress] = []
    restore = restore_to(
        original, environment(fresh_client, "test"), policy=policy, on_transfer=received.append
    )
    assert received[-1].attempt == 3, "two transfers broke off, the third finished"
    assert max(p.received for p in received if p.attempt == 1) == 2 * MIB
    assert content(copied(restore), policy) == content(original, policy)


def test_the_upload_and_finish_requests_carry_no_authorization(
    fresh_client: DivioClient, policy: PollPolicy, files: httpx.Client, recorder: Recorder
) -> None:
    restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files)
    assert recorder.methods()[-2:] == ["PUT", "POST"]
    for request in recorder.requests:
        assert "authorization" not in request.headers
    put, finish = recorder.requests[-2:]
    assert int(put.headers["content-length"]) > 0, "the file goes with its size, not chunked"
    assert "transfer-encoding" not in put.headers
    assert finish.content == b"", "the finish request has no body"


def test_without_boto3_an_s3_upload_is_refused_before_anything_is_downloaded(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    files: httpx.Client,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # what an import finds when it is missing
    divio_sandbox.configure(upload_handler=S3)
    original = source(fresh_client)
    divio_sandbox.reset_stats()
    with pytest.raises(UnsupportedUploadHandler) as raised:
        restore_to(original, environment(fresh_client, "test"), policy=policy, http=files)
    assert isinstance(raised.value, UploadExtraMissing)
    assert (raised.value.handler, raised.value.extra) == (S3, "s3")
    assert "pip install 'divio-ext[s3]'" in str(raised.value)
    requests = divio_sandbox.stats()["requests"]
    assert DOWNLOAD not in requests, "no download was even prepared"
    assert RESTORE not in requests
    assert recorder.requests == []


def test_a_file_over_the_upload_limit_is_refused_before_it_is_uploaded(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    files: httpx.Client,
    recorder: Recorder,
) -> None:
    divio_sandbox.configure(download_size=2 * MIB, upload_max_size=2 * MIB - 1)
    with pytest.raises(UploadTooLarge) as raised:
        restore_to(
            source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files
        )
    assert (raised.value.size, raised.value.limit) == (2 * MIB, 2 * MIB - 1)
    assert "PUT" not in recorder.methods()
    assert RESTORE not in divio_sandbox.stats()["requests"]


def test_a_refused_upload_is_a_clear_error_and_no_restore_is_started(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    divio_sandbox.configure(reject_uploads=1)
    with pytest.raises(UploadFailed, match=r"upload answered HTTP 403 \(AccessDenied\)"):
        restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy)
    assert RESTORE not in divio_sandbox.stats()["requests"]


def unfinished_backups(client: DivioClient, slug: str) -> list[str]:
    """The uuids of ``slug``'s backups that have not completed."""
    return [b.uuid for b in environment(client, slug).backups() if b.state != "COMPLETED"]


def named_leftover(error: BaseException, client: DivioClient) -> str:
    """The unfinished upload backup in ``test`` that ``error``'s note names (there is one)."""
    (note,) = error.__notes__
    (leftover,) = unfinished_backups(client, "test")
    assert note.startswith(f"The copy's upload backup {leftover} in test was left unfinished; ")
    assert re.search(r"scheduled for deletion at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$", note)
    return leftover


@pytest.mark.parametrize(
    ("knobs", "expected"),
    [
        ({"reject_uploads": 1}, UploadFailed),  # while the file is sent
        ({"download_size": 2 * MIB, "upload_max_size": MIB}, UploadTooLarge),  # before that
        ({"upload_handler": S3}, UploadExtraMissing),  # at the upload's answer, without boto3
    ],
)
def test_a_copy_that_stops_after_the_upload_was_asked_for_names_the_backup_it_left(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    monkeypatch: pytest.MonkeyPatch,
    knobs: dict[str, Any],
    expected: type[Exception],
) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # what an import finds when it is missing
    assert unfinished_backups(fresh_client, "test") == []
    divio_sandbox.configure(**knobs)
    with pytest.raises(expected) as raised:
        restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy)
    named_leftover(raised.value, fresh_client)


@pytest.mark.anyio
async def test_an_async_copy_that_stops_names_the_backup_it_left(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    divio_sandbox.configure(reject_uploads=1)
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        found = await aio.latest_backup(client, APP, "live")
        test = await (await bound_async.application(client, APP)).environment("test")
        with pytest.raises(UploadFailed) as raised:
            await aio.restore_to(found.service_instance_backup, test, policy=policy)
    named_leftover(raised.value, fresh_client)


@pytest.mark.anyio
async def test_a_cancelled_async_copy_stops_its_s3_upload_before_the_cancellation_returns(
    divio_sandbox: Sandbox, policy: PollPolicy, bucket: Any
) -> None:
    """boto3's upload ran in a worker thread that could not be stopped: a cancel scope waited
    for the whole file to be sent, and asyncio's ``task.cancel()`` returned while boto3's
    threads went on sending it."""
    size = 12 * CHUNK + 5
    divio_sandbox.configure(upload_handler=S3, download_size=size)
    started, sent = threading.Event(), [0]

    def on_upload(progress: TransferProgress) -> None:
        sent[0] = progress.received
        started.set()

    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        found = await aio.latest_backup(client, APP, "live")
        test = await (await bound_async.application(client, APP)).environment("test")
        async with anyio.create_task_group() as group:
            copy = partial(
                aio.restore_to, found.service_instance_backup, test, policy=policy,
                on_upload=on_upload,
            )  # fmt: skip
            group.start_soon(copy)
            while not started.is_set():
                await anyio.sleep(0.005)
            group.cancel_scope.cancel()
    when_returned = sent[0]
    await anyio.sleep(0.3)
    assert sent[0] == when_returned, "nothing was sent after the cancellation returned"
    assert when_returned < size, "the parts not on their way were never sent"
    assert bucket.list_multipart_uploads(Bucket=S3_BUCKET).get("Uploads", []) == []
    assert s3_objects(bucket) == {}
    assert RESTORE not in divio_sandbox.stats()["requests"]


def test_ctrl_c_while_the_download_is_prepared_names_the_backup_the_copy_left(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    """Ctrl-C arrives in the driver, between the plan's steps: it once went past the plan, and
    the note naming the copy's unfinished upload was never added."""

    def interrupt_the_download(request: httpx.Request) -> None:
        if request.method == "POST" and request.url.path == DOWNLOAD.split()[1]:
            raise KeyboardInterrupt

    token, hooks = divio_sandbox.tokens["alice"], {"request": [interrupt_the_download]}
    with DivioClient(token=token, base_url=divio_sandbox.url, event_hooks=hooks) as client:
        found = latest_backup(client, APP, "live").service_instance_backup
        with pytest.raises(KeyboardInterrupt) as raised:
            restore_to(found, environment(client, "test"), policy=policy)
    named_leftover(raised.value, fresh_client)


def failed_part(client: DivioClient) -> bound.ServiceInstanceBackup:
    """A service-instance backup of live that ended with errors (the sandbox seeds some)."""
    return next(
        part
        for backup in environment(client, "live").backups()
        for part in backup.service_instance_backups()
        if part.model.errors
    )


def test_a_part_that_ended_with_errors_is_refused_before_anything_is_written(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    """The copy once asked for the upload first, so the download the server then refused left
    an unfinished backup in the target; a restore in place was sent and refused (HTTP 400)."""
    part, test = failed_part(fresh_client), environment(fresh_client, "test")
    divio_sandbox.reset_stats()
    refused = rf"service-instance backup {part.uuid} ended with errors \(.+\): it cannot be"
    with pytest.raises(InvalidArgument, match=refused):
        restore_to(part, test, policy=policy)
    with pytest.raises(InvalidArgument, match=refused):
        restore_backup(part, policy=policy)
    assert divio_sandbox.stats()["total"] == 0
    assert unfinished_backups(fresh_client, "test") == []


def test_a_copy_refused_before_the_upload_is_asked_for_leaves_nothing_and_says_nothing(
    fresh_client: DivioClient, policy: PollPolicy
) -> None:
    before = unfinished_backups(fresh_client, "live")
    with pytest.raises(InvalidArgument) as raised:
        restore_to(source(fresh_client), environment(fresh_client, "live"), policy=policy)
    assert not hasattr(raised.value, "__notes__")
    assert unfinished_backups(fresh_client, "live") == before


def test_a_copy_the_server_could_not_import_fails_with_its_messages_and_is_not_restored(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    real = httpx.Client()

    def store_that_loses_the_file(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            return httpx.Response(200)  # accepted, yet never stored
        forwarded = real.send(real.build_request(request.method, request.url), stream=True)
        return httpx.Response(
            forwarded.status_code, headers=forwarded.headers, stream=forwarded.stream
        )

    files = httpx.Client(transport=httpx.MockTransport(store_that_loses_the_file))
    with real, files, pytest.raises(WorkFailed) as raised:
        restore_to(
            source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files
        )
    assert (raised.value.kind, raised.value.outcome) == ("backup", "FAILURE")
    assert raised.value.messages == ("DATABASE/DEFAULT: No file was uploaded.",)
    assert RESTORE not in divio_sandbox.stats()["requests"]


def test_a_failed_restore_reports_the_servers_outcome(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    divio_sandbox.configure(failure_rate=1.0)
    with pytest.raises(WorkFailed) as raised:
        restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy)
    assert (raised.value.kind, raised.value.outcome) == ("restore", "FAILURE")
    assert divio_sandbox.stats()["requests"][RESTORE] == 1
    # The copy is complete and stays in the target: the note names it (it once did not).
    (note,) = raised.value.__notes__
    assert re.fullmatch(r"The copy, backup \w+ in test, stays there until [-\d :]+ UTC\.", note)


def test_the_source_environment_itself_is_refused_before_any_write(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    original = source(fresh_client)
    divio_sandbox.reset_stats()
    with pytest.raises(InvalidArgument, match="restore it in place"):
        restore_to(original, environment(fresh_client, "live"), policy=policy)
    assert not [name for name in divio_sandbox.stats()["requests"] if name.startswith("POST")]


def test_another_applications_environment_is_refused_unless_that_is_meant(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    """A copy over another application's database was made without a word: the command line
    keeps --to within the application, but the library took any environment."""
    original = source(fresh_client)
    shop = bound.application(fresh_client, "shop-backend").environment("live")
    divio_sandbox.reset_stats()
    with pytest.raises(InvalidArgument, match="pass across_applications=True"):
        restore_to(original, shop, policy=policy)
    assert not [name for name in divio_sandbox.stats()["requests"] if name.startswith("POST")]
    restored = restore_to(original, shop, policy=policy, across_applications=True)
    assert restored.success == "SUCCESS"


def test_a_target_without_that_service_is_named_with_what_it_has(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    found = latest_backup(fresh_client, APP, "live", "DATABASE", "ANALYTICS")
    divio_sandbox.reset_stats()
    with pytest.raises(ServiceInstanceNotFound) as raised:
        restore_to(found.service_instance_backup, environment(fresh_client, "test"), policy=policy)
    assert raised.value.available == (("DATABASE", "DEFAULT"), ("STORAGE", "DEFAULT"))
    assert "it has: DATABASE/DEFAULT, STORAGE/DEFAULT" in str(raised.value)
    assert UPLOAD not in divio_sandbox.stats()["requests"]


def test_a_read_only_client_writes_nothing_and_transfers_nothing(
    divio_sandbox: Sandbox, policy: PollPolicy, files: httpx.Client, recorder: Recorder
) -> None:
    token = divio_sandbox.tokens["alice"]
    with DivioClient(token=token, base_url=divio_sandbox.url, read_only=True) as client:
        original = source(client)
        divio_sandbox.reset_stats()
        with pytest.raises(ReadOnlyError):
            restore_to(original, environment(client, "test"), policy=policy, http=files)
    assert not [name for name in divio_sandbox.stats()["requests"] if name.startswith("POST")]
    assert recorder.requests == []


def secrets_of(recorder: Recorder) -> set[str]:
    """The pre-signed parts of every file-transfer URL: the full URLs and their signatures."""
    found = set()
    for request in recorder.requests:
        found.add(str(request.url))
        if request.url.query:
            found.add(request.url.query.decode())
    return found


def s3_credentials(sb: Sandbox) -> set[str]:
    """The temporary credentials of every ``s3-sts-v1`` target the sandbox handed out (its
    secret key and session token are the upload's signature)."""
    assert sb.runtime is not None
    rows = sb.runtime.store.service_instance_backups.rows.values()
    return {sib.upload_signature for sib in rows if sib.upload_signature} | {"ASIASANDBOX"}


@pytest.mark.parametrize("handler", ["exo-presigned-v1", "az-sas-v1"])
def test_no_token_or_presigned_url_reaches_the_logs(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    files: httpx.Client,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
    handler: str,
) -> None:
    divio_sandbox.configure(upload_handler=handler, drop_downloads=1, download_size=MIB)
    caplog.set_level(logging.DEBUG)  # every logger: divio_ext's, httpx's and httpcore's
    restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files)
    secrets = secrets_of(recorder) | {divio_sandbox.tokens["alice"]}
    assert len(secrets) >= 4, "the download URL, the upload URL and its signature, the finish URL"
    logged = caplog.text
    assert "HTTP Request: PUT" in logged, "httpx logged the upload"
    assert [secret for secret in secrets if secret in logged] == []


def test_a_source_download_that_redirects_to_another_signed_url_shows_in_no_log(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    divio_sandbox.configure(redirect_downloads=True, drop_downloads=1, download_size=MIB)
    caplog.set_level(logging.DEBUG)
    original = source(fresh_client)
    restore = restore_to(original, environment(fresh_client, "test"), policy=policy)
    assert '"HTTP/1.1 302 Found"' in caplog.text
    assert shown(download_secrets(divio_sandbox), caplog.text) == []
    divio_sandbox.configure(redirect_downloads=False)  # for this test's own plain downloads
    assert content(copied(restore), policy) == content(original, policy)


def test_no_s3_credential_or_signature_reaches_the_logs(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    files: httpx.Client,
    recorder: Recorder,
    bucket: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    divio_sandbox.configure(upload_handler=S3, download_size=CHUNK + 1)  # two parts
    caplog.set_level(logging.DEBUG)  # botocore's loggers too, which quote signed requests
    restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files)
    secrets = secrets_of(recorder) | s3_credentials(divio_sandbox)
    assert len(secrets) >= 4, "the download URL, the finish URL, the key id, the secret"
    logged = caplog.text
    names = {record.name for record in caplog.records}
    assert {"botocore.auth", "botocore.endpoint"} <= names, "botocore logged the signed requests"
    assert "X-Amz-Security-Token" in logged
    assert [secret for secret in secrets if secret in logged] == []
    assert not re.search(r"(?i)signature[=:]\s*[0-9a-f]{64}", logged), "no request signature"


def test_a_refused_s3_upload_names_s3s_code_and_quotes_no_credential(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, bucket: Any
) -> None:
    bucket.delete_bucket(Bucket=S3_BUCKET)
    divio_sandbox.configure(upload_handler=S3)
    with pytest.raises(UploadFailed) as raised:
        restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy)
    error = raised.value
    assert str(error) == (
        "the s3-sts-v1 upload answered HTTP 404 (NoSuchBucket); nothing was restored"
    )
    assert error.__cause__ is None
    assert error.__context__ is None, "no botocore exception is chained to it"
    told = [str(error), repr(error)]
    assert [s for s in s3_credentials(divio_sandbox) for text in told if s in text] == []
    assert RESTORE not in divio_sandbox.stats()["requests"]


def test_an_upload_error_quotes_no_presigned_url(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    files: httpx.Client,
    recorder: Recorder,
) -> None:
    divio_sandbox.configure(reject_uploads=1)
    with pytest.raises(UploadFailed) as raised:
        restore_to(
            source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files
        )
    error = raised.value
    told = [str(error), repr(error), str(error.__cause__), str(error.__context__)]
    secrets = secrets_of(recorder) | {divio_sandbox.tokens["alice"]}
    assert [secret for secret in secrets for text in told if secret in text] == []


def test_a_transfer_failure_quotes_no_presigned_url(
    fresh_client: DivioClient, policy: PollPolicy
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.ConnectError(f"cannot reach {request.url}", request=request)
        return httpx.Response(
            200, headers={"Content-Length": "5"}, stream=httpx.ByteStream(b"PGDMP")
        )

    seen: list[str] = []
    hooks = {"request": [lambda request: seen.append(str(request.url))]}
    files = httpx.Client(transport=httpx.MockTransport(broken), event_hooks=hooks)
    with files, pytest.raises(UploadFailed, match="upload failed: ConnectError") as raised:
        restore_to(
            source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files
        )
    error = raised.value
    assert error.__cause__ is None
    assert error.__suppress_context__, "the cause, which quotes the URL, is not shown"
    assert not [url for url in seen if url in str(error) or url in repr(error)]


def test_an_unreachable_s3_is_an_upload_failure_naming_its_kind_and_nothing_chained(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    monkeypatch: pytest.MonkeyPatch,
    connections: Connections,
) -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    divio_sandbox.configure(upload_handler=S3)
    with pytest.raises(UploadFailed) as raised:
        restore_to(source(fresh_client), environment(fresh_client, "test"), policy=policy)
    error = raised.value
    assert str(error) == (
        "the s3-sts-v1 upload failed: EndpointConnectionError; nothing was restored"
    )
    assert (error.__cause__, error.__context__) == (None, None)
    assert [s for s in s3_credentials(divio_sandbox) if s in repr(error)] == []
    assert RESTORE not in divio_sandbox.stats()["requests"]
    assert "127.0.0.1" in connections.addresses
    assert connections.outside_loopback() == []


@pytest.mark.anyio
@pytest.mark.parametrize("handler", ["az-sas-v1", S3])
async def test_the_async_restore_to_copies_the_same_bytes(
    divio_sandbox: Sandbox, policy: PollPolicy, request: pytest.FixtureRequest, handler: str
) -> None:
    if handler == S3:
        request.getfixturevalue("bucket")
    divio_sandbox.configure(upload_handler=handler, download_size=2 * MIB, drop_downloads=1)
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        found = await aio.latest_backup(client, APP, "live")
        test = await (await bound_async.application(client, APP)).environment("test")
        restore = await aio.restore_to(found.service_instance_backup, test, policy=policy)
    assert (restore.finished, restore.success) == (True, "SUCCESS")
    with DivioClient(token=token, base_url=divio_sandbox.url) as sync:
        synced = bound.BackupRestore(sync, restore.model)
        assert content(copied(synced), policy) == content(source(sync), policy)


# Reading the upload answer, without a server.


def answer(handler: str, **parameters: object) -> dict[str, object]:
    target = {
        "handler": handler,
        "finish_url": "https://x.invalid/f",
        "upload_parameters": parameters,
    }
    return {"uuid": "b", "results": {"si": target}}


def test_an_azure_target_is_one_put_blob_of_at_most_5000_mib() -> None:
    target = upload_target(answer("az-sas-v1", url="https://x.invalid/blob?sig=s"), "si")
    assert target.headers["x-ms-blob-type"] == "BlockBlob"
    assert target.limit == 5000 * MIB
    target.check_size(5000 * MIB)
    with pytest.raises(UploadTooLarge):
        target.check_size(5000 * MIB + 1)


def test_an_unknown_handler_is_unsupported_and_the_known_ones_are_named() -> None:
    with pytest.raises(UnsupportedUploadHandler) as raised:
        upload_target(answer("gcs-v1", url="https://x.invalid/o"), "si")
    assert raised.value.handler == "gcs-v1"
    assert "exo-presigned-v1, az-sas-v1, s3-sts-v1" in str(raised.value)


def test_an_s3_target_shows_its_bucket_and_key_but_no_credential() -> None:
    offered = answer(
        S3,
        bucket="b",
        key="uploads/x",
        aws_access_key_id="ASIAKEYID",
        aws_secret_access_key="s3cr3t",
        aws_session_token="t0k3n",
    )
    target = upload_target(offered, "si")
    assert target.url is None
    assert target.s3 is not None
    assert (target.s3.bucket, target.s3.key) == ("b", "uploads/x")
    shown = repr(target)
    assert "uploads/x" in shown
    assert [s for s in ("ASIAKEYID", "s3cr3t", "t0k3n") if s in shown] == []


def test_an_s3_target_without_its_credentials_is_an_error() -> None:
    with pytest.raises(DivioError, match="lacks its finish_url or one of"):
        upload_target(answer(S3, bucket="b", key="k", aws_access_key_id="A"), "si")


def test_an_exoscale_target_that_wants_another_method_than_put_is_unsupported() -> None:
    offered = answer("exo-presigned-v1", url="https://x.invalid/o", http_method="POST")
    with pytest.raises(UnsupportedUploadHandler, match="exo-presigned-v1 with POST"):
        upload_target(offered, "si")


def test_a_target_without_its_url_or_for_another_instance_is_an_error() -> None:
    with pytest.raises(DivioError, match="lacks its url"):
        upload_target(answer("exo-presigned-v1", http_method="PUT"), "si")
    with pytest.raises(DivioError, match="no target for service instance other"):
        upload_target(answer("exo-presigned-v1", url="https://x.invalid/o"), "other")


def test_an_upload_target_never_shows_its_urls() -> None:
    target = upload_target(answer("az-sas-v1", url="https://x.invalid/blob?sig=s3cr3t"), "si")
    assert "x.invalid" not in repr(target)
    assert "s3cr3t" not in repr(target)


@pytest.mark.parametrize(("redirected", "step"), [("PUT", "upload"), ("POST", "finish request")])
def test_an_upload_or_finish_that_redirects_is_refused_not_followed(
    fresh_client: DivioClient, policy: PollPolicy, redirected: str, step: str
) -> None:
    """A redirect may lead to another signed URL, and a streamed upload cannot be sent twice:
    the transfer stops there, even with a files client that follows redirects."""
    elsewhere = "https://elsewhere.example/blob?sig=c2VjcmV0LXNpZ25hdHVyZQ"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == redirected:
            return httpx.Response(307, headers={"Location": elsewhere})
        if request.method == "GET":
            return httpx.Response(
                200, headers={"Content-Length": "5"}, stream=httpx.ByteStream(b"PGDMP")
            )
        return httpx.Response(201)

    seen: list[str] = []
    hooks = {"request": [lambda request: seen.append(str(request.url))]}
    files = httpx.Client(
        transport=httpx.MockTransport(answer), event_hooks=hooks, follow_redirects=True
    )
    with files, pytest.raises(UploadFailed, match=f"{step} answered HTTP 307") as raised:
        restore_to(
            source(fresh_client), environment(fresh_client, "test"), policy=policy, http=files
        )
    assert elsewhere not in seen
    assert "sig=" not in str(raised.value)
