"""The workflows for an :class:`~divio_ext.AsyncDivioClient`: the same plans, awaited.

Each function here runs the plan of its sync namesake in ``divio_ext.workflows`` (written once,
as a generator of steps) on the async client, and wraps the models it returns in the async
bound objects of ``divio_ext.resources.bound_async``::

    from divio_ext.workflows import aio

    async with AsyncDivioClient() as client:
        found = await aio.latest_backup(client, "example-application", "live")
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Collection, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import anyio
import httpx

from divio_ext.core import errors
from divio_ext.resources import bound_async as bound
from divio_ext.workflows import (
    arguments,
    backups,
    deployments,
    destinations,
    file_flow,
    latest,
    logs,
    pull,
    status,
    variables,
)
from divio_ext.workflows import copy_restore as copying
from divio_ext.workflows.latest import Found, LatestBackupOf
from divio_ext.workflows.status import DEFAULT_MAX_AGE, BackupStatusOf, Binder
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback

if TYPE_CHECKING:
    from divio_ext.resources.client import AsyncDivioClient
    from divio_ext.resources.models import LogEntry

__all__ = [
    "AsyncBackupStatus",
    "AsyncLatestBackup",
    "backup_download_url",
    "backup_status",
    "create_backup",
    "deploy",
    "deployment_log",
    "environment_logs",
    "environment_variables",
    "latest_backup",
    "latest_deployment",
    "pull_backup",
    "restore_backup",
    "restore_to",
]

T = TypeVar("T")

AsyncLatestBackup = LatestBackupOf[
    bound.AsyncServiceInstanceBackup,
    bound.AsyncBackup,
    bound.AsyncServiceInstance,
    bound.AsyncEnvironment,
    bound.AsyncApplication,
]
AsyncBackupStatus = BackupStatusOf[
    bound.AsyncServiceInstanceBackup,
    bound.AsyncBackup,
    bound.AsyncServiceInstance,
    bound.AsyncEnvironment,
    bound.AsyncApplication,
]


async def latest_backup(
    client: AsyncDivioClient,
    application: str,
    environment: str,
    service_type: str = "DATABASE",
    prefix: str = "DEFAULT",
) -> AsyncLatestBackup:
    """:func:`divio_ext.workflows.latest_backup`, awaited."""
    arguments.client(client, asynchronous=True)
    found = await client.run(latest.plan(application, environment, service_type, prefix))
    return _bind_latest(client, found)


def _bind_latest(client: AsyncDivioClient, found: Found) -> AsyncLatestBackup:
    return LatestBackupOf(
        service_instance_backup=bound.AsyncServiceInstanceBackup(
            client, found.service_instance_backup
        ),
        backup=bound.AsyncBackup(client, found.backup, parts=[found.service_instance_backup]),
        service_instance=bound.AsyncServiceInstance(client, found.service_instance),
        environment=bound.AsyncEnvironment(client, found.environment),
        application=bound.AsyncApplication(client, found.application),
    )


async def backup_status(
    client: AsyncDivioClient,
    applications: str | Sequence[str] | None = None,
    environments: str | Sequence[str] | None = None,
    service_type: str = "DATABASE",
    prefix: str = "DEFAULT",
    max_age: datetime.timedelta = DEFAULT_MAX_AGE,
    *,
    now: datetime.datetime | None = None,
) -> list[AsyncBackupStatus]:
    """:func:`divio_ext.workflows.backup_status`, awaited."""
    arguments.client(client, asynchronous=True)
    moment = status.measured_at(max_age, now)
    checked = await client.run(status.plan(applications, environments, service_type, prefix))
    binder = Binder(
        latest=partial(_bind_latest, client),
        application=partial(bound.AsyncApplication, client),
        environment=partial(bound.AsyncEnvironment, client),
        service_instance=partial(bound.AsyncServiceInstance, client),
    )
    return [binder(item, max_age, moment) for item in checked]


async def create_backup(
    environment: bound.AsyncEnvironment,
    service_type: str | None = "DATABASE",
    prefix: str | None = "DEFAULT",
    *,
    notes: str | None = None,
    wait: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> bound.AsyncBackup:
    """:func:`divio_ext.workflows.create_backup`, awaited."""
    arguments.of_client("environment", environment, bound.AsyncEnvironment)
    plan = backups.create_backup_plan(
        environment.model, service_type, prefix, notes, wait, policy, on_progress
    )
    backup, parts = await environment.client.run(plan)
    return bound.AsyncBackup(environment.client, backup, parts=parts)


async def backup_download_url(
    sib: bound.AsyncServiceInstanceBackup,
    *,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> str:
    """:func:`divio_ext.workflows.backup_download_url`, awaited."""
    arguments.of_client("sib", sib, bound.AsyncServiceInstanceBackup)
    return await sib.client.run(backups.download_url_plan(sib.model, policy, on_progress))


async def restore_backup(
    sib: bound.AsyncServiceInstanceBackup,
    *,
    notes: str | None = None,
    wait: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> bound.AsyncBackupRestore:
    """:func:`divio_ext.workflows.restore_backup`, awaited."""
    arguments.of_client("sib", sib, bound.AsyncServiceInstanceBackup)
    plan = backups.restore_plan(sib.model, notes, wait, policy, on_progress)
    return bound.AsyncBackupRestore(sib.client, await sib.client.run(plan))


async def restore_to(
    sib: bound.AsyncServiceInstanceBackup,
    environment: bound.AsyncEnvironment,
    *,
    notes: str | None = None,
    wait: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    on_transfer: pull.TransferCallback | None = None,
    on_upload: pull.TransferCallback | None = None,
    attempts: int = pull.ATTEMPTS,
    http: httpx.AsyncClient | None = None,
    workdir: Path | None = None,
    across_applications: bool = False,
) -> bound.AsyncBackupRestore:
    """:func:`divio_ext.workflows.copy_restore.restore_to`, awaited (the same plans, and the
    same flow for the file, :func:`~divio_ext.workflows.copy_restore.transfer_flow`)."""
    arguments.of_client("sib", sib, bound.AsyncServiceInstanceBackup)
    arguments.of_client("environment", environment, bound.AsyncEnvironment)
    arguments.transfer(
        attempts=attempts,
        http=http,
        asynchronous=True,
        on_transfer=on_transfer,
        on_upload=on_upload,
    )
    await anyio.to_thread.run_sync(copying.check_workdir, workdir)
    client = sib.client
    staged = await client.run(
        copying.stage_plan(
            sib.model, environment.model, notes, policy, on_progress, across_applications
        )
    )
    flow = copying.transfer_flow(
        staged, on_transfer=on_transfer, on_upload=on_upload, attempts=attempts, workdir=workdir
    )
    with errors.noted(staged.leftover):
        await _run_files(flow, http)
    with errors.noted(staged.uploaded):
        restored = await client.run(copying.finish_plan(staged, notes, wait, policy, on_progress))
    return bound.AsyncBackupRestore(client, restored)


async def _run_files(flow: file_flow.Flow[T], http: httpx.AsyncClient | None) -> T:
    """:func:`divio_ext.workflows.pull.run_files` for an ``httpx.AsyncClient``."""
    async with contextlib.AsyncExitStack() as stack:
        client = (
            http
            if http is not None
            else await stack.enter_async_context(pull.async_download_client())
        )
        return await file_flow.arun(flow, client)


async def deploy(
    environment: bound.AsyncEnvironment,
    *,
    build_mode: str | None = None,
    wait: bool = True,
    attach: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> bound.AsyncDeployment:
    """:func:`divio_ext.workflows.deploy`, awaited."""
    arguments.of_client("environment", environment, bound.AsyncEnvironment)
    plan = deployments.deploy_plan(environment.model, build_mode, wait, attach, policy, on_progress)
    return bound.AsyncDeployment(environment.client, await environment.client.run(plan))


async def latest_deployment(environment: bound.AsyncEnvironment) -> bound.AsyncDeployment | None:
    """:func:`divio_ext.workflows.latest_deployment`, awaited."""
    arguments.of_client("environment", environment, bound.AsyncEnvironment)
    found = await environment.client.run(deployments.latest_deployment_plan(environment.model))
    return None if found is None else bound.AsyncDeployment(environment.client, found)


async def environment_variables(environment: bound.AsyncEnvironment) -> dict[str, str | None]:
    """:func:`divio_ext.workflows.environment_variables`, awaited."""
    arguments.of_client("environment", environment, bound.AsyncEnvironment)
    return await environment.client.run(variables.variables_plan(environment.model))


async def pull_backup(
    sib: bound.AsyncServiceInstanceBackup,
    destination: destinations.Destination,
    *,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    on_transfer: pull.TransferCallback | None = None,
    attempts: int = pull.ATTEMPTS,
    http: httpx.AsyncClient | None = None,
    sync: bool = True,
) -> pull.Pulled:
    """:func:`divio_ext.workflows.pull.pull_backup`, awaited (the same flow,
    :func:`~divio_ext.workflows.pull.pull_flow`; the file is written from a worker thread)."""
    arguments.of_client("sib", sib, bound.AsyncServiceInstanceBackup)
    arguments.transfer(attempts=attempts, http=http, asynchronous=True, on_transfer=on_transfer)
    target = destinations.destination_path(destination)
    if isinstance(target, Path):
        await anyio.to_thread.run_sync(destinations.check_destination, target)
    url = await sib.client.run(backups.download_url_plan(sib.model, policy, on_progress))
    flow = pull.pull_flow(url, target, sib.size, on_transfer, attempts, sync=sync)
    return await _run_files(flow, http)


async def environment_logs(
    environment: bound.AsyncEnvironment,
    *,
    since: datetime.datetime | None = None,
    services: str | Collection[str] = (),
) -> list[LogEntry]:
    """:func:`divio_ext.workflows.environment_logs`, awaited."""
    arguments.of_client("environment", environment, bound.AsyncEnvironment)
    found: list[LogEntry] = []
    plan = logs.logs_plan(environment.model, found.append, since=since, services=services)
    await environment.client.run(plan)
    return found


async def deployment_log(
    environment: bound.AsyncEnvironment, deployment: str | None = None
) -> tuple[bound.AsyncDeployment, str]:
    """:func:`divio_ext.workflows.deployment_log`, awaited."""
    arguments.of_client("environment", environment, bound.AsyncEnvironment)
    model, log = await environment.client.run(
        logs.deployment_log_plan(environment.model, deployment)
    )
    return bound.AsyncDeployment(environment.client, model), log
