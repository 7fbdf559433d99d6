"""Bound objects: API objects that know their client, so relations can be followed directly.

::

    app = application(client, "example-application")     # slug or uuid
    live = app.environment("live")
    for backup in live.backups():                         # newest first (computed)
        print(backup.time, backup.state, backup.success)

With an :class:`~divio_ext.AsyncDivioClient` the same methods return awaitables::

    app = await application(aclient, "example-application")
    live = await app.environment("live")

Each object wraps the generated attrs model the server sent (``.model``); every field of that
model is readable as an attribute (a field the response lacked reads as ``None``), and typed
properties cover the fields people use most. A relation field is exposed as ``<name>_uuid``
next to a method ``<name>()`` that fetches the related object. Nothing here sends a request
except a relation method: printing an object never does, and ``repr`` never shows a token or a
variable's value.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

from divio_ext.core.contract import (
    APPLICATION,
    APPLICATIONS_LIST,
    BACKUP,
    DEPLOYMENT,
    ENVIRONMENT,
    SERVICE_INSTANCE,
)
from divio_ext.core.engine import Call, Collect, Plan, run_async, run_sync, single
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
    text,
    utc,
    value,
)

if TYPE_CHECKING:
    from divio_ext.resources.client import AsyncDivioClient, DivioClient

C = TypeVar("C", "DivioClient", "AsyncDivioClient")
T = TypeVar("T")
R = TypeVar("R")


class _Model(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


M = TypeVar("M", bound=_Model)


def is_async(client: object) -> bool:
    """Whether ``client`` is an async client (its ``call`` is a coroutine function)."""
    return inspect.iscoroutinefunction(getattr(client, "call", None))


def run(client: Any, plan: Plan[T]) -> Any:
    """Run ``plan`` on ``client``: its result, or an awaitable of it for an async client."""
    if is_async(client):
        return run_async(client, plan)
    return run_sync(client, plan)


def then(plan: Plan[T], convert: Callable[[T], R]) -> Plan[R]:
    """``plan`` followed by ``convert`` applied to its result (to wrap models in bound objects)."""
    result = yield from plan
    return convert(result)


class Bound(Generic[C, M]):
    """Base of every bound object: the model, its client, field access and a safe ``repr``."""

    __slots__ = ("_client", "_model")
    _client: C
    _model: M

    def __init__(self, client: C, model: M) -> None:
        self._client = client
        self._model = model

    @property
    def client(self) -> C:
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
        return type(other) is type(self) and isinstance(other, Bound) and other.uuid == self.uuid

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.uuid))

    def _run(self, plan: Plan[T]) -> Any:
        return run(self._client, plan)


def _time(field: Any) -> datetime.datetime | None:
    return utc(value(field))


class Application(Bound[C, ApplicationModel]):
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

    @overload
    def environments(self: Application[DivioClient]) -> list[Environment[DivioClient]]: ...
    @overload
    def environments(
        self: Application[AsyncDivioClient],
    ) -> Awaitable[list[Environment[AsyncDivioClient]]]: ...
    def environments(self) -> Any:
        """Every environment of the application, sorted by slug."""
        return self._run(
            then(
                resolve.environments(self._model),
                lambda found: [
                    Environment(self._client, env)
                    for env in sorted(found, key=lambda env: (text(env.slug) or "", env.uuid))
                ],
            )
        )

    @overload
    def environment(self: Application[DivioClient], reference: str) -> Environment[DivioClient]: ...
    @overload
    def environment(
        self: Application[AsyncDivioClient], reference: str
    ) -> Awaitable[Environment[AsyncDivioClient]]: ...
    def environment(self, reference: str) -> Any:
        """The environment with this slug (``"live"``, ``"test"``, a custom one) or uuid.

        Raises :class:`~divio_ext.core.errors.EnvironmentNotFound`, which lists the slugs
        the application has.
        """
        return self._run(
            then(
                resolve.environment(self._model, reference),
                lambda env: Environment(self._client, env),
            )
        )


class Environment(Bound[C, EnvironmentModel]):
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

    @overload
    def application(self: Environment[DivioClient]) -> Application[DivioClient]: ...
    @overload
    def application(
        self: Environment[AsyncDivioClient],
    ) -> Awaitable[Application[AsyncDivioClient]]: ...
    def application(self) -> Any:
        """The application this environment belongs to (one request)."""
        call = Call(APPLICATION, {"uuid": self._model.application})
        return self._run(then(single(call), lambda app: Application(self._client, app)))

    @overload
    def service_instances(
        self: Environment[DivioClient],
    ) -> list[ServiceInstance[DivioClient]]: ...
    @overload
    def service_instances(
        self: Environment[AsyncDivioClient],
    ) -> Awaitable[list[ServiceInstance[AsyncDivioClient]]]: ...
    def service_instances(self) -> Any:
        """The environment's service instances (databases, storage...), by type and prefix."""
        return self._run(
            then(
                resolve.service_instances(self._model),
                lambda found: [
                    ServiceInstance(self._client, instance)
                    for instance in sorted(
                        found,
                        key=lambda i: (text(i.type_) or "", text(i.prefix) or "", i.uuid),
                    )
                ],
            )
        )

    @overload
    def service_instance(
        self: Environment[DivioClient], service_type: str = ..., prefix: str = ...
    ) -> ServiceInstance[DivioClient]: ...
    @overload
    def service_instance(
        self: Environment[AsyncDivioClient], service_type: str = ..., prefix: str = ...
    ) -> Awaitable[ServiceInstance[AsyncDivioClient]]: ...
    def service_instance(self, service_type: str = "DATABASE", prefix: str = "DEFAULT") -> Any:
        """The one service instance of ``service_type`` with ``prefix``.

        Raises :class:`~divio_ext.core.errors.ServiceInstanceNotFound` listing the
        (type, prefix) pairs the environment has.
        """

        def pick(found: list[ServiceInstanceModel]) -> ServiceInstance[Any]:
            where = self.slug or self.uuid
            chosen = resolve.pick_service_instance(found, service_type, prefix, where=where)
            return ServiceInstance(self._client, chosen)

        return self._run(then(resolve.service_instances(self._model), pick))

    @overload
    def backups(self: Environment[DivioClient]) -> list[Backup[DivioClient]]: ...
    @overload
    def backups(
        self: Environment[AsyncDivioClient],
    ) -> Awaitable[list[Backup[AsyncDivioClient]]]: ...
    def backups(self) -> Any:
        """The environment's backups, newest first.

        A backup has no timestamp of its own, so its place comes from its service-instance
        backups (latest taken, else started, else queued time; see
        :func:`divio_ext.resources.selection.backup_recency`). Each returned backup carries those
        service-instance backups in ``parts``, so showing times and sizes needs no more requests.
        """

        def plan() -> Plan[list[tuple[BackupModel, list[ServiceInstanceBackupModel]]]]:
            instances = yield from resolve.service_instances(self._model)
            return (yield from relations.backups_of(self._model, instances))

        return self._run(
            then(
                plan(),
                lambda found: [
                    Backup(
                        self._client,
                        backup,
                        parts=[ServiceInstanceBackup(self._client, sib) for sib in sibs],
                    )
                    for backup, sibs in found
                ],
            )
        )

    @overload
    def deployments(self: Environment[DivioClient]) -> list[Deployment[DivioClient]]: ...
    @overload
    def deployments(
        self: Environment[AsyncDivioClient],
    ) -> Awaitable[list[Deployment[AsyncDivioClient]]]: ...
    def deployments(self) -> Any:
        """The environment's deployments, newest first (by ``started_at``)."""
        return self._run(
            then(
                relations.deployments_of(self._model),
                lambda found: [Deployment(self._client, item) for item in found],
            )
        )

    @overload
    def environment_variables(
        self: Environment[DivioClient],
    ) -> list[EnvironmentVariable[DivioClient]]: ...
    @overload
    def environment_variables(
        self: Environment[AsyncDivioClient],
    ) -> Awaitable[list[EnvironmentVariable[AsyncDivioClient]]]: ...
    def environment_variables(self) -> Any:
        """The environment's variables, by name (sensitive values are hidden by the server)."""
        return self._run(
            then(
                relations.variables_of(self._model),
                lambda found: [EnvironmentVariable(self._client, item) for item in found],
            )
        )


class ServiceInstance(Bound[C, ServiceInstanceModel]):
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

    @overload
    def environment(self: ServiceInstance[DivioClient]) -> Environment[DivioClient]: ...
    @overload
    def environment(
        self: ServiceInstance[AsyncDivioClient],
    ) -> Awaitable[Environment[AsyncDivioClient]]: ...
    def environment(self) -> Any:
        """The environment the instance belongs to (one request)."""
        call = Call(ENVIRONMENT, {"uuid": self._model.environment})
        return self._run(then(single(call), lambda env: Environment(self._client, env)))

    @overload
    def service_instance_backups(
        self: ServiceInstance[DivioClient],
    ) -> list[ServiceInstanceBackup[DivioClient]]: ...
    @overload
    def service_instance_backups(
        self: ServiceInstance[AsyncDivioClient],
    ) -> Awaitable[list[ServiceInstanceBackup[AsyncDivioClient]]]: ...
    def service_instance_backups(self) -> Any:
        """Every backup of this instance, newest first (``taken_at``, ``ended_at``, uuid)."""
        return self._run(
            then(
                relations.sibs_of_instance(self._model),
                lambda found: [ServiceInstanceBackup(self._client, sib) for sib in found],
            )
        )


class Backup(Bound[C, BackupModel]):
    """A backup of an environment: one or more service-instance backups taken together."""

    __slots__ = ("_parts",)
    _parts: tuple[ServiceInstanceBackup[C], ...]

    def __init__(
        self,
        client: C,
        model: BackupModel,
        *,
        parts: list[ServiceInstanceBackup[C]] | None = None,
    ) -> None:
        self._client, self._model = client, model  # (mypy rejects super() with constrained C)
        self._parts = tuple(parts or ())

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
    def parts(self) -> tuple[ServiceInstanceBackup[C], ...]:
        """The service-instance backups loaded together with this backup (empty if none were)."""
        return self._parts

    @property
    def time(self) -> datetime.datetime | None:
        """When the backup was taken, as far as the loaded ``parts`` tell.

        A backup has no timestamp of its own: this is the latest activity time of its parts
        (taken, else started, else queued), the time ``Environment.backups()`` sorts by.
        """
        times = [t for part in self._parts if (t := sib_activity_time(part.model)) is not None]
        return max(times, default=None)

    @property
    def size(self) -> int | None:
        """The total size in bytes of the loaded ``parts`` that report one."""
        sizes = [part.size for part in self._parts if part.size is not None]
        return sum(sizes) if sizes else None

    def _label(self) -> str:
        return "/".join(filter(None, (self.state, self.success)))

    @overload
    def environment(self: Backup[DivioClient]) -> Environment[DivioClient]: ...
    @overload
    def environment(self: Backup[AsyncDivioClient]) -> Awaitable[Environment[AsyncDivioClient]]: ...
    def environment(self) -> Any:
        """The environment that was backed up (one request)."""
        call = Call(ENVIRONMENT, {"uuid": self._model.environment})
        return self._run(then(single(call), lambda env: Environment(self._client, env)))

    @overload
    def service_instance_backups(
        self: Backup[DivioClient],
    ) -> list[ServiceInstanceBackup[DivioClient]]: ...
    @overload
    def service_instance_backups(
        self: Backup[AsyncDivioClient],
    ) -> Awaitable[list[ServiceInstanceBackup[AsyncDivioClient]]]: ...
    def service_instance_backups(self) -> Any:
        """The service-instance backups this backup lists, fetched directly and concurrently."""
        return self._run(
            then(
                relations.sibs_of_backup(self._model),
                lambda found: [ServiceInstanceBackup(self._client, sib) for sib in found],
            )
        )

    @overload
    def refresh(self: Backup[DivioClient]) -> Backup[DivioClient]: ...
    @overload
    def refresh(self: Backup[AsyncDivioClient]) -> Awaitable[Backup[AsyncDivioClient]]: ...
    def refresh(self) -> Any:
        """The backup as the server shows it now (a new object; this one is unchanged)."""
        call = Call(BACKUP, {"uuid": self.uuid})
        return self._run(then(single(call), lambda model: Backup(self._client, model)))


class ServiceInstanceBackup(Bound[C, ServiceInstanceBackupModel]):
    """The backup of one service instance within a backup: times, size, errors."""

    __slots__ = ()

    @property
    def taken_at(self) -> datetime.datetime | None:
        return _time(self._model.taken_at)

    @property
    def ended_at(self) -> datetime.datetime | None:
        return _time(self._model.ended_at)

    @property
    def started_at(self) -> datetime.datetime | None:
        return _time(self._model.started_at)

    @property
    def queued_at(self) -> datetime.datetime | None:
        return _time(self._model.queued_at)

    @property
    def size(self) -> int | None:
        found = value(self._model.size)
        return None if found is None else int(found)

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

    @overload
    def backup(self: ServiceInstanceBackup[DivioClient]) -> Backup[DivioClient]: ...
    @overload
    def backup(
        self: ServiceInstanceBackup[AsyncDivioClient],
    ) -> Awaitable[Backup[AsyncDivioClient]]: ...
    def backup(self) -> Any:
        """The backup this is part of (one request)."""
        call = Call(BACKUP, {"uuid": self._model.backup})
        return self._run(then(single(call), lambda model: Backup(self._client, model)))

    @overload
    def service_instance(
        self: ServiceInstanceBackup[DivioClient],
    ) -> ServiceInstance[DivioClient]: ...
    @overload
    def service_instance(
        self: ServiceInstanceBackup[AsyncDivioClient],
    ) -> Awaitable[ServiceInstance[AsyncDivioClient]]: ...
    def service_instance(self) -> Any:
        """The service instance that was backed up (one request)."""
        call = Call(SERVICE_INSTANCE, {"uuid": self._model.service_instance})
        return self._run(then(single(call), lambda model: ServiceInstance(self._client, model)))


class Deployment(Bound[C, DeploymentModel]):
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
        found = value(self._model.percent)
        return None if found is None else float(found)

    @property
    def started_at(self) -> datetime.datetime | None:
        return _time(self._model.started_at)

    @property
    def ended_at(self) -> datetime.datetime | None:
        return _time(self._model.ended_at)

    @property
    def finished(self) -> bool:
        """``ended_at`` or ``success`` is set (the two ways the official tools detect the end)."""
        return self.ended_at is not None or self.success is not None

    @property
    def environment_uuid(self) -> str:
        return self._model.environment

    def _label(self) -> str:
        return self.status or ""

    @overload
    def environment(self: Deployment[DivioClient]) -> Environment[DivioClient]: ...
    @overload
    def environment(
        self: Deployment[AsyncDivioClient],
    ) -> Awaitable[Environment[AsyncDivioClient]]: ...
    def environment(self) -> Any:
        """The environment that was deployed (one request)."""
        call = Call(ENVIRONMENT, {"uuid": self._model.environment})
        return self._run(then(single(call), lambda env: Environment(self._client, env)))

    @overload
    def refresh(self: Deployment[DivioClient]) -> Deployment[DivioClient]: ...
    @overload
    def refresh(self: Deployment[AsyncDivioClient]) -> Awaitable[Deployment[AsyncDivioClient]]: ...
    def refresh(self) -> Any:
        """The deployment as the server shows it now (a new object; this one is unchanged)."""
        call = Call(DEPLOYMENT, {"uuid": self.uuid})
        return self._run(then(single(call), lambda model: Deployment(self._client, model)))


class EnvironmentVariable(Bound[C, EnvironmentVariableModel]):
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


class BackupRestore(Bound[C, BackupRestoreModel]):
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


@overload
def application(client: DivioClient, reference: str) -> Application[DivioClient]: ...
@overload
def application(
    client: AsyncDivioClient, reference: str
) -> Awaitable[Application[AsyncDivioClient]]: ...
def application(client: Any, reference: str) -> Any:
    """The application with this slug or uuid, bound to ``client``.

    Raises :class:`~divio_ext.core.errors.ApplicationNotFound`, which says whether the
    token can see any application at all.
    """
    return run(client, then(resolve.application(reference), lambda app: Application(client, app)))


@overload
def applications(client: DivioClient) -> list[Application[DivioClient]]: ...
@overload
def applications(client: AsyncDivioClient) -> Awaitable[list[Application[AsyncDivioClient]]]: ...
def applications(client: Any) -> Any:
    """Every application the token can see, sorted by slug."""

    def wrap(found: list[ApplicationModel]) -> list[Application[Any]]:
        ordered = sorted(found, key=lambda app: (text(app.slug) or "", app.uuid))
        return [Application(client, app) for app in ordered]

    return run(client, then(single(Collect(APPLICATIONS_LIST)), wrap))
