"""latest_backup against the seeded sandbox, checked against a brute-force reference."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from reference import Reference, moment
from sandbox_clients import Counter, GoneBackups, client_for

from divio_ext import AsyncDivioClient, DivioClient, errors
from divio_ext.core.errors import (
    ApplicationNotFound,
    EnvironmentNotFound,
    NoUsableBackup,
    ServiceInstanceNotFound,
)
from divio_ext.resources import selection
from divio_ext.workflows import aio, latest_backup
from divio_sandbox import Sandbox

SIBS = "/apps/v3/service-instance-backups/"

SCENARIOS = [
    ("example-application", "live", "DATABASE", "DEFAULT"),
    ("example-application", "live", "DATABASE", "ANALYTICS"),
    ("example-application", "live", "STORAGE", "DEFAULT"),
    ("example-application", "test", "DATABASE", "DEFAULT"),
    ("example-application", "feature-x", "DATABASE", "DEFAULT"),
]


@pytest.mark.parametrize(("app", "env", "kind", "prefix"), SCENARIOS)
def test_the_answer_is_the_newest_usable_backup_by_the_definition(
    client: DivioClient, reference: Reference, app: str, env: str, kind: str, prefix: str
) -> None:
    expected = reference.latest_backup(app, env, kind, prefix)
    assert expected is not None, "the seeded scenario should have a usable backup here"
    found = latest_backup(client, app, env, kind, prefix)
    assert found.service_instance_backup.uuid == expected["uuid"]
    assert found.backup.uuid == expected["backup"]
    assert found.service_instance.uuid == expected["service_instance"]
    assert (found.service_instance.type, found.service_instance.prefix) == (kind, prefix)
    assert found.environment.slug == env
    assert found.application.slug == app
    assert found.taken_at == moment(expected["taken_at"])[1]
    assert found.size == expected["size"]
    assert found.backup.succeeded


def test_the_newest_backup_of_live_failed_so_an_older_one_is_the_answer(
    client: DivioClient, reference: Reference
) -> None:
    live = reference.environment("example-application", "live")
    sibs = reference.sibs()

    def started(backup: dict[str, object]) -> str:
        return max(str(s["started_at"]) for s in sibs if s["backup"] == backup["uuid"])

    own = [b for b in reference.backups_by_uuid().values() if b["environment"] == live["uuid"]]
    assert any(b["state"] != "COMPLETED" for b in own), "the scenario has a running backup"
    finished = [b for b in own if b["state"] == "COMPLETED"]
    newest = max(finished, key=started)
    assert newest["success"] == "FAILURE"

    found = latest_backup(client, "example-application", "live")
    assert found.backup.uuid != newest["uuid"]
    assert found.service_instance_backup.started_at is not None
    assert found.service_instance_backup.started_at < moment(started(newest))[1]


def test_two_databases_with_different_prefixes_have_different_answers(client: DivioClient) -> None:
    default = latest_backup(client, "example-application", "live", "DATABASE", "DEFAULT")
    analytics = latest_backup(client, "example-application", "live", "DATABASE", "ANALYTICS")
    assert default.service_instance.uuid != analytics.service_instance.uuid
    assert default.service_instance_backup.uuid != analytics.service_instance_backup.uuid


def test_the_application_may_be_given_by_uuid(client: DivioClient, reference: Reference) -> None:
    uuid = reference.application("example-application")["uuid"]
    by_uuid = latest_backup(client, uuid, "live")
    by_slug = latest_backup(client, "example-application", "live")
    assert by_uuid.service_instance_backup == by_slug.service_instance_backup


@pytest.mark.parametrize(("app", "env", "kind", "prefix"), SCENARIOS)
def test_a_server_that_ignores_the_filters_gives_the_same_answer(
    ignoring: Sandbox, reference: Reference, app: str, env: str, kind: str, prefix: str
) -> None:
    expected = reference.latest_backup(app, env, kind, prefix)
    assert expected is not None
    with client_for(ignoring) as client:
        found = latest_backup(client, app, env, kind, prefix)
    assert found.service_instance_backup.uuid == expected["uuid"]


def test_request_counts_with_and_without_server_side_filters(
    sandbox: Sandbox, counter: Counter
) -> None:
    with client_for(sandbox, counter) as client:
        latest_backup(client, "example-application", "live")
        honoured = list(counter.requests)
        counter.clear()
        sandbox.configure(ignore_filters=True)
        try:
            latest_backup(client, "example-application", "live")
        finally:
            sandbox.configure(ignore_filters=False)
        ignored = list(counter.requests)

    def paths(urls: list[object]) -> list[str]:
        return [str(url).split("?")[0].removeprefix(sandbox.url) for url in urls]

    # app, environment, service instances, the sib pages, then one backup: no list of backups.
    assert len(honoured) <= 7
    assert not any(path == "/apps/v3/backups/" for path in paths(honoured + ignored))
    assert len(ignored) > len(honoured)
    assert paths(ignored)[:3] == paths(honoured)[:3]


def test_no_usable_backup_yet_says_why(client: DivioClient) -> None:
    with pytest.raises(NoUsableBackup) as caught:
        latest_backup(client, "fresh-application", "live")
    message = str(caught.value)
    assert "no successful backup of DATABASE/DEFAULT in fresh-application/live" in message
    assert caught.value.seen, "it counts what it saw"
    assert isinstance(caught.value, errors.NotFound)


def test_an_environment_without_the_service_lists_what_it_has(client: DivioClient) -> None:
    with pytest.raises(ServiceInstanceNotFound, match=r"fresh-application/test .*\(it has: none\)"):
        latest_backup(client, "fresh-application", "test")
    with pytest.raises(ServiceInstanceNotFound) as caught:
        latest_backup(client, "example-application", "live", "DATABASE", "REPORTING")
    assert ("DATABASE", "ANALYTICS") in caught.value.available
    assert ("DATABASE", "DEFAULT") in caught.value.available


def test_an_unknown_environment_lists_the_slugs_of_the_application(client: DivioClient) -> None:
    with pytest.raises(EnvironmentNotFound) as caught:
        latest_backup(client, "example-application", "staging")
    assert caught.value.available == ("feature-x", "live", "test")
    assert "its environments: feature-x, live, test" in str(caught.value)


def test_an_unknown_application_says_what_the_token_can_see(client: DivioClient) -> None:
    with pytest.raises(ApplicationNotFound) as caught:
        latest_backup(client, "no-such-application", "live")
    assert caught.value.total > 0
    assert "example-application" in caught.value.visible


@pytest.mark.parametrize(
    ("application", "environment", "message"),
    [
        (None, "live", "an application is named by its slug or uuid (str), not NoneType"),
        ("example-application", 7, "an environment is named by its slug or uuid (str), not int"),
    ],
)
def test_a_reference_that_is_not_text_is_refused_before_it_is_looked_for(
    sandbox: Sandbox, application: object, environment: object, message: str
) -> None:
    counter = Counter()
    with (
        client_for(sandbox, counter) as counted,
        pytest.raises(TypeError, match=re.escape(message)),
    ):
        latest_backup(counted, application, environment)  # type: ignore[arg-type]
    assert not [url for url in counter.requests if "/environments/" in url.path]
    if application is None:
        assert len(counter) == 0


def test_a_token_of_another_organisation_cannot_see_the_application(sandbox: Sandbox) -> None:
    with (
        DivioClient(token=sandbox.tokens["mallory"], base_url=sandbox.url) as mallory,
        pytest.raises(ApplicationNotFound) as caught,
    ):
        latest_backup(mallory, "example-application", "live")
    assert "example-application" not in caught.value.visible
    assert sandbox.tokens["mallory"] not in str(caught.value)


def test_a_token_that_sees_no_application_at_all_is_told_so(sandbox: Sandbox) -> None:
    # nora's account belongs to no organisation: a wrong account, not a wrong slug.
    with (
        DivioClient(token=sandbox.tokens["nora"], base_url=sandbox.url) as nora,
        pytest.raises(ApplicationNotFound) as caught,
    ):
        latest_backup(nora, "example-application", "live")
    assert (caught.value.total, caught.value.visible) == (0, ())
    assert "this token cannot see any application" in str(caught.value)
    assert sandbox.tokens["nora"] not in str(caught.value)


@pytest.mark.anyio
async def test_the_async_client_gives_the_same_answer(
    sandbox: Sandbox, reference: Reference
) -> None:
    expected = reference.latest_backup("example-application", "live", "DATABASE", "ANALYTICS")
    assert expected is not None
    async with AsyncDivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        found = await aio.latest_backup(
            client, "example-application", "live", "DATABASE", "ANALYTICS"
        )
        assert found.service_instance_backup.uuid == expected["uuid"]
        environment = await found.service_instance_backup.backup()
        assert environment.uuid == expected["backup"]
        with pytest.raises(NoUsableBackup):
            await aio.latest_backup(client, "fresh-application", "live")


def test_a_rarely_backed_up_environment_is_answered_when_the_server_ignores_filters() -> None:
    # With 1000 backups, fresh-application's four service-instance backups sit on one page of a
    # 23-page unfiltered listing: the pages between hold only other instances' items, which
    # are new items all the same, not a server paging for ever.
    with (
        Sandbox(seed=0, backups=1000, ignore_filters=True) as sb,
        client_for(sb) as client,
        pytest.raises(NoUsableBackup) as raised,
    ):
        latest_backup(client, "fresh-application", "live")
    assert sum(raised.value.seen.values()) == 4


class Refetched(httpx.HTTPTransport):
    """The sandbox, counting single service-instance backups fetched by uuid; those named in
    ``changes`` are answered changed (``None``: gone, 404)."""

    def __init__(self, changes: dict[str, dict[str, object] | None] | None = None) -> None:
        super().__init__()
        self.changes = changes or {}
        self.fetched: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if not (path.startswith(SIBS) and path != SIBS):
            return super().handle_request(request)
        uuid = path.removeprefix(SIBS).strip("/")
        self.fetched.append(uuid)
        if uuid not in self.changes:
            return super().handle_request(request)
        change = self.changes[uuid]
        if change is None:
            return httpx.Response(404, json={"detail": "Not found."})
        body = json.loads(super().handle_request(request).read())
        return httpx.Response(200, json={**body, **change})


@pytest.mark.parametrize(("app", "env", "kind", "prefix"), SCENARIOS)
def test_a_winner_whose_backup_is_gone_by_the_check_gives_way_to_the_next(
    sandbox: Sandbox, reference: Reference, app: str, env: str, kind: str, prefix: str
) -> None:
    winner = reference.latest_backup(app, env, kind, prefix)
    assert winner is not None
    expected = reference.latest_backup(app, env, kind, prefix, gone={winner["backup"]})
    assert expected is not None
    transport = GoneBackups({winner["backup"]})
    with client_for(sandbox, transport=transport) as client:
        found = latest_backup(client, app, env, kind, prefix)
    assert found.service_instance_backup.uuid == expected["uuid"]


def test_when_every_candidate_is_gone_none_is_usable_and_the_counts_say_why(
    sandbox: Sandbox, reference: Reference
) -> None:
    every = set(reference.backups_by_uuid())
    with (
        client_for(sandbox, transport=GoneBackups(every)) as client,
        pytest.raises(NoUsableBackup) as raised,
    ):
        latest_backup(client, "example-application", "test")
    assert raised.value.seen["changed since listed"] > 0


@pytest.fixture
def nothing_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """No listed model is kept: every winner is fetched again by its uuid, as one ranked
    below the first pages' newest few is."""
    monkeypatch.setattr(selection, "KEPT_PER_PAGE", 0)


@pytest.mark.usefixtures("nothing_kept")
@pytest.mark.parametrize(("app", "env", "kind", "prefix"), SCENARIOS)
def test_a_winner_whose_listed_model_was_not_kept_is_fetched_again(
    sandbox: Sandbox, reference: Reference, app: str, env: str, kind: str, prefix: str
) -> None:
    expected = reference.latest_backup(app, env, kind, prefix)
    assert expected is not None
    transport = Refetched()
    with client_for(sandbox, transport=transport) as client:
        found = latest_backup(client, app, env, kind, prefix)
    assert found.service_instance_backup.uuid == expected["uuid"]
    assert found.taken_at == moment(expected["taken_at"])[1]
    assert transport.fetched == [expected["uuid"]]


@pytest.mark.usefixtures("nothing_kept")
@pytest.mark.parametrize(
    "change", [{"errors": ["disk full"]}, {"ended_at": None}, {"backup": "elsewhere"}, None]
)
def test_a_winner_that_changed_or_went_since_it_was_listed_is_passed_over(
    sandbox: Sandbox, client: DivioClient, change: dict[str, object] | None
) -> None:
    first = latest_backup(client, "example-application", "live")
    transport = Refetched({first.service_instance_backup.uuid: change})
    with client_for(sandbox, transport=transport) as changed:
        found = latest_backup(changed, "example-application", "live")
    assert found.service_instance_backup.uuid != first.service_instance_backup.uuid
    assert transport.fetched[0] == first.service_instance_backup.uuid
    assert transport.fetched[-1] == found.service_instance_backup.uuid
