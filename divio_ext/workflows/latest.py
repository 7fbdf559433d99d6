"""The question the Divio docs answer in five paginated lookups: the newest usable backup."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from divio_ext.core.contract import BACKUP, SERVICE_INSTANCE_BACKUP
from divio_ext.core.engine import Call, Gather, Plan
from divio_ext.core.errors import NotFound, NoUsableBackup
from divio_ext.resources import bound, relations, resolve
from divio_ext.resources.models import Application as ApplicationModel
from divio_ext.resources.models import Backup as BackupModel
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.models import ServiceInstance as ServiceInstanceModel
from divio_ext.resources.models import ServiceInstanceBackup as ServiceInstanceBackupModel
from divio_ext.resources.objects import ServiceInstanceBackupFields
from divio_ext.resources.selection import (
    Candidate,
    Shortlist,
    backup_succeeded,
    sib_finished_cleanly,
    text,
)
from divio_ext.workflows import arguments

if TYPE_CHECKING:
    from divio_ext.resources.client import DivioClient

#: Candidates whose backups are fetched in the first batch: usually the best one qualifies.
FIRST_BATCH = 1
#: Later batches grow by this factor (fetched concurrently) up to ``MAX_BATCH``.
GROWTH = 4
MAX_BATCH = 16


@dataclass(frozen=True)
class Found:
    """What :func:`plan` finds, as the server's models: the answer and everything around it."""

    service_instance_backup: ServiceInstanceBackupModel
    backup: BackupModel
    service_instance: ServiceInstanceModel
    environment: EnvironmentModel
    application: ApplicationModel


SIB = TypeVar("SIB", bound=ServiceInstanceBackupFields[Any])
B = TypeVar("B")
SI = TypeVar("SI")
E = TypeVar("E")
A = TypeVar("A")


@dataclass(frozen=True)
class LatestBackupOf(Generic[SIB, B, SI, E, A]):
    """The answer of :func:`latest_backup`: the service-instance backup and everything around it.

    Use the aliases: :data:`LatestBackup` (bound to a ``DivioClient``) and
    :data:`AsyncLatestBackup` (bound to an ``AsyncDivioClient``).
    """

    service_instance_backup: SIB
    backup: B
    service_instance: SI
    environment: E
    application: A

    @property
    def taken_at(self) -> datetime.datetime | None:
        """When the snapshot was taken."""
        return self.service_instance_backup.taken_at

    @property
    def size(self) -> int | None:
        """Its size in bytes."""
        return self.service_instance_backup.size


LatestBackup = LatestBackupOf[
    bound.ServiceInstanceBackup,
    bound.Backup,
    bound.ServiceInstance,
    bound.Environment,
    bound.Application,
]


def latest_backup(
    client: DivioClient,
    application: str,
    environment: str,
    service_type: str = "DATABASE",
    prefix: str = "DEFAULT",
) -> LatestBackup:
    """The newest usable backup of one service instance of an environment.

    ``application`` is a slug or uuid, ``environment`` a slug (``"live"``, ``"test"``, a custom
    one) or uuid; ``service_type`` and ``prefix`` pick the environment's service instance
    (``"DATABASE"``/``"DEFAULT"`` is the main database; ``"STORAGE"`` is media storage).
    ``divio_ext.workflows.aio.latest_backup`` is the same for an ``AsyncDivioClient``.

    The answer is the service-instance backup S of that service instance such that:

    * S's backup has ``state`` ``COMPLETED`` and ``success`` ``SUCCESS`` (``PARTIAL``,
      ``FAILURE`` and unfinished backups do not count), and belongs to that environment;
    * S has ``ended_at`` set and no errors (``errors`` null, ``[]`` or ``""``);
    * among those, S has the greatest ``taken_at`` (a null or unreadable one counts as oldest),
      ties broken by the greatest ``ended_at``, then the greatest ``uuid``.

    It is returned as :data:`LatestBackup`, with its backup, service instance, environment and
    application. When none qualifies a :class:`~divio_ext.errors.NotFound` subclass says why:
    :class:`~divio_ext.errors.ApplicationNotFound`,
    :class:`~divio_ext.errors.EnvironmentNotFound`,
    :class:`~divio_ext.errors.ServiceInstanceNotFound` or
    :class:`~divio_ext.errors.NoUsableBackup`.

    How it stays fast: it lists the service-instance backups of that one service instance
    (filtered on the server where possible, all pages at once, each page reduced to what the
    rule needs as it arrives), ranks them by the rule above without any further request, and
    then fetches only the backups of the best candidates, a few at a time concurrently,
    stopping at the first that succeeded (a winner ranked below each page's five newest is
    fetched once more by its uuid, since its listed model was not kept). A candidate whose
    backup is gone by then (deleted since it was listed) is passed over, not an error. Every
    item is checked on this side, so the answer is the same when the server ignores the filters.
    """
    arguments.client(client, asynchronous=False)
    found = client.run(plan(application, environment, service_type, prefix))
    return bind(client, found)


def bind(client: DivioClient, found: Found) -> LatestBackup:
    """A :class:`Found` as the sync bound objects :func:`latest_backup` returns."""
    return LatestBackupOf(
        service_instance_backup=bound.ServiceInstanceBackup(client, found.service_instance_backup),
        backup=bound.Backup(client, found.backup, parts=[found.service_instance_backup]),
        service_instance=bound.ServiceInstance(client, found.service_instance),
        environment=bound.Environment(client, found.environment),
        application=bound.Application(client, found.application),
    )


def plan(application: str, environment: str, service_type: str, prefix: str) -> Plan[Found]:
    """The steps of :func:`latest_backup`, for either client."""
    app = yield from resolve.application(application)
    env = yield from resolve.environment(app, environment)
    where = f"{text(app.slug) or app.uuid}/{text(env.slug) or env.uuid}"
    instances = yield from resolve.service_instances(env)
    instance = resolve.pick_service_instance(instances, service_type, prefix, where=where)
    found = yield from relations.shortlists_of_instances([instance])
    usable, seen = yield from first_usable(found[instance.uuid], instance.uuid, env.uuid)
    if usable is None:
        raise NoUsableBackup(f"{service_type}/{prefix}", where, seen=seen)
    sib, backup = usable
    return Found(sib, backup, instance, env, app)


Usable = tuple[ServiceInstanceBackupModel, BackupModel]


def first_usable(
    shortlist: Shortlist, instance: str, environment: str
) -> Plan[tuple[Usable | None, dict[str, int]]]:
    """The best candidate of ``shortlist`` by the rule :func:`latest_backup` documents, with its
    backup.

    Candidates are ranked without any request; then the backups of the best ones are fetched,
    a growing batch at a time, concurrently, until one succeeded and belongs to
    ``environment``; a candidate whose backup is gone by then (404) is passed over. A winner
    whose listed model was not kept is fetched again by its uuid and must still be a finished,
    error-free backup of ``instance`` with the same backup. When none qualifies, the answer is
    ``None`` and the counts of why each service-instance backup was left out (for
    :class:`~divio_ext.errors.NoUsableBackup`).
    """
    candidates = shortlist.ranked()
    batch_size = FIRST_BATCH
    rejected: Counter[str] = Counter()
    while batch := list(islice(candidates, batch_size)):
        backups: list[BackupModel | None] = yield Gather(
            tuple(_backup_of(candidate) for candidate in batch)
        )
        for candidate, backup in zip(batch, backups, strict=True):
            if backup is None:
                rejected["changed since listed"] += 1
                continue
            if not (backup_succeeded(backup) and backup.environment == environment):
                rejected[_why_not(backup, environment)] += 1
                continue
            sib = candidate.listed
            if sib is None:
                sib = yield from _again(candidate, instance)
            if sib is not None:
                return (sib, backup), {}
            rejected["changed since listed"] += 1
        batch_size = min(batch_size * GROWTH, MAX_BATCH)
    return None, dict(shortlist.left_out() + rejected)


def _backup_of(candidate: Candidate) -> Plan[BackupModel | None]:
    """A candidate's backup, or ``None`` if it is gone (404) since the candidate was listed:
    a backup deleted in between (by its retention, or by hand) costs its candidacy, not the
    answer of the whole question."""
    try:
        backup: BackupModel = yield Call(BACKUP, {"uuid": candidate.backup})
    except NotFound:
        return None
    return backup


def _again(candidate: Candidate, instance: str) -> Plan[ServiceInstanceBackupModel | None]:
    """A candidate's service-instance backup fetched by its uuid, if it is still what it was
    listed as (of ``instance``, of the same backup, finished without errors)."""
    try:
        sib: ServiceInstanceBackupModel = yield Call(
            SERVICE_INSTANCE_BACKUP, {"uuid": candidate.uuid}
        )
    except NotFound:
        return None
    same = sib.service_instance == instance and sib.backup == candidate.backup
    return sib if same and sib_finished_cleanly(sib) else None


def _why_not(backup: BackupModel, environment: str) -> str:
    if backup.environment != environment:
        return "of another environment"
    if text(backup.state) != "COMPLETED":
        return "still running"
    return f"{(text(backup.success) or 'no result').lower()}"
