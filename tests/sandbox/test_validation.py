"""Bad requests get DRF's answers: field errors, parse errors, 405, 415, and unknown paths."""

from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import assert_conforms, environment, everything

REQUIRED = ["This field is required."]


def database(client: httpx.Client, env: dict[str, Any]) -> str:
    items = everything(client, "/apps/v3/service-instances/", environment=env["uuid"])
    return str(next(i["uuid"] for i in items if i["type"] == "DATABASE"))


def test_missing_fields_are_all_reported_at_once(alice: httpx.Client) -> None:
    response = alice.post("/apps/v3/backups/", json={})
    assert response.status_code == 400
    assert response.json() == {"environment": REQUIRED, "services": REQUIRED}


def test_a_body_that_is_not_an_object_is_a_non_field_error(alice: httpx.Client) -> None:
    response = alice.post("/apps/v3/backups/", json=["not", "an", "object"])
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


@pytest.mark.parametrize(
    ("services", "message"),
    [
        ("abc", 'Expected a list of items but got type "str".'),
        ([], "This list may not be empty."),
        (None, "This field may not be null."),
        (["nope"], "Object with uuid=nope does not exist."),
    ],
)
def test_bad_service_lists(alice: httpx.Client, services: Any, message: str) -> None:
    live = environment(alice, "example-application", "live")
    response = alice.post(
        "/apps/v3/backups/", json={"environment": live["uuid"], "services": services}
    )
    assert response.status_code == 400
    assert response.json() == {"services": [message]}


def test_service_instances_of_another_environment_are_refused(alice: httpx.Client) -> None:
    live = environment(alice, "example-application", "live")
    test = environment(alice, "example-application", "test")
    other = database(alice, test)
    response = alice.post(
        "/apps/v3/backups/", json={"environment": live["uuid"], "services": [other]}
    )
    assert response.json() == {
        "services": [f"Service instance {other} does not belong to the environment."]
    }


def test_wrong_types_and_bad_datetimes(alice: httpx.Client) -> None:
    live = environment(alice, "example-application", "live")
    body = {
        "environment": True,
        "services": [database(alice, live)],
        "scheduled_for_deletion_at": "tomorrow",
    }
    errors = alice.post("/apps/v3/backups/", json=body).json()
    assert errors["environment"] == ["Not a valid string."]
    assert errors["scheduled_for_deletion_at"][0].startswith("Datetime has wrong format.")


def test_malformed_json_is_a_parse_error(alice: httpx.Client) -> None:
    response = alice.post(
        "/apps/v3/backups/", content=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_unsupported_media_types_are_415(alice: httpx.Client) -> None:
    response = alice.post("/apps/v3/backups/", content=b"x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_form_bodies_are_accepted_with_repeated_keys(client: httpx.Client) -> None:
    live = environment(client, "example-application", "live")
    services = [
        i["uuid"]
        for i in everything(client, "/apps/v3/service-instances/", environment=live["uuid"])
    ]
    response = client.post(
        "/apps/v3/backups/", data={"environment": live["uuid"], "services": services}
    )
    assert response.status_code == 201
    assert len(response.json()["service_instance_backups"]) == 3


def test_multipart_bodies_are_accepted(client: httpx.Client) -> None:
    live = environment(client, "example-application", "live")
    response = client.post(
        "/apps/v3/deployments/",
        files={"environment": (None, live["uuid"]), "build_mode": (None, "FORCE")},
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/apps/v3/backups/"),
        ("PUT", "/apps/v3/environments/x/"),
        ("GET", "/apps/v3/backups/upload/"),
    ],
)
def test_methods_a_path_lacks_are_405(alice: httpx.Client, method: str, path: str) -> None:
    response = alice.request(method, path)
    assert response.status_code == 405
    assert response.json() == {"detail": f'Method "{method}" not allowed.'}
    assert "Allow" in response.headers


def test_unknown_paths_and_ids_are_404(alice: httpx.Client) -> None:
    assert alice.get("/apps/v3/nothing-here/").json() == {"detail": "Not found."}
    response = alice.get("/apps/v3/backups/bagztldeadfdhlilnmpzx3twly/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Backup matches the given query."}


def test_paths_work_without_the_trailing_slash(alice: httpx.Client) -> None:
    assert alice.get("/apps/v3/regions").status_code == 200


def test_application_create_validates_every_field(client: httpx.Client) -> None:
    org = client.get("/iam/v3/organisations/").json()["results"][0]["uuid"]
    body = {
        "name": "",
        "slug": "Not A Slug",
        "organisation": org,
        "region": "nowhere",
        "app_template": "not a url",
        "release_commands": [{"label": "a", "command": "x"}, {"label": "a", "command": "y"}],
    }
    errors = client.post("/apps/v3/applications/", json=body).json()
    assert errors == {
        "name": ["This field may not be blank."],
        "slug": ["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."],
        "plan_group": REQUIRED,
        "region": ["Object with uuid=nowhere does not exist."],
        "app_template": ["Enter a valid URL."],
        "release_commands": ["Release command labels must be unique."],
    }


def test_application_slugs_are_unique(client: httpx.Client) -> None:
    org = client.get("/iam/v3/organisations/").json()["results"][0]["uuid"]
    region = client.get("/apps/v3/regions/").json()["results"][0]["uuid"]
    body = {"name": "New", "organisation": org, "region": region, "plan_group": "pg"}
    created = client.post("/apps/v3/applications/", json={**body, "slug": "brand-new"})
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/applications/")
    envs = client.get("/apps/v3/environments/", params={"application": created.json()["uuid"]})
    assert sorted(e["slug"] for e in envs.json()["results"]) == ["live", "test"]
    again = client.post("/apps/v3/applications/", json={**body, "slug": "example-application"})
    assert again.json() == {"slug": ["application with this slug already exists."]}


def test_service_instance_prefixes_are_unique_per_type(client: httpx.Client) -> None:
    live = environment(client, "example-application", "live")
    existing = client.get(f"/apps/v3/service-instances/{database(client, live)}/").json()
    body = {
        "environment": live["uuid"],
        "region": existing["region"],
        "service": existing["service"],
    }
    response = client.post("/apps/v3/service-instances/", json=body)
    assert response.json() == {
        "non_field_errors": [
            "The environment already has a DATABASE service instance with the prefix DEFAULT."
        ]
    }
    created = client.post("/apps/v3/service-instances/", json={**body, "prefix": "REPORTING"})
    assert created.status_code == 201
    assert created.json()["service_status"] == "NEW"
    assert_conforms(created, "POST", "/apps/v3/service-instances/")


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00"])
def test_datetimes_at_the_edge_of_the_calendar_are_invalid_not_a_crash(
    alice: httpx.Client, moment: str
) -> None:
    live = environment(alice, "example-application", "live")
    body = {"environment": live["uuid"], "services": "x", "scheduled_for_deletion_at": moment}
    errors = alice.post("/apps/v3/backups/", json=body).json()
    assert errors["scheduled_for_deletion_at"][0].startswith("Datetime has wrong format.")
    logs = alice.get(f"/apps/v3/environments/{live['uuid']}/logs/", params={"from_ts": moment})
    assert logs.json() == {"from_ts": ["Enter a valid date/time."]}


def test_absurdly_nested_json_is_a_parse_error(alice: httpx.Client) -> None:
    response = alice.post(
        "/apps/v3/backups/", content=b"[" * 100_000, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_log_windows_in_the_far_future_are_empty(alice: httpx.Client) -> None:
    live = environment(alice, "example-application", "live")
    url = f"/apps/v3/environments/{live['uuid']}/logs/"
    response = alice.get(url, params={"from_ts": "9999-01-01T00:00:00Z"})
    assert response.status_code == 200
    assert response.json()["results"] == []
