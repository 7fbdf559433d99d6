"""Every list and retrieve of the main resources, and the pager, against recorded answers.

Each test finds what it needs (the example application's live environment, a uuid to fetch)
through the API itself, so the whole conversation is in its cassette.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from divio_api.api.api_root import get_api_root
from divio_api.api.app_templates import get_app_template, list_app_templates
from divio_api.api.application_activities import (
    get_application_activity,
    list_application_activities,
)
from divio_api.api.applications import get_application, list_applications
from divio_api.api.backups import get_backup, list_backups
from divio_api.api.builds import list_builds
from divio_api.api.deployments import (
    get_deployment,
    get_deployment_environment_variables,
    get_deployment_logs,
    list_deployments,
)
from divio_api.api.domains import list_domains
from divio_api.api.environment_variables import list_environment_variables
from divio_api.api.environments import get_environment, list_environment_logs, list_environments
from divio_api.api.invoices import list_invoices
from divio_api.api.me import get_current_user
from divio_api.api.organisations import get_organisation, list_organisations
from divio_api.api.patches import list_patches
from divio_api.api.regions import list_regions
from divio_api.api.repositories import get_repository
from divio_api.api.service_instance_backups import (
    get_service_instance_backup,
    list_service_instance_backups,
)
from divio_api.api.service_instances import get_service_instance, list_service_instances
from divio_api.api.services import list_services
from recorded_support import APPLICATION, ENVIRONMENT, Target

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.resources import bound_async
from divio_ext.resources.bound import application

pytestmark = pytest.mark.vcr

Scope = dict[str, str]


def scope(client: DivioClient) -> Scope:
    """The uuids that filters need: example-application, its live environment, their owner."""
    app = application(client, "example-application")
    live = app.environment("live")
    return {
        "application": app.uuid,
        "environment": live.uuid,
        "organisation": app.organisation_uuid,
    }


#: (list operation, filters built from the scope, model class name of its items)
LISTS: dict[str, tuple[ModuleType, Any, str]] = {
    "applications": (list_applications, lambda s: {}, "Application"),
    "environments": (list_environments, lambda s: {"application": s["application"]}, "Environment"),
    "service-instances": (
        list_service_instances,
        lambda s: {"environment": s["environment"]},
        "ServiceInstance",
    ),
    "backups": (list_backups, lambda s: {"environment": s["environment"]}, "Backup"),
    "service-instance-backups": (
        list_service_instance_backups,
        lambda s: {},
        "ServiceInstanceBackup",
    ),
    "deployments": (list_deployments, lambda s: {"environment": s["environment"]}, "Deployment"),
    "environment-variables": (
        list_environment_variables,
        lambda s: {"environment": [s["environment"]]},
        "EnvironmentVariable",
    ),
    "application-activities": (
        list_application_activities,
        lambda s: {"application": s["application"]},
        "ApplicationActivity",
    ),
    "organisations": (list_organisations, lambda s: {}, "Organisation"),
    "invoices": (list_invoices, lambda s: {"organisation": s["organisation"]}, "Invoice"),
    "app-templates": (list_app_templates, lambda s: {}, "AppTemplate"),
    "regions": (list_regions, lambda s: {}, "Region"),
    "services": (list_services, lambda s: {}, "Service"),
    "builds": (list_builds, lambda s: {}, "Build"),
    "domains": (list_domains, lambda s: {}, "Domain"),
    "patches": (list_patches, lambda s: {}, "Patch"),
}


@pytest.mark.parametrize("name", LISTS)
def test_list(client: DivioClient, name: str) -> None:
    operation, filters, model = LISTS[name]
    items = list(client.paginate(operation, page_size=3, limit=3, **filters(scope(client))))
    assert 1 <= len(items) <= 3
    assert {type(item).__name__ for item in items} == {model}
    assert len({item.uuid for item in items}) == len(items)


#: (list operation that finds one, retrieve operation, filters for the list)
RETRIEVES: dict[str, tuple[ModuleType, ModuleType, Any]] = {
    "application": (list_applications, get_application, lambda s: {}),
    "environment": (
        list_environments,
        get_environment,
        lambda s: {"application": s["application"]},
    ),
    "service-instance": (
        list_service_instances,
        get_service_instance,
        lambda s: {"environment": s["environment"]},
    ),
    "backup": (list_backups, get_backup, lambda s: {"environment": s["environment"]}),
    "service-instance-backup": (
        list_service_instance_backups,
        get_service_instance_backup,
        lambda s: {},
    ),
    "deployment": (list_deployments, get_deployment, lambda s: {"environment": s["environment"]}),
    "application-activity": (
        list_application_activities,
        get_application_activity,
        lambda s: {"application": s["application"]},
    ),
    "organisation": (list_organisations, get_organisation, lambda s: {}),
    "app-template": (list_app_templates, get_app_template, lambda s: {}),
}


@pytest.mark.parametrize("name", RETRIEVES)
def test_retrieve(client: DivioClient, name: str) -> None:
    listing, retrieve, filters = RETRIEVES[name]
    (listed,) = client.paginate(listing, page_size=1, limit=1, **filters(scope(client)))
    fetched = client.call(retrieve, uuid=listed.uuid)
    assert type(fetched).__name__.startswith(type(listed).__name__)  # e.g. AppTemplateDetail
    assert fetched.uuid == listed.uuid


def test_retrieve_a_deployment_log_and_its_variables(client: DivioClient) -> None:
    live = scope(client)["environment"]
    (deployment,) = client.paginate(list_deployments, environment=live, page_size=1, limit=1)
    log = client.call(get_deployment_logs, uuid=deployment.uuid)
    assert isinstance(log.logs, str)
    assert log.logs.strip()
    variables = client.call(get_deployment_environment_variables, uuid=deployment.uuid)
    assert type(variables).__name__ == "DeploymentEnvironmentVariables"


@pytest.mark.sandbox_only
def test_retrieve_a_repository(client: DivioClient) -> None:
    linked = [app for app in client.paginate(list_applications) if app.repository]
    assert linked, "the scenario has an application with a repository"
    repository = client.call(get_repository, uuid=linked[0].repository)
    assert repository.uuid == linked[0].repository


def test_retrieve_the_current_user_and_the_api_root(client: DivioClient) -> None:
    me = client.call(get_current_user)
    assert me.uuid
    root = client.call(get_api_root)
    assert root.to_dict(), "the public index names the collections"


def test_list_the_runtime_logs_of_an_environment(client: DivioClient) -> None:
    page = client.call(list_environment_logs, uuid=scope(client)["environment"], page_size=3)
    assert 1 <= len(page.results) <= 3
    assert all(entry.message for entry in page.results)


def test_the_pager_walks_several_pages(client: DivioClient) -> None:
    live = scope(client)["environment"]
    pages = list(client.paginate(list_backups, environment=live, page_size=5).pages())
    assert len(pages) >= 3
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    uuids = [backup.uuid for page in pages for backup in page.items]
    assert len(uuids) == len(set(uuids)) == pages[0].count
    assert pages[-1].next_token is None
    assert all(page.next_token for page in pages[:-1])


def test_the_pager_resumes_from_a_continuation_token(client: DivioClient) -> None:
    live = scope(client)["environment"]
    pager = client.paginate(list_backups, environment=live, page_size=5)
    first = next(iter(pager.pages()))
    rest = [item.uuid for page in pager.by_page(first.next_token) for item in page.items]
    everything = [item.uuid for item in client.paginate(list_backups, environment=live)]
    assert [item.uuid for item in first.items] + rest == everything


def test_the_pager_fetches_pages_ahead_concurrently(client: DivioClient) -> None:
    live = scope(client)["environment"]
    one_by_one = [b.uuid for b in client.paginate(list_backups, environment=live, page_size=5)]
    ahead = client.paginate(list_backups, environment=live, page_size=5, concurrency=4)
    assert [backup.uuid for backup in ahead] == one_by_one


@pytest.mark.anyio
async def test_the_async_pager_walks_several_pages(target: Target) -> None:
    async with target.async_client() as aclient:
        app = await bound_async.application(aclient, APPLICATION)
        environment = await app.environment(ENVIRONMENT)
        pager = aclient.paginate(list_backups, environment=environment.uuid, page_size=5)
        numbers = [page.number async for page in pager.pages()]
        uuids = [backup.uuid async for backup in pager]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 3
    assert len(uuids) == len(set(uuids))


@pytest.mark.anyio
async def test_async_call_retrieves_a_backup(target: Target) -> None:
    async with target.async_client() as aclient:
        assert isinstance(aclient, AsyncDivioClient)
        page = await aclient.call(list_backups, page_size=1)
        fetched = await aclient.call(get_backup, uuid=page.results[0].uuid)
    assert fetched.uuid == page.results[0].uuid
