"""The seeded scenario other tests rely on (the shared contract), and identifier shapes."""

import re
from typing import Any

import httpx

from divio_sandbox.seed import build_store
from tests.sandbox.conftest import environment, everything, one

ID = re.compile(r"^[a-z2-7]{25}[aeimquy4]$")


def instances(client: httpx.Client, env: dict[str, Any]) -> dict[tuple[str, str], str]:
    items = everything(client, "/apps/v3/service-instances/", environment=env["uuid"])
    return {(item["type"], item["prefix"]): item["uuid"] for item in items}


def history(client: httpx.Client, env: dict[str, Any]) -> list[dict[str, Any]]:
    """The environment's backups, newest first, each with its service-instance backups."""
    backups = everything(client, "/apps/v3/backups/", environment=env["uuid"])
    sibs = {
        sib["uuid"]: sib
        for instance in instances(client, env).values()
        for sib in everything(
            client, "/apps/v3/service-instance-backups/", service_instance=instance
        )
    }
    for backup in backups:
        backup["parts"] = [sibs[uuid] for uuid in backup["service_instance_backups"]]
    return sorted(backups, key=lambda b: b["parts"][0]["queued_at"], reverse=True)


def test_example_application_has_three_environments(alice: httpx.Client) -> None:
    app = one(alice, "/apps/v3/applications/", slug="example-application")
    envs = everything(alice, "/apps/v3/environments/", application=app["uuid"])
    assert sorted(env["slug"] for env in envs) == ["feature-x", "live", "test"]


def test_example_live_has_two_databases_and_storage(alice: httpx.Client) -> None:
    live = environment(alice, "example-application", "live")
    assert set(instances(alice, live)) == {
        ("DATABASE", "DEFAULT"),
        ("DATABASE", "ANALYTICS"),
        ("STORAGE", "DEFAULT"),
    }


def test_example_live_history_hides_the_latest_usable_backup_behind_failures(
    alice: httpx.Client,
) -> None:
    live = environment(alice, "example-application", "live")
    backups = history(alice, live)
    assert len(backups) > 100
    running, failed, partial, usable = backups[:4]
    assert (running["state"], running["success"]) == ("WORKING", None)
    assert (failed["state"], failed["success"]) == ("COMPLETED", "FAILURE")
    assert partial["success"] == "PARTIAL"
    assert all(part["errors"] for part in partial["parts"] if part["service_type"] == "DATABASE")
    assert usable["success"] == "SUCCESS"
    assert len(usable["parts"]) == 3
    assert usable["parts"][0]["taken_at"].startswith("2026-05-29T12:")  # three days old
    outcomes = {backup["success"] for backup in backups[4:]}
    assert outcomes == {"SUCCESS", "FAILURE", "PARTIAL"}


def test_fresh_application_has_no_usable_backup(alice: httpx.Client) -> None:
    test = environment(alice, "fresh-application", "test")
    assert instances(alice, test) == {}
    live = environment(alice, "fresh-application", "live")
    assert set(instances(alice, live)) == {("DATABASE", "DEFAULT")}
    backups = history(alice, live)
    assert backups
    assert {backup["success"] for backup in backups} == {"FAILURE", None}
    assert all(part["errors"] or part["ended_at"] is None for b in backups for part in b["parts"])


def test_fresh_test_environment_was_never_deployed(alice: httpx.Client) -> None:
    assert environment(alice, "fresh-application", "test")["last_finished_deployment"] is None


def test_other_application_belongs_to_mallory(mallory: httpx.Client) -> None:
    live = environment(mallory, "other-application", "live")
    assert set(instances(mallory, live)) == {("DATABASE", "DEFAULT"), ("STORAGE", "DEFAULT")}


def test_sensitive_variables_have_no_value(alice: httpx.Client) -> None:
    live = environment(alice, "example-application", "live")
    variables = everything(alice, "/apps/v3/environment-variables/", environment=live["uuid"])
    secret = next(v for v in variables if v["name"] == "SECRET_KEY")
    assert (secret["is_sensitive"], secret["value"]) == (True, None)
    debug = next(v for v in variables if v["name"] == "DEBUG")
    assert (debug["is_sensitive"], debug["value"]) == (False, "False")


def test_ids_look_like_divio_ids(alice: httpx.Client) -> None:
    backups = alice.get("/apps/v3/backups/").json()["results"]
    ids = [b["uuid"] for b in backups] + [b["environment"] for b in backups]
    assert all(ID.match(uuid) for uuid in ids), ids


def test_backups_size_sets_the_total_and_the_example_live_share() -> None:
    store = build_store(seed=0, backups=2000)
    assert len(store.backups) == 2000
    live = next(
        e
        for e in store.environments.rows.values()
        if e.slug == "live" and store.applications.rows[e.application].slug == "example-application"
    )
    assert len(store.backups.select({"environment": live.uuid})) == 400


def test_the_scenario_ids_do_not_depend_on_the_number_of_backups() -> None:
    small, large = build_store(seed=0, backups=50), build_store(seed=0, backups=900)
    assert small.applications.rows.keys() == large.applications.rows.keys()
    assert small.user_tokens == large.user_tokens
