"""Pure rules that decide which backups count and which one is newest.

They are kept apart from any I/O so that the definition of "the latest usable backup" lives in
one place, can be read in one sitting and is tested without a server. Every rule works on the
generated attrs models as the server sent them: fields may be missing (``UNSET``) or null, and
lists arrive in no particular order, so recency is always computed, never assumed.
"""

from __future__ import annotations

import datetime
import heapq
import operator
import threading
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from divio_api.types import Unset

from divio_ext.core.rows import Row, Rows
from divio_ext.resources.models import Backup, Deployment, ServiceInstanceBackup

COMPLETED = "COMPLETED"
SUCCESS = "SUCCESS"

_OLDEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)

# A candidate as a listing shows it, and its sort key: (has a time, the time) pairs for
# ``taken_at`` and ``ended_at``, the uuid as the final tie-breaker, then the uuid of its backup
# (never compared: uuids are unique within a listing).
Entry = tuple[bool, datetime.datetime, bool, datetime.datetime, str, str]
# The same for listings of work, led by "queued": not started, not finished, so the newest.
ListingKey = tuple[bool, bool, datetime.datetime, bool, datetime.datetime, str]


def value(field: Any) -> Any:
    """A model field with ``UNSET`` (field absent from the response) read as ``None``."""
    return None if isinstance(field, Unset) else field


def text(field: Any) -> str | None:
    """An enum or string field as plain text (``SuccessEnum.SUCCESS`` -> ``"SUCCESS"``)."""
    found = value(field)
    return None if found is None else str(found)


def has_errors(errors: Any) -> bool:
    """Whether an ``errors`` field reports a problem.

    The docs show a list and the official CLI's fixtures show a string, so both are accepted:
    absent, ``null``, ``[]``, ``""`` and ``{}`` mean no error; any non-empty list, string or
    mapping means an error.
    """
    found = value(errors)
    if found is None:
        return False
    if isinstance(found, str | list | tuple | dict):
        return len(found) > 0
    return bool(found)


def error_messages(errors: Any) -> list[str]:
    """The messages of an ``errors`` field as a flat list of strings (empty when none)."""
    if not has_errors(errors):
        return []
    found = value(errors)
    if isinstance(found, list | tuple):
        return [str(item) for item in found]
    if isinstance(found, dict):
        return [f"{key}: {item}" for key, item in found.items()]
    return [str(found)]


def utc(moment: object) -> datetime.datetime | None:
    """A timestamp field made comparable: an aware datetime, or ``None`` when there is none.

    A naive time is read as UTC, as the API writes ``Z`` times. Absent (``UNSET``), null and
    unreadable values are all ``None``: the generated models keep a timestamp they cannot parse
    as the server's string, and one odd item must not stop an answer about thousands.
    """
    if not isinstance(moment, datetime.datetime):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def size_of(field: object) -> int | None:
    """A size field in bytes: a whole number of at least 0, or ``None`` (absent, null, or
    anything else a server may send: text, a fraction, a negative number, ``true``)."""
    if isinstance(field, bool) or not isinstance(field, int) or field < 0:
        return None
    return field


def time_key(moment: object) -> tuple[bool, datetime.datetime]:
    """Sort key of an optional timestamp: a missing, null or unreadable one sorts before every
    real one."""
    found = utc(moment)
    return (False, _OLDEST) if found is None else (True, found)


def queued_first(
    moment: datetime.datetime | None, finished: bool, end: Any, uuid: str
) -> ListingKey:
    """Sort key of a piece of work in a listing, greatest = newest.

    Work with no time yet that has not finished is queued: it was asked for last, so it is the
    newest of all (a "newest first" listing, or a "take over the running one" check, must see
    it first). Otherwise the time ranks (a finished item without one sorts oldest), then the
    end time, then the uuid.
    """
    return (moment is None and not finished, *time_key(moment), *time_key(end), uuid)


def deployment_finished(deployment: Deployment) -> bool:
    """A deployment has finished once ``ended_at`` or ``success`` is set."""
    return value(deployment.ended_at) is not None or value(deployment.success) is not None


def deployment_recency(deployment: Deployment) -> ListingKey:
    """Sort key of a deployment: queued first, then ``started_at``, ``ended_at``, uuid."""
    started = utc(deployment.started_at)
    finished = deployment_finished(deployment)
    return queued_first(started, finished, deployment.ended_at, deployment.uuid)


def sib_listing_recency(sib: ServiceInstanceBackup) -> ListingKey:
    """Sort key of a service-instance backup in a listing: queued first, then activity time.

    Unlike :func:`row_entry` (which ranks finished candidates for the latest backup), an
    unfinished one ranks by when it was taken, started or queued.
    """
    finished = value(sib.ended_at) is not None
    return queued_first(sib_activity_time(sib), finished, sib.ended_at, sib.uuid)


def row_time(moment: object) -> datetime.datetime | None:
    """A timestamp of a listed row (:class:`~divio_ext.core.rows.Rows`) read as the generated
    model reads it, then as :func:`utc` makes it comparable: text in ISO 8601 is a time (naive
    means UTC); anything else, unreadable text included, is none."""
    if type(moment) is not str:
        return None
    try:
        found = datetime.datetime.fromisoformat(moment)
    except ValueError:
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=datetime.UTC)


_parse_time = datetime.datetime.fromisoformat

#: The optional fields of a listed service-instance backup the rules read from its row
#: (:func:`row_entry`, :func:`digest`); its required ``uuid``, ``backup`` and
#: ``service_instance`` are in every row.
LISTED_FIELDS = ("taken_at", "ended_at", "errors")


def row_entry(row: Row) -> Entry:
    """A listed service-instance backup that finished without errors, as a candidate: newest
    first by ``taken_at`` (a missing one sorts oldest), then ``ended_at`` (same), then
    ``uuid``; its backup's uuid last.

    It runs once per item of every listing a latest-backup question reads, so it reads the row
    (:func:`row_time`) rather than a model, and makes one tuple. The common row (both times
    present, with a zone) is read first, without :func:`row_time`'s checks: anything else
    raises or has no zone, and is read again by :func:`row_time`.
    """
    try:
        taken, ended = _parse_time(row.taken_at), _parse_time(row.ended_at)
    except (TypeError, ValueError):
        pass
    else:
        if taken.tzinfo is not None and ended.tzinfo is not None:
            return (True, taken, True, ended, row.uuid, row.backup)
    read_taken, read_ended = row_time(row.taken_at), row_time(row.ended_at)
    return (
        read_taken is not None,
        _OLDEST if read_taken is None else read_taken,
        read_ended is not None,
        _OLDEST if read_ended is None else read_ended,
        row.uuid,
        row.backup,
    )


def sib_finished_cleanly(sib: ServiceInstanceBackup) -> bool:
    """A service-instance backup that has ended (``ended_at`` set) without errors."""
    return value(sib.ended_at) is not None and not has_errors(sib.errors)


def backup_succeeded(backup: Backup) -> bool:
    """A backup whose ``state`` is ``COMPLETED`` and ``success`` is ``SUCCESS``.

    ``PARTIAL`` and ``FAILURE`` results and unfinished backups do not count.
    """
    return text(backup.state) == COMPLETED and text(backup.success) == SUCCESS


#: How many of a service instance's newest candidates a page may keep the models of in a
#: :class:`Shortlist` (those ranked among the instance's newest seen so far, :class:`Bar`):
#: the first two batches :func:`~divio_ext.workflows.latest.first_usable` looks at (1, then
#: 4). Any further winner is fetched again by its uuid.
KEPT_PER_PAGE = 5

#: What a listing said of one service-instance backup, by uuid: its :data:`Entry` when it is a
#: candidate, or why it is not one (``"still running"``, ``"with errors"``).
Listed = Entry | str


@dataclass(frozen=True)
class Digest:
    """One page of service-instance backups, reduced to what the latest-backup rule needs.

    ``listed`` holds, per wanted service instance, a :data:`Listed` entry for each of its
    items; ``kept``, per instance too, the models (by uuid) of those of its candidates that
    ranked among the instance's :data:`KEPT_PER_PAGE` newest seen so far (:class:`Bar`).
    Entries are plain tuples and strings, which Python's collector stops tracking at its first
    look, while as many models kept alive until the end cost it two full collections
    (``python -m bench --only fleet``). Each new tuple still counts towards the collector's
    next young collection; keeping the entries' fields in columns of untracked values instead,
    and making a tuple only to rank, took 8 to 9% longer (two A/Bs of 30 calls a side).
    """

    listed: dict[str, dict[str, Listed]]
    kept: dict[str, dict[str, ServiceInstanceBackup]]


class Bar:
    """The :data:`KEPT_PER_PAGE` newest candidates seen so far of each service instance, shared
    by the workers that reduce the pages of one walk (thread-safe).

    A page keeps the models of its newest candidates in case one of them is the answer. A
    candidate ranked below its instance's :data:`KEPT_PER_PAGE` newest on the pages reduced
    before it cannot be among them at the end, so its model is not built. Past the first few
    pages of a listing that is most of them: kept models are what the collector walks until
    the answer, and a seventh as many (about 300 instead of 2 000 at 50 000 backups) took
    about 0.03 s off a fleet status's 0.55 s (A/B against the sandbox, 24 runs a side).
    The bar is only a cache's: a winner without a kept model is fetched again by its uuid
    (:func:`~divio_ext.workflows.latest.first_usable`), so an entry that a later page lists
    differently (and that no longer counts) costs at most that request, never an answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._newest: dict[str, frozenset[Entry]] = {}

    def admit(self, instance: str, entries: list[Entry]) -> list[Entry]:
        """Those of ``entries`` (one page's candidates of ``instance``) that rank among its
        :data:`KEPT_PER_PAGE` newest seen so far, this page's included."""
        with self._lock:
            newest = frozenset(
                heapq.nlargest(KEPT_PER_PAGE, self._newest.get(instance, frozenset()) | {*entries})
            )
            self._newest[instance] = newest
        return [entry for entry in entries if entry in newest]


def digest(page: Rows[ServiceInstanceBackup], wanted: Container[str], bar: Bar) -> Digest:
    """What ``page`` tells about the service instances in ``wanted`` (items of others are
    dropped here, so a server that ignores a filter cannot change the answer).

    Each row is judged as its generated model would be (an absent or null ``ended_at`` is
    unfinished; ``errors`` by :func:`has_errors`; times by :func:`row_entry`). Only the
    candidates ``bar`` admits become models.
    """
    listed: dict[str, dict[str, Listed]] = {}
    models: dict[str, dict[str, ServiceInstanceBackup]] = {}
    for instance, rows in _by_instance(page.results, wanted).items():
        own = listed[instance] = _judged(rows)
        entries = [entry for entry in own.values() if type(entry) is tuple]
        admitted = bar.admit(instance, heapq.nlargest(KEPT_PER_PAGE, entries))
        if admitted:
            last = {  # the index of each uuid's last row of this instance, as in ``own``
                row.uuid: index
                for index, row in enumerate(page.results)
                if row.service_instance == instance
            }
            models[instance] = {entry[4]: page.model(last[entry[4]]) for entry in admitted}
    return Digest(listed, models)


def _by_instance(results: list[Row], wanted: Container[str]) -> dict[str, list[Row]]:
    """The rows of each instance in ``wanted``, in page order. A filtered listing's page is
    one instance's, which is seen without a look at each row."""
    instances = set(map(_SERVICE_INSTANCE, results))
    if len(instances) == 1:
        (only,) = instances
        return {only: results} if only in wanted else {}
    rows: dict[str, list[Row]] = {}
    for row in results:
        if (instance := row.service_instance) in wanted:
            rows.setdefault(instance, []).append(row)
    return rows


_SERVICE_INSTANCE = operator.attrgetter("service_instance")


def _judged(rows: list[Row]) -> dict[str, Listed]:
    """What each of one instance's rows is, by uuid (a uuid listed twice: as listed last)."""
    own: dict[str, Listed] = {}
    for row in rows:
        if row.ended_at is None:
            own[row.uuid] = "still running"
        elif (errors := row.errors) and has_errors(errors):  # falsy: no error
            own[row.uuid] = "with errors"
        else:
            own[row.uuid] = row_entry(row)
    return own


@dataclass(frozen=True)
class Candidate:
    """A service-instance backup that could be the answer: its uuid, its backup's uuid, and
    its model if the listing's was kept (``None``: fetch it again)."""

    uuid: str
    backup: str
    listed: ServiceInstanceBackup | None


@dataclass
class Shortlist:
    """Everything the listings said of one service instance's backups, page after page.

    An item listed twice (a list that shifted while it was read) counts as listed last.
    """

    listed: dict[str, Listed] = field(default_factory=dict)
    kept: dict[str, ServiceInstanceBackup] = field(default_factory=dict)

    def add(self, listed: dict[str, Listed], kept: dict[str, ServiceInstanceBackup]) -> None:
        """One page's entries of this service instance (``kept``: the page's kept models)."""
        stale = self.kept.keys() & listed.keys()
        for uuid in stale:
            del self.kept[uuid]
        self.listed.update(listed)
        self.kept.update((uuid, kept[uuid]) for uuid in listed.keys() & kept.keys())

    def ranked(self) -> Iterator[Candidate]:
        """The candidates, newest first (:func:`row_entry`).

        Whether a candidate's backup succeeded is decided later, one candidate at a time, and
        the newest usually has: so the newest is found in one pass, and the others are sorted
        only if they are asked for.
        """
        entries = [entry for entry in self.listed.values() if type(entry) is tuple]
        if not entries:
            return
        yield self._candidate(max(entries))
        entries.sort(reverse=True)
        yield from (self._candidate(entry) for entry in entries[1:])

    def left_out(self) -> Counter[str]:
        """How many items were not candidates, by why (``still running``, ``with errors``)."""
        return Counter(entry for entry in self.listed.values() if isinstance(entry, str))

    def _candidate(self, entry: Entry) -> Candidate:
        uuid, backup = entry[4], entry[5]
        return Candidate(uuid, backup, self.kept.get(uuid))


def shortlists(digests: Iterable[Digest], instances: Iterable[str]) -> dict[str, Shortlist]:
    """The :class:`Shortlist` of each of ``instances`` from the digests of its pages, in the
    order the pages were listed."""
    found = {instance: Shortlist() for instance in instances}
    for page in digests:
        for instance, listed in page.listed.items():
            if instance in found:
                found[instance].add(listed, page.kept.get(instance, {}))
    return found


def sib_activity_time(sib: ServiceInstanceBackup) -> datetime.datetime | None:
    """When a service-instance backup last showed activity: taken, else started, else queued."""
    for moment in (sib.taken_at, sib.started_at, sib.queued_at):
        found = utc(moment)
        if found is not None:
            return found
    return None


def backup_recency(backup: Backup, sibs: Iterable[ServiceInstanceBackup]) -> ListingKey:
    """Sort key of a backup, greatest = newest; a backup has no timestamp of its own.

    Its time is the latest activity time (:func:`sib_activity_time`) of its service-instance
    backups, then their latest ``ended_at``; the uuid breaks ties. Only ``sibs`` that name this
    backup are considered. A backup with no known times sorts newest while it is unfinished
    (queued, see :func:`queued_first`) and oldest once it has completed.
    """
    own = [sib for sib in sibs if sib.backup == backup.uuid]
    times = [moment for moment in map(sib_activity_time, own) if moment is not None]
    ends = [moment for sib in own if (moment := utc(sib.ended_at)) is not None]
    finished = text(backup.state) == COMPLETED
    return queued_first(max(times, default=None), finished, max(ends, default=None), backup.uuid)
