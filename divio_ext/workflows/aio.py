"""The workflows for an :class:`~divio_ext.AsyncDivioClient`: the same plans, awaited.

Each function here runs the plan of its sync namesake in ``divio_ext.workflows`` (written once,
as a generator of steps) on the async client, and wraps the models it returns in the async
bound objects of ``divio_ext.resources.bound_async``::

    from divio_ext.workflows import aio

    async with AsyncDivioClient() as client:
        found = await aio.latest_backup(client, "example-application", "live")
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import TYPE_CHECKING

from divio_ext.resources import bound_async as bound
from divio_ext.workflows import backups, deployments, latest, logs, variables
from divio_ext.workflows.latest import LatestBackupOf
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback

if TYPE_CHECKING:
    from divio_ext.resources.client import AsyncDivioClient
    from divio_ext.resources.models import LogEntry

__all__ = [
    "AsyncLatestBackup",
    "backup_download_url",
    "create_backup",
    "deploy",
    "deployment_log",
    "environment_logs",
    "environment_variables",
    "latest_backup",
    "latest_deployment",
    "restore_backup",
]

AsyncLatestBackup = LatestBackupOf[
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
    found = await client.run(latest.plan(application, environment, service_type, prefix))
    return LatestBackupOf(
        service_instance_backup=bound.AsyncServiceInstanceBackup(
            client, found.service_instance_backup
        ),
        backup=bound.AsyncBackup(client, found.backup, parts=[found.service_instance_backup]),
        service_instance=bound.AsyncServiceInstance(client, found.service_instance),
        environment=bound.AsyncEnvironment(client, found.environment),
        application=bound.AsyncApplication(client, found.application),
    )


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
    plan = backups.restore_plan(sib.model, notes, wait, policy, on_progress)
    return bound.AsyncBackupRestore(sib.client, await sib.client.run(plan))


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
    plan = deployments.deploy_plan(environment.model, build_mode, wait, attach, policy, on_progress)
    return bound.AsyncDeployment(environment.client, await environment.client.run(plan))


async def latest_deployment(environment: bound.AsyncEnvironment) -> bound.AsyncDeployment | None:
    """:func:`divio_ext.workflows.latest_deployment`, awaited."""
    found = await environment.client.run(deployments.latest_deployment_plan(environment.model))
    return None if found is None else bound.AsyncDeployment(environment.client, found)


async def environment_variables(environment: bound.AsyncEnvironment) -> dict[str, str | None]:
    """:func:`divio_ext.workflows.environment_variables`, awaited."""
    return await environment.client.run(variables.variables_plan(environment.model))


async def environment_logs(
    environment: bound.AsyncEnvironment,
    *,
    since: datetime.datetime | None = None,
    services: Collection[str] = (),
) -> list[LogEntry]:
    """:func:`divio_ext.workflows.environment_logs`, awaited."""
    found: list[LogEntry] = []
    plan = logs.logs_plan(environment.model, found.append, since=since, services=services)
    await environment.client.run(plan)
    return found


async def deployment_log(
    environment: bound.AsyncEnvironment, deployment: str | None = None
) -> tuple[bound.AsyncDeployment, str]:
    """:func:`divio_ext.workflows.deployment_log`, awaited."""
    model, log = await environment.client.run(
        logs.deployment_log_plan(environment.model, deployment)
    )
    return bound.AsyncDeployment(environment.client, model), log
