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

from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from divio_ext.core.contract import (
    BACKUPS_LIST,
    DEPLOYMENTS_LIST,
    ENVIRONMENT_VARIABLES_LIST,
    SERVICE_INSTANCE_BACKUP,
    SERVICE_INSTANCE_BACKUPS_LIST,
)
from divio_ext.core.engine import Call, Collect, Gather, Plan, ReadRows
from divio_ext.core.errors import NotFound
from divio_ext.core.paginate import DEFAULT_MAX_PAGE_SIZE, past_the_last_page
from divio_ext.core.rows import Rows, empty
from divio_ext.resources.models import (
    Backup,
    Deployment,
    Environment,
    EnvironmentVariable,
    ServiceInstance,
    ServiceInstanceBackup,
)
from divio_ext.resources.selection import (
    Bar,
    Shortlist,
    backup_recency,
    deployment_recency,
    digest,
    shortlists,
    sib_listing_recency,
    text,
    value,
)

T = TypeVar("T")

#: How many pages of service-instance backups are requested at once, over all the listings
#: walked. One flat batch, not a pager per listing each with its own threads: measured against
#: the sandbox (``python -m bench --only fleet``), 32 kept a 20 ms round trip covered while
#: costing the client less than 8 listings of 8 pages each (see README, "Fleet status").
PAGES_AT_ONCE = 32
#: The page size asked for. DRF serves at most its maximum whatever is asked, so the pages are
#: counted by the length of the first page, never by this number.
PAGE_SIZE = DEFAULT_MAX_PAGE_SIZE


def sibs_of_instances(instances: list[ServiceInstance]) -> Plan[list[ServiceInstanceBackup]]:
    """Every service-instance backup of these service instances, each once (as listed last).

    The listings are walked as :func:`_walk` describes; only items of ``instances`` are kept.
    """
    wanted = {instance.uuid for instance in instances}
    pages = yield from _walk(instances, Rows.models)
    found: dict[str, ServiceInstanceBackup] = {}
    for page in pages:
        for sib in page:
            if sib.service_instance in wanted:
                found[sib.uuid] = sib
    return list(found.values())


def shortlists_of_instances(instances: list[ServiceInstance]) -> Plan[dict[str, Shortlist]]:
    """What the service-instance-backup listings tell about each instance's latest usable
    backup (:class:`~divio_ext.resources.selection.Shortlist`, by instance uuid).

    The same walk as :func:`sibs_of_instances`, but each page is reduced to a
    :class:`~divio_ext.resources.selection.Digest` as soon as it arrives, so that the models of
    a large history do not all stay alive until the end.
    """
    wanted = frozenset(instance.uuid for instance in instances)
    digests = yield from _walk(instances, partial(digest, wanted=wanted, bar=Bar()))
    return shortlists(digests, [instance.uuid for instance in instances])


def _walk(
    instances: list[ServiceInstance], read: Callable[[Rows[ServiceInstanceBackup]], T]
) -> Plan[list[T]]:
    """``read`` of each page of the service-instance backups of ``instances``, in page order.

    One filtered listing per instance. With one instance: its first page, then the rest. With
    several, one round trip asks for the complete listing's first page and for each instance's
    first page. The filter is unconfirmed, so the counts decide how to walk: if the first
    instance's count is the complete one, the server ignored the filter (or that instance has
    every backup), and the complete listing is walked once; otherwise each instance's own
    pages are. A complete listing of one page already holds everything. The later pages are
    then requested by number, all listings in one batch of at most :data:`PAGES_AT_ONCE`, so
    a fleet waits for three round trips besides its later pages, whether or not the server
    filters. Where it filters, the first round trip's pages are pages of the answer; where it
    does not, it costs one unneeded page per instance. Pages are read as checked JSON rows
    (:class:`~divio_ext.core.rows.Rows`), and ``read`` runs as each later page arrives (on the
    worker that fetched it); pages may hold items of other instances.
    """
    if not instances:
        return []
    filters = [{"service_instance": instance.uuid} for instance in instances]
    firsts: list[Rows[ServiceInstanceBackup]]
    if len(filters) == 1:
        firsts = [(yield _page(filters[0], 1))]
        chosen = filters
    else:
        complete, *firsts = yield Gather(
            (_page({}, 1), *(_page(where, 1) for where in filters)), concurrency=PAGES_AT_ONCE
        )
        chosen = filters
        if not complete.next_ or firsts[0].count == complete.count:
            firsts, chosen = [complete], [{}]
    read_first = [read(first) for first in firsts]
    later: list[T] = yield Gather(
        tuple(
            _later_page(where, number, read)
            for where, first in zip(chosen, firsts, strict=True)
            for number in _pages_after(first)
        ),
        concurrency=PAGES_AT_ONCE,
    )
    return [*read_first, *later]


def _page(where: dict[str, str], number: int) -> ReadRows:
    """Page ``number`` of the listing filtered by ``where``, at the size asked for."""
    return ReadRows(
        SERVICE_INSTANCE_BACKUPS_LIST, {**where, "page": number, "page_size": PAGE_SIZE}
    )


def _pages_after(first: Rows[ServiceInstanceBackup]) -> list[int]:
    """The numbers of a listing's pages after ``first``, by its count and its length (none
    when its length is unknown: a first page without items)."""
    length = len(first.results)
    return list(range(2, -(-first.count // length) + 1)) if first.next_ and length else []


def _later_page(
    where: dict[str, str], number: int, read: Callable[[Rows[ServiceInstanceBackup]], T]
) -> Plan[T]:
    """``read`` of page ``number`` of a listing; of an empty page if the listing has shrunk
    below it since its first page (DRF's 404 "Invalid page.")."""
    try:
        page: Rows[ServiceInstanceBackup] = yield _page(where, number)
    except NotFound as error:
        if not past_the_last_page(error):
            raise
        return read(empty(ServiceInstanceBackup))
    return read(page)


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
