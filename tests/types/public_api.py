"""The public types of divio-ext, as a user's ``mypy --strict`` sees them.

Not run by pytest: ``tests/types/test_public_types.py`` type-checks this file with mypy --strict,
so each ``assert_type`` pins what a user's editor and type checker infer.
"""

from __future__ import annotations

from typing import assert_type

from divio_api.api.backups import get_backup

from divio_ext import AsyncDivioClient, AsyncPager, DivioClient, Pager, bound
from divio_ext.models import (
    Application,
    Backup,
    Deployment,
    DeploymentLog,
    Environment,
    EnvironmentVariable,
    ServiceInstanceBackup,
)
from divio_ext.resources import bound_async
from divio_ext.workflows import LatestBackup, aio, latest_backup
from divio_ext.workflows.latest import Found
from divio_ext.workflows.latest import plan as latest_plan


def resources(client: DivioClient) -> None:
    assert_type(client.backups.retrieve("x"), Backup)
    assert_type(client.backups.list(environment="x"), Pager[Backup])
    assert_type(
        client.service_instance_backups.list(service_instance="x"), Pager[ServiceInstanceBackup]
    )
    assert_type(client.backups.create(environment="x", services=["y"]), Backup)
    assert_type(client.environments.update("x", branch="main"), Environment)
    assert_type(client.environments.copy("x", new_slug="y"), Environment)
    assert_type(client.deployments.logs("x"), DeploymentLog)
    assert_type(client.deployments.retrieve("x"), Deployment)
    assert_type(client.environment_variables.list(name="X"), Pager[EnvironmentVariable])
    assert_type(client.applications.retrieve("x"), Application)
    for page in client.backups.list().by_page():
        assert_type(page.items, list[Backup])


def bound_objects(client: DivioClient) -> None:
    app = client.applications.get_by_slug("my-app")
    assert_type(app, bound.Application)
    live = app.environment("live")
    assert_type(live, bound.Environment)
    assert_type(live.backups(), list[bound.Backup])
    assert_type(client.applications.get_all(), list[bound.Application])


def workflows(client: DivioClient) -> None:
    found = latest_backup(client, "my-app", "live")
    assert_type(found, LatestBackup)
    assert_type(found.environment.backups(), list[bound.Backup])
    assert_type(client.run(latest_plan("my-app", "live", "DATABASE", "DEFAULT")), Found)


async def asynchronous(client: AsyncDivioClient) -> None:
    assert_type(await client.backups.retrieve("x"), Backup)
    assert_type(client.backups.list(environment="x"), AsyncPager[Backup])
    async for item in client.service_instance_backups.list(service_instance="x"):
        assert_type(item, ServiceInstanceBackup)
    assert_type(await client.environments.copy("x", new_slug="y"), Environment)
    app = await client.applications.get_by_slug("my-app")
    assert_type(app, bound_async.AsyncApplication)
    assert_type(await app.environment("live"), bound_async.AsyncEnvironment)
    found = await aio.latest_backup(client, "my-app", "live")
    assert_type(found, aio.AsyncLatestBackup)
    assert_type(await found.environment.backups(), list[bound_async.AsyncBackup])
    assert_type(await client.run(latest_plan("my-app", "live", "DATABASE", "DEFAULT")), Found)


def escape_hatch(client: DivioClient) -> None:
    assert_type(client.call(get_backup.sync_detailed, uuid="x"), Backup)


async def async_escape_hatch(client: AsyncDivioClient) -> None:
    assert_type(await client.call(get_backup.sync_detailed, uuid="x"), Backup)
