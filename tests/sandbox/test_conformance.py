"""The sandbox serves exactly the operations of openapi.json, with conforming responses."""

from typing import Any

import httpx
import pytest

from divio_sandbox.views import build_router
from tests.sandbox.conftest import SPEC, assert_conforms, environment, one

GET_TEMPLATES = sorted(path for path, operations in SPEC["paths"].items() if "get" in operations)


def test_every_operation_of_the_spec_is_served_and_nothing_else() -> None:
    declared = {
        (method.upper(), path)
        for path, operations in SPEC["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert build_router().operations() == declared


def sample_ids(client: httpx.Client) -> dict[str, str]:
    """A real id for every path template that has one (alice's example-application data)."""
    live = environment(client, "example-application", "live")
    backup = client.get("/apps/v3/backups/", params={"environment": live["uuid"]}).json()
    first = backup["results"][0]
    deployment = client.get("/apps/v3/deployments/", params={"environment": live["uuid"]}).json()
    org = client.get("/iam/v3/organisations/").json()["results"][0]
    app = one(client, "/apps/v3/applications/", slug="shop-backend")
    return {
        "app-templates": client.get("/apps/v3/app-templates/").json()["results"][0]["uuid"],
        "application-activities": client.get("/apps/v3/application-activities/").json()["results"][
            0
        ]["uuid"],
        "applications": live["application"],
        "backups": first["uuid"],
        "deployments": deployment["results"][0]["uuid"],
        "environments": live["uuid"],
        "repositories": app["repository"],
        "service-instance-backups": first["service_instance_backups"][0],
        "service-instances": client.get(
            "/apps/v3/service-instances/", params={"environment": live["uuid"]}
        ).json()["results"][0]["uuid"],
        "organisations": org["uuid"],
    }


def make_download_and_restore(
    client: httpx.Client, sandbox_clock: Any, ids: dict[str, str]
) -> None:
    backup = client.get(f"/apps/v3/backups/{ids['backups']}/").json()
    usable = [
        sib
        for sib in backup["service_instance_backups"]
        if client.get(f"/apps/v3/service-instance-backups/{sib}/").json()["errors"] == []
    ]
    download = client.post(
        "/apps/v3/backup-downloads/",
        json={"backup": backup["uuid"], "service_instance_backups": usable[:1]},
    ).json()
    ids["backup-download-service-instances"] = client.get(
        "/apps/v3/backup-download-service-instances/", params={"backup": download["uuid"]}
    ).json()["results"][0]["uuid"]
    restore = client.post(
        "/apps/v3/backup-restores/",
        json={
            "backup": backup["uuid"],
            "service_instance_restores": [{"service_instance_backup": usable[0]}],
        },
    ).json()
    ids["backup-restores"] = restore["uuid"]
    sandbox_clock.advance(60)


def url_for(template: str, ids: dict[str, str]) -> str:
    if "{uuid}" not in template:
        return template
    collection = template.split("/")[3]
    return template.replace("{uuid}", ids[collection])


def test_every_get_operation_answers_a_conforming_200(
    divio_clock: Any, client: httpx.Client
) -> None:
    ids = sample_ids(client)
    make_download_and_restore(client, divio_clock, ids)
    for template in GET_TEMPLATES:
        params = {"environment": ids["environments"]} if "variables" in template else {}
        response = client.get(url_for(template, ids), params=params)
        assert response.status_code == 200, (template, response.text)
        assert_conforms(response, "GET", template)


@pytest.mark.parametrize("template", ["/apps/v3/backups/", "/apps/v3/service-instance-backups/"])
def test_every_item_of_the_big_lists_conforms(alice: httpx.Client, template: str) -> None:
    response = alice.get(template, params={"page_size": 100})
    assert_conforms(response, "GET", template)
    assert len(response.json()["results"]) == 100
