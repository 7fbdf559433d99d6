"""Environments and deployments have the shapes of real answers; environments can be created.

The shapes come from real answers of the Divio API kept in ``tests/spec/real_bodies``: list
items of environments lack the fields only details have, deployments report no percentage,
and starting a deployment answers only ``{uuid, environment, build_mode}``.
"""

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from divio_sandbox import Sandbox
from tests.sandbox.conftest import assert_conforms, client_for, environment, everything, one

REAL = Path(__file__).resolve().parents[1] / "spec" / "real_bodies"
DETAIL_ONLY = {"last_finished_deployment", "ssh_endpoint", "deployed_url"}
ID = r"[a-z2-7]{26}"


def real_body(name: str) -> Any:
    return json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))["body"]


def environments_of(client: httpx.Client, app: str) -> list[dict[str, Any]]:
    application = one(client, "/apps/v3/applications/", slug=app)
    return everything(client, "/apps/v3/environments/", application=application["uuid"])


def test_list_items_have_exactly_the_keys_of_a_real_list_item(alice: httpx.Client) -> None:
    (real_keys,) = {frozenset(item) for item in real_body("environment-list-2022-11")["results"]}

    items = environments_of(alice, "example-application")

    assert [set(item) for item in items] == [set(real_keys)] * 3


def test_the_detail_adds_the_detail_only_fields_to_the_list_item(alice: httpx.Client) -> None:
    for item in environments_of(alice, "example-application"):
        detail = alice.get(f"/apps/v3/environments/{item['uuid']}/").json()

        assert set(detail) - set(item) == DETAIL_ONLY
        assert {key: detail[key] for key in item} == item


def test_list_items_describe_their_environment(alice: httpx.Client) -> None:
    live, test = (environment(alice, "example-application", slug) for slug in ("live", "test"))
    domains = everything(alice, "/apps/v3/domains/")
    variables = everything(alice, "/apps/v3/environment-variables/", environment=live["uuid"])

    assert live["environment_variables"] == [variable["name"] for variable in variables]
    assert (live["is_production_grade"], test["is_production_grade"]) == (True, False)
    assert live["primary_domain"] == next(
        d["uuid"] for d in domains if d["environment"] == live["uuid"] and d["is_primary"]
    )
    assert test["primary_domain"] is None
    assert live["app_name"].startswith("example-application-live-")
    assert live["pending_commits_lookup"].endswith("..main")
    assert environment(alice, "fresh-application", "test")["pending_commits_lookup"] is None


def test_environments_of_one_organisation_share_their_backup_configs(
    alice: httpx.Client, mallory: httpx.Client
) -> None:
    keys = ("ondemand_backup_retention_config", "scheduled_backup_config")
    ours = {
        tuple(env[key] for key in keys)
        for app in ("example-application", "fresh-application")
        for env in environments_of(alice, app)
    }
    theirs = {tuple(env[key] for key in keys) for env in environments_of(mallory, "mallory-tools")}

    assert len(ours) == len(theirs) == 1
    assert ours != theirs
    (configs,) = ours
    assert all(re.fullmatch(ID, config) for config in configs)


def test_deployments_have_the_keys_of_real_ones_and_no_percentage(alice: httpx.Client) -> None:
    real_keys = set(real_body("deployment-detail-2021-12"))
    live = environment(alice, "example-application", "live")
    listed = alice.get("/apps/v3/deployments/", params={"environment": live["uuid"]}).json()
    detail = alice.get(f"/apps/v3/deployments/{listed['results'][0]['uuid']}/").json()

    for deployment in [*listed["results"], detail]:
        assert real_keys <= set(deployment)
        assert "percent" not in deployment
    assert (detail["status"], detail["is_usable"]) == ("done", detail["success"])


def test_starting_a_deployment_answers_like_the_real_api(client: httpx.Client) -> None:
    test = environment(client, "example-application", "test")

    started = client.post("/apps/v3/deployments/", data={"environment": test["uuid"]})

    assert started.status_code == 201
    assert set(started.json()) == set(real_body("deployment-create-2021-11"))
    assert started.json()["build_mode"] == "AUTO"


def test_an_environment_is_created_from_a_form_body(client: httpx.Client) -> None:
    app = one(client, "/apps/v3/applications/", slug="example-application")

    made = client.post(
        "/apps/v3/environments/",
        data={"application": app["uuid"], "slug": "ci-cd", "branch": "cicdtest"},
    )

    assert made.status_code == 201
    assert_conforms(made, "POST", "/apps/v3/environments/")
    new = made.json()
    assert (new["application"], new["slug"], new["branch"]) == (app["uuid"], "ci-cd", "cicdtest")
    assert (new["environment_variables"], new["last_finished_deployment"]) == ([], None)
    assert environment(client, "example-application", "ci-cd") == new
    assert everything(client, "/apps/v3/service-instances/", environment=new["uuid"]) == []


def test_a_created_environment_tracks_main_unless_told_otherwise(client: httpx.Client) -> None:
    app = one(client, "/apps/v3/applications/", slug="fresh-application")

    made = client.post("/apps/v3/environments/", json={"application": app["uuid"], "slug": "qa"})

    assert (made.status_code, made.json()["branch"]) == (201, "main")


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"application": ["This field is required."], "slug": ["This field is required."]}),
        (
            {"slug": "Not A Slug"},
            {
                "slug": [
                    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
                ]
            },
        ),
        (
            {"slug": "live"},
            {"slug": ["An environment with this slug already exists in the application."]},
        ),
        ({"slug": "qa", "branch": ""}, {"branch": ["This field may not be blank."]}),
    ],
)
def test_bad_environment_bodies_get_drf_field_errors(
    client: httpx.Client, body: dict[str, str], errors: dict[str, list[str]]
) -> None:
    app = one(client, "/apps/v3/applications/", slug="example-application")
    full = {"application": app["uuid"], **body} if body else body

    refused = client.post("/apps/v3/environments/", json=full)

    assert (refused.status_code, refused.json()) == (400, errors)


def test_an_environment_cannot_be_created_in_another_organisation(divio_sandbox: Sandbox) -> None:
    with (
        client_for(divio_sandbox, "alice") as alice,
        client_for(divio_sandbox, "mallory") as mallory,
    ):
        theirs = one(mallory, "/apps/v3/applications/", slug="other-application")["uuid"]
        ours = one(alice, "/apps/v3/applications/", slug="example-application")["uuid"]

        refused = alice.post("/apps/v3/environments/", json={"application": theirs, "slug": "x"})
        with client_for(divio_sandbox, "victor") as victor:
            forbidden = victor.post(
                "/apps/v3/environments/", json={"application": ours, "slug": "x"}
            )

    assert refused.json() == {"application": [f"Object with uuid={theirs} does not exist."]}
    assert forbidden.status_code == 403
