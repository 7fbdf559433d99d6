"""Same seed, same requests: byte-identical responses (apart from the sandbox's own address)."""

import httpx

from divio_sandbox import Sandbox
from tests.sandbox.conftest import client_for, environment

PATHS = [
    "/apps/v3/applications/",
    "/apps/v3/environments/?page=2",
    "/apps/v3/backups/?page=3&page_size=50",
    "/apps/v3/service-instance-backups/?page=7",
    "/apps/v3/deployments/",
    "/apps/v3/application-activities/",
    "/iam/v3/me/",
]


def responses(sb: Sandbox) -> list[bytes]:
    with client_for(sb) as client:
        live = environment(client, "example-application", "live")
        bodies = [client.get(path).content for path in PATHS]
        services = client.get("/apps/v3/service-instances/", params={"environment": live["uuid"]})
        created = client.post(
            "/apps/v3/backups/",
            json={"environment": live["uuid"], "services": [services.json()["results"][0]["uuid"]]},
        )
        bodies.append(created.content)
        sb.clock.advance(30)
        bodies.append(client.get(f"/apps/v3/backups/{created.json()['uuid']}/").content)
    return [body.replace(sb.url.encode(), b"SANDBOX") for body in bodies]


def test_two_sandboxes_with_one_seed_answer_identically() -> None:
    with Sandbox(seed=7) as first, Sandbox(seed=7) as second:
        assert first.url != second.url
        assert first.tokens == second.tokens
        assert responses(first) == responses(second)


def test_another_seed_gives_other_ids() -> None:
    with Sandbox(seed=1) as one, Sandbox(seed=2) as two:
        assert one.tokens != two.tokens
        with client_for(one) as a, client_for(two) as b:
            first, second = a.get("/iam/v3/me/").json(), b.get("/iam/v3/me/").json()
    assert first["uuid"] != second["uuid"]
    assert first["email"] == second["email"]


def test_the_real_clock_starts_at_the_same_epoch_as_the_fixed_one() -> None:
    with Sandbox(seed=0, clock="real") as real, Sandbox(seed=0) as fixed:
        with client_for(real) as a, client_for(fixed) as b:
            path = "/apps/v3/backups/?page=2"
            assert a.get(path).json() == b.get(path).json() | {
                "next": a.get(path).json()["next"],
                "previous": a.get(path).json()["previous"],
            }
        assert httpx.get(f"{real.url}/_sandbox/clock").json()["mode"] == "real"
