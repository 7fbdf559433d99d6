"""What the workflows refuse at the call, before any request: objects of the other kind of
client, and waiting options that would fail only once the work is running."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio
import pytest

from divio_ext import AsyncDivioClient, DivioClient
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
