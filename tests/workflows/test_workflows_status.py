"""backup_status: every environment at once, by exactly latest_backup's definition."""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from reference import Reference
from sandbox_clients import Counter, GoneBackups, client_for

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.core.contract import SERVICE_INSTANCE_BACKUPS_LIST
from divio_ext.core.errors import (
    AmbiguousServiceInstance,
    ApplicationNotFound,
    EnvironmentNotFound,
    InvalidArgument,
    NotFound,
    NoUsableBackup,
    ResponseDecodeError,
    ServiceInstanceNotFound,
)
from divio_ext.core.rows import Rows
from divio_ext.resources import relations
from divio_ext.resources.bound_async import AsyncEnvironment
from divio_ext.workflows import BackupStatus, aio, backup_status, latest_backup
from divio_sandbox import Sandbox

HOUR = datetime.timedelta(hours=1)
SIBS = "/apps/v3/service-instance-backups/"
SCENARIO = {"example-application", "fresh-application"}


def now_of(sandbox: Sandbox) -> datetime.datetime:
    return sandbox.clock.now()


def test_every_environment_gets_latest_backups_answer_or_its_reason(
    client: DivioClient, sandbox: Sandbox
) -> None:
    statuses = backup_status(client)
    assert len(statuses) >= 15, "the seeded account has at least 15 environments"
    with client_for(sandbox) as other:
        for status in statuses:
            app, env = status.application.slug, status.environment.slug
            assert app is not None
            assert env is not None
            try:
                expected = latest_backup(other, app, env)
            except (ServiceInstanceNotFound, NoUsableBackup):
                assert status.latest is None
                assert status.problem is not None
                continue
            assert status.latest is not None, f"{app}/{env}: {status.problem}"
            assert status.latest.service_instance_backup.uuid == (
                expected.service_instance_backup.uuid
            )
            assert status.latest.backup.uuid == expected.backup.uuid
            assert status.taken_at == expected.taken_at
            assert status.size == expected.size


def test_answers_match_the_brute_force_reference(client: DivioClient, reference: Reference) -> None:
    for status in backup_status(client, ["example-application", "legacy-crm"]):
        app, env = status.application.slug, status.environment.slug
        assert app is not None
        assert env is not None
        expected = reference.latest_backup(app, env)
        found = None if status.latest is None else status.latest.service_instance_backup.uuid
        assert found == (None if expected is None else expected["uuid"])


def test_answers_are_the_same_when_the_server_ignores_filters(
    client: DivioClient, ignoring: Sandbox
) -> None:
    ignoring.configure(ignore_filters=False)
    honoured = backup_status(client)
    ignoring.configure(ignore_filters=True)
    ignored = backup_status(client)

    def answers(statuses: list[BackupStatus]) -> list[tuple[str, str, str | None]]:
        return [
            (s.environment.uuid, s.state, s.latest and s.latest.service_instance_backup.uuid)
            for s in statuses
        ]

    assert answers(ignored) == answers(honoured)


def test_a_backup_gone_by_the_check_costs_its_environment_that_candidate_not_the_fleet(
    sandbox: Sandbox, reference: Reference
) -> None:
    winner = reference.latest_backup("example-application", "live")
    assert winner is not None
    runner_up = reference.latest_backup("example-application", "live", gone={winner["backup"]})
    assert runner_up is not None
    with client_for(sandbox) as client:
        expected = latest_by_environment(backup_status(client))
    expected["example-application", "live"] = runner_up["uuid"]
    with client_for(sandbox, transport=GoneBackups({winner["backup"]})) as client:
        assert latest_by_environment(backup_status(client)) == expected


def latest_by_environment(statuses: list[BackupStatus]) -> dict[tuple[str, str], str | None]:
    return {
        (str(s.application.slug), str(s.environment.slug)): (
            s.latest.service_instance_backup.uuid if s.latest else None
        )
        for s in statuses
    }


class Rewritten(httpx.HTTPTransport):
    """The sandbox, except that one service-instance backup's fields in listings are replaced."""

    def __init__(self, uuid: str, **fields: object) -> None:
        super().__init__()
        self.uuid = uuid
        self.fields = fields

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path != SIBS or response.status_code != 200:
            return response
        body = json.loads(response.read())
        for item in body["results"]:
            if item["uuid"] == self.uuid:
                item.update(self.fields)
        return httpx.Response(200, json=body)


@pytest.fixture
def newest(client: DivioClient) -> str:
    """The service-instance backup that example-application/live's status answers with."""
    (live,) = backup_status(client, ["example-application"], ["live"])
    assert live.latest is not None
    return live.latest.service_instance_backup.uuid


def test_a_timestamp_that_cannot_be_read_counts_as_missing(sandbox: Sandbox, newest: str) -> None:
    with client_for(sandbox, transport=Rewritten(newest, taken_at="soon")) as client:
        (after,) = backup_status(client, ["example-application"], ["live"])
        again = latest_backup(client, "example-application", "live")
    assert after.latest is not None, after.problem
    assert after.latest.service_instance_backup.uuid != newest, "it now sorts as never taken"
    assert after.latest.service_instance_backup.uuid == again.service_instance_backup.uuid
    assert after.age is not None


@pytest.mark.parametrize("size", ["big", -5, 1e300, True, {"bytes": 1}])
def test_a_size_that_is_not_a_whole_number_of_bytes_is_unknown(
    sandbox: Sandbox, newest: str, size: object
) -> None:
    with client_for(sandbox, transport=Rewritten(newest, size=size)) as client:
        (after,) = backup_status(client, ["example-application"], ["live"])
    assert after.latest is not None
    assert after.latest.service_instance_backup.uuid == newest
    assert after.size is None


@pytest.mark.parametrize("service_instance", [{"uuid": "x"}, None, 5])
def test_an_item_whose_id_is_not_text_is_an_unreadable_answer(
    sandbox: Sandbox, newest: str, service_instance: object
) -> None:
    rewritten = Rewritten(newest, service_instance=service_instance)
    with (
        client_for(sandbox, transport=rewritten) as client,
        pytest.raises(ResponseDecodeError) as caught,
    ):
        backup_status(client, ["example-application"], ["live"])
    assert ".service_instance is " in str(caught.value)


def test_an_environment_without_the_service_instance_says_so(
    client: DivioClient, sandbox: Sandbox
) -> None:
    (test,) = backup_status(client, ["fresh-application"], ["test"], now=now_of(sandbox))
    assert test.state == "no service instance"
    assert test.service_instance is None
    assert test.available == ()
    assert test.problem is not None
    assert "DATABASE" in test.problem
    assert not test.ok


def test_an_environment_whose_backups_all_failed_says_none_is_usable_with_counts(
    client: DivioClient, sandbox: Sandbox
) -> None:
    (live,) = backup_status(client, ["fresh-application"], ["live"], now=now_of(sandbox))
    assert live.state == "no usable backup"
    assert live.service_instance is not None
    assert live.latest is None
    assert sum(live.seen.values()) == 4, "three failures and one still running"
    assert live.seen.get("still running") == 1


class Listed(httpx.HTTPTransport):
    """The sandbox, except that ``change`` rewrites every item of one listing (by its path)."""

    def __init__(self, path: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
        super().__init__()
        self.path, self.change = path, change

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path != self.path or response.status_code != 200:
            return response
        body = json.loads(response.read())
        self.change(body["results"])
        body["count"] = len(body["results"])
        return httpx.Response(200, json=body)


def test_an_environment_with_two_such_service_instances_says_so_as_latest_backup_does(
    client: DivioClient, sandbox: Sandbox
) -> None:
    (live,) = backup_status(client, ["legacy-crm"], ["live"])
    assert live.service_instance is not None
    original = live.service_instance.uuid

    def twice(items: list[dict[str, Any]]) -> None:
        items += [{**item, "uuid": "a" * 26} for item in items if item["uuid"] == original]

    with client_for(sandbox, transport=Listed("/apps/v3/service-instances/", twice)) as twin:
        (after,) = backup_status(twin, ["legacy-crm"], ["live"])
        with pytest.raises(AmbiguousServiceInstance) as refused:
            latest_backup(twin, "legacy-crm", "live")
    assert after.state == "ambiguous service instance"
    assert after.ambiguous
    assert after.service_instance is None
    assert after.problem == str(refused.value)
    assert not after.ok


def test_a_name_that_is_one_applications_uuid_and_anothers_slug_is_the_uuid(
    client: DivioClient, sandbox: Sandbox
) -> None:
    """As latest_backup resolves it (and the environment: its slug first, then a uuid)."""
    (live,) = backup_status(client, ["example-application"], ["live"])
    example, env = live.application.uuid, live.environment.uuid

    def lookalikes(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["slug"] == "legacy-crm":
                item["slug"] = example  # another application's slug is example's uuid

    with client_for(sandbox, transport=Listed("/apps/v3/applications/", lookalikes)) as tricky:
        found = backup_status(tricky, [example], ["live"])
        expected = latest_backup(tricky, example, "live")
    assert [(s.application.uuid, s.environment.uuid) for s in found] == [(example, env)]
    assert found[0].latest is not None
    assert found[0].latest.service_instance_backup.uuid == expected.service_instance_backup.uuid

    def slug_of_live(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["slug"] == "test" and item["application"] == example:
                item["slug"] = env  # the test environment's slug is live's uuid

    with client_for(sandbox, transport=Listed("/apps/v3/environments/", slug_of_live)) as tricky:
        (named,) = backup_status(tricky, [example], [env])
    assert named.environment.slug == env, "the slug that matches, not the uuid"


def test_stale_is_older_than_max_age(client: DivioClient, sandbox: Sandbox) -> None:
    now = now_of(sandbox)
    (live,) = backup_status(client, ["example-application"], ["live"], now=now)
    assert live.age is not None
    assert live.state == "stale", "its latest usable backup is three days old"
    (generous,) = backup_status(
        client, ["example-application"], ["live"], max_age=live.age + HOUR, now=now
    )
    assert generous.state == "fresh"
    assert generous.ok


def test_named_environments_and_applications_narrow_the_answer(client: DivioClient) -> None:
    statuses = backup_status(client, ["example-application", "legacy-crm"], ["live", "test"])
    assert [(s.application.slug, s.environment.slug) for s in statuses] == [
        ("example-application", "live"),
        ("example-application", "test"),
        ("legacy-crm", "live"),
        ("legacy-crm", "test"),
    ]


def test_one_name_narrows_as_a_list_of_it_does_not_as_its_characters(client: DivioClient) -> None:
    expected = backup_status(client, ["example-application"], ["live"])
    assert [s.environment.uuid for s in expected] != []
    found = backup_status(client, "example-application", "live")
    assert [s.environment.uuid for s in found] == [s.environment.uuid for s in expected]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"max_age": 3600}, TypeError, "max_age takes a datetime.timedelta, not int"),
        ({"max_age": -HOUR}, InvalidArgument, "max_age cannot be negative"),
        ({"applications": [42]}, TypeError, "applications takes names"),
        ({"environments": [None]}, TypeError, "environments takes names"),
        ({"applications": 5}, TypeError, "applications takes a name \\(str\\) or names, not int"),
        ({"applications": b"x"}, TypeError, "applications takes a name .* not bytes"),
        ({"applications": []}, InvalidArgument, "applications names nothing: pass None for all"),
        ({"environments": ()}, InvalidArgument, "environments names nothing"),
        ({"now": datetime.datetime(2026, 6, 2)}, InvalidArgument, "now needs a time zone"),
        ({"now": "2026-06-02"}, TypeError, "now takes a datetime.datetime, not str"),
    ],
)
def test_arguments_that_cannot_be_meant_are_refused_before_any_request(
    arguments: dict[str, object], error: type[Exception], message: str, sandbox: Sandbox
) -> None:
    counter = Counter()
    with client_for(sandbox, counter) as counted, pytest.raises(error, match=message):
        backup_status(counted, **arguments)  # type: ignore[arg-type]
    assert len(counter) == 0


def test_a_named_environment_that_no_application_has_is_an_error_not_an_empty_answer(
    client: DivioClient,
) -> None:
    with pytest.raises(EnvironmentNotFound) as raised:
        backup_status(client, environments=["live", "staging"])
    assert raised.value.application is None
    assert raised.value.reference == "staging"
    assert {"feature-x", "live", "test"} <= set(raised.value.available)
    assert "no application looked at has an environment 'staging'" in str(raised.value)


def test_a_named_environment_of_one_application_is_looked_for_in_it(client: DivioClient) -> None:
    with pytest.raises(EnvironmentNotFound) as raised:
        backup_status(client, ["legacy-crm"], ["feature-x"])
    assert str(raised.value).startswith(
        "application 'legacy-crm' has no environment 'feature-x' (its environments: live, test)"
    )


def test_a_named_application_without_any_named_environment_is_an_error(
    client: DivioClient,
) -> None:
    """customer-portal has no feature-x: it was left out, and the check of the other passed."""
    with pytest.raises(EnvironmentNotFound) as raised:
        backup_status(client, ["example-application", "customer-portal"], ["feature-x"])
    assert (raised.value.application, raised.value.reference) == ("customer-portal", "feature-x")
    assert "feature-x" not in raised.value.available
    # One of the named environments each is enough: names differ between applications.
    found = backup_status(client, ["example-application", "legacy-crm"], ["feature-x", "live"])
    assert {(str(s.application.slug), str(s.environment.slug)) for s in found} == {
        ("example-application", "feature-x"),
        ("example-application", "live"),
        ("legacy-crm", "live"),
    }


def test_an_application_that_is_not_visible_is_an_error(client: DivioClient) -> None:
    with pytest.raises(ApplicationNotFound, match="nope"):
        backup_status(client, ["nope"])


@pytest.mark.parametrize(("ignored", "factor"), [(False, 1), (True, 5)])
def test_it_costs_fewer_requests_than_latest_backup_per_environment(
    sandbox: Sandbox, counter: Counter, ignored: bool, factor: int
) -> None:
    """Its requests grow with the pages and the environments, not with their product: a small
    count request per environment (which saves a round trip) where the server filters, and
    one walk of the complete listing where it does not, which the other way walks per
    environment."""
    sandbox.configure(ignore_filters=ignored)
    try:
        with client_for(sandbox, counter) as divio:
            everything = backup_status(divio)
            fleet = len(counter)
            counter.clear()
            for status in everything:
                with contextlib.suppress(NotFound):
                    app, env = str(status.application.slug), str(status.environment.slug)
                    latest_backup(divio, app, env)
            one_by_one = len(counter)
    finally:
        sandbox.configure(ignore_filters=False)
    assert len(everything) >= 15
    assert fleet * factor < one_by_one, (fleet, one_by_one)


def sib_pages(counter: Counter) -> dict[str | None, list[int]]:
    """The service-instance-backup pages requested, by ``service_instance`` filter (None: none)."""
    pages: dict[str | None, list[int]] = {}
    for url in counter.requests:
        if url.path == SIBS:
            where = url.params.get("service_instance")
            pages.setdefault(where, []).append(int(url.params["page"]))
    return {where: sorted(numbers) for where, numbers in pages.items()}


def own_count(client: DivioClient, instance: str) -> int:
    page = client.call(SERVICE_INSTANCE_BACKUPS_LIST, service_instance=instance, page_size=1)
    count: int = page.count
    return count


def test_where_the_server_filters_each_instance_listing_is_walked_once(
    client: DivioClient, counter: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relations, "PAGE_SIZE", 10)  # several pages per instance at this size
    statuses = backup_status(client)
    pages = sib_pages(counter)
    assert pages.pop(None) == [1], "of the complete listing only the first page, for its count"
    instances = {s.service_instance.uuid for s in statuses if s.service_instance is not None}
    assert set(pages) == instances
    for instance, numbers in pages.items():
        assert instance is not None
        last = max(1, -(-own_count(client, instance) // 10))
        assert numbers == list(range(1, last + 1)), "every page of its own listing, once"
    assert any(len(numbers) > 1 for numbers in pages.values())


def test_where_the_server_ignores_the_filter_the_complete_listing_is_walked_once(
    client: DivioClient, counter: Counter, ignoring: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relations, "PAGE_SIZE", 10)
    statuses = backup_status(client)
    pages = sib_pages(counter)
    complete = pages.pop(None)
    total = client.call(SERVICE_INSTANCE_BACKUPS_LIST, page_size=1).count
    assert complete == list(range(1, -(-total // 10) + 1)), "every page of it, once"
    instances = {s.service_instance.uuid for s in statuses if s.service_instance is not None}
    assert pages == {instance: [1] for instance in instances}, "each listing: page 1 only"


def test_the_first_pages_are_asked_for_together_and_each_listing_goes_on_after_its_own(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So that a fleet waits for two round trips besides its later pages: the lookups, then
    the first pages of the complete listing and of every instance's listing (whose counts
    show whether the server filters). A listing's later pages are asked for once its own first
    page and the complete listing's are answered (``tests/resources/test_walk.py`` shows that
    they do not wait for the other first pages)."""
    monkeypatch.setattr(relations, "PAGE_SIZE", 10)
    events: list[tuple[str, httpx.URL]] = []
    hooks = {
        "request": [lambda request: events.append(("asked", request.url))],
        "response": [lambda response: events.append(("answered", response.request.url))],
    }
    sandbox.configure(latency=0.2)  # every request of a round is sent well before its answers
    try:
        token, url = sandbox.tokens["alice"], sandbox.url
        with DivioClient(token=token, base_url=url, event_hooks=hooks) as client:
            backup_status(client)
    finally:
        sandbox.configure(latency=0.0)
    sibs = [(what, url) for what, url in events if url.path == SIBS]

    def when(what: str, listing: str | None, page: str) -> list[int]:
        return [
            index
            for index, (seen, url) in enumerate(sibs)
            if seen == what
            and url.params.get("service_instance") == listing
            and url.params["page"] == page
        ]

    firsts = [url for what, url in sibs if what == "asked" and url.params["page"] == "1"]
    listings = [url.params.get("service_instance") for url in firsts]
    assert None in listings, "the complete listing's first page"
    assert len(listings) > 10, "and each instance's"
    first_answer = min(index for listing in listings for index in when("answered", listing, "1"))
    assert max(index for listing in listings for index in when("asked", listing, "1")) < (
        first_answer
    )
    (complete,) = when("answered", None, "1")
    walked = 0
    for listing in listings:
        later = [
            index
            for index, (what, url) in enumerate(sibs)
            if what == "asked"
            and url.params.get("service_instance") == listing
            and url.params["page"] != "1"
        ]
        if later:
            walked += 1
            assert min(later) > max([*when("answered", listing, "1"), complete])
    assert walked > 5, "each instance's later pages"


def test_pages_are_counted_by_what_the_server_serves_not_by_what_was_asked(
    client: DivioClient, counter: Counter, ignoring: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [(s.environment.uuid, s.state, s.taken_at) for s in backup_status(client)]
    total = client.call(SERVICE_INSTANCE_BACKUPS_LIST, page_size=1).count
    counter.clear()
    monkeypatch.setattr(relations, "PAGE_SIZE", 150)  # more than the largest page DRF serves (100)
    found = [(s.environment.uuid, s.state, s.taken_at) for s in backup_status(client)]
    assert sib_pages(counter)[None] == list(range(1, -(-total // 100) + 1))
    assert found == expected


def test_a_page_beyond_the_end_of_a_listing_that_shrank_has_no_items_and_ends_it(
    client: DivioClient,
) -> None:
    schedule = relations._Schedule([{}], Rows.models)
    assert client.run(schedule._later_page(0, 10**6)) == ([], True)


def test_a_page_before_the_one_that_said_it_was_the_last_is_still_read(
    client: DivioClient,
) -> None:
    """Workers take pages up in order, but a worker can be held up between taking a page and
    asking for it while a later page is answered: the earlier page still belongs to the
    listing, and skipping it would lose its items."""
    schedule = relations._Schedule([{}], Rows.models)
    first = client.rows(SERVICE_INSTANCE_BACKUPS_LIST, page=1, page_size=relations.PAGE_SIZE)
    later = schedule.more(0, first)
    assert len(later) >= 3
    last_index = len(schedule.listings) + len(later) - 1
    assert schedule.more(last_index, ([], True)) == [], "the last page was answered first"
    second, ended = client.run(later[0])
    assert not ended
    assert [sib.uuid for sib in second] == [
        row.uuid
        for row in client.rows(
            SERVICE_INSTANCE_BACKUPS_LIST, page=2, page_size=relations.PAGE_SIZE
        ).results
    ]


@pytest.mark.anyio
async def test_the_async_workflow_gives_the_same_answers(
    client: DivioClient, sandbox: Sandbox
) -> None:
    now = now_of(sandbox)
    expected = backup_status(client, now=now)
    async with AsyncDivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as divio:
        found = await aio.backup_status(divio, now=now)
    assert [(s.environment.uuid, s.state, s.taken_at) for s in found] == [
        (s.environment.uuid, s.state, s.taken_at) for s in expected
    ]
    assert all(isinstance(s.environment, AsyncEnvironment) for s in found)


@pytest.mark.anyio
async def test_the_async_workflow_reads_one_name_and_checks_max_age_the_same_way(
    sandbox: Sandbox,
) -> None:
    async with AsyncDivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as divio:
        found = await aio.backup_status(divio, "example-application", "live")
        assert [(s.application.slug, s.environment.slug) for s in found] == [
            ("example-application", "live")
        ]
        with pytest.raises(TypeError, match="max_age"):
            await aio.backup_status(divio, max_age=3600)  # type: ignore[arg-type]


def test_extra_applications_grow_the_fleet_and_leave_the_scenario_as_it_was(
    client: DivioClient,
) -> None:
    with Sandbox(seed=0, extra_applications=10) as bigger, client_for(bigger) as other:
        grown = backup_status(other)
    usual = backup_status(client)
    assert len(grown) == len(usual) + 20
    assert [s.application.slug for s in grown].count("extra-010") == 2

    def scenario(statuses: list[BackupStatus]) -> list[tuple[str, str]]:
        return [(s.environment.uuid, s.state) for s in statuses if s.application.slug in SCENARIO]

    assert scenario(grown) == scenario(usual)
