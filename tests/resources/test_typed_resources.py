"""The typed resources (``client.backups.list(...)``), against the sandbox, sync and async.

Resources are generated from the spec's paths; these tests use them as a user would and check
the answers against plain HTTP listings (``Reference``), including on a server that ignores the
filters no public source confirms: a filter naming a field of the items is verified on each
item, so the answer does not change.
"""

from __future__ import annotations

import httpx
import pytest
from reference import Reference
from sandbox_clients import client_for

from divio_ext import AsyncDivioClient, DivioClient, bound
from divio_ext.core import contract, operations
from divio_ext.core.errors import ApplicationNotFound
from divio_ext.errors import OperationUnavailable
from divio_sandbox import Sandbox


def raw_count(sandbox: Sandbox, path: str, **params: str) -> int:
    """What the server itself says a filtered list holds (``count``), filters applied or not."""
    headers = {"Authorization": f"Token {sandbox.tokens['alice']}"}
    response = httpx.get(f"{sandbox.url}{path}", params=params, headers=headers, timeout=30)
    response.raise_for_status()
    return int(response.json()["count"])


@pytest.fixture
def live(reference: Reference) -> str:
    return str(reference.environment("example-application", "live")["uuid"])


@pytest.mark.parametrize("filters", ["honoured", "ignored"])
def test_backups_of_one_environment_are_right_whether_or_not_the_server_filters(
    sandbox: Sandbox, reference: Reference, live: str, filters: str
) -> None:
    expected = sorted(
        b["uuid"] for b in reference.listing("/apps/v3/backups/") if b["environment"] == live
    )
    sandbox.configure(ignore_filters=filters == "ignored")
    try:
        served = raw_count(sandbox, "/apps/v3/backups/", environment=live)
        with client_for(sandbox) as client:
            found = sorted(b.uuid for b in client.backups.list(environment=live))
    finally:
        sandbox.configure(ignore_filters=False)
    assert found == expected
    if filters == "ignored":
        assert served > len(expected)  # the server really sent other environments' backups


def test_limit_counts_only_verified_items(ignoring: Sandbox, live: str) -> None:
    with client_for(ignoring) as client:
        first = list(client.backups.list(environment=live, limit=3, page_size=5))
    assert len(first) == 3
    assert {b.environment for b in first} == {live}


def test_service_instance_backups_are_verified_by_service_instance(
    ignoring: Sandbox, reference: Reference
) -> None:
    instance = reference.service_instance("example-application", "live", "DATABASE", "DEFAULT")
    assert instance is not None
    expected = sorted(
        s["uuid"] for s in reference.sibs() if s["service_instance"] == instance["uuid"]
    )
    with client_for(ignoring) as client:
        found = client.service_instance_backups.list(service_instance=instance["uuid"])
        assert sorted(s.uuid for s in found) == expected


def test_retrieve_returns_the_model_the_list_showed(client: DivioClient, live: str) -> None:
    listed = next(iter(client.backups.list(environment=live, limit=1)))
    fetched = client.backups.retrieve(listed.uuid)
    assert (fetched.uuid, fetched.environment) == (listed.uuid, live)


def test_me_and_an_action_with_a_path_parameter(client: DivioClient, live: str) -> None:
    assert client.me.retrieve().uuid
    deployments = list(client.deployments.list(environment=live, limit=1))
    assert deployments
    log = client.deployments.logs(deployments[0].uuid)
    assert isinstance(log.logs, str)


def test_create_takes_the_request_model_fields_as_keywords(
    divio_sandbox: Sandbox,
) -> None:
    with client_for(divio_sandbox) as client:
        app = client.applications.get_by_slug("example-application")
        live = app.environment("live")
        database = next(i for i in live.service_instances() if i.type == "DATABASE")
        created = client.backups.create(environment=live.uuid, services=[database.uuid])
        assert client.backups.retrieve(created.uuid).environment == live.uuid


def test_applications_get_by_slug_returns_a_bound_object(client: DivioClient) -> None:
    app = client.applications.get_by_slug("example-application")
    assert isinstance(app, bound.Application)
    assert app.environment("live").slug == "live"
    slugs = [a.slug for a in client.applications.get_all()]
    assert slugs == sorted(slugs)
    assert "example-application" in slugs


def test_get_by_slug_of_an_unknown_application_says_it_is_a_lookup(client: DivioClient) -> None:
    with pytest.raises(ApplicationNotFound, match="no-such-app"):
        client.applications.get_by_slug("no-such-app")


@pytest.mark.anyio
async def test_async_resources_answer_like_the_sync_ones(
    ignoring: Sandbox, reference: Reference, live: str
) -> None:
    expected = sorted(
        b["uuid"] for b in reference.listing("/apps/v3/backups/") if b["environment"] == live
    )
    async with AsyncDivioClient(token=ignoring.tokens["alice"], base_url=ignoring.url) as client:
        found = sorted([b.uuid async for b in client.backups.list(environment=live)])
        fetched = await client.backups.retrieve(found[0])
        app = await client.applications.get_by_slug("example-application")
        env = await app.environment("live")
    assert found == expected
    assert fetched.uuid == found[0]
    assert env.uuid == live


def test_an_operation_the_client_lacks_is_named_by_method_and_path(client: DivioClient) -> None:
    missing = contract.Endpoint("GET", "/apps/v3/no-such-things/{uuid}/")
    with pytest.raises(OperationUnavailable, match=r"GET /apps/v3/no-such-things/\{uuid\}/"):
        client.call(missing, uuid="x")
    assert operations.endpoint(operations.module(contract.BACKUP)) == contract.BACKUP
