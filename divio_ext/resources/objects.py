"""What sync and async bound objects share: typed fields, and the plans behind every relation.

A bound object wraps the generated attrs model the server sent (``.model``) together with the
client that fetched it. Everything that does not send a request lives here, once: typed
properties for the fields people use most, any other field as an attribute (a field the answer
lacked reads as ``None``), a ``repr`` that never shows a token or a variable's value, and, for
every relation method, the *plan* that fetches it (``divio_ext.core.engine``). The sync classes
(``divio_ext.resources.bound``) and the async ones (``divio_ext.resources.bound_async``) only run
those plans on their client and wrap the models they return, in the manner of azure-core's
``.aio`` packages: two thin surfaces over one implementation.
"""

from __future__ import annotations

import datetime
from typing import Any, Generic, Protocol, TypeVar

from divio_ext.core.contract import (
    APPLICATION,
    APPLICATIONS_LIST,
    BACKUP,
    DEPLOYMENT,
    ENVIRONMENT,
    SERVICE_INSTANCE,
)
from divio_ext.core.engine import Call, Collect, Plan, single
from divio_ext.resources import relations, resolve
from divio_ext.resources.models import Application as ApplicationModel
from divio_ext.resources.models import Backup as BackupModel
from divio_ext.resources.models import BackupRestore as BackupRestoreModel
from divio_ext.resources.models import Deployment as DeploymentModel
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.models import EnvironmentVariable as EnvironmentVariableModel
from divio_ext.resources.models import ServiceInstance as ServiceInstanceModel
from divio_ext.resources.models import ServiceInstanceBackup as ServiceInstanceBackupModel
from divio_ext.resources.selection import (
    backup_succeeded,
    error_messages,
    sib_activity_time,
    sib_finished_cleanly,
    size_of,
    text,
    utc,
    value,
)

#: The client a bound object belongs to: ``DivioClient`` or ``AsyncDivioClient``.
CL = TypeVar("CL")


class _Model(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


M = TypeVar("M", bound=_Model)

#: A backup with the service-instance backups that were loaded with it.
BackupWithParts = tuple[BackupModel, list[ServiceInstanceBackupModel]]


class BoundObject(Generic[CL, M]):
    """Base of every bound object: the model, its client, field access and a safe ``repr``."""

    __slots__ = ("_client", "_model")

    def __init__(self, client: CL, model: M) -> None:
        self._client = client
        self._model = model

    @property
    def client(self) -> CL:
        """The client that relation methods use."""
        return self._client

    @property
    def model(self) -> M:
        """The generated attrs model as parsed from the server's answer."""
        return self._model

    @property
    def uuid(self) -> str:
        """The object's identifier."""
        return text(getattr(self._model, "uuid", None)) or ""

    def to_dict(self) -> dict[str, Any]:
        """The object as the API's JSON would show it."""
        return self._model.to_dict()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return value(getattr(self._model, name))
        except AttributeError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def _label(self) -> str:
        return ""

    def __repr__(self) -> str:
        label = self._label()
        return f"<{type(self).__name__}{' ' + label if label else ''} uuid={self.uuid}>"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self) and isinstance(other, BoundObject) and other.uuid == self.uuid
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.uuid))


def _fetch(endpoint: Any, uuid: str) -> Plan[Any]:
    return single(Call(endpoint, {"uuid": uuid}))


def applications_plan() -> Plan[list[ApplicationModel]]:
    """Every application the token can see, sorted by slug."""
    found: list[ApplicationModel] = yield Collect(APPLICATIONS_LIST)
    return sorted(found, key=lambda app: (text(app.slug) or "", app.uuid))


class ApplicationFields(BoundObject[CL, ApplicationModel]):
    """An application (``slug``, ``name``, ``organisation``) and its environments."""

    __slots__ = ()

    @property
    def slug(self) -> str | None:
        return text(self._model.slug)

    @property
    def name(self) -> str | None:
        return text(self._model.name)

    @property
    def organisation_uuid(self) -> str:
        return self._model.organisation

    def _label(self) -> str:
        return self.slug or ""

    def _environments(self) -> Plan[list[EnvironmentModel]]:
        found = yield from resolve.environments(self._model)
        return sorted(found, key=lambda env: (text(env.slug) or "", env.uuid))

    def _environment(self, reference: str) -> Plan[EnvironmentModel]:
        return resolve.environment(self._model, reference)


class EnvironmentFields(BoundObject[CL, EnvironmentModel]):
    """An environment of an application and everything that hangs off it."""

    __slots__ = ()

    @property
    def slug(self) -> str | None:
        return text(self._model.slug)

    @property
    def branch(self) -> str | None:
        return text(self._model.branch)

    @property
    def application_uuid(self) -> str:
        return self._model.application

    def _label(self) -> str:
        return self.slug or ""

    def _application(self) -> Plan[ApplicationModel]:
        return _fetch(APPLICATION, self._model.application)

    def _service_instances(self) -> Plan[list[ServiceInstanceModel]]:
        found = yield from resolve.service_instances(self._model)
        return sorted(found, key=lambda i: (text(i.type_) or "", text(i.prefix) or "", i.uuid))

    def _service_instance(self, service_type: str, prefix: str) -> Plan[ServiceInstanceModel]:
        found = yield from resolve.service_instances(self._model)
        where = self.slug or self.uuid
        return resolve.pick_service_instance(found, service_type, prefix, where=where)

    def _backups(self) -> Plan[list[BackupWithParts]]:
        instances = yield from resolve.service_instances(self._model)
        return (yield from relations.backups_of(self._model, instances))

    def _deployments(self) -> Plan[list[DeploymentModel]]:
        return relations.deployments_of(self._model)

    def _environment_variables(self) -> Plan[list[EnvironmentVariableModel]]:
        return relations.variables_of(self._model)


class ServiceInstanceFields(BoundObject[CL, ServiceInstanceModel]):
    """A service (database, storage...) attached to an environment under a prefix."""

    __slots__ = ()

    @property
    def type(self) -> str | None:
        return text(self._model.type_)

    @property
    def prefix(self) -> str | None:
        return text(self._model.prefix)

    @property
    def service_status(self) -> str | None:
        return text(self._model.service_status)

    @property
    def environment_uuid(self) -> str:
        return self._model.environment

    def _label(self) -> str:
        return f"{self.type or '?'}/{self.prefix or '?'}"

    def _environment(self) -> Plan[EnvironmentModel]:
        return _fetch(ENVIRONMENT, self._model.environment)

    def _service_instance_backups(self) -> Plan[list[ServiceInstanceBackupModel]]:
        return relations.sibs_of_instance(self._model)


class ServiceInstanceBackupFields(BoundObject[CL, ServiceInstanceBackupModel]):
    """The backup of one service instance within a backup: times, size, errors."""

    __slots__ = ()

    @property
    def taken_at(self) -> datetime.datetime | None:
        return utc(self._model.taken_at)

    @property
    def ended_at(self) -> datetime.datetime | None:
        return utc(self._model.ended_at)

    @property
    def started_at(self) -> datetime.datetime | None:
        return utc(self._model.started_at)

    @property
    def queued_at(self) -> datetime.datetime | None:
        return utc(self._model.queued_at)

    @property
    def size(self) -> int | None:
        return size_of(self._model.size)

    @property
    def errors(self) -> list[str]:
        """The server's error messages (empty when there are none)."""
        return error_messages(self._model.errors)

    @property
    def service_type(self) -> str | None:
        return text(self._model.service_type)

    @property
    def finished_cleanly(self) -> bool:
        """``ended_at`` is set and there are no errors."""
        return sib_finished_cleanly(self._model)

    @property
    def backup_uuid(self) -> str:
        return self._model.backup

    @property
    def service_instance_uuid(self) -> str:
        return self._model.service_instance

    def _label(self) -> str:
        return self.service_type or ""

    def _backup(self) -> Plan[BackupModel]:
        return _fetch(BACKUP, self._model.backup)

    def _service_instance(self) -> Plan[ServiceInstanceModel]:
        return _fetch(SERVICE_INSTANCE, self._model.service_instance)


class BackupFields(BoundObject[CL, BackupModel]):
    """A backup of an environment: one or more service-instance backups taken together.

    ``parts`` holds the service-instance backups loaded together with it (by
    ``Environment.backups()``), so showing its time and size needs no more requests.
    """

    __slots__ = ("_part_models",)

    def __init__(
        self,
        client: CL,
        model: BackupModel,
        *,
        parts: list[ServiceInstanceBackupModel] | None = None,
    ) -> None:
        super().__init__(client, model)
        self._part_models = tuple(parts or ())

    @property
    def state(self) -> str | None:
        return text(self._model.state)

    @property
    def success(self) -> str | None:
        return text(self._model.success)

    @property
    def succeeded(self) -> bool:
        """``state`` is ``COMPLETED`` and ``success`` is ``SUCCESS``."""
        return backup_succeeded(self._model)

    @property
    def trigger(self) -> str | None:
        return text(self._model.trigger)

    @property
    def notes(self) -> str | None:
        return text(self._model.notes)

    @property
    def environment_uuid(self) -> str:
        return self._model.environment

    @property
    def service_instance_backup_uuids(self) -> list[str]:
        return list(value(self._model.service_instance_backups) or [])

    @property
    def time(self) -> datetime.datetime | None:
        """When the backup was taken, as far as the loaded ``parts`` tell.

        A backup has no timestamp of its own: this is the latest activity time of its parts
        (taken, else started, else queued), the time ``Environment.backups()`` sorts by.
        """
        times = [t for part in self._part_models if (t := sib_activity_time(part)) is not None]
        return max(times, default=None)

    @property
    def size(self) -> int | None:
        """The total size in bytes of the loaded ``parts`` that report one."""
        sizes = [s for part in self._part_models if (s := size_of(part.size)) is not None]
        return sum(sizes) if sizes else None

    def _label(self) -> str:
        return "/".join(filter(None, (self.state, self.success)))

    def _environment(self) -> Plan[EnvironmentModel]:
        return _fetch(ENVIRONMENT, self._model.environment)

    def _service_instance_backups(self) -> Plan[list[ServiceInstanceBackupModel]]:
        return relations.sibs_of_backup(self._model)

    def _refresh(self) -> Plan[BackupModel]:
        return _fetch(BACKUP, self.uuid)


class DeploymentFields(BoundObject[CL, DeploymentModel]):
    """A deployment of an environment: progress while it runs, then success or failure."""

    __slots__ = ()

    @property
    def status(self) -> str | None:
        return text(self._model.status)

    @property
    def success(self) -> bool | None:
        found = value(self._model.success)
        return None if found is None else bool(found)

    @property
    def percent(self) -> float | None:
        found = value(getattr(self._model, "percent", None))
        return None if found is None else float(found)

    @property
    def started_at(self) -> datetime.datetime | None:
        return utc(self._model.started_at)

    @property
    def ended_at(self) -> datetime.datetime | None:
        return utc(self._model.ended_at)

    @property
    def finished(self) -> bool:
        """``ended_at`` or ``success`` is set (the two ways the official tools detect the end)."""
        return self.ended_at is not None or self.success is not None

    @property
    def environment_uuid(self) -> str:
        return self._model.environment

    def _label(self) -> str:
        return self.status or ""

    def _environment(self) -> Plan[EnvironmentModel]:
        return _fetch(ENVIRONMENT, self._model.environment)

    def _refresh(self) -> Plan[DeploymentModel]:
        return _fetch(DEPLOYMENT, self.uuid)


class EnvironmentVariableFields(BoundObject[CL, EnvironmentVariableModel]):
    """An environment variable; its ``repr`` shows the name only, never the value."""

    __slots__ = ()

    @property
    def name(self) -> str | None:
        return text(self._model.name)

    @property
    def value(self) -> str | None:
        """The value; ``None`` for a sensitive variable (the server hides it)."""
        return text(self._model.value)

    @property
    def is_sensitive(self) -> bool:
        return bool(value(self._model.is_sensitive))

    @property
    def environment_uuid(self) -> str:
        return self._model.environment

    def _label(self) -> str:
        return self.name or ""


class BackupRestoreFields(BoundObject[CL, BackupRestoreModel]):
    """A restore of service-instance backups: ``finished``, then ``success``."""

    __slots__ = ()

    @property
    def finished(self) -> bool:
        return bool(value(self._model.finished))

    @property
    def success(self) -> str | None:
        return text(self._model.success)

    @property
    def backup_uuid(self) -> str | None:
        return text(self._model.backup)

    def _label(self) -> str:
        return self.success or ("finished" if self.finished else "running")
