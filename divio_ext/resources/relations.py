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
from typing import Any, Generic, TypeVar

from divio_ext.core.contract import (
    BACKUPS_LIST,
    DEPLOYMENTS_LIST,
    ENVIRONMENT_VARIABLES_LIST,
    SERVICE_INSTANCE_BACKUP,
    SERVICE_INSTANCE_BACKUPS_LIST,
)
from divio_ext.core.engine import Call, Collect, Gather, Plan, ReadRows
from divio_ext.core.errors import NotFound, PaginationError
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
    LISTED_FIELDS,
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
#: walked. One flat batch, not a pager per listing each with its own threads (which cost the
#: client more than 8 listings of 8 pages each when this was chosen). Against the sandbox on a
#: CPU of its own at 50 000 backups and 20 ms (A/B, 30 runs a side), a fleet status took 0.421 s
#: with 40 against 0.447 s with 32; 48 and 56 gained less, as their threads cost more CPU. Where
#: the sandbox shares the client's CPUs, and at 0 ms, 40 and 32 took the same time.
PAGES_AT_ONCE = 40
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
    """``read`` of each page of the service-instance backups of ``instances``, listing by
    listing, each in page order.

    One filtered listing per instance. With several, the first requests are the complete
    listing's first page and each instance's. The filter is unconfirmed, so the counts decide
    how to walk: if the first instance's count is the complete one, the server ignored the
    filter (or that instance has every backup), and the complete listing is walked once;
    otherwise each instance's own pages are. A complete listing of one page already holds
    everything. Where the server filters, the first pages are pages of the answer; where it
    does not, they cost one unneeded page per instance.

    The later pages are requested by number, all listings in one batch of at most
    :data:`PAGES_AT_ONCE` at a time, each listing as soon as its first page and the decision
    are in (:class:`_Schedule`). Pages are read as checked rows of the fields the rules read
    (:class:`~divio_ext.core.rows.Rows`), and ``read`` runs as each page arrives (a later page
    on the worker that fetched it); pages may hold items of other instances.
    """
    if not instances:
        return []
    filters = [{"service_instance": instance.uuid} for instance in instances]
    walk = _Schedule([{}, *filters] if len(filters) > 1 else filters, read)
    batch = yield Gather(
        tuple(_page(where, 1) for where in walk.listings),
        concurrency=PAGES_AT_ONCE,
        more=walk.more,
    )
    return walk.in_page_order(batch)


#: How many pages of one listing are asked for ahead of the ones it has answered.
PAGES_AHEAD = PAGES_AT_ONCE


class _Schedule(Generic[T]):
    """Which pages a walk asks for, as the pages arrive: the ``more`` of its batch.

    ``listings`` are the filters of the listings whose first pages the batch starts with: the
    complete listing then each instance's, or one instance's alone. Which of them are walked
    is decided once the first two (or the only one) are in.

    A listing's count says how many pages it has, but a count is only the server's word: one
    that is wrong (or hostile) must not make the walk ask for millions of pages. So a listing
    has at most :data:`PAGES_AHEAD` pages asked for and not yet answered, none after a page
    that says it is the last (no ``next``, no items, or DRF's 404 "Invalid page."), and none
    beyond its count unless the count's last page says there is more (a count too low, or a
    list that grew while it was read): then one page at a time, at most :data:`PAGES_AHEAD`
    past the count before the walk fails with :class:`~divio_ext.errors.PaginationError`
    rather than answer without the rest. A page numbered after the last one is not sent when
    a worker takes it up. An earlier page still is: a worker may be held up between taking a
    page and asking for it while a later page is answered, and that page's items are part of
    the listing. A later page that starts with page 1's first item means a server that does
    not page by number (every page is the first): a :class:`~divio_ext.errors.PaginationError`,
    not an answer from the first page alone.
    """

    def __init__(
        self, listings: list[dict[str, str]], read: Callable[[Rows[ServiceInstanceBackup]], T]
    ) -> None:
        self.listings, self.read = listings, read
        self.firsts: dict[int, Rows[ServiceInstanceBackup]] = {}
        self.walked: list[int] | None = None
        self.read_first: dict[int, T] = {}
        #: The last page number each walked listing's count allows, and the next one to ask for.
        self.last: dict[int, int] = {}
        self.next_number: dict[int, int] = {}
        #: The first page number of each listing that said it was the last one.
        self.ended: dict[int, int] = {}
        #: How many pages past its count each listing has been asked for.
        self.beyond: dict[int, int] = {}
        #: (listing, page number) of each later page, in the order they were added.
        self.later: list[tuple[int, int]] = []

    def more(self, index: int, answer: Any) -> list[Plan[tuple[T, bool]]]:
        """The pages to ask for now that plan ``index`` of the batch has finished."""
        if index >= len(self.listings):
            listing, number = self.later[index - len(self.listings)]
            _, last = answer
            if last:
                self.ended[listing] = min(number, self.ended.get(listing, number))
            elif number == self.last[listing]:
                self._past_the_count(listing)
            return self._ahead(listing, 1)
        self.firsts[index] = answer
        if self.walked is None:
            self.walked = self._decide()
            ready = [listing for listing in self.walked or [] if listing in self.firsts]
        else:
            ready = [index] if index in self.walked else []
        pages = []
        for listing in ready:
            first = self.firsts[listing]
            self.read_first[listing] = self.read(first)
            length = len(first.results)
            self.last[listing] = -(-first.count // length) if first.next_ and length else 1
            if self.last[listing] == 1 and first.next_ and length:
                self._past_the_count(listing)
            self.next_number[listing] = 2
            pages += self._ahead(listing, PAGES_AHEAD)
        return pages

    def _past_the_count(self, listing: int) -> None:
        """One more page of ``listing`` than its count allows: its last page said there is
        more."""
        self.beyond[listing] = self.beyond.get(listing, 0) + 1
        if self.beyond[listing] > PAGES_AHEAD:
            raise PaginationError(
                f"the service-instance-backup listing goes on more than {PAGES_AHEAD} pages past "
                f"the {self.firsts[listing].count} items its count says; stopping"
            )
        self.last[listing] += 1

    def _ahead(self, listing: int, pages: int) -> list[Plan[tuple[T, bool]]]:
        """Up to ``pages`` more pages of ``listing``, unless it has ended."""
        if listing in self.ended:
            return []
        number = self.next_number[listing]
        numbers = range(number, min(number + pages, self.last[listing] + 1))
        self.next_number[listing] = number + len(numbers)
        self.later += [(listing, n) for n in numbers]
        return [self._later_page(listing, n) for n in numbers]

    def _later_page(self, listing: int, number: int) -> Plan[tuple[T, bool]]:
        """``read`` of page ``number`` of a listing, and whether it was the listing's last; of
        an empty page, not asked for, once an earlier page has said it was the last."""
        if number > self.ended.get(listing, number):
            return self.read(empty(ServiceInstanceBackup)), True
        try:
            page: Rows[ServiceInstanceBackup] = yield _page(self.listings[listing], number)
        except NotFound as error:
            if not past_the_last_page(error):
                raise
            return self.read(empty(ServiceInstanceBackup)), True
        first = self.firsts[listing].results
        if page.results and first and page.results[0].uuid == first[0].uuid:
            raise PaginationError(
                f"page {number} of the service-instance-backup listing starts with the item page "
                "1 starts with: the server does not page by number"
            )
        return self.read(page), not (page.next_ and page.results)

    def _decide(self) -> list[int] | None:
        """The listings walked, once the first pages that decide it are in (else ``None``)."""
        if len(self.listings) == 1:
            return [0] if 0 in self.firsts else None
        if 0 not in self.firsts or 1 not in self.firsts:
            return None
        complete, first = self.firsts[0], self.firsts[1]
        if not complete.next_ or first.count == complete.count:
            return [0]
        return list(range(1, len(self.listings)))

    def in_page_order(self, batch: list[Any]) -> list[T]:
        """``read`` of every page walked, listing by listing, each in page order."""
        later = zip(self.later, batch[len(self.listings) :], strict=True)
        walked = {listing: [self.read_first[listing]] for listing in self.walked or []}
        for (listing, _), (reading, _) in sorted(later, key=lambda pair: pair[0]):
            walked[listing].append(reading)
        return [reading for readings in walked.values() for reading in readings]


def _page(where: dict[str, str], number: int) -> ReadRows:
    """Page ``number`` of the listing filtered by ``where``, at the size asked for."""
    return ReadRows(
        SERVICE_INSTANCE_BACKUPS_LIST,
        {**where, "page": number, "page_size": PAGE_SIZE},
        fields=LISTED_FIELDS,
    )


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
