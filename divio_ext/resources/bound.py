"""Bound objects for :class:`~divio_ext.DivioClient`: API objects that follow their relations.

::

    app = client.applications.get_by_slug("example-application")   # or application(client, ...)
    live = app.environment("live")
    for backup in live.backups():                                    # newest first (computed)
        print(backup.time, backup.state, backup.success)

Fields and the plans behind each relation method live in ``divio_ext.resources.objects``, shared
with the async classes of ``divio_ext.resources.bound_async``; a method here runs its plan on the
client and wraps what comes back. A relation field is exposed as ``<name>_uuid`` next to a
method ``<name>()`` that fetches the related object; nothing else sends a request.
"""

from __future__ import annotations

from divio_ext.resources.base import SyncCaller
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
    "Application",
    "Backup",
    "BackupRestore",
    "Deployment",
    "Environment",
    "EnvironmentVariable",
    "ServiceInstance",
    "ServiceInstanceBackup",
    "application",
    "applications",
]


def application(client: SyncCaller, reference: str) -> Application:
    """The application with this slug or uuid.

    Raises :class:`~divio_ext.errors.ApplicationNotFound`, which says whether the token can
    see any application at all.
    """
    return Application(client, client.run(application_plan(reference)))


def applications(client: SyncCaller) -> list[Application]:
    """Every application the token can see, sorted by slug."""
    return [Application(client, model) for model in client.run(applications_plan())]


class Application(ApplicationFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.ApplicationFields` for its fields."""

    __slots__ = ()

    def environments(self) -> list[Environment]:
        """Every environment of the application, sorted by slug."""
        return [Environment(self._client, m) for m in self._client.run(self._environments())]

    def environment(self, reference: str) -> Environment:
        """The environment with this slug (``"live"``, ``"test"``, a custom one) or uuid.

        Raises :class:`~divio_ext.errors.EnvironmentNotFound`, which lists the slugs the
        application has.
        """
        return Environment(self._client, self._client.run(self._environment(reference)))


class Environment(EnvironmentFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.EnvironmentFields` for its fields."""

    __slots__ = ()

    def application(self) -> Application:
        """The application this environment belongs to (one request)."""
        return Application(self._client, self._client.run(self._application()))

    def service_instances(self) -> list[ServiceInstance]:
        """The environment's service instances (databases, storage...), by type and prefix."""
        return [
            ServiceInstance(self._client, m) for m in self._client.run(self._service_instances())
        ]

    def service_instance(
        self, service_type: str = "DATABASE", prefix: str = "DEFAULT"
    ) -> ServiceInstance:
        """The one service instance of ``service_type`` with ``prefix``.

        Raises :class:`~divio_ext.errors.ServiceInstanceNotFound` listing the (type, prefix)
        pairs the environment has.
        """
        return ServiceInstance(
            self._client, self._client.run(self._service_instance(service_type, prefix))
        )

    def backups(self) -> list[Backup]:
        """The environment's backups, newest first.

        A backup has no timestamp of its own, so its place comes from its service-instance
        backups (latest taken, else started, else queued time; see
        :func:`divio_ext.resources.selection.backup_recency`). Each backup carries those
        service-instance backups in ``parts``, so showing times and sizes needs no more requests.
        """
        return [
            Backup(self._client, b, parts=sibs) for b, sibs in self._client.run(self._backups())
        ]

    def deployments(self) -> list[Deployment]:
        """The environment's deployments, newest first (queued ones, not started yet, first)."""
        return [Deployment(self._client, m) for m in self._client.run(self._deployments())]

    def environment_variables(self) -> list[EnvironmentVariable]:
        """The environment's variables, by name (sensitive values are hidden by the server)."""
        return [
            EnvironmentVariable(self._client, m)
            for m in self._client.run(self._environment_variables())
        ]


class ServiceInstance(ServiceInstanceFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.ServiceInstanceFields` for its fields."""

    __slots__ = ()

    def environment(self) -> Environment:
        """The environment the instance belongs to (one request)."""
        return Environment(self._client, self._client.run(self._environment()))

    def service_instance_backups(self) -> list[ServiceInstanceBackup]:
        """Every backup of this instance, newest first (``taken_at``, ``ended_at``, uuid)."""
        return [
            ServiceInstanceBackup(self._client, m)
            for m in self._client.run(self._service_instance_backups())
        ]


class ServiceInstanceBackup(ServiceInstanceBackupFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.ServiceInstanceBackupFields` for its fields."""

    __slots__ = ()

    def backup(self) -> Backup:
        """The backup this is part of (one request)."""
        return Backup(self._client, self._client.run(self._backup()))

    def service_instance(self) -> ServiceInstance:
        """The service instance that was backed up (one request)."""
        return ServiceInstance(self._client, self._client.run(self._service_instance()))


class Backup(BackupFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.BackupFields` for its fields."""

    __slots__ = ()

    @property
    def parts(self) -> tuple[ServiceInstanceBackup, ...]:
        """The service-instance backups loaded together with this backup (empty if none were)."""
        return tuple(ServiceInstanceBackup(self._client, part) for part in self._part_models)

    def environment(self) -> Environment:
        """The environment that was backed up (one request)."""
        return Environment(self._client, self._client.run(self._environment()))

    def service_instance_backups(self) -> list[ServiceInstanceBackup]:
        """The service-instance backups this backup lists, fetched directly and concurrently."""
        return [
            ServiceInstanceBackup(self._client, m)
            for m in self._client.run(self._service_instance_backups())
        ]

    def refresh(self) -> Backup:
        """The backup as the server shows it now (a new object; this one is unchanged)."""
        return Backup(self._client, self._client.run(self._refresh()))


class Deployment(DeploymentFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.DeploymentFields` for its fields."""

    __slots__ = ()

    def environment(self) -> Environment:
        """The environment that was deployed (one request)."""
        return Environment(self._client, self._client.run(self._environment()))

    def refresh(self) -> Deployment:
        """The deployment as the server shows it now (a new object; this one is unchanged)."""
        return Deployment(self._client, self._client.run(self._refresh()))


class EnvironmentVariable(EnvironmentVariableFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.EnvironmentVariableFields` for its fields."""

    __slots__ = ()


class BackupRestore(BackupRestoreFields[SyncCaller]):
    """See :class:`divio_ext.resources.objects.BackupRestoreFields` for its fields."""

    __slots__ = ()
