"""What the workflows refuse at the call, before any request: objects of the other kind of
client, and waiting and transfer options that would fail only once the work is running."""

from __future__ import annotations

import io
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.errors import InvalidArgument
from divio_ext.resources import bound, bound_async
from divio_ext.workflows import (
    aio,
    backup_download_url,
    backup_status,
    create_backup,
    deploy,
    latest_backup,
    pull_backup,
    restore_backup,
    restore_to,
)
from divio_ext.workflows.copy_restore import check_workdir
from divio_sandbox import Sandbox

APP = "example-application"


@pytest.fixture
def objects(divio_sandbox: Sandbox) -> Iterator[tuple[Any, Any, Any, Any]]:
    """A sync and an async live environment and latest database backup of the sandbox (the
    async ones bound to a client that is never opened: nothing may be sent through it)."""
    sb = divio_sandbox
    async_client = AsyncDivioClient(token=sb.tokens["alice"], base_url=sb.url)
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as sync_client:
        found = latest_backup(sync_client, APP, "live")
        env, sib = found.environment, found.service_instance_backup
        async_env = bound_async.AsyncEnvironment(async_client, env.model)
        async_sib = bound_async.AsyncServiceInstanceBackup(async_client, sib.model)
        sb.reset_stats()
        yield env, sib, async_env, async_sib


SYNC: dict[str, Callable[[Any, Any], Any]] = {
    "create_backup": lambda env, sib: create_backup(env),
    "restore_backup": lambda env, sib: restore_backup(sib),
    "restore_to": lambda env, sib: restore_to(sib, env),
    "backup_download_url": lambda env, sib: backup_download_url(sib),
    "pull_backup": lambda env, sib: pull_backup(sib, "/dev/null"),
    "deploy": lambda env, sib: deploy(env),
}
ASYNC: dict[str, Callable[[Any, Any], Awaitable[Any]]] = {
    "create_backup": lambda env, sib: aio.create_backup(env),
    "restore_backup": lambda env, sib: aio.restore_backup(sib),
    "restore_to": lambda env, sib: aio.restore_to(sib, env),
    "backup_download_url": lambda env, sib: aio.backup_download_url(sib),
    "pull_backup": lambda env, sib: aio.pull_backup(sib, "/dev/null"),
    "deploy": lambda env, sib: aio.deploy(env),
}


@pytest.mark.parametrize("workflow", sorted(ASYNC))
def test_an_async_workflow_given_a_sync_clients_object_sends_nothing(
    divio_sandbox: Sandbox, objects: tuple[Any, Any, Any, Any], workflow: str
) -> None:
    """``aio.restore_backup(sync_sib)`` once restored (the sync client ran the plan), then
    failed to await the answer: a retry restored twice."""
    env, sib, _, _ = objects
    with pytest.raises(TypeError, match=r"DivioClient's objects go to divio_ext.workflows, not"):
        anyio.run(lambda: ASYNC[workflow](env, sib))
    assert divio_sandbox.stats()["total"] == 0


@pytest.mark.parametrize("workflow", sorted(SYNC))
def test_a_sync_workflow_given_an_async_clients_object_is_refused_not_a_silent_no_op(
    divio_sandbox: Sandbox, objects: tuple[Any, Any, Any, Any], workflow: str
) -> None:
    """``restore_backup(async_sib)`` once returned a restore that was never sent."""
    _, _, async_env, async_sib = objects
    with pytest.raises(TypeError, match=r"an AsyncDivioClient's objects go to .*\.aio"):
        SYNC[workflow](async_env, async_sib)
    assert divio_sandbox.stats()["total"] == 0


def test_a_name_where_an_object_is_taken_is_refused_with_the_argument_named(
    objects: tuple[Any, Any, Any, Any],
) -> None:
    env, sib, _, _ = objects
    with pytest.raises(TypeError, match=r"^environment takes an Environment, not str$"):
        create_backup("live")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^environment takes an Environment, not Application$"):
        restore_to(sib, bound.application(env.client, APP))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^sib takes a ServiceInstanceBackup, not divio_api\."):
        restore_backup(sib.model)  # the generated model, not the bound object


def test_a_client_of_the_other_kind_is_refused_before_any_request(
    divio_sandbox: Sandbox,
) -> None:
    sb = divio_sandbox
    divio_sandbox.reset_stats()
    with DivioClient(token=sb.tokens["alice"], base_url=sb.url) as client:
        with pytest.raises(TypeError, match=r"^client takes an AsyncDivioClient, not DivioClient"):
            anyio.run(lambda: aio.latest_backup(client, APP, "live"))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"^client takes an AsyncDivioClient, not DivioClient"):
            anyio.run(lambda: aio.backup_status(client))  # type: ignore[arg-type]
    async_client = AsyncDivioClient(token=sb.tokens["alice"], base_url=sb.url)
    with pytest.raises(TypeError, match=r"^client takes a DivioClient, not AsyncDivioClient"):
        backup_status(async_client)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^client takes a DivioClient, not str$"):
        latest_backup("my-token", APP, "live")  # type: ignore[arg-type]
    assert divio_sandbox.stats()["total"] == 0


@pytest.mark.parametrize(
    ("options", "refused"),
    [
        ({"policy": 5}, "policy takes a PollPolicy, not int"),
        ({"on_progress": "print"}, "on_progress takes a function, not str"),
    ],
)
def test_waiting_options_that_cannot_work_are_refused_before_the_work_starts(
    divio_sandbox: Sandbox,
    objects: tuple[Any, Any, Any, Any],
    options: dict[str, Any],
    refused: str,
) -> None:
    """``create_backup(live, policy=5)`` once created the backup, then failed while waiting."""
    env, sib, _, _ = objects
    with pytest.raises(TypeError, match=refused):
        create_backup(env, **options)
    with pytest.raises(TypeError, match=refused):
        restore_backup(sib, **options)
    with pytest.raises(TypeError, match=refused):
        pull_backup(sib, "/dev/null", **options)
    assert not [request for request in divio_sandbox.stats()["requests"] if "POST" in request]


def _posts(sb: Sandbox) -> list[str]:
    return [request for request in sb.stats()["requests"] if "POST" in request]


TRANSFER_OPTIONS = [
    ({"on_transfer": "print"}, TypeError, "on_transfer takes a function, not str"),
    ({"attempts": "3"}, TypeError, "attempts takes an int, not str"),
    ({"attempts": 0}, InvalidArgument, "attempts must be 1 or more, not 0"),
]


@pytest.mark.parametrize(("options", "error", "refused"), TRANSFER_OPTIONS)
def test_transfer_options_that_cannot_work_are_refused_before_anything_is_asked(
    divio_sandbox: Sandbox,
    objects: tuple[Any, Any, Any, Any],
    options: dict[str, Any],
    error: type[Exception],
    refused: str,
) -> None:
    """They failed only once the file came: after the download was prepared, and for
    ``restore_to`` after an upload backup had been created in the target and left there."""
    env, sib, async_env, async_sib = objects
    with pytest.raises(error, match=refused):
        pull_backup(sib, "/dev/null", **options)
    with pytest.raises(error, match=refused):
        restore_to(sib, env, **options)
    with pytest.raises(error, match=refused):
        anyio.run(lambda: aio.pull_backup(async_sib, "/dev/null", **options))
    with pytest.raises(error, match=refused):
        anyio.run(lambda: aio.restore_to(async_sib, async_env, **options))
    assert _posts(divio_sandbox) == []


def test_an_upload_callback_or_a_file_client_of_the_other_kind_is_refused_first(
    divio_sandbox: Sandbox, objects: tuple[Any, Any, Any, Any]
) -> None:
    env, sib, async_env, async_sib = objects
    with pytest.raises(TypeError, match="on_upload takes a function, not int"):
        restore_to(sib, env, on_upload=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^http takes an httpx.Client, not AsyncClient$"):
        pull_backup(sib, "/dev/null", http=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^http takes an httpx.AsyncClient, not Client$"):
        anyio.run(lambda: aio.restore_to(async_sib, async_env, http=httpx.Client()))  # type: ignore[arg-type]
    assert _posts(divio_sandbox) == []


def test_a_workdir_that_cannot_hold_the_copy_is_refused_before_the_target_is_asked(
    divio_sandbox: Sandbox, objects: tuple[Any, Any, Any, Any], tmp_path: Path
) -> None:
    """The temporary file was made only once the upload backup existed in the target, which
    the ``FileNotFoundError`` then left unfinished there."""
    env, sib, async_env, async_sib = objects
    missing, a_file = tmp_path / "missing", tmp_path / "file"
    a_file.write_bytes(b"")
    with pytest.raises(FileNotFoundError, match=f"'{missing}'$"):
        restore_to(sib, env, workdir=missing)
    with pytest.raises(NotADirectoryError, match=f"'{a_file}'$"):
        anyio.run(lambda: aio.restore_to(async_sib, async_env, workdir=a_file))
    assert _posts(divio_sandbox) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize(
    ("destination", "error", "refused"),
    [
        (None, TypeError, "destination takes a path or a binary stream, not NoneType"),
        (b"live.dump", TypeError, "not bytes"),
        (1, TypeError, "not int"),
        (io.StringIO(), TypeError, r"not StringIO \(for standard output: sys.stdout.buffer\)"),
        (io.BufferedReader(io.BytesIO()), InvalidArgument, "the stream is not open for writing"),
    ],
    ids=["none", "bytes", "descriptor", "text-stream", "read-only-stream"],
)
def test_a_destination_that_is_no_writable_binary_stream_is_refused_before_any_request(
    divio_sandbox: Sandbox,
    objects: tuple[Any, Any, Any, Any],
    destination: object,
    error: type[Exception],
    refused: str,
) -> None:
    """It was taken for a stream: the download was prepared and waited for, then writing it
    failed with an ``AttributeError`` or ``UnsupportedOperation``."""
    _, sib, _, async_sib = objects
    with pytest.raises(error, match=refused):
        pull_backup(sib, destination)  # type: ignore[arg-type]
    with pytest.raises(error, match=refused):
        anyio.run(lambda: aio.pull_backup(async_sib, destination))  # type: ignore[arg-type]
    assert divio_sandbox.stats()["total"] == 0


def test_a_path_ending_with_a_separator_names_a_directory_not_a_file(
    divio_sandbox: Sandbox, objects: tuple[Any, Any, Any, Any], tmp_path: Path
) -> None:
    """``pull_backup(sib, "dumps/")`` for a missing ``dumps`` wrote a file named ``dumps``."""
    _, sib, _, _ = objects
    with pytest.raises(IsADirectoryError, match="names a directory, not a file"):
        pull_backup(sib, f"{tmp_path / 'dumps'}/")
    assert list(tmp_path.iterdir()) == []
    assert divio_sandbox.stats()["total"] == 0


def test_a_workdir_given_as_bytes_is_a_path_too(tmp_path: Path) -> None:
    """``tempfile`` takes one, as it did before ``workdir`` was checked."""
    check_workdir(os.fsencode(tmp_path))
    with pytest.raises(FileNotFoundError, match=f"'{tmp_path}/missing'$"):
        check_workdir(os.fsencode(tmp_path / "missing"))
