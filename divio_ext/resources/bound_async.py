"""Bound objects for :class:`~divio_ext.AsyncDivioClient`: the async twins of ``bound``.

::

    app = await client.applications.get_by_slug("example-application")
    live = await app.environment("live")
    for backup in await live.backups():
        print(backup.time, backup.state, backup.success)

Each class shares its fields and the plans behind its relation methods with its sync twin
(``divio_ext.resources.objects``); only running the plan differs (awaited here).
"""

from __future__ import annotations

from divio_ext.resources.base import AsyncCaller
from divio_ext.resources.objects import (
    ApplicationFields,
    BackupFields,
    BackupRestoreFields,
    DeploymentFields,
    EnvironmentFields,
    EnvironmentVariableFields,
    ServiceInstanceBackupFields,
    ServiceInstanceFields,
    applications_plan,
)
from divio_ext.resources.resolve import application as application_plan

__all__ = [
    "AsyncApplication",
    "AsyncBackup",
    "AsyncBackupRestore",
    "AsyncDeployment",
    "AsyncEnvironment",
    "AsyncEnvironmentVariable",
    "AsyncServiceInstance",
    "AsyncServiceInstanceBackup",
    "application",
    "applications",
]


async def application(client: AsyncCaller, reference: str) -> AsyncApplication:
    """Like :func:`divio_ext.resources.bound.application`, awaited."""
    return AsyncApplication(client, await client.run(application_plan(reference)))


async def applications(client: AsyncCaller) -> list[AsyncApplication]:
    """Like :func:`divio_ext.resources.bound.applications`, awaited."""
    return [AsyncApplication(client, model) for model in await client.run(applications_plan())]


class AsyncApplication(ApplicationFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.Application`."""

    __slots__ = ()

    async def environments(self) -> list[AsyncEnvironment]:
        """Every environment of the application, sorted by slug."""
        return [
            AsyncEnvironment(self._client, m) for m in await self._client.run(self._environments())
        ]

    async def environment(self, reference: str) -> AsyncEnvironment:
        """The environment with this slug (``"live"``, ``"test"``, a custom one) or uuid.

        Raises :class:`~divio_ext.errors.EnvironmentNotFound`, which lists the slugs the
        application has.
        """
        return AsyncEnvironment(self._client, await self._client.run(self._environment(reference)))


class AsyncEnvironment(EnvironmentFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.Environment`."""

    __slots__ = ()

    async def application(self) -> AsyncApplication:
        """The application this environment belongs to (one request)."""
        return AsyncApplication(self._client, await self._client.run(self._application()))

    async def service_instances(self) -> list[AsyncServiceInstance]:
        """The environment's service instances (databases, storage...), by type and prefix."""
        return [
            AsyncServiceInstance(self._client, m)
            for m in await self._client.run(self._service_instances())
        ]

    async def service_instance(
        self, service_type: str = "DATABASE", prefix: str = "DEFAULT"
    ) -> AsyncServiceInstance:
        """The one service instance of ``service_type`` with ``prefix``.

        Raises :class:`~divio_ext.errors.ServiceInstanceNotFound` listing the (type, prefix)
        pairs the environment has.
        """
        return AsyncServiceInstance(
            self._client, await self._client.run(self._service_instance(service_type, prefix))
        )

    async def backups(self) -> list[AsyncBackup]:
        """The environment's backups, newest first.

        A backup has no timestamp of its own, so its place comes from its service-instance
        backups (latest taken, else started, else queued time; see
        :func:`divio_ext.resources.selection.backup_recency`). Each backup carries those
        service-instance backups in ``parts``, so showing times and sizes needs no more requests.
        """
        return [
            AsyncBackup(self._client, b, parts=sibs)
            for b, sibs in await self._client.run(self._backups())
        ]

    async def deployments(self) -> list[AsyncDeployment]:
        """The environment's deployments, newest first (queued ones, not started yet, first)."""
        return [
            AsyncDeployment(self._client, m) for m in await self._client.run(self._deployments())
        ]

    async def environment_variables(self) -> list[AsyncEnvironmentVariable]:
        """The environment's variables, by name (sensitive values are hidden by the server)."""
        return [
            AsyncEnvironmentVariable(self._client, m)
            for m in await self._client.run(self._environment_variables())
        ]


class AsyncServiceInstance(ServiceInstanceFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.ServiceInstance`."""

    __slots__ = ()

    async def environment(self) -> AsyncEnvironment:
        """The environment the instance belongs to (one request)."""
        return AsyncEnvironment(self._client, await self._client.run(self._environment()))

    async def service_instance_backups(self) -> list[AsyncServiceInstanceBackup]:
        """Every backup of this instance, newest first (``taken_at``, ``ended_at``, uuid)."""
        return [
            AsyncServiceInstanceBackup(self._client, m)
            for m in await self._client.run(self._service_instance_backups())
        ]


class AsyncServiceInstanceBackup(ServiceInstanceBackupFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.ServiceInstanceBackup`."""

    __slots__ = ()

    async def backup(self) -> AsyncBackup:
        """The backup this is part of (one request)."""
        return AsyncBackup(self._client, await self._client.run(self._backup()))

    async def service_instance(self) -> AsyncServiceInstance:
        """The service instance that was backed up (one request)."""
        return AsyncServiceInstance(self._client, await self._client.run(self._service_instance()))


class AsyncBackup(BackupFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.Backup`."""

    __slots__ = ()

    @property
    def parts(self) -> tuple[AsyncServiceInstanceBackup, ...]:
        """The service-instance backups loaded together with this backup (empty if none were)."""
        return tuple(AsyncServiceInstanceBackup(self._client, part) for part in self._part_models)

    async def environment(self) -> AsyncEnvironment:
        """The environment that was backed up (one request)."""
        return AsyncEnvironment(self._client, await self._client.run(self._environment()))

    async def service_instance_backups(self) -> list[AsyncServiceInstanceBackup]:
        """The service-instance backups this backup lists, fetched directly and concurrently."""
        return [
            AsyncServiceInstanceBackup(self._client, m)
            for m in await self._client.run(self._service_instance_backups())
        ]

    async def refresh(self) -> AsyncBackup:
        """The backup as the server shows it now (a new object; this one is unchanged)."""
        return AsyncBackup(self._client, await self._client.run(self._refresh()))


class AsyncDeployment(DeploymentFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.Deployment`."""

    __slots__ = ()

    async def environment(self) -> AsyncEnvironment:
        """The environment that was deployed (one request)."""
        return AsyncEnvironment(self._client, await self._client.run(self._environment()))

    async def refresh(self) -> AsyncDeployment:
        """The deployment as the server shows it now (a new object; this one is unchanged)."""
        return AsyncDeployment(self._client, await self._client.run(self._refresh()))


class AsyncEnvironmentVariable(EnvironmentVariableFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.EnvironmentVariable`."""

    __slots__ = ()


class AsyncBackupRestore(BackupRestoreFields[AsyncCaller]):
    """The async twin of :class:`divio_ext.resources.bound.BackupRestore`."""

    __slots__ = ()
