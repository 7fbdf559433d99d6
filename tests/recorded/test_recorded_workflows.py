"""The read-only workflows against recorded answers: latest backup (and why there is none),
latest deployment, environment variables."""

from __future__ import annotations

import pytest
from recorded_support import Target

from divio_ext import DivioClient, errors
from divio_ext.core.errors import (
    ApplicationNotFound,
    EnvironmentNotFound,
    NoUsableBackup,
    ServiceInstanceNotFound,
)
from divio_ext.resources.bound import application
from divio_ext.workflows import aio, environment_variables, latest_backup, latest_deployment

#: Assertions about the sandbox's seeded scenario: recorded from the sandbox only.
pytestmark = [pytest.mark.vcr, pytest.mark.sandbox_only]


@pytest.mark.parametrize("prefix", ["DEFAULT", "ANALYTICS"])
def test_latest_backup_is_the_newest_usable_one(client: DivioClient, prefix: str) -> None:
    found = latest_backup(client, "example-application", "live", "DATABASE", prefix)
    assert (found.service_instance.type, found.service_instance.prefix) == ("DATABASE", prefix)
    assert (found.application.slug, found.environment.slug) == ("example-application", "live")
    assert found.backup.succeeded
    assert found.service_instance_backup.finished_cleanly
    assert found.taken_at is not None
    assert found.size
    # The same answer, the slow way: newest first, the first succeeded backup with a clean part.
    newest_first = found.environment.backups()
    instance = found.service_instance.uuid
    usable = [
        backup
        for backup in newest_first
        if backup.succeeded
        and any(p.service_instance_uuid == instance and p.finished_cleanly for p in backup.parts)
    ]
    assert usable[0] == found.backup
    assert not newest_first[0].succeeded, "the scenario's newest backup did not succeed"


def test_no_usable_backup_says_what_it_saw(client: DivioClient) -> None:
    with pytest.raises(NoUsableBackup) as raised:
        latest_backup(client, "fresh-application", "live")
    assert isinstance(raised.value, errors.NotFound)
    assert "fresh-application/live" in str(raised.value)


@pytest.mark.parametrize(
    ("app", "env", "kind", "prefix", "error"),
    [
        ("no-such-application", "live", "DATABASE", "DEFAULT", ApplicationNotFound),
        ("example-application", "staging", "DATABASE", "DEFAULT", EnvironmentNotFound),
        ("example-application", "live", "DATABASE", "REPORTING", ServiceInstanceNotFound),
        ("fresh-application", "test", "DATABASE", "DEFAULT", ServiceInstanceNotFound),
    ],
    ids=["application", "environment", "prefix", "no-service-instances"],
)
def test_latest_backup_not_found(
    client: DivioClient, app: str, env: str, kind: str, prefix: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        latest_backup(client, app, env, kind, prefix)


def test_environment_not_found_lists_the_slugs_there_are(client: DivioClient) -> None:
    with pytest.raises(EnvironmentNotFound, match="feature-x, live, test"):
        latest_backup(client, "example-application", "staging")


def test_latest_deployment_is_the_most_recently_started(client: DivioClient) -> None:
    live = application(client, "example-application").environment("live")
    latest = latest_deployment(live)
    assert latest is not None
    assert latest == live.deployments()[0]


def test_an_environment_never_deployed_has_no_latest_deployment(client: DivioClient) -> None:
    never = application(client, "fresh-application").environment("test")
    assert latest_deployment(never) is None


def test_environment_variables_by_name(client: DivioClient) -> None:
    live = application(client, "example-application").environment("live")
    variables = environment_variables(live)
    assert list(variables) == sorted(variables)
    hidden = {v.name for v in live.environment_variables() if v.is_sensitive}
    assert hidden
    assert all(variables[name] is None for name in hidden)


@pytest.mark.anyio
async def test_async_latest_backup_gives_the_sync_answer(
    target: Target, client: DivioClient
) -> None:
    expected = latest_backup(client, "example-application", "live")
    async with target.async_client() as aclient:
        found = await aio.latest_backup(aclient, "example-application", "live")
    assert found.service_instance_backup.uuid == expected.service_instance_backup.uuid
    assert found.backup.uuid == expected.backup.uuid


@pytest.mark.anyio
async def test_async_not_found(target: Target) -> None:
    async with target.async_client() as aclient:
        with pytest.raises(NoUsableBackup):
            await aio.latest_backup(aclient, "fresh-application", "live")
