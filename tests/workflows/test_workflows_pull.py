"""pull_backup: the file on disk is exactly what the server sent, or nothing is there."""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import itertools
import logging
import os
import socket
import stat
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.core.errors import DownloadFailed, InvalidArgument, ServerError
from divio_ext.resources import bound
from divio_ext.workflows import (
    PollPolicy,
    TransferProgress,
    aio,
    backup_download_url,
    create_backup,
    destinations,
    file_flow,
    latest_backup,
    pull_backup,
)
from divio_ext.workflows.pull import Transfer, default_filename, download, stream_file
from divio_sandbox import Sandbox
from divio_sandbox.waiting import SandboxTime
from tests.folders import leftovers
from tests.leaks import download_secrets, shown, told

MIB = 1024 * 1024


@pytest.fixture
def policy(divio_sandbox: Sandbox) -> PollPolicy:
    return PollPolicy(clock=SandboxTime(divio_sandbox.clock))


def sib_of(client: DivioClient, kind: str = "DATABASE") -> bound.ServiceInstanceBackup:
    return latest_backup(client, "example-application", "live", kind).service_instance_backup


def served(sb: Sandbox, client: DivioClient, kind: str, policy: PollPolicy) -> bytes:
    """The raw bytes the sandbox serves for that backup, fetched once with plain httpx."""
    url = backup_download_url(sib_of(client, kind), policy=policy)
    with httpx.stream("GET", url) as response:
        return b"".join(response.iter_raw())


def test_a_pulled_file_holds_exactly_the_served_bytes(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    divio_sandbox.configure(download_size=3 * MIB + 5)
    seen: list[TransferProgress] = []
    target = tmp_path / "live.dump"
    pulled = pull_backup(sib_of(fresh_client), target, policy=policy, on_transfer=seen.append)
    assert pulled.path == target
    assert pulled.size == 3 * MIB + 5
    expected = served(divio_sandbox, fresh_client, "DATABASE", policy)
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(expected).digest()
    assert leftovers(tmp_path) == ["live.dump"], "no temporary file is left behind"
    assert seen[-1].received == seen[-1].total == 3 * MIB + 5
    assert [p.received for p in seen] == sorted(p.received for p in seen)


def test_a_broken_transfer_is_resumed_with_range_and_the_file_is_still_exact(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    divio_sandbox.configure(download_size=4 * MIB, drop_downloads=2)
    seen: list[TransferProgress] = []
    target = tmp_path / "live.dump"
    pulled = pull_backup(sib_of(fresh_client), target, policy=policy, on_transfer=seen.append)
    assert pulled.size == 4 * MIB
    assert seen[-1].attempt == 3, "two transfers broke off, the third finished"
    # Each resumed transfer carried on from where the previous one stopped: no byte twice.
    assert max(p.received for p in seen if p.attempt == 1) == 2 * MIB
    expected = served(divio_sandbox, fresh_client, "DATABASE", policy)
    assert target.read_bytes() == expected


def test_when_every_try_breaks_off_nothing_is_left_under_the_name(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    divio_sandbox.configure(download_size=MIB, drop_downloads=10)
    target = tmp_path / "live.dump"
    with pytest.raises(DownloadFailed, match="broke off 3 times"):
        pull_backup(sib_of(fresh_client), target, policy=policy, attempts=3)
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_kept_until_the_new_one_is_complete(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    divio_sandbox.configure(download_size=MIB, drop_downloads=10)
    target = tmp_path / "live.dump"
    target.write_bytes(b"yesterday's dump")
    with pytest.raises(DownloadFailed):
        pull_backup(sib_of(fresh_client), target, policy=policy, attempts=2)
    assert target.read_bytes() == b"yesterday's dump"


def test_a_path_given_as_text_is_a_path(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    target = tmp_path / "live.dump"
    pulled = pull_backup(sib_of(fresh_client), str(target), policy=policy)
    assert pulled.path == target
    assert target.read_bytes() == served(divio_sandbox, fresh_client, "DATABASE", policy)


def test_a_symbolic_link_is_followed_and_kept(
    fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    real, link = tmp_path / "real.dump", tmp_path / "link.dump"
    real.write_bytes(b"yesterday's dump")
    link.symlink_to(real)
    pulled = pull_backup(sib_of(fresh_client), link, policy=policy)
    assert link.is_symlink(), "the link is still a link"
    assert real.read_bytes().startswith(b"PGDMP")
    assert pulled.path == real
    assert leftovers(tmp_path) == ["link.dump", "real.dump"]


def test_a_link_to_a_file_not_made_yet_is_followed_and_kept(
    fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    """The link was replaced by a regular file and its target never made (``>`` and ``curl -o``
    write through it)."""
    (tmp_path / "dumps").mkdir()
    real, link = tmp_path / "dumps" / "live.dump", tmp_path / "link.dump"
    link.symlink_to(real)
    pulled = pull_backup(sib_of(fresh_client), link, policy=policy)
    assert link.is_symlink(), "the link is still a link"
    assert real.read_bytes().startswith(b"PGDMP")
    assert pulled.path == real


def test_a_name_as_long_as_the_file_system_allows_is_written(
    fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    """It was refused as too long: the temporary file's name adds 15 bytes to it."""
    target = tmp_path / ("é" * 100 + "a" * 50 + ".dump")  # 255 bytes in UTF-8
    assert len(os.fsencode(target.name)) == 255
    pulled = pull_backup(sib_of(fresh_client), target, policy=policy)
    assert pulled.path == target
    assert leftovers(tmp_path) == [target.name]


def syncs_seen(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[tuple[Path, bool]]:
    """Each ``os.fsync`` from now on: what it synced, and whether ``target`` existed then."""
    seen: list[tuple[Path, bool]] = []
    real = os.fsync

    def fsync(handle: int) -> None:
        seen.append((Path(os.readlink(f"/proc/self/fd/{handle}")), target.exists()))
        real(handle)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names descriptors by /proc")
def test_a_pulled_file_is_on_disk_before_it_takes_its_name_and_the_name_after(
    fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing was synced: a machine that crashed right after a pull reported as done could
    leave an empty or partial file under the final name."""
    target = tmp_path / "live.dump"
    seen = syncs_seen(monkeypatch, target)
    pull_backup(sib_of(fresh_client), target, policy=policy)
    (file, named_then), (directory, named_after) = seen
    assert (file.parent, file.suffix, named_then) == (tmp_path, ".part", False)
    assert (directory, named_after) == (tmp_path, True)
    seen.clear()
    pull_backup(sib_of(fresh_client), target, policy=policy, sync=False)
    assert seen == []


class FirstPreparationFails(httpx.HTTPTransport):
    """The sandbox, except that the first request to prepare a download (and to create a
    backup) meets a proxy's 502."""

    def __init__(self) -> None:
        super().__init__()
        self.posts: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self.posts.append(request.url.path)
            if self.posts.count(request.url.path) == 1:
                return httpx.Response(502, text="<html>502 Bad Gateway</html>")
        return super().handle_request(request)


def test_asking_again_to_prepare_a_download_is_harmless_so_a_502_is_retried(
    divio_sandbox: Sandbox, policy: PollPolicy, tmp_path: Path
) -> None:
    transport = FirstPreparationFails()
    token = divio_sandbox.tokens["alice"]
    with DivioClient(token, base_url=divio_sandbox.url, transport=transport) as client:
        sib = sib_of(client)
        pulled = pull_backup(sib, tmp_path / "live.dump", policy=policy)
        with pytest.raises(ServerError, match="the server may have acted on it"):
            create_backup(sib.backup().environment(), wait=False)  # a write that changes data
    assert pulled.size > 0
    assert transport.posts == ["/apps/v3/backup-downloads/"] * 2 + ["/apps/v3/backups/"]


def test_a_gzip_encoded_storage_archive_is_saved_as_the_tar_gz_it_is(
    fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    sib = sib_of(fresh_client, "STORAGE")
    target = tmp_path / default_filename(sib, "example-application", "live")
    pull_backup(sib, target, policy=policy)
    assert target.name.endswith(".tar.gz")
    data = target.read_bytes()
    assert data.startswith(b"\x1f\x8b"), "still gzip-compressed"
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as archive:
        assert "manifest.json" in archive.getnames()


def test_a_stream_destination_gets_the_bytes_as_they_come(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    divio_sandbox.configure(download_size=MIB, drop_downloads=1)
    sink = io.BytesIO()
    pulled = pull_backup(sib_of(fresh_client), sink, policy=policy)
    assert pulled.path is None
    assert sink.getvalue() == served(divio_sandbox, fresh_client, "DATABASE", policy)


def test_a_named_pipe_gets_the_bytes_and_stays_a_pipe(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    # `mkfifo dump && pg_restore < dump & divio-ext backup pull APP ENV -o dump`: renaming a
    # finished temporary file over the pipe would replace it, and the reader would get nothing.
    divio_sandbox.configure(download_size=MIB + 3, drop_downloads=1)
    pipe = tmp_path / "restore.pipe"
    os.mkfifo(pipe)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_bytes()), daemon=True)
    reader.start()
    try:
        pulled = pull_backup(sib_of(fresh_client), pipe, policy=policy)
    finally:
        reader.join(timeout=30)
    assert stat.S_ISFIFO(pipe.stat().st_mode), "still the pipe"
    assert pulled.path == pipe
    assert pulled.size == MIB + 3
    assert read == [served(divio_sandbox, fresh_client, "DATABASE", policy)]
    assert leftovers(tmp_path) == ["restore.pipe"]


@pytest.mark.anyio
async def test_the_async_pull_waits_for_a_pipes_reader_without_holding_up_the_event_loop(
    divio_sandbox: Sandbox, policy: PollPolicy, tmp_path: Path
) -> None:
    pipe = tmp_path / "restore.pipe"
    os.mkfifo(pipe)
    read: list[bytes] = []

    def late_reader() -> None:  # pg_restore, started a little after the pull
        time.sleep(0.8)
        read.append(pipe.read_bytes())

    ticks: list[float] = []

    async def tick() -> None:
        while not read:
            ticks.append(time.monotonic())
            await anyio.sleep(0.01)

    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        found = await aio.latest_backup(client, "example-application", "live")
        threading.Thread(target=late_reader, daemon=True).start()
        async with anyio.create_task_group() as group:
            group.start_soon(tick)
            pulled = await aio.pull_backup(found.service_instance_backup, pipe, policy=policy)
    assert pulled.size == len(read[0])
    # While the pull waited 0.8 s for the reader, the event loop went on running other tasks.
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.4


@pytest.mark.anyio
async def test_a_timeout_while_a_pipe_waits_for_its_reader_ends_the_pull_at_once(
    divio_sandbox: Sandbox, policy: PollPolicy, tmp_path: Path
) -> None:
    """The pipe was opened by a worker thread blocked in ``open``: the timeout waited for a
    reader to come (here 2 s later; without one, for ever), and that reader got nothing."""
    pipe = tmp_path / "restore.pipe"
    os.mkfifo(pipe)
    reader = threading.Timer(2.0, lambda: os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)))
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        found = await aio.latest_backup(client, "example-application", "live")
        sib = found.service_instance_backup
        reader.start()
        started = time.monotonic()
        with anyio.move_on_after(0.5) as scope:
            await aio.pull_backup(sib, pipe, policy=policy)
        waited = time.monotonic() - started
    reader.cancel()
    assert scope.cancelled_caught
    assert waited < 1.5
    assert leftovers(tmp_path) == ["restore.pipe"]


def test_a_device_in_a_directory_closed_to_new_files_is_still_written(
    fresh_client: DivioClient,
    policy: PollPolicy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As /dev/null is for anyone but root: writable, in a directory where no file can be made.
    def refused(destination: Path) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(destination.parent))

    monkeypatch.setattr(destinations, "_temporary", refused)
    pulled = pull_backup(sib_of(fresh_client), Path(os.devnull), policy=policy)
    assert pulled.path == Path(os.devnull)
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
    assert pulled.size > 0


PREPARE = "POST /apps/v3/backup-downloads/"


def test_a_path_in_a_missing_directory_fails_before_the_server_prepares_anything(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    sib = sib_of(fresh_client)
    divio_sandbox.reset_stats()
    with pytest.raises(FileNotFoundError) as raised:
        pull_backup(sib, tmp_path / "missing" / "live.dump", policy=policy)
    assert raised.value.filename == str(tmp_path / "missing")
    assert PREPARE not in divio_sandbox.stats()["requests"]
    assert leftovers(tmp_path) == []


def test_a_directory_is_not_a_destination_and_is_left_as_it_was(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy, tmp_path: Path
) -> None:
    sib = sib_of(fresh_client)
    (tmp_path / "dumps").mkdir()
    divio_sandbox.reset_stats()
    with pytest.raises(IsADirectoryError):
        pull_backup(sib, tmp_path / "dumps", policy=policy)
    assert PREPARE not in divio_sandbox.stats()["requests"]
    assert leftovers(tmp_path / "dumps") == []


def test_a_socket_file_is_refused_at_once_not_waited_on_as_a_pipe(
    fresh_client: DivioClient, policy: PollPolicy
) -> None:
    """Opening one is ENXIO, as a pipe without a reader is: the pull waited for ever."""
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:  # a socket's path is short
        path = Path(folder) / "sock"
        with socket.socket(socket.AF_UNIX) as listening:
            listening.bind(str(path))
            with pytest.raises(OSError, match=os.strerror(errno.ENXIO)) as raised:
                pull_backup(sib_of(fresh_client), path, policy=policy)
    assert raised.value.errno == errno.ENXIO


@pytest.mark.parametrize(
    ("name", "error"),
    [("dumps/.", IsADirectoryError), ("loop", OSError)],
    ids=["dot", "link-loop"],
)
def test_a_path_that_names_no_file_is_refused_before_any_request(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    tmp_path: Path,
    name: str,
    error: type[Exception],
) -> None:
    """``dumps/.`` wrote a file named ``dumps``; a loop of links raised ``RuntimeError``."""
    sib = sib_of(fresh_client)
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    divio_sandbox.reset_stats()
    with pytest.raises(error) as raised:
        pull_backup(sib, tmp_path / name if name == "loop" else f"{tmp_path}/{name}")
    assert type(raised.value) is not RuntimeError
    assert divio_sandbox.stats()["total"] == 0
    assert leftovers(tmp_path) == ["loop"]


def test_an_empty_path_is_refused_not_taken_for_the_current_directory(
    divio_sandbox: Sandbox, fresh_client: DivioClient, policy: PollPolicy
) -> None:
    sib = sib_of(fresh_client)
    divio_sandbox.reset_stats()
    with pytest.raises(InvalidArgument, match="an empty path names no file"):
        pull_backup(sib, "", policy=policy)
    assert divio_sandbox.stats()["total"] == 0


@pytest.mark.anyio
async def test_the_async_pull_checks_its_path_before_the_server_prepares_anything(
    divio_sandbox: Sandbox, policy: PollPolicy, tmp_path: Path
) -> None:
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        found = await aio.latest_backup(client, "example-application", "live")
        divio_sandbox.reset_stats()
        with pytest.raises(FileNotFoundError):
            await aio.pull_backup(
                found.service_instance_backup, tmp_path / "missing" / "x.dump", policy=policy
            )
    assert PREPARE not in divio_sandbox.stats()["requests"]


@pytest.mark.anyio
async def test_the_async_pull_resumes_the_same_way(
    divio_sandbox: Sandbox, policy: PollPolicy, tmp_path: Path
) -> None:
    divio_sandbox.configure(download_size=2 * MIB, drop_downloads=1)
    target = tmp_path / "live.dump"
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        found = await aio.latest_backup(client, "example-application", "live")
        pulled = await aio.pull_backup(found.service_instance_backup, target, policy=policy)
    assert pulled.size == 2 * MIB
    with DivioClient(token=token, base_url=divio_sandbox.url) as sync:
        assert target.read_bytes() == served(divio_sandbox, sync, "DATABASE", policy)


def test_a_pull_logs_no_presigned_download_url(
    fresh_client: DivioClient, policy: PollPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    urls: list[str] = []
    hooks = {"request": [lambda request: urls.append(str(request.url))]}
    caplog.set_level(logging.DEBUG)  # every logger: divio_ext's, httpx's and httpcore's
    with httpx.Client(event_hooks=hooks) as files:
        pull_backup(sib_of(fresh_client), io.BytesIO(), policy=policy, http=files)
    assert "HTTP Request: GET" in caplog.text, "httpx logged the download"
    assert urls, "the file was fetched"
    assert [url for url in urls if url in caplog.text] == []


@pytest.mark.anyio
async def test_the_async_pull_logs_no_presigned_download_url(
    divio_sandbox: Sandbox, policy: PollPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    urls: list[str] = []

    async def record(request: httpx.Request) -> None:
        urls.append(str(request.url))

    caplog.set_level(logging.DEBUG)
    token = divio_sandbox.tokens["alice"]
    async with (
        AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client,
        httpx.AsyncClient(event_hooks={"request": [record]}) as files,
    ):
        found = await aio.latest_backup(client, "example-application", "live")
        await aio.pull_backup(
            found.service_instance_backup, io.BytesIO(), policy=policy, http=files
        )
    assert "HTTP Request: GET" in caplog.text
    assert urls, "the file was fetched"
    assert [url for url in urls if url in caplog.text] == []


def test_a_download_redirected_to_another_signed_url_logs_neither_url(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    divio_sandbox.configure(redirect_downloads=True, download_size=MIB, drop_downloads=1)
    caplog.set_level(logging.DEBUG)  # httpx's request lines and httpcore's response headers
    pulled = pull_backup(sib_of(fresh_client), tmp_path / "live.dump", policy=policy)
    assert pulled.size == MIB, "the redirect was followed, and the transfer resumed after it"
    assert '"HTTP/1.1 302 Found"' in caplog.text, "httpx logged the redirect"
    assert shown(download_secrets(divio_sandbox), caplog.text) == []


def test_a_transfer_that_breaks_off_after_a_redirect_quotes_neither_url(
    divio_sandbox: Sandbox,
    fresh_client: DivioClient,
    policy: PollPolicy,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    divio_sandbox.configure(redirect_downloads=True, download_size=MIB, drop_downloads=10)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DownloadFailed, match="broke off 2 times") as raised:
        pull_backup(sib_of(fresh_client), tmp_path / "live.dump", policy=policy, attempts=2)
    assert shown(download_secrets(divio_sandbox), told(raised.value), caplog.text) == []


@pytest.mark.anyio
async def test_the_async_pull_of_a_redirected_download_shows_neither_url(
    divio_sandbox: Sandbox, policy: PollPolicy, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    divio_sandbox.configure(redirect_downloads=True, download_size=MIB, drop_downloads=1)
    caplog.set_level(logging.DEBUG)
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        sib = (
            await aio.latest_backup(client, "example-application", "live")
        ).service_instance_backup
        pulled = await aio.pull_backup(sib, tmp_path / "live.dump", policy=policy)
        assert pulled.size == MIB
        divio_sandbox.configure(drop_downloads=10)
        with pytest.raises(DownloadFailed) as raised:
            await aio.pull_backup(sib, io.BytesIO(), policy=policy, attempts=2)
    assert '"HTTP/1.1 302 Found"' in caplog.text
    assert shown(download_secrets(divio_sandbox), told(raised.value), caplog.text) == []


# The rules themselves, without a server.


def test_a_resumed_request_asks_for_the_rest_and_guards_it_with_the_validator() -> None:
    transfer = Transfer()
    assert transfer.request_headers() == {"Accept-Encoding": "identity"}
    transfer.start(200, {"content-length": "100", "etag": '"v1"'})
    transfer.accept(b"x" * 40)
    transfer.interrupted(httpx.ReadError("gone"))
    assert transfer.request_headers() == {
        "Accept-Encoding": "identity",
        "Range": "bytes=40-",
        "If-Range": '"v1"',
    }


def test_a_server_that_ignores_range_has_the_written_bytes_skipped() -> None:
    transfer = Transfer()
    transfer.start(200, {"content-length": "10", "last-modified": "Mon, 01 Jun 2026 10:00:00 GMT"})
    assert transfer.accept(b"abcd") == b"abcd"
    transfer.interrupted(None)
    transfer.start(200, {"content-length": "10", "last-modified": "Mon, 01 Jun 2026 10:00:00 GMT"})
    assert transfer.accept(b"abcdef") == b"ef"
    assert transfer.accept(b"ghij") == b"ghij"
    assert transfer.complete()


def test_the_whole_file_again_without_a_validator_fails_rather_than_splicing_two_files() -> None:
    """It was taken for the same file: its first bytes were skipped and the rest appended, so
    a file that had changed left a spliced dump that was reported as pulled."""
    transfer = Transfer()
    transfer.start(200, {"content-length": "10"})
    transfer.accept(b"OOOO")
    transfer.interrupted(None)
    with pytest.raises(DownloadFailed, match="whole file again, without an ETag or Last-Modified"):
        transfer.start(200, {"content-length": "10"})


def test_a_resumed_file_of_another_size_fails_at_once() -> None:
    """It was resumed four more times against the first size, then reported as broken off."""
    transfer = Transfer()
    transfer.start(200, {"content-length": "100", "etag": '"v1"'})
    transfer.accept(b"x" * 40)
    transfer.interrupted(None)
    with pytest.raises(DownloadFailed, match="its size went from 100 to 150 bytes"):
        transfer.start(206, {"content-range": "bytes 40-149/150"})


def test_the_size_the_file_server_states_replaces_the_apis() -> None:
    transfer = Transfer(expected_size=692_017_127)
    transfer.start(200, {"content-length": "73"})
    assert transfer.total == 73


def test_a_file_that_changed_between_tries_fails_rather_than_mixing_versions() -> None:
    transfer = Transfer()
    transfer.start(200, {"content-length": "10", "etag": '"v1"'})
    transfer.accept(b"abcd")
    transfer.interrupted(None)
    with pytest.raises(DownloadFailed, match="changed"):
        transfer.start(200, {"content-length": "12", "etag": '"v2"'})


def test_a_resume_at_the_wrong_offset_fails() -> None:
    transfer = Transfer()
    transfer.start(200, {"content-length": "10"})
    transfer.accept(b"abcd")
    with pytest.raises(DownloadFailed, match="resumed at byte 0 instead of 4"):
        transfer.start(206, {"content-range": "bytes 0-9/10"})


def test_sizes_written_with_other_digits_than_ascii_are_not_read() -> None:
    """Headers are read as Latin-1 and ``"²".isdigit()`` is true: ``int("²")`` then raised a
    bare ``ValueError`` out of the pull instead of a ``DownloadFailed``."""
    transfer = Transfer(expected_size=10)
    transfer.start(200, {"content-length": "\u00b2", "etag": '"v1"'})
    assert transfer.total == 10  # an unreadable length states nothing
    transfer.accept(b"abcde")
    transfer.interrupted(None)
    with pytest.raises(DownloadFailed, match="unreadable Content-Range"):
        transfer.start(206, {"content-range": "bytes \u00b2-9/10"})
    transfer.start(206, {"content-range": "bytes 5-9/1\u00b2"})  # a total of none: unknown
    assert transfer.total == 10


def test_more_bytes_than_stated_fail_and_fewer_are_not_complete() -> None:
    transfer = Transfer()
    transfer.start(200, {"content-length": "4"})
    transfer.accept(b"abc")
    assert not transfer.complete()
    with pytest.raises(DownloadFailed, match="more than the 4 bytes"):
        transfer.accept(b"de")


def test_without_a_stated_length_the_size_the_api_reported_is_checked() -> None:
    transfer = Transfer(expected_size=5)
    transfer.start(200, {})
    transfer.accept(b"abc")
    assert not transfer.complete()
    transfer.accept(b"de")
    assert transfer.complete()


def test_an_error_status_fails_at_once() -> None:
    with pytest.raises(DownloadFailed, match="HTTP 403"):
        Transfer().start(403, {})


def test_a_file_server_that_keeps_redirecting_fails_without_quoting_where_to() -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/again?sig=c2VjcmV0"})

    url = "https://files.test/dump?sig=b3JpZ2luYWw"
    files = httpx.Client(transport=httpx.MockTransport(loop))
    with files, pytest.raises(DownloadFailed, match="redirected more than 5 times") as raised:
        stream_file(url, io.BytesIO(), http=files)
    assert shown({url, "c2VjcmV0"}, told(raised.value)) == []


class EndsAbruptly(httpx.SyncByteStream):
    """A body that breaks off after ``data``: a chunked body whose last chunk never came."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self.data
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


def test_a_body_that_breaks_off_after_every_stated_byte_is_complete() -> None:
    """Without a Content-Length the size the API reported is what is checked; a transfer that
    has all of it is not asked to resume past the end (a 416 would fail the download)."""
    asked: list[httpx.Request] = []

    def chunked(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, stream=EndsAbruptly(b"x" * 1000))

    sink = io.BytesIO()
    with httpx.Client(transport=httpx.MockTransport(chunked)) as files:
        size = stream_file("https://files.test/dump", sink, expected_size=1000, http=files)
    assert (size, sink.getvalue()) == (1000, b"x" * 1000)
    assert len(asked) == 1, "no resume was asked for"


def already_read(request: httpx.Request) -> httpx.Response:
    """A file answered as test mocks and recorded cassettes answer: built with ``content=``,
    so httpx has read its body already (here a gzip-encoded one, to be kept as sent)."""
    body = gzip.compress(b"archive")
    headers = {"content-length": str(len(body)), "content-encoding": "gzip"}
    return httpx.Response(200, content=body, headers=headers)


def test_a_file_answered_with_its_body_already_read_is_written_as_sent() -> None:
    """It failed with httpx's StreamConsumed, from inside httpx."""
    sink = io.BytesIO()
    with httpx.Client(transport=httpx.MockTransport(already_read)) as files:
        size = stream_file("https://files.test/dump", sink, http=files)
    assert sink.getvalue() == gzip.compress(b"archive")
    assert size == len(sink.getvalue())


@pytest.mark.anyio
async def test_the_async_flow_writes_a_body_already_read_as_sent() -> None:
    sink = io.BytesIO()
    async with httpx.AsyncClient(transport=httpx.MockTransport(already_read)) as files:
        size = await file_flow.arun(download("https://files.test/dump", sink), files)
    assert (size, sink.getvalue()) == (len(sink.getvalue()), gzip.compress(b"archive"))
