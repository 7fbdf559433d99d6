"""Bound objects following their relations, against recorded answers."""

from __future__ import annotations

import pytest
from recorded_support import Target

from divio_ext import DivioClient
from divio_ext.resources import bound_async
from divio_ext.resources.bound import Environment, application, applications

#: Assertions about the sandbox's seeded scenario: recorded from the sandbox only.
pytestmark = [pytest.mark.vcr, pytest.mark.sandbox_only]


@pytest.fixture
def live(client: DivioClient) -> Environment:
    return application(client, "example-application").environment("live")


def test_applications_are_listed_by_slug(client: DivioClient) -> None:
    found = applications(client)
    slugs = [app.slug for app in found]
    assert slugs == sorted(slugs)
    assert {"example-application", "fresh-application"} <= set(slugs)


def test_an_application_lists_its_environments(client: DivioClient) -> None:
    app = application(client, "example-application")
    assert [env.slug for env in app.environments()] == ["feature-x", "live", "test"]
    assert app.environment("feature-x").application_uuid == app.uuid


def test_an_application_is_found_by_uuid_too(client: DivioClient) -> None:
    by_slug = application(client, "example-application")
    assert application(client, by_slug.uuid) == by_slug


def test_an_environment_knows_its_application(live: Environment) -> None:
    assert live.application().slug == "example-application"


def test_an_environment_lists_its_service_instances(live: Environment) -> None:
    pairs = [(si.type, si.prefix) for si in live.service_instances()]
    assert pairs == [("DATABASE", "ANALYTICS"), ("DATABASE", "DEFAULT"), ("STORAGE", "DEFAULT")]
    analytics = live.service_instance("DATABASE", "ANALYTICS")
    assert analytics.environment() == live


def test_a_service_instance_lists_its_backups_newest_first(live: Environment) -> None:
    sibs = live.service_instance().service_instance_backups()
    assert len(sibs) > 3
    times = [sib.taken_at for sib in sibs if sib.taken_at is not None]
    assert times == sorted(times, reverse=True)
    newest = next(sib for sib in sibs if sib.taken_at is not None)
    assert newest.service_instance().uuid == newest.service_instance_uuid
    assert newest.backup().uuid == newest.backup_uuid


def test_environment_backups_are_newest_first_with_their_parts(
    live: Environment,
) -> None:
    backups = live.backups()
    assert len(backups) > 5
    times = [backup.time for backup in backups if backup.time is not None]
    assert times == sorted(times, reverse=True)
    assert {backup.environment_uuid for backup in backups} == {live.uuid}
    finished = next(backup for backup in backups if backup.succeeded)
    assert [part.backup_uuid for part in finished.parts] == [finished.uuid] * len(finished.parts)


def test_a_backup_follows_its_relations(live: Environment) -> None:
    backup = live.backups()[0]
    assert backup.environment() == live
    fetched = sorted(sib.uuid for sib in backup.service_instance_backups())
    assert fetched == sorted(backup.service_instance_backup_uuids)
    assert backup.refresh() == backup


def test_deployments_are_newest_first_and_follow_their_relations(
    live: Environment,
) -> None:
    deployments = live.deployments()
    assert deployments
    started = [d.started_at for d in deployments if d.started_at is not None]
    assert started == sorted(started, reverse=True)
    newest = deployments[0]
    assert newest.environment() == live
    assert newest.refresh() == newest


def test_environment_variables_hide_sensitive_values(live: Environment) -> None:
    variables = live.environment_variables()
    names = [variable.name for variable in variables]
    assert names == sorted(names)
    assert any(variable.is_sensitive for variable in variables)
    assert all(variable.value is None for variable in variables if variable.is_sensitive)


@pytest.mark.anyio
async def test_async_bound_objects_follow_the_same_relations(target: Target) -> None:
    async with target.async_client() as aclient:
        app = await bound_async.application(aclient, "example-application")
        live = await app.environment("live")
        instances = await live.service_instances()
        again = await instances[0].environment()
    assert again == live
    assert len(instances) == 3
