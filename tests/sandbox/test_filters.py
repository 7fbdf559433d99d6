"""Every filter openapi.json declares narrows its list; ignore_filters drops the unconfirmed."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from divio_sandbox import Sandbox
from tests.sandbox.conftest import SPEC, client_for, environment, everything, one

Item = dict[str, Any]
#: (list path, filter) -> how to pick a filter value from alice's data, and what every result
#: must then satisfy.
Check = tuple[Callable[[httpx.Client], str], Callable[[Item, str], bool]]


def live(client: httpx.Client) -> Item:
    return environment(client, "example-application", "live")


def first(client: httpx.Client, path: str, **params: str) -> Item:
    item: Item = client.get(path, params=params).json()["results"][0]
    return item


def sib_backup(client: httpx.Client) -> str:
    return first(client, "/apps/v3/backups/", environment=live(client)["uuid"])["uuid"]


def a_download(client: httpx.Client) -> str:
    backup = client.get(f"/apps/v3/backups/{sib_backup(client)}/").json()
    usable = [
        uuid
        for uuid in backup["service_instance_backups"]
        if not client.get(f"/apps/v3/service-instance-backups/{uuid}/").json()["errors"]
    ]
    body = {"backup": backup["uuid"], "service_instance_backups": usable}
    return str(client.post("/apps/v3/backup-downloads/", json=body).json()["uuid"])


def in_application(client: httpx.Client, value: str) -> Callable[[Item, str], bool]:
    environments = {
        e["uuid"] for e in everything(client, "/apps/v3/environments/", application=value)
    }
    return lambda item, _: item["environment"] in environments


CHECKS: dict[tuple[str, str], Check] = {
    ("/apps/v3/applications/", "slug"): (lambda c: "shop-backend", lambda i, v: i["slug"] == v),
    ("/apps/v3/applications/", "name_search"): (
        lambda c: "PORTAL",
        lambda i, v: "portal" in i["name"].lower(),
    ),
    ("/apps/v3/applications/", "organisation"): (
        lambda c: first(c, "/iam/v3/organisations/")["uuid"],
        lambda i, v: i["organisation"] == v,
    ),
    ("/apps/v3/environments/", "application"): (
        lambda c: live(c)["application"],
        lambda i, v: i["application"] == v,
    ),
    ("/apps/v3/environments/", "slug"): (lambda c: "feature-x", lambda i, v: i["slug"] == v),
    ("/apps/v3/backups/", "environment"): (
        lambda c: live(c)["uuid"],
        lambda i, v: i["environment"] == v,
    ),
    ("/apps/v3/service-instance-backups/", "backup"): (sib_backup, lambda i, v: i["backup"] == v),
    ("/apps/v3/service-instance-backups/", "service_instance"): (
        lambda c: first(c, "/apps/v3/service-instances/", environment=live(c)["uuid"])["uuid"],
        lambda i, v: i["service_instance"] == v,
    ),
    ("/apps/v3/service-instances/", "environment"): (
        lambda c: live(c)["uuid"],
        lambda i, v: i["environment"] == v,
    ),
    ("/apps/v3/deployments/", "environment"): (
        lambda c: live(c)["uuid"],
        lambda i, v: i["environment"] == v,
    ),
    ("/apps/v3/environment-variables/", "environment"): (
        lambda c: live(c)["uuid"],
        lambda i, v: i["environment"] == v,
    ),
    ("/apps/v3/environment-variables/", "name"): (lambda c: "DEBUG", lambda i, v: i["name"] == v),
    ("/apps/v3/application-activities/", "application"): (
        lambda c: live(c)["application"],
        lambda i, v: i["application"] == v,
    ),
    ("/apps/v3/application-activities/", "organisation"): (
        lambda c: first(c, "/iam/v3/organisations/")["uuid"],
        lambda i, v: i["organisation"] == v,
    ),
    ("/apps/v3/application-activities/", "type"): (lambda c: "backup", lambda i, v: i["type"] == v),
    ("/apps/v3/application-activities/", "user_name"): (
        lambda c: "Former Colleague",
        lambda i, v: i["user_name"] == v,
    ),
    ("/apps/v3/regions/", "uuid"): (
        lambda c: first(c, "/apps/v3/regions/")["uuid"],
        lambda i, v: i["uuid"] == v,
    ),
    ("/apps/v3/services/", "region"): (
        lambda c: first(c, "/apps/v3/regions/")["uuid"],
        lambda i, v: True,
    ),
    ("/apps/v3/invoices/", "organisation"): (
        lambda c: first(c, "/iam/v3/organisations/")["uuid"],
        lambda i, v: True,
    ),
    ("/apps/v3/backup-download-service-instances/", "backup"): (a_download, lambda i, v: True),
}
#: Filters whose check needs the filter value to build the predicate.
DEPENDENT = {
    ("/apps/v3/backups/", "application"),
    ("/apps/v3/deployments/", "application"),
    ("/apps/v3/environment-variables/", "application"),
    ("/apps/v3/services/", "website"),
}
#: Alice has one organisation, and the sandbox one backup download: these cannot narrow.
CANNOT_NARROW = {
    ("/apps/v3/applications/", "organisation"),
    ("/apps/v3/application-activities/", "organisation"),
    ("/apps/v3/invoices/", "organisation"),
    ("/apps/v3/backup-download-service-instances/", "backup"),
}
NOT_FILTERS = {"page", "page_size", "avatar_size", "from_ts", "to_ts"}


def declared_filters() -> set[tuple[str, str]]:
    return {
        (path, p["name"])
        for path, operations in SPEC["paths"].items()
        for p in operations.get("get", {}).get("parameters", [])
        if p["in"] == "query" and p["name"] not in NOT_FILTERS
    }


def test_every_declared_filter_is_tested() -> None:
    assert declared_filters() == set(CHECKS) | DEPENDENT


@pytest.mark.parametrize(("path", "name"), sorted(CHECKS))
def test_filter_narrows_the_list(alice: httpx.Client, path: str, name: str) -> None:
    client = alice
    pick, holds = CHECKS[(path, name)]
    value = pick(client)
    params = {}
    if "variables" in path:  # this list needs an application or an environment
        env = live(client)
        params = (
            {"application": env["application"]} if name != "name" else {"environment": env["uuid"]}
        )
    unfiltered = client.get(path, params=params).json()["count"]
    items = everything(client, path, **params, **{name: value})
    assert items
    assert all(holds(item, value) for item in items)
    if (path, name) not in CANNOT_NARROW:
        assert len(items) < unfiltered
    assert (
        client.get(path, params={**params, name: "nothingmatchesthisvalue2a"}).json()["count"] == 0
    )


@pytest.mark.parametrize(
    "path", ["/apps/v3/backups/", "/apps/v3/deployments/", "/apps/v3/environment-variables/"]
)
def test_application_filters_keep_only_that_applications_objects(
    alice: httpx.Client, path: str
) -> None:
    for slug in ("example-application", "fresh-application"):
        app = one(alice, "/apps/v3/applications/", slug=slug)["uuid"]
        holds = in_application(alice, app)
        items = everything(alice, path, application=app)
        assert items
        assert all(holds(item, app) for item in items)


def test_website_filter_lists_the_services_of_the_applications_region(alice: httpx.Client) -> None:
    app = one(alice, "/apps/v3/applications/", slug="example-application")["uuid"]
    services = everything(alice, "/apps/v3/services/", website=app)
    assert len(services) == 5
    assert len(everything(alice, "/apps/v3/services/")) == 15


def test_repeated_uuid_filter_selects_several_regions(alice: httpx.Client) -> None:
    regions = everything(alice, "/apps/v3/regions/")
    wanted = [regions[0]["uuid"], regions[2]["uuid"]]
    found = alice.get("/apps/v3/regions/", params={"uuid": wanted}).json()["results"]
    assert sorted(r["uuid"] for r in found) == sorted(wanted)


def test_repeated_environment_filter_selects_several_environments(alice: httpx.Client) -> None:
    test, live_env = (environment(alice, "example-application", slug) for slug in ("test", "live"))
    params = {"environment": [test["uuid"], live_env["uuid"]]}
    found = everything(alice, "/apps/v3/environment-variables/", **params)
    assert {v["environment"] for v in found} == {test["uuid"], live_env["uuid"]}


def test_unknown_parameters_are_ignored(alice: httpx.Client) -> None:
    plain = alice.get("/apps/v3/backups/").json()
    assert (
        alice.get("/apps/v3/backups/", params={"colour": "blue"}).json()["count"] == plain["count"]
    )


def test_environment_variables_need_an_application_or_environment(alice: httpx.Client) -> None:
    response = alice.get("/apps/v3/environment-variables/")
    assert response.status_code == 400


UNCONFIRMED = [
    ("/apps/v3/backups/", "environment", lambda c: live(c)["uuid"]),
    ("/apps/v3/backups/", "application", lambda c: live(c)["application"]),
    ("/apps/v3/service-instance-backups/", "backup", sib_backup),
    (
        "/apps/v3/service-instance-backups/",
        "service_instance",
        lambda c: first(c, "/apps/v3/service-instances/", environment=live(c)["uuid"])["uuid"],
    ),
]


@pytest.mark.parametrize(("path", "name", "pick"), UNCONFIRMED)
def test_ignore_filters_mode_ignores_exactly_the_unconfirmed_filters(
    path: str, name: str, pick: Callable[[httpx.Client], str]
) -> None:
    with Sandbox(seed=0, ignore_filters=True) as sb, client_for(sb) as client:
        value = pick(client)
        everything_count = client.get(path).json()["count"]
        assert client.get(path, params={name: value}).json()["count"] == everything_count
        confirmed = client.get("/apps/v3/environments/", params={"slug": "feature-x"}).json()
        assert confirmed["count"] == 1
        sb.configure(ignore_filters=False)
        assert client.get(path, params={name: value}).json()["count"] < everything_count
