"""Queued work is the newest: a deployment or backup part that has not started yet comes first.

The server lists a queued deployment with ``started_at`` still null (it has not started) and a
queued service-instance backup with no ``taken_at``. Ranking such a null as the oldest time
made ``deploy`` start a second deployment right after the first one, ``latest_deployment``
return an older finished one, and ``--limit`` listings hide the queued work. A fake API with
exactly those answers (the sandbox always starts deployments at once).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from divio_api.models.environment import Environment as EnvironmentModel
from divio_api.models.service_instance import ServiceInstance as ServiceInstanceModel

from divio_ext import DivioClient, bound
from divio_ext.workflows import deploy, latest_deployment

ENV = {"uuid": "env1", "application": "app1", "slug": "live"}
FINISHED = {
    "uuid": "d-old",
    "environment": "env1",
    "started_at": "2026-03-01T10:00:00Z",
    "ended_at": "2026-03-01T10:05:00Z",
    "status": "success",
    "success": True,
}
QUEUED = {"uuid": "d-queued", "environment": "env1", "started_at": None, "ended_at": None}
CANCELLED = {  # ended before it started: finished, with no start time, so the oldest
    "uuid": "d-cancelled",
    "environment": "env1",
    "started_at": None,
    "ended_at": "2026-02-01T00:00:00Z",
    "success": False,
}
SIBS = [
    {
        "uuid": "s-old",
        "backup": "b-old",
        "service_instance": "si1",
        "taken_at": "2026-03-01T02:00:00Z",
        "ended_at": "2026-03-01T02:01:00Z",
    },
    {
        "uuid": "s-queued",
        "backup": "b-new",
        "service_instance": "si1",
        "queued_at": "2026-03-02T02:00:00Z",
    },
]


class FakeApi:
    """Lists the given deployments and service-instance backups; records every request."""

    def __init__(self, deployments: list[dict[str, Any]]) -> None:
        self.deployments = deployments
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "POST":
            return httpx.Response(201, json={**QUEUED, "uuid": "d-second"})
        rows = self.deployments if "deployments" in request.url.path else SIBS
        return httpx.Response(200, json={"count": len(rows), "next": None, "results": rows})

    def client(self) -> DivioClient:
        return DivioClient(token="queued-t0ken-1234", transport=httpx.MockTransport(self))


@pytest.fixture
def api() -> FakeApi:
    return FakeApi([FINISHED, QUEUED, CANCELLED])


def environment(client: DivioClient) -> bound.Environment:
    return bound.Environment(client, EnvironmentModel.from_dict(ENV))


def test_a_queued_deployment_is_listed_first(api: FakeApi) -> None:
    with api.client() as client:
        listed = environment(client).deployments()
    assert [d.uuid for d in listed] == ["d-queued", "d-old", "d-cancelled"]


def test_the_latest_deployment_is_the_queued_one(api: FakeApi) -> None:
    with api.client() as client:
        found = latest_deployment(environment(client))
    assert found is not None
    assert found.uuid == "d-queued"


def test_deploy_right_after_deploy_takes_over_the_queued_deployment(api: FakeApi) -> None:
    with api.client() as client:
        taken_over = deploy(environment(client), wait=False)
    assert taken_over.uuid == "d-queued"
    assert [r.method for r in api.requests] == ["GET"], "no second deployment was started"


def test_a_queued_service_instance_backup_is_listed_first(api: FakeApi) -> None:
    model = ServiceInstanceModel.from_dict(
        {"uuid": "si1", "environment": "env1", "region": "r1", "service": "s1", "type": "DATABASE"}
    )
    with api.client() as client:
        listed = bound.ServiceInstance(client, model).service_instance_backups()
    assert [part.uuid for part in listed] == ["s-queued", "s-old"]
