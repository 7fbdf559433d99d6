"""Fleet status: the latest usable backup of every visible environment, in one pass.

Operators ask "is everything backed up recently?", not "what is the latest backup of this one
environment?". Calling :func:`~divio_ext.workflows.latest_backup` per environment re-resolves
the application and environment and re-walks the listings every time; this workflow lists each
collection once instead (applications, environments and service instances concurrently, then
the chosen service instances' backups with
:func:`~divio_ext.resources.relations.shortlists_of_instances`, every page of every listing in
one concurrent batch, each page reduced to what the rule needs as it arrives), and fetches the
candidate backups of all environments concurrently. The answer for each environment follows
exactly the definition ``latest_backup`` documents (the same ranking rules and the same
candidate check, :func:`divio_ext.workflows.latest.first_usable`), and every item is checked
here, so a server that ignores filters gives the same answers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Generic, Literal

from divio_ext.core.contract import APPLICATIONS_LIST, ENVIRONMENTS_LIST, SERVICE_INSTANCES_LIST
from divio_ext.core.engine import Collect, Gather, Plan
from divio_ext.core.errors import (
    AmbiguousServiceInstance,
    ApplicationNotFound,
    EnvironmentNotFound,
    ServiceInstanceNotFound,
)
from divio_ext.resources import bound, relations, resolve
from divio_ext.resources.models import Application as ApplicationModel
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.models import ServiceInstance as ServiceInstanceModel
from divio_ext.resources.selection import text, utc
from divio_ext.workflows import arguments, latest
from divio_ext.workflows.latest import SI, SIB, A, B, E, Found, LatestBackupOf, first_usable

if TYPE_CHECKING:
    from divio_ext.resources.client import DivioClient

#: The default freshness limit: a daily backup schedule, as Divio's own plans take them.
DEFAULT_MAX_AGE = datetime.timedelta(hours=24)
#: How many environments have their candidate backups looked at concurrently: as many as pages
#: of their listings, so that a fleet of up to that many environments asks for its first
#: candidates in one round trip.
ENVIRONMENTS_AT_ONCE = relations.PAGES_AT_ONCE

State = Literal[
    "fresh", "stale", "no usable backup", "no service instance", "ambiguous service instance"
]


@dataclass(frozen=True)
class Checked:
    """What :func:`plan` finds for one environment, as the server's models.

    Exactly one of ``found`` (the latest usable backup and everything around it) and
    ``problem`` (why there is none) is set; ``seen`` counts the service-instance backups that
    did not qualify, by reason, and ``available`` the (type, prefix) pairs the environment has
    when the wanted service instance is missing; ``ambiguous`` says that it has several.
    """

    application: ApplicationModel
    environment: EnvironmentModel
    service_instance: ServiceInstanceModel | None
    found: Found | None
    problem: str | None = None
    seen: Mapping[str, int] = field(default_factory=dict)
    available: tuple[tuple[str, str], ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class BackupStatusOf(Generic[SIB, B, SI, E, A]):
    """One environment's backup status: its latest usable backup, or why it has none.

    Use the aliases :data:`BackupStatus` (``DivioClient``) and
    ``divio_ext.workflows.aio.AsyncBackupStatus`` (``AsyncDivioClient``).
    """

    application: A
    environment: E
    #: The service instance looked at, or ``None`` when the environment has none of that kind.
    service_instance: SI | None
    #: The latest usable backup, exactly as :func:`~divio_ext.workflows.latest_backup` finds it.
    latest: LatestBackupOf[SIB, B, SI, E, A] | None
    #: Why there is no latest usable backup (``None`` when there is one).
    problem: str | None
    #: Service-instance backups that did not qualify, counted by reason.
    seen: Mapping[str, int]
    #: (type, prefix) pairs the environment has, when the wanted service instance is missing.
    available: tuple[tuple[str, str], ...]
    max_age: datetime.timedelta
    #: The moment ages are measured from.
    checked_at: datetime.datetime
    #: Whether the environment has several service instances of that type and prefix (then
    #: ``service_instance`` is ``None`` and ``problem`` names them), as ``latest_backup``
    #: refuses with ``AmbiguousServiceInstance``.
    ambiguous: bool = False

    @property
    def taken_at(self) -> datetime.datetime | None:
        return None if self.latest is None else self.latest.taken_at

    @property
    def size(self) -> int | None:
        return None if self.latest is None else self.latest.size

    @property
    def age(self) -> datetime.timedelta | None:
        """How old the latest usable backup is at ``checked_at`` (``None``: none, or no time)."""
        taken = utc(self.taken_at)
        return None if taken is None else self.checked_at - taken

    @property
    def state(self) -> State:
        """``fresh``, ``stale`` (older than ``max_age``, or of unknown age), or why none."""
        if self.service_instance is None:
            return "ambiguous service instance" if self.ambiguous else "no service instance"
        if self.latest is None:
            return "no usable backup"
        age = self.age
        return "fresh" if age is not None and age <= self.max_age else "stale"

    @property
    def ok(self) -> bool:
        """Whether this environment needs no attention."""
        return self.state == "fresh"


BackupStatus = BackupStatusOf[
    bound.ServiceInstanceBackup,
    bound.Backup,
    bound.ServiceInstance,
    bound.Environment,
    bound.Application,
]


def backup_status(
    client: DivioClient,
    applications: str | Sequence[str] | None = None,
    environments: str | Sequence[str] | None = None,
    service_type: str = "DATABASE",
    prefix: str = "DEFAULT",
    max_age: datetime.timedelta = DEFAULT_MAX_AGE,
    *,
    now: datetime.datetime | None = None,
) -> list[BackupStatus]:
    """The backup status of every visible environment (or of the ones named), in one pass.

    ``applications`` (slugs or uuids) and ``environments`` (slugs or uuids) narrow the answer: a
    list, or one name; ``None`` means all. For each environment the answer is its latest usable
    backup of the ``service_type``/``prefix`` service instance by the definition of
    :func:`~divio_ext.workflows.latest_backup`, or why there is none (``problem``: no such
    service instance, several, or none usable yet with ``seen`` counts), and whether it is older
    than ``max_age`` (a ``datetime.timedelta``; anything else is refused before any request) at
    ``now`` (a ``datetime`` with a time zone; default: the current time). An empty list of names
    is refused too: it would check nothing. Ordered by application slug, then environment slug.
    A named application that is not visible raises
    :class:`~divio_ext.errors.ApplicationNotFound`; a named environment that none of the
    applications looked at has, or a named application that has none of the named
    environments, raises :class:`~divio_ext.errors.EnvironmentNotFound`.
    ``divio_ext.workflows.aio.backup_status`` is the same for an ``AsyncDivioClient``.
    """
    arguments.client(client, asynchronous=False)
    moment = measured_at(max_age, now)
    checked = client.run(plan(applications, environments, service_type, prefix))
    binder = Binder(
        latest=partial(latest.bind, client),
        application=partial(bound.Application, client),
        environment=partial(bound.Environment, client),
        service_instance=partial(bound.ServiceInstance, client),
    )
    return [binder(item, max_age, moment) for item in checked]


def measured_at(max_age: object, now: object) -> datetime.datetime:
    """The moment ages are measured from (``now``, else the current time), once ``max_age``
    and ``now`` are checked: both are refused before any request, not when an age is read."""
    arguments.duration("max_age", max_age)
    return arguments.moment("now", now) or datetime.datetime.now(datetime.UTC)


@dataclass(frozen=True)
class Binder(Generic[SIB, B, SI, E, A]):
    """How the models of a :class:`Checked` become bound objects of one kind of client."""

    latest: Callable[[Found], LatestBackupOf[SIB, B, SI, E, A]]
    application: Callable[[ApplicationModel], A]
    environment: Callable[[EnvironmentModel], E]
    service_instance: Callable[[ServiceInstanceModel], SI]

    def __call__(
        self, item: Checked, max_age: datetime.timedelta, now: datetime.datetime
    ) -> BackupStatusOf[SIB, B, SI, E, A]:
        """One :class:`Checked` as a result, ages measured at ``now``."""
        found = None if item.found is None else self.latest(item.found)
        instance = item.service_instance
        return BackupStatusOf(
            application=self.application(item.application) if found is None else found.application,
            environment=self.environment(item.environment) if found is None else found.environment,
            service_instance=(
                found.service_instance
                if found is not None
                else None
                if instance is None
                else self.service_instance(instance)
            ),
            latest=found,
            problem=item.problem,
            seen=dict(item.seen),
            available=item.available,
            max_age=max_age,
            checked_at=now,
            ambiguous=item.ambiguous,
        )


def plan(
    applications: str | Sequence[str] | None,
    environments: str | Sequence[str] | None,
    service_type: str,
    prefix: str,
) -> Plan[list[Checked]]:
    """The steps of :func:`backup_status`, for either client.

    1. applications, environments and service instances (every page of each), all at once;
    2. the service-instance backups of the chosen instances: one filtered listing each, or the
       complete listing once where the server ignores the filter; pages after the first by
       number, all in one batch, each page reduced as it arrives
       (:func:`~divio_ext.resources.relations.shortlists_of_instances`);
    3. per environment, :func:`~divio_ext.workflows.latest.first_usable`, all concurrently.
    """
    app_names = arguments.narrowing("applications", applications)
    env_names = arguments.narrowing("environments", environments)
    apps, envs, instances = yield Gather(
        (Collect(APPLICATIONS_LIST), Collect(ENVIRONMENTS_LIST), Collect(SERVICE_INSTANCES_LIST))
    )
    chosen_apps = _chosen_applications(apps, app_names)
    by_app = {app.uuid: app for app in chosen_apps}
    own_envs = [env for env in envs if env.application in by_app]
    chosen_envs = own_envs if env_names is None else _chosen_environments(own_envs, env_names)
    _all_found(env_names, own_envs, chosen_envs, chosen_apps, apps_named=app_names is not None)
    instances_of: dict[str, list[ServiceInstanceModel]] = {}
    for instance in instances:
        instances_of.setdefault(instance.environment, []).append(instance)
    picked: dict[str, ServiceInstanceModel] = {}
    missing: dict[str, Checked] = {}
    for env in chosen_envs:
        app = by_app[env.application]
        where = f"{text(app.slug) or app.uuid}/{text(env.slug) or env.uuid}"
        try:
            picked[env.uuid] = resolve.pick_service_instance(
                instances_of.get(env.uuid, []), service_type, prefix, where=where
            )
        except ServiceInstanceNotFound as error:
            missing[env.uuid] = Checked(app, env, None, None, str(error), available=error.available)
        except AmbiguousServiceInstance as error:
            missing[env.uuid] = Checked(app, env, None, None, str(error), ambiguous=True)
    listed = yield from relations.shortlists_of_instances(list(picked.values()))
    looked_at = [env for env in chosen_envs if env.uuid in picked]
    answers = yield Gather(
        tuple(
            first_usable(listed[picked[env.uuid].uuid], picked[env.uuid].uuid, env.uuid)
            for env in looked_at
        ),
        concurrency=ENVIRONMENTS_AT_ONCE,
    )
    checked = dict(missing)
    for env, (usable, seen) in zip(looked_at, answers, strict=True):
        app, instance = by_app[env.application], picked[env.uuid]
        if usable is None:
            problem = f"no successful backup of {service_type}/{prefix} yet"
            checked[env.uuid] = Checked(app, env, instance, None, problem, seen=seen)
        else:
            found = Found(usable[0], usable[1], instance, env, app)
            checked[env.uuid] = Checked(app, env, instance, found)
    return sorted(checked.values(), key=_order)


def _chosen_applications(
    apps: list[ApplicationModel], references: Sequence[str] | None
) -> list[ApplicationModel]:
    """The applications named by uuid or slug, by the rule ``latest_backup`` follows (a uuid
    before a slug); all when ``references`` is ``None``."""
    if references is None:
        return apps
    chosen: dict[str, ApplicationModel] = {}
    for reference in references:
        match = resolve.application_named(apps, reference)
        if match is None:
            visible = sorted(text(app.slug) or app.uuid for app in apps)
            raise ApplicationNotFound(reference, visible=visible[:10], total=len(apps))
        chosen[match.uuid] = match
    return list(chosen.values())


def _chosen_environments(
    envs: list[EnvironmentModel], references: Sequence[str]
) -> list[EnvironmentModel]:
    """The environments of each application that ``references`` name, by the rule
    ``latest_backup`` follows (a slug before a uuid), in the order of ``envs``."""
    of_app: dict[str, list[EnvironmentModel]] = {}
    for env in envs:
        of_app.setdefault(env.application, []).append(env)
    named = {
        found.uuid
        for own in of_app.values()
        for reference in references
        if (found := resolve.environment_named(own, reference)) is not None
    }
    return [env for env in envs if env.uuid in named]


def _all_found(
    references: Sequence[str] | None,
    envs: list[EnvironmentModel],
    chosen: list[EnvironmentModel],
    apps: list[ApplicationModel],
    *,
    apps_named: bool,
) -> None:
    """Raise :class:`~divio_ext.errors.EnvironmentNotFound` for a named environment that none
    of ``apps`` has, and, where the applications were named too, for one of them that has none
    of the named environments (those ``chosen``): a misspelt name, or an application whose
    environment has another name, must not make a fleet check pass by checking nothing of it."""
    if references is None:
        return
    named = {ref for env in envs for ref in (env.uuid, text(env.slug)) if ref is not None}
    missing = [reference for reference in references if reference not in named]
    if missing:
        slugs = sorted({text(env.slug) or env.uuid for env in envs})
        application = text(apps[0].slug) or apps[0].uuid if len(apps) == 1 else None
        raise EnvironmentNotFound(application, missing[0], available=slugs)
    checked = {env.application for env in chosen}
    unchecked = [app for app in apps if app.uuid not in checked] if apps_named else []
    if unchecked:
        app = unchecked[0]
        slugs = sorted(text(env.slug) or env.uuid for env in envs if env.application == app.uuid)
        raise EnvironmentNotFound(text(app.slug) or app.uuid, references[0], available=slugs)


def _order(item: Checked) -> tuple[str, str]:
    app, env = item.application, item.environment
    return (text(app.slug) or app.uuid, text(env.slug) or env.uuid)
