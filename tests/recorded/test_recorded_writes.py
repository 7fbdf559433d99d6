"""Workflows that start work and wait for it, against recorded answers.

Waiting runs on the target's clock: when replaying it counts the pauses without sleeping; when
recording against the sandbox it also advances the sandbox clock by the same pauses, so the
recorded polls are exactly the ones replay asks for.
"""

from __future__ import annotations

import pytest
from recorded_support import APPLICATION, ENVIRONMENT, Target

from divio_ext import DivioClient
from divio_ext.resources import bound_async
from divio_ext.resources.bound import Environment, application
from divio_ext.workflows import (
    Progress,
    aio,
    backup_download_url,
    create_backup,
    deploy,
    latest_backup,
    latest_deployment,
    restore_backup,
)

pytestmark = [pytest.mark.vcr, pytest.mark.recorded_write]


@pytest.fixture
def environment(client: DivioClient) -> Environment:
    return application(client, APPLICATION).environment(ENVIRONMENT)


def test_create_backup_and_wait(environment: Environment, target: Target) -> None:
    reports: list[Progress] = []
    made = create_backup(environment, policy=target.poll_policy(), on_progress=reports.append)
    assert (made.state, made.success) == ("COMPLETED", "SUCCESS")
    assert [part.service_type for part in made.parts] == ["DATABASE"]
    assert len(reports) > 1, "it polled until the backup had completed"
    assert not reports[0].status.finished
    assert reports[-1].status.finished
    assert made.notes is None


def test_deploy_and_wait(environment: Environment, target: Target) -> None:
    reports: list[Progress] = []
    done = deploy(environment, policy=target.poll_policy(), on_progress=reports.append)
    assert done.success is True
    assert done.ended_at is not None
    assert len(reports) > 1
    assert latest_deployment(environment) == done


def test_backup_download_url(client: DivioClient, target: Target) -> None:
    found = latest_backup(client, APPLICATION, ENVIRONMENT)
    url = backup_download_url(found.service_instance_backup, policy=target.poll_policy())
    assert url.startswith(("https://", "http://"))


def test_restore_backup_and_wait(client: DivioClient, target: Target) -> None:
    found = latest_backup(client, APPLICATION, ENVIRONMENT)
    restore = restore_backup(
        found.service_instance_backup, notes="recorded", policy=target.poll_policy()
    )
    assert restore.finished
    assert restore.success == "SUCCESS"
    assert restore.backup_uuid == found.backup.uuid


@pytest.mark.anyio
async def test_async_create_backup_and_wait(target: Target) -> None:
    async with target.async_client() as aclient:
        app = await bound_async.application(aclient, APPLICATION)
        environment = await app.environment(ENVIRONMENT)
        made = await aio.create_backup(environment, policy=target.poll_policy())
        found = await aio.latest_backup(aclient, APPLICATION, ENVIRONMENT)
    assert made.succeeded
    assert found.backup == made
