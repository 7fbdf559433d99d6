"""Long-running work progresses with the sandbox clock, never by itself under a fixed clock."""

from typing import Any
from unittest.mock import ANY

import httpx

from divio_sandbox import Sandbox
from tests.sandbox.conftest import assert_conforms, client_for, environment, everything


def raw_bytes(url: str) -> bytes:
    """The bytes as sent (a storage archive comes with ``Content-Encoding: gzip``)."""
    with httpx.stream("GET", url) as response:
        return b"".join(response.iter_raw())


def instances(client: httpx.Client, env: dict[str, Any]) -> list[str]:
    items = everything(client, "/apps/v3/service-instances/", environment=env["uuid"])
    return [i["uuid"] for i in items]


def test_a_created_backup_is_queued_then_runs_then_completes(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    live = environment(client, "example-application", "live")
    body = {"environment": live["uuid"], "services": instances(client, live), "notes": "test"}
    created = client.post("/apps/v3/backups/", json=body)
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/backups/")
    backup = created.json()
    assert (backup["state"], backup["success"]) == ("WORKING", None)
    url = f"/apps/v3/backups/{backup['uuid']}/"
    first_part = f"/apps/v3/service-instance-backups/{backup['service_instance_backups'][0]}/"
    queued = client.get(first_part).json()
    assert queued["started_at"] is None
    assert queued["ended_at"] is None
    divio_sandbox.clock.advance(3)
    running = client.get(first_part).json()
    assert running["started_at"] is not None
    assert running["ended_at"] is None
    assert client.get(url).json()["state"] == "WORKING"
    divio_sandbox.clock.advance(60)
    done = client.get(url).json()
    assert (done["state"], done["success"]) == ("COMPLETED", "SUCCESS")
    part = client.get(first_part).json()
    assert part["size"] > 0
    assert part["errors"] == []
    assert part["taken_at"] is not None
    assert_conforms(client.get(first_part), "GET", "/apps/v3/service-instance-backups/{uuid}/")


def test_nothing_moves_while_the_fixed_clock_stands_still(client: httpx.Client) -> None:
    live = environment(client, "fresh-application", "live")
    backup = client.post(
        "/apps/v3/backups/", json={"environment": live["uuid"], "services": instances(client, live)}
    ).json()
    assert client.get(f"/apps/v3/backups/{backup['uuid']}/").json() == backup


def test_failure_rate_makes_created_work_fail(divio_sandbox: Sandbox, client: httpx.Client) -> None:
    divio_sandbox.configure(failure_rate=1.0)
    live = environment(client, "example-application", "live")
    services = instances(client, live)
    single = client.post(
        "/apps/v3/backups/", json={"environment": live["uuid"], "services": services[:1]}
    )
    several = client.post(
        "/apps/v3/backups/", json={"environment": live["uuid"], "services": services}
    )
    deployment = client.post("/apps/v3/deployments/", json={"environment": live["uuid"]})
    divio_sandbox.clock.advance(120)
    assert client.get(f"/apps/v3/backups/{single.json()['uuid']}/").json()["success"] == "FAILURE"
    assert client.get(f"/apps/v3/backups/{several.json()['uuid']}/").json()["success"] == "PARTIAL"
    finished = client.get(f"/apps/v3/deployments/{deployment.json()['uuid']}/").json()
    assert (finished["success"], finished["status"]) == (False, "failure")


def test_a_deployment_runs_and_finishes(divio_sandbox: Sandbox, client: httpx.Client) -> None:
    env = environment(client, "fresh-application", "test")
    assert env["last_finished_deployment"] is None
    created = client.post("/apps/v3/deployments/", json={"environment": env["uuid"]})
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/deployments/")
    assert created.json() == {"uuid": ANY, "environment": env["uuid"], "build_mode": "AUTO"}
    url = f"/apps/v3/deployments/{created.json()['uuid']}/"
    statuses = []
    for _ in range(4):
        deployment = client.get(url).json()
        assert (deployment["ended_at"], deployment["success"]) == (None, None)
        assert deployment["is_usable"] is False
        assert "percent" not in deployment
        statuses.append(deployment["status"])
        divio_sandbox.clock.advance(4)
    assert statuses == ["queued", "building", "building", "deploying"]
    divio_sandbox.clock.advance(10)
    finished = client.get(url).json()
    assert (finished["status"], finished["success"], finished["is_usable"]) == ("done", True, True)
    assert finished["ended_at"] is not None
    regions = client.get("/apps/v3/regions/").json()["results"]
    assert finished["region"] in {region["uuid"] for region in regions}
    refreshed = client.get(f"/apps/v3/environments/{env['uuid']}/").json()
    assert refreshed["last_finished_deployment"] == {"uuid": finished["uuid"]}
    assert env["pending_commits_lookup"] is None
    assert refreshed["pending_commits_lookup"].endswith(f"..{env['branch']}")
    logs = client.get(f"{url}logs/").json()
    assert logs["logs"].endswith("Deployment succeeded.\n")
    variables = client.get(f"{url}environment-variables/").json()
    assert variables["environment_variables"]["SECRET_KEY"] is None


def test_a_backup_download_becomes_ready_with_a_url_served_without_auth(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    live = environment(client, "example-application", "live")
    backup = client.post(
        "/apps/v3/backups/", json={"environment": live["uuid"], "services": instances(client, live)}
    ).json()
    refused = client.post(
        "/apps/v3/backup-downloads/",
        json={
            "backup": backup["uuid"],
            "service_instance_backups": backup["service_instance_backups"],
        },
    )
    assert refused.status_code == 400  # still running
    divio_sandbox.clock.advance(60)
    created = client.post(
        "/apps/v3/backup-downloads/",
        json={
            "backup": backup["uuid"],
            "service_instance_backups": backup["service_instance_backups"],
            "trigger": "PULL",
        },
    )
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/backup-downloads/")
    items = everything(
        client, "/apps/v3/backup-download-service-instances/", backup=created.json()["uuid"]
    )
    assert len(items) == 3
    assert all(item["download_url"] is None and item["ended_at"] is None for item in items)
    divio_sandbox.clock.advance(10)
    ready = [
        client.get(f"/apps/v3/backup-download-service-instances/{i['uuid']}/").json() for i in items
    ]
    assert all(item["ended_at"] and item["errors"] == [] for item in ready)
    contents = {raw_bytes(item["download_url"])[:5] for item in ready}
    assert b"PGDMP" in contents
    assert b"\x1f\x8b\x08\x00\x00" in contents  # the storage archive is gzipped
    assert all(
        item["download_url"].startswith(f"{divio_sandbox.url}/_sandbox/downloads/")
        for item in ready
    )


def test_a_restore_finishes(divio_sandbox: Sandbox, client: httpx.Client) -> None:
    live = environment(client, "example-application", "live")
    backup = client.post(
        "/apps/v3/backups/",
        json={"environment": live["uuid"], "services": instances(client, live)[:1]},
    ).json()
    divio_sandbox.clock.advance(60)
    body = {
        "backup": backup["uuid"],
        "service_instance_restores": [
            {"service_instance_backup": backup["service_instance_backups"][0]}
        ],
    }
    created = client.post("/apps/v3/backup-restores/", json=body)
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/backup-restores/")
    assert (created.json()["finished"], created.json()["success"]) == (False, None)
    divio_sandbox.clock.advance(30)
    restore = client.get(f"/apps/v3/backup-restores/{created.json()['uuid']}/").json()
    assert (restore["finished"], restore["success"]) == (True, "SUCCESS")


def test_an_uploaded_backup_completes_after_put_and_finish(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    live = environment(client, "example-application", "live")
    database = instances(client, live)[0]
    created = client.post(
        "/apps/v3/backups/upload/", json={"environment": live["uuid"], "services": [database]}
    )
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/backups/upload/")
    target = created.json()["results"][database]
    assert target["handler"] == "exo-presigned-v1"
    assert target["upload_parameters"]["http_method"] == "PUT"
    assert httpx.put(target["upload_parameters"]["url"], content=b"dump bytes").status_code == 200
    divio_sandbox.clock.advance(60)
    url = f"/apps/v3/backups/{created.json()['uuid']}/"
    assert client.get(url).json()["state"] == "WORKING"  # waits for the finish call
    assert httpx.post(target["finish_url"]).status_code == 200
    divio_sandbox.clock.advance(10)
    backup = client.get(url).json()
    assert (backup["state"], backup["success"]) == ("COMPLETED", "SUCCESS")
    part = client.get(f"/apps/v3/service-instance-backups/{backup['service_instance_backups'][0]}/")
    assert part.json()["size"] == len(b"dump bytes")


def test_a_repository_clones_after_its_first_check(
    divio_sandbox: Sandbox, client: httpx.Client
) -> None:
    org = client.get("/iam/v3/organisations/").json()["results"][0]["uuid"]
    created = client.post(
        "/apps/v3/repositories/",
        json={"organisation": org, "url": "git@github.com:example/new.git", "key_type": "ED25519"},
    )
    assert created.status_code == 201
    assert_conforms(created, "POST", "/apps/v3/repositories/")
    repo = created.json()
    assert repo["auth_info"].startswith("ssh-ed25519 ")
    assert repo["state"] is None
    check = client.post(f"/apps/v3/repositories/{repo['uuid']}/check/", json={"branch": "main"})
    assert check.json() == {"code": "success"}
    assert client.get(f"/apps/v3/repositories/{repo['uuid']}/").json()["state"] == "CLONING"
    divio_sandbox.clock.advance(15)
    assert client.get(f"/apps/v3/repositories/{repo['uuid']}/").json()["state"] == "CLONED"


def test_an_environment_copy_gets_services_and_a_new_branch(client: httpx.Client) -> None:
    live = environment(client, "example-application", "live")
    copied = client.post(
        f"/apps/v3/environments/{live['uuid']}/copy/", json={"new_slug": "feature-y"}
    )
    assert copied.status_code == 201
    assert_conforms(copied, "POST", "/apps/v3/environments/{uuid}/copy/")
    new = copied.json()
    assert new["slug"] == "feature-y"
    assert len(instances(client, new)) == 3
    again = client.post(
        f"/apps/v3/environments/{live['uuid']}/copy/", json={"new_slug": "feature-y"}
    )
    assert again.status_code == 400
    patched = client.patch(f"/apps/v3/environments/{new['uuid']}/", json={"branch": "feature/y"})
    assert patched.json()["branch"] == "feature/y"


def test_runtime_logs_can_be_tailed_and_walked_back(shared: Sandbox) -> None:
    with client_for(shared) as client:
        live = environment(client, "example-application", "live")
        url = f"/apps/v3/environments/{live['uuid']}/logs/"
        newest = client.get(url, params={"page_size": 5}).json()
        assert len(newest["results"]) == 5
        assert_conforms(client.get(url), "GET", "/apps/v3/environments/{uuid}/logs/")
        tail = client.get(newest["next"]).json()
        assert tail["results"] == []
        assert tail["next"] == newest["next"]  # a tail re-asks until something new is logged
        older = client.get(newest["previous"]).json()
        assert older["results"][-1]["timestamp"] < newest["results"][0]["timestamp"]
        assert len(older["results"]) == 5
