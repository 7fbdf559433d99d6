"""Bound objects: relations followed against the sandbox, orders computed, reprs that are safe."""

from __future__ import annotations

import pytest
from reference import Reference, moment
from sandbox_clients import Counter, client_for

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.core.errors import EnvironmentNotFound, ServiceInstanceNotFound
from divio_ext.resources import bound_async
from divio_ext.resources.bound import Environment, application, applications
from divio_ext.workflows import environment_variables, latest_deployment
from divio_sandbox import Sandbox


@pytest.fixture
def live(client: DivioClient) -> Environment:
    return application(client, "example-application").environment("live")


def test_applications_are_the_ones_the_token_sees(
    client: DivioClient, reference: Reference
) -> None:
    expected = sorted(app["slug"] for app in reference.listing("/apps/v3/applications/"))
    assert [app.slug for app in applications(client)] == expected


def test_an_application_lists_and_finds_its_environments(client: DivioClient) -> None:
    app = application(client, "example-application")
    assert [env.slug for env in app.environments()] == ["feature-x", "live", "test"]
    feature = app.environment("feature-x")
    assert feature.application_uuid == app.uuid
    assert app.environment(feature.uuid) == feature
    assert feature.application() == app
    with pytest.raises(EnvironmentNotFound):
        app.environment("staging")


def test_service_instances_and_the_way_back(live: Environment, reference: Reference) -> None:
    found = live.service_instances()
    labels = [(si.type, si.prefix) for si in found]
    assert labels == [("DATABASE", "ANALYTICS"), ("DATABASE", "DEFAULT"), ("STORAGE", "DEFAULT")]
    database = live.service_instance()
    expected = reference.service_instance("example-application", "live", "DATABASE", "DEFAULT")
    assert expected is not None
    assert database.uuid == expected["uuid"]
    assert database.environment() == live
    with pytest.raises(ServiceInstanceNotFound):
        live.service_instance("DATABASE", "REPORTING")


def test_backups_come_newest_first_with_their_parts(
    live: Environment, reference: Reference
) -> None:
    found = live.backups()
    own = [b for b in reference.backups_by_uuid().values() if b["environment"] == live.uuid]
    assert sorted(b.uuid for b in found) == sorted(b["uuid"] for b in own)
    times = [b.time for b in found]
    assert all(t is not None for t in times)
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]
    newest = found[0]
    assert sorted(p.uuid for p in newest.parts) == sorted(newest.service_instance_backup_uuids)
    assert [p.uuid for p in newest.service_instance_backups()] == (
        newest.service_instance_backup_uuids
    )
    assert newest.refresh() == newest


def test_a_service_instance_backup_leads_to_its_backup_and_instance(
    live: Environment,
) -> None:
    database = live.service_instance()
    sibs = database.service_instance_backups()
    assert {sib.service_instance_uuid for sib in sibs} == {database.uuid}
    keys = [(sib.taken_at is not None, sib.taken_at) for sib in sibs if sib.taken_at]
    assert keys == sorted(keys, reverse=True)
    first = sibs[0]
    assert first.service_instance() == database
    assert first.uuid in first.backup().service_instance_backup_uuids


def test_deployments_come_newest_first(live: Environment, reference: Reference) -> None:
    own = [d for d in reference.listing("/apps/v3/deployments/") if d["environment"] == live.uuid]
    newest = max(own, key=lambda d: moment(d["started_at"]))
    found = live.deployments()
    assert len(found) == len(own)
    assert found[0].uuid == newest["uuid"]
    latest = latest_deployment(live)
    assert latest is not None
    assert latest.uuid == newest["uuid"]
    assert latest.environment() == live


def test_environment_variables_hide_sensitive_values(
    live: Environment, reference: Reference
) -> None:
    own = [
        v
        for v in reference.listing("/apps/v3/environment-variables/", environment=live.uuid)
        if v["environment"] == live.uuid
    ]
    variables = environment_variables(live)
    assert variables == {v["name"]: v["value"] for v in own}
    objects = live.environment_variables()
    assert [v.name for v in objects] == sorted(variables)
    for variable in objects:
        assert "value" not in repr(variable)
        if variable.value:
            assert variable.value not in repr(variable)


def test_printing_never_sends_a_request_nor_shows_the_token(
    sandbox: Sandbox, counter: Counter
) -> None:
    with client_for(sandbox, counter) as client:
        app = application(client, "example-application")
        live = app.environment("live")
        backup = live.backups()[0]
        objects = [app, live, backup, *backup.parts]
        before = len(counter)
        shown = " ".join(repr(item) + str(item) for item in objects)
        assert len(counter) == before
    assert sandbox.tokens["alice"] not in shown
    assert repr(app) == f"<Application example-application uuid={app.uuid}>"


def test_fields_of_the_model_are_attributes(live: Environment) -> None:
    assert live.is_production_grade is True  # a generated field without its own property
    assert live.to_dict()["slug"] == "live"
    with pytest.raises(AttributeError, match="no field"):
        _ = live.no_such_field


@pytest.mark.anyio
async def test_relations_are_awaitable_with_the_async_client(sandbox: Sandbox) -> None:
    async with AsyncDivioClient(token=sandbox.tokens["alice"], base_url=sandbox.url) as client:
        app = await bound_async.application(client, "example-application")
        assert isinstance(app, bound_async.AsyncApplication)
        live = await app.environment("live")
        found = await live.backups()
        with client_for(sandbox) as sync_client:
            sync_live = application(sync_client, "example-application").environment("live")
            assert [b.uuid for b in found] == [b.uuid for b in sync_live.backups()]
        instance = await live.service_instance("STORAGE")
        assert instance.type == "STORAGE"
        assert (await instance.environment()) == live
