"""The definition of "the latest usable backup", rule by rule, on hand-made models."""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from divio_ext.core.errors import AmbiguousServiceInstance, ServiceInstanceNotFound
from divio_ext.models import Backup, ServiceInstance, ServiceInstanceBackup
from divio_ext.resources.resolve import pick_service_instance
from divio_ext.resources.selection import (
    KEPT_PER_PAGE,
    Bar,
    Shortlist,
    backup_recency,
    backup_succeeded,
    digest,
    error_messages,
    has_errors,
    row_entry,
    row_time,
    shortlists,
    sib_finished_cleanly,
    size_of,
    utc,
)
from tests.resources.listed import listed_page, listed_row

SI = "siaaaaaaaaaaaaaaaaaaaaaaaa"
OLDEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def row(uuid: str, **fields: Any) -> dict[str, Any]:
    """A service-instance backup of ``SI`` as a listing sends it."""
    data: dict[str, Any] = {"uuid": uuid, "backup": f"b-{uuid}", "service_instance": SI}
    data.update(fields)
    return data


def sib(uuid: str, **fields: Any) -> ServiceInstanceBackup:
    return ServiceInstanceBackup.from_dict(row(uuid, **fields))


def at(day: int, hour: int = 0) -> str:
    return f"2026-03-{day:02d}T{hour:02d}:00:00Z"


def shortlist(*pages: list[dict[str, Any]]) -> Shortlist:
    """What the listing pages ``pages`` tell about the service instance ``SI``, reduced in
    order."""
    bar = Bar()
    return shortlists([digest(listed_page(page), {SI}, bar) for page in pages], [SI])[SI]


def ranked(*pages: list[dict[str, Any]]) -> list[str]:
    return [candidate.uuid for candidate in shortlist(*pages).ranked()]


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        (None, False),
        ([], False),
        ("", False),
        ({}, False),
        (["disk full"], True),
        ("disk full", True),
        ({"dump": "failed"}, True),
    ],
)
def test_errors_may_be_null_a_list_or_a_string(errors: object, expected: bool) -> None:
    assert has_errors(errors) is expected


def test_an_absent_errors_field_means_no_error() -> None:
    assert not has_errors(sib("s1").errors)


def test_error_messages_are_flattened_to_strings() -> None:
    assert error_messages(["a", "b"]) == ["a", "b"]
    assert error_messages("boom") == ["boom"]
    assert error_messages({"dump": "failed"}) == ["dump: failed"]
    assert error_messages([]) == []


def test_a_sib_counts_only_once_ended_and_without_errors() -> None:
    assert sib_finished_cleanly(sib("ok", ended_at=at(1), errors=[]))
    assert not sib_finished_cleanly(sib("running", ended_at=None))
    assert not sib_finished_cleanly(sib("failed", ended_at=at(1), errors="dump failed"))


@pytest.mark.parametrize(
    ("state", "success", "expected"),
    [
        ("COMPLETED", "SUCCESS", True),
        ("COMPLETED", "PARTIAL", False),
        ("COMPLETED", "FAILURE", False),
        ("COMPLETED", None, False),
        ("WORKING", None, False),
    ],
)
def test_only_completed_successful_backups_count(
    state: str, success: str | None, expected: bool
) -> None:
    backup = Backup.from_dict({"uuid": "b", "environment": "e", "state": state, "success": success})
    assert backup_succeeded(backup) is expected


def test_candidates_are_ranked_by_taken_at_then_ended_at_then_uuid() -> None:
    newest = row("m", taken_at=at(5), ended_at=at(5, 1))
    same_time_later_end = row("a", taken_at=at(4), ended_at=at(4, 3))
    same_time_earlier_end_high_uuid = row("z", taken_at=at(4), ended_at=at(4, 2))
    tie_low_uuid = row("b", taken_at=at(3), ended_at=at(3, 1))
    tie_high_uuid = row("c", taken_at=at(3), ended_at=at(3, 1))
    never_taken = row("y", taken_at=None, ended_at=at(9))
    page = [
        tie_low_uuid,
        never_taken,
        newest,
        tie_high_uuid,
        same_time_earlier_end_high_uuid,
        same_time_later_end,
    ]
    assert ranked(page) == ["m", "a", "z", "c", "b", "y"]
    assert ranked(page[:3], page[3:]) == ["m", "a", "z", "c", "b", "y"], "over pages too"


def test_candidates_of_other_service_instances_and_unfinished_ones_are_dropped() -> None:
    mine = row("mine", taken_at=at(1), ended_at=at(1, 1))
    other = row("other", service_instance="elsewhere", taken_at=at(9), ended_at=at(9, 1))
    running = row("running", taken_at=None, ended_at=None)
    broken = row("broken", taken_at=at(8), ended_at=at(8, 1), errors=["x"])
    assert ranked([other, running, broken, mine]) == ["mine"]
    assert shortlist([other, running, broken, mine]).left_out() == {
        "still running": 1,
        "with errors": 1,
    }


def test_naive_and_aware_timestamps_compare_as_utc() -> None:
    aware = row("a", taken_at="2026-03-01T10:00:00+00:00", ended_at=at(2))
    naive = row("b", taken_at="2026-03-01T11:00:00", ended_at=at(2))
    assert row_entry(listed_row(naive)) > row_entry(listed_row(aware))


def test_a_backup_is_as_recent_as_the_latest_activity_of_its_own_parts() -> None:
    old = Backup.from_dict({"uuid": "old", "environment": "e"})
    new = Backup.from_dict({"uuid": "new", "environment": "e"})
    queued_only = Backup.from_dict({"uuid": "queued", "environment": "e"})
    parts = [
        ServiceInstanceBackup.from_dict(
            {"uuid": "1", "backup": "old", "service_instance": SI, "taken_at": at(1)}
        ),
        ServiceInstanceBackup.from_dict(
            {"uuid": "2", "backup": "new", "service_instance": SI, "started_at": at(3)}
        ),
        ServiceInstanceBackup.from_dict(
            {"uuid": "3", "backup": "queued", "service_instance": SI, "queued_at": at(2)}
        ),
    ]
    ordered = sorted([old, queued_only, new], key=lambda b: backup_recency(b, parts), reverse=True)
    assert [b.uuid for b in ordered] == ["new", "queued", "old"]


def test_a_completed_backup_without_known_parts_sorts_oldest() -> None:
    empty = Backup.from_dict({"uuid": "zzz", "environment": "e", "state": "COMPLETED"})
    dated = Backup.from_dict({"uuid": "aaa", "environment": "e"})
    parts = [
        ServiceInstanceBackup.from_dict(
            {"uuid": "1", "backup": "aaa", "service_instance": SI, "taken_at": at(1)}
        )
    ]
    assert backup_recency(dated, parts) > backup_recency(empty, parts)
    assert backup_recency(dated, parts)[2] == datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


@pytest.mark.parametrize("state", [None, "WORKING"])
def test_an_unfinished_backup_without_known_times_is_queued_so_sorts_newest(
    state: str | None,
) -> None:
    queued = Backup.from_dict({"uuid": "aaa", "environment": "e", "state": state})
    dated = Backup.from_dict({"uuid": "zzz", "environment": "e", "state": "COMPLETED"})
    parts = [sib("1", backup="zzz", taken_at=at(28), ended_at=at(28, 1))]
    assert backup_recency(queued, parts) > backup_recency(dated, parts)


def instance(uuid: str, kind: str, prefix: str) -> ServiceInstance:
    return ServiceInstance.from_dict(
        {
            "uuid": uuid,
            "environment": "e",
            "region": "r",
            "service": "s",
            "type": kind,
            "prefix": prefix,
        }
    )


def test_a_service_instance_listed_twice_is_one_not_an_ambiguity() -> None:
    """A listing that shifted while it was read can show an instance on two pages: it was
    called ambiguous (``backup_status``) or refused (``latest_backup``)."""
    twice = [instance("1", "DATABASE", "DEFAULT"), instance("2", "STORAGE", "DEFAULT")] * 2
    assert pick_service_instance(twice, "DATABASE", "DEFAULT", where="app/live").uuid == "1"
    two = [instance("1", "DATABASE", "DEFAULT"), instance("3", "DATABASE", "DEFAULT")]
    with pytest.raises(AmbiguousServiceInstance, match=r"2 DATABASE service instances .*\(1, 3\)"):
        pick_service_instance(two, "DATABASE", "DEFAULT", where="app/live")


def test_a_service_instance_is_picked_by_type_and_prefix() -> None:
    instances = [instance("1", "DATABASE", "DEFAULT"), instance("2", "DATABASE", "ANALYTICS")]
    assert pick_service_instance(instances, "DATABASE", "ANALYTICS", where="app/live").uuid == "2"
    # in any case, as the command line takes them: "database" found nothing in the library
    assert pick_service_instance(instances, "database", "Analytics", where="app/live").uuid == "2"
    with pytest.raises(
        ServiceInstanceNotFound, match=r"app/live .*DATABASE/ANALYTICS, DATABASE/DEFAULT"
    ):
        pick_service_instance(instances, "STORAGE", "DEFAULT", where="app/live")


def test_two_instances_with_the_same_type_and_prefix_are_ambiguous() -> None:
    twins = [instance("1", "DATABASE", "DEFAULT"), instance("2", "DATABASE", "DEFAULT")]
    with pytest.raises(AmbiguousServiceInstance, match="2 DATABASE service instances"):
        pick_service_instance(twins, "DATABASE", "DEFAULT", where="app/live")


@pytest.mark.parametrize(
    ("field", "expected"),
    [(0, 0), (1234, 1234), (None, None), ("1234", None), (-5, None), (1.5, None), (True, None)],
)
def test_a_size_is_a_whole_number_of_bytes_or_unknown(field: object, expected: int | None) -> None:
    assert size_of(field) == expected


@pytest.mark.parametrize("taken_at", ["soon", "2026-13-45T00:00:00Z", ""])
def test_a_timestamp_that_cannot_be_read_ranks_as_missing(taken_at: str) -> None:
    odd = row("odd", taken_at=taken_at, ended_at=at(9))
    assert utc(ServiceInstanceBackup.from_dict(odd).taken_at) is None
    assert row_entry(listed_row(odd)) == row_entry(
        listed_row(row("odd", taken_at=None, ended_at=at(9)))
    )
    assert ranked([odd, row("real", taken_at=at(1), ended_at=at(1))]) == ["real", "odd"]


#: Values a listing may hold in a timestamp, ``errors`` or ``ended_at`` field, odd ones included.
ODD_VALUES = [
    None,
    "",
    "soon",
    "2026-13-45T00:00:00Z",
    "2026-03-01T10:00:00Z",
    "2026-03-01T10:00:00",
    "2026-03-01T12:00:00+02:00",
    "2026-03-01",
    5,
    1.5,
    True,
    [],
    ["x"],
    {},
    {"a": 1},
]


@pytest.mark.parametrize("odd", ODD_VALUES, ids=repr)
@pytest.mark.parametrize("name", ["taken_at", "ended_at", "errors"])
def test_a_listed_row_is_judged_as_its_generated_model_is(name: str, odd: object) -> None:
    """Listings are read as rows, not models (for speed): the verdict must not change."""
    reference = {"taken_at": at(3), "ended_at": at(3, 1), "errors": None}
    for fields in ({**reference, name: odd}, {k: v for k, v in reference.items() if k != name}):
        item = row("s", **fields)
        model = ServiceInstanceBackup.from_dict(item)
        shortlisted = shortlist([item])
        assert (list(shortlisted.ranked()) != []) is sib_finished_cleanly(model)
        if sib_finished_cleanly(model):
            taken, ended = utc(model.taken_at), utc(model.ended_at)
            assert row_time(listed_row(item).taken_at) == taken
            assert row_time(listed_row(item).ended_at) == ended
            assert row_entry(listed_row(item)) == (
                taken is not None,
                taken or OLDEST,
                ended is not None,
                ended or OLDEST,
                "s",
                "b-s",
            )


def test_an_item_listed_twice_counts_as_listed_last() -> None:
    first = row("x", taken_at=at(9), ended_at=at(9, 1))
    then_running = row("x", taken_at=None, ended_at=None)
    older = row("y", taken_at=at(1), ended_at=at(1, 1))
    assert ranked([first, older], [then_running]) == ["y"]
    assert shortlist([first, older], [then_running]).left_out() == {"still running": 1}
    assert ranked([then_running], [first, older]) == ["x", "y"]


def test_an_item_listed_twice_on_one_page_counts_as_listed_there_last() -> None:
    finished = row("x", taken_at=at(9), ended_at=at(9, 1))
    running = row("x", taken_at=None, ended_at=None)
    assert ranked([finished, running]) == []
    assert shortlist([finished, running]).left_out() == {"still running": 1}
    retried = row("x", taken_at=at(9, 5), ended_at=at(9, 6))
    (kept,) = shortlist([running, finished, retried]).kept.values()
    assert kept.taken_at == datetime.datetime.fromisoformat(at(9, 5))


def test_a_page_of_instances_not_asked_about_tells_nothing() -> None:
    theirs = [row(f"t{n}", service_instance="elsewhere", taken_at=at(n)) for n in range(1, 4)]
    found = digest(listed_page(theirs), {SI}, Bar())
    assert (found.listed, found.kept) == ({}, {})


def test_the_models_of_each_pages_newest_candidates_are_kept_and_no_others() -> None:
    page = [row(f"s{day:02d}", taken_at=at(day), ended_at=at(day, 1)) for day in range(1, 21)]
    candidates = list(shortlist(page[:10], page[10:]).ranked())
    assert [c.uuid for c in candidates] == [f"s{day:02d}" for day in range(20, 0, -1)]
    with_model = {c.uuid for c in candidates if c.listed is not None}
    newest_of_each_page = [*page[10 - KEPT_PER_PAGE : 10], *page[20 - KEPT_PER_PAGE :]]
    assert with_model == {s["uuid"] for s in newest_of_each_page}
    assert all(c.listed is None or c.listed.uuid == c.uuid for c in candidates)
    assert all(c.backup == f"b-{c.uuid}" for c in candidates)


def test_a_page_builds_no_model_for_candidates_below_the_newest_already_seen() -> None:
    newer = [row(f"n{day:02d}", taken_at=at(day), ended_at=at(day, 1)) for day in range(11, 21)]
    older = [row(f"o{day:02d}", taken_at=at(day), ended_at=at(day, 1)) for day in range(1, 11)]
    bar = Bar()
    first, then = digest(listed_page(newer), {SI}, bar), digest(listed_page(older), {SI}, bar)
    assert set(first.kept[SI]) == {f"n{day}" for day in range(16, 21)}
    assert then.kept == {}
    assert len(then.listed[SI]) == 10
    mixed = [row("late", taken_at=at(17, 12), ended_at=at(17, 13)), older[0]]
    assert set(digest(listed_page(mixed), {SI}, bar).kept[SI]) == {"late"}


def test_each_service_instance_has_its_own_bar() -> None:
    other = "sibbbbbbbbbbbbbbbbbbbbbbbb"
    bar = Bar()
    newest = [row(f"n{day:02d}", taken_at=at(day), ended_at=at(day, 1)) for day in range(20, 26)]
    digest(listed_page(newest), {SI, other}, bar)
    theirs = row("t", service_instance=other, taken_at=at(1), ended_at=at(1, 1))
    assert set(digest(listed_page([theirs]), {SI, other}, bar).kept[other]) == {"t"}


def test_pages_reduced_at_once_keep_every_model_of_the_newest() -> None:
    """Workers reduce pages concurrently: whatever the interleaving, the instance's newest
    candidates keep their models (the bar only ever leaves out older ones)."""
    pages = [
        [
            row(f"s{p:02d}{i}", taken_at=at(1 + (p * 7 + i * 3) % 27, i), ended_at=at(28))
            for i in range(10)
        ]
        for p in range(40)
    ]
    bar = Bar()
    with ThreadPoolExecutor(8) as pool:
        digests = list(pool.map(lambda page: digest(listed_page(page), {SI}, bar), pages))
    listing = shortlists(digests, [SI])[SI]
    candidates = list(listing.ranked())
    assert all(c.listed is not None for c in candidates[:KEPT_PER_PAGE])
    assert sum(len(d.kept.get(SI, {})) for d in digests) < KEPT_PER_PAGE * len(pages)


def test_a_kept_model_is_the_one_listed_for_its_own_service_instance() -> None:
    """A (broken) listing that shows one uuid under two instances cannot swap their models."""
    other = "sibbbbbbbbbbbbbbbbbbbbbbbb"
    mine = row("x", taken_at=at(2), ended_at=at(2, 1))
    theirs = row("x", backup="b-theirs", service_instance=other, taken_at=at(3), ended_at=at(3, 1))
    listed = shortlists([digest(listed_page([mine, theirs]), {SI, other}, Bar())], [SI, other])
    ((candidate,), (their_candidate,)) = (list(listed[SI].ranked()), list(listed[other].ranked()))
    assert candidate.listed is not None
    assert their_candidate.listed is not None
    assert (candidate.backup, candidate.listed.service_instance) == ("b-x", SI)
    assert (their_candidate.backup, their_candidate.listed.service_instance) == ("b-theirs", other)


def test_a_kept_model_is_dropped_when_the_item_is_listed_again_without_it() -> None:
    newest = [row(f"n{i}", taken_at=at(20 + i), ended_at=at(20 + i, 1)) for i in range(5)]
    moved = row("m", taken_at=at(10), ended_at=at(10, 1))
    listing = shortlist([moved], [*newest, moved])  # "m" was kept on page 1, not on page 2
    assert {c.uuid: c.listed for c in listing.ranked()}["m"] is None


@pytest.mark.parametrize(
    ("errors", "candidate"),
    [(None, True), ("", True), ([], True), ({}, True), ("boom", False), (["x"], False)],
)
def test_a_listed_item_is_a_candidate_when_it_ended_without_errors(
    errors: object, candidate: bool
) -> None:
    item = row("s", taken_at=at(1), ended_at=at(1, 1), errors=errors)
    unfinished = row("u", taken_at=at(2))  # no ended_at at all
    assert ranked([item, unfinished]) == (["s"] if candidate else [])
    expected = {"still running": 1} if candidate else {"still running": 1, "with errors": 1}
    assert shortlist([item, unfinished]).left_out() == expected
