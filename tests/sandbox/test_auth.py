"""Token authentication and organisation visibility, as DRF's TokenAuthentication does them."""

import httpx
import pytest

from divio_sandbox import Sandbox
from tests.sandbox.conftest import client_for, environment, everything, one

NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}


def test_missing_token_is_a_401_with_the_token_challenge(shared: Sandbox) -> None:
    response = httpx.get(f"{shared.url}/apps/v3/backups/")
    assert response.status_code == 401
    assert response.json() == NOT_PROVIDED
    assert response.headers["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token not-a-real-token", "Invalid token."),
        ("Token", "Invalid token header. No credentials provided."),
        ("Token a b", "Invalid token header. Token string should not contain spaces."),
    ],
)
def test_bad_token_headers_get_drfs_messages(shared: Sandbox, header: str, detail: str) -> None:
    response = httpx.get(f"{shared.url}/iam/v3/me/", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["WWW-Authenticate"] == "Token"


def test_another_scheme_counts_as_no_credentials(shared: Sandbox) -> None:
    headers = {"Authorization": f"Bearer {shared.tokens['alice']}"}
    response = httpx.get(f"{shared.url}/iam/v3/me/", headers=headers)
    assert (response.status_code, response.json()) == (401, NOT_PROVIDED)


def test_the_api_root_needs_no_token_and_links_absolutely(shared: Sandbox) -> None:
    response = httpx.get(f"{shared.url}/apps/v3/")
    assert response.status_code == 200
    assert response.json()["applications"] == f"{shared.url}/apps/v3/applications/"


def test_an_invalid_token_is_refused_even_on_the_root(shared: Sandbox) -> None:
    response = httpx.get(f"{shared.url}/apps/v3/", headers={"Authorization": "Token nope"})
    assert response.status_code == 401


def test_authentication_comes_before_the_method_check(shared: Sandbox) -> None:
    assert httpx.delete(f"{shared.url}/apps/v3/backups/").status_code == 401


def test_tokens_identify_their_users(alice: httpx.Client, mallory: httpx.Client) -> None:
    assert alice.get("/iam/v3/me/").json()["email"] == "alice@example.com"
    assert mallory.get("/iam/v3/me/").json()["email"] == "mallory@example.net"


def test_mallory_cannot_see_alices_application(alice: httpx.Client, mallory: httpx.Client) -> None:
    app = one(alice, "/apps/v3/applications/", slug="example-application")
    response = mallory.get(f"/apps/v3/applications/{app['uuid']}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Application matches the given query."}
    assert mallory.get("/apps/v3/applications/", params={"slug": app["slug"]}).json()["count"] == 0


def test_mallory_sees_only_her_organisations_objects(mallory: httpx.Client) -> None:
    slugs = {app["slug"] for app in everything(mallory, "/apps/v3/applications/")}
    assert slugs == {"other-application", "mallory-tools"}
    orgs = everything(mallory, "/iam/v3/organisations/")
    assert len(orgs) == 1
    mine = {env["uuid"] for env in everything(mallory, "/apps/v3/environments/")}
    backups = everything(mallory, "/apps/v3/backups/")
    assert backups
    assert {backup["environment"] for backup in backups} <= mine


def test_alice_cannot_see_other_application(alice: httpx.Client) -> None:
    assert (
        alice.get("/apps/v3/applications/", params={"slug": "other-application"}).json()["count"]
        == 0
    )


def test_filtering_by_someone_elses_object_finds_nothing(
    alice: httpx.Client, mallory: httpx.Client
) -> None:
    live = environment(alice, "example-application", "live")
    response = mallory.get("/apps/v3/backups/", params={"environment": live["uuid"]})
    assert response.json()["count"] == 0


def test_mallory_cannot_back_up_alices_environment(
    alice: httpx.Client, mallory: httpx.Client
) -> None:
    live = environment(alice, "example-application", "live")
    services = alice.get("/apps/v3/service-instances/", params={"environment": live["uuid"]})
    body = {"environment": live["uuid"], "services": [services.json()["results"][0]["uuid"]]}
    response = mallory.post("/apps/v3/backups/", json=body)
    assert response.status_code == 400
    assert response.json()["environment"] == [f"Object with uuid={live['uuid']} does not exist."]


def test_a_read_only_member_reads_everything_but_every_write_is_a_403(shared: Sandbox) -> None:
    """DRF checks permissions after authentication and before the method's handler."""
    with client_for(shared, "alice") as alice, client_for(shared, "victor") as victor:
        live = environment(alice, "example-application", "live")
        assert victor.get(f"/apps/v3/environments/{live['uuid']}/").json() == live
        attempts = [
            victor.post("/apps/v3/backups/", json={"environment": live["uuid"], "services": []}),
            victor.patch(f"/apps/v3/environments/{live['uuid']}/", json={"branch": "x"}),
            victor.delete(f"/apps/v3/environments/{live['uuid']}/"),
        ]
    for response in attempts:
        assert response.status_code == 403
        assert response.json() == {"detail": "You do not have permission to perform this action."}
