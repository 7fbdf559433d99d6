"""Following relations between API objects, quickly and without trusting filters.

Every listing sends the filters that narrow it on the server (including ones no public source
confirms, such as ``environment`` on backups and ``service_instance`` on service-instance
backups: api-notes §4.3) and then keeps only the items that really belong, so the answers stay
right on a server that ignores those filters. Where a field points straight at an object (a
backup lists its service-instance backups' uuids), the object is fetched directly instead of
searched for.
Lists arrive in no guaranteed order; "newest first" is always computed here.
"""

from __future__ import annotations

from collections.abc import Iterable

from divio_ext.core.contract import (
    BACKUPS_LIST,
    DEPLOYMENTS_LIST,
    ENVIRONMENT_VARIABLES_LIST,
    SERVICE_INSTANCE_BACKUP,
    SERVICE_INSTANCE_BACKUPS_LIST,
)
from divio_ext.core.engine import Call, Collect, Gather, Plan
from divio_ext.resources.models import (
    Backup,
    Deployment,
    Environment,
    EnvironmentVariable,
    ServiceInstance,
    ServiceInstanceBackup,
)
from divio_ext.resources.selection import (
    backup_recency,
    deployment_recency,
    sib_listing_recency,
    text,
    value,
)


def sibs_of_instances(instances: list[ServiceInstance]) -> Plan[list[ServiceInstanceBackup]]:
    """Every service-instance backup of these service instances.

    One filtered listing per instance, run concurrently. If the first listing shows that the
    server ignored the ``service_instance`` filter (it returned other instances' items), that
    one complete listing is used for all instances instead of fetching it again per instance.
    """
    if not instances:
        return []
    wanted = {instance.uuid for instance in instances}
    first, *others = instances
    found: list[ServiceInstanceBackup] = yield Collect(
        SERVICE_INSTANCE_BACKUPS_LIST, {"service_instance": first.uuid}
    )
    if any(sib.service_instance != first.uuid for sib in found) or not others:
        return [sib for sib in found if sib.service_instance in wanted]
    rest: list[list[ServiceInstanceBackup]] = yield Gather(
        tuple(
            Collect(SERVICE_INSTANCE_BACKUPS_LIST, {"service_instance": other.uuid})
            for other in others
        )
    )
    listed = [*found, *(sib for listing in rest for sib in listing)]
    return [sib for sib in listed if sib.service_instance in wanted]


def sibs_of_instance(instance: ServiceInstance) -> Plan[list[ServiceInstanceBackup]]:
    """The service-instance backups of one service instance, newest first (queued ones first)."""
    found = yield from sibs_of_instances([instance])
    return sorted(found, key=sib_listing_recency, reverse=True)


def sibs_of_backup(backup: Backup) -> Plan[list[ServiceInstanceBackup]]:
    """The service-instance backups a backup lists, fetched directly and concurrently."""
    uuids = value(backup.service_instance_backups) or []
    found: list[ServiceInstanceBackup] = yield Gather(
        tuple(Call(SERVICE_INSTANCE_BACKUP, {"uuid": uuid}) for uuid in uuids)
    )
    return [sib for sib in found if sib.backup == backup.uuid]


def backups_of(
    env: Environment, instances: list[ServiceInstance]
) -> Plan[list[tuple[Backup, list[ServiceInstanceBackup]]]]:
    """The backups of ``env`` with their service-instance backups, newest first.

    A backup has no timestamp of its own; its recency comes from its service-instance backups
    (see :func:`divio_ext.resources.selection.backup_recency`). The backup listing and the
    service-instance-backup listings run concurrently.
    """
    listed, sibs = yield Gather(
        (
            Collect(BACKUPS_LIST, {"environment": env.uuid, "application": env.application}),
            sibs_of_instances(instances),
        )
    )
    own: list[Backup] = [backup for backup in listed if backup.environment == env.uuid]
    by_backup: dict[str, list[ServiceInstanceBackup]] = {}
    for sib in sibs:
        by_backup.setdefault(sib.backup, []).append(sib)
    ordered = sorted(
        own, key=lambda backup: backup_recency(backup, by_backup.get(backup.uuid, [])), reverse=True
    )
    return [(backup, by_backup.get(backup.uuid, [])) for backup in ordered]


def newest_deployments_first(deployments: Iterable[Deployment]) -> list[Deployment]:
    """Deployments newest first: queued ones (not started yet) first, then by ``started_at``.

    See :func:`divio_ext.resources.selection.deployment_recency`.
    """
    return sorted(deployments, key=deployment_recency, reverse=True)


def deployments_of(env: Environment) -> Plan[list[Deployment]]:
    """The deployments of ``env``, newest first."""
    found = yield Collect(
        DEPLOYMENTS_LIST, {"environment": env.uuid, "application": env.application}
    )
    return newest_deployments_first(item for item in found if item.environment == env.uuid)


def variables_of(env: Environment) -> Plan[list[EnvironmentVariable]]:
    """The environment variables of ``env``, sorted by name."""
    found = yield Collect(ENVIRONMENT_VARIABLES_LIST, {"environment": [env.uuid]})
    own = [variable for variable in found if variable.environment == env.uuid]
    return sorted(own, key=lambda variable: (text(variable.name) or "", text(variable.uuid) or ""))
