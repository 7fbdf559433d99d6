"""Latency, chaos and the control endpoints: the faults clients must survive, at the set rate."""

import json
import time
from collections import Counter

import anyio
import httpx
import pytest

from divio_sandbox import Sandbox
from tests.sandbox.conftest import client_for

REQUESTS = 400


def outcome(client: httpx.Client) -> str:
    try:
        response = client.get("/apps/v3/regions/")
    except httpx.RemoteProtocolError:
        return "drop"
    return str(response.status_code)


def test_chaos_answers_the_configured_fraction_with_every_kind_of_fault() -> None:
    with Sandbox(seed=0, chaos=0.25, slow_seconds=0.01) as sb, client_for(sb) as client:
        seen = Counter(outcome(client) for _ in range(REQUESTS))
        faults = sb.stats()["faults"]
    assert set(faults) == {"429", "502", "503", "drop", "slow"}
    assert 0.18 * REQUESTS < sum(faults.values()) < 0.32 * REQUESTS
    assert seen["429"] == faults["429"]
    assert seen["502"] == faults["502"]
    assert seen["503"] == faults["503"]
    assert seen["drop"] == faults["drop"]
    assert seen["200"] == REQUESTS - sum(faults.values()) + faults["slow"]


def test_fault_responses_look_like_the_real_thing() -> None:
    with Sandbox(seed=0, chaos=1.0, faults=("429",), retry_after=3) as sb, client_for(sb) as c:
        throttled = c.get("/apps/v3/regions/")
        assert throttled.status_code == 429
        assert throttled.headers["Retry-After"] == "3"
        assert throttled.json() == {
            "detail": "Request was throttled. Expected available in 3 seconds."
        }
        sb.configure(faults=("502",))
        gateway = c.get("/apps/v3/regions/")
        assert (gateway.status_code, gateway.headers["content-type"]) == (
            502,
            "text/html; charset=utf-8",
        )
        sb.configure(faults=("drop",))
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/apps/v3/regions/")
        sb.configure(chaos=0.0)
        assert c.get("/apps/v3/regions/").status_code == 200


def test_control_endpoints_are_never_faulty() -> None:
    with Sandbox(seed=0, chaos=1.0, faults=("503",)) as sb:
        assert httpx.get(f"{sb.url}/_sandbox/stats").status_code == 200


def test_bad_settings_are_refused() -> None:
    with Sandbox(seed=0) as sb:
        with pytest.raises(ValueError, match="chaos"):
            sb.configure(chaos=2)
        with pytest.raises(ValueError, match="unknown"):
            sb.configure(colour="blue")
        response = httpx.post(f"{sb.url}/_sandbox/configure", json={"latency": -1})
        assert response.status_code == 400


def test_stats_count_requests_per_operation() -> None:
    with Sandbox(seed=0) as sb, client_for(sb) as client:
        for _ in range(3):
            client.get("/apps/v3/regions/")
        client.get("/apps/v3/backups/bagztldeadfdhlilnmpzx3twly/")
        stats = sb.stats()
        assert stats["total"] == 4
        assert stats["requests"] == {
            "GET /apps/v3/regions/": 3,
            "GET /apps/v3/backups/{uuid}/": 1,
        }
        sb.reset_stats()
        assert sb.stats()["total"] == 0


def test_reset_returns_to_the_state_right_after_start(divio_sandbox: Sandbox) -> None:
    with client_for(divio_sandbox) as client:
        env = client.get("/apps/v3/environments/", params={"slug": "feature-x"}).json()
        before = client.get("/apps/v3/deployments/").json()["count"]
        client.post("/apps/v3/deployments/", json={"environment": env["results"][0]["uuid"]})
        divio_sandbox.clock.advance(3600)
        divio_sandbox.configure(latency=0.01)
        divio_sandbox.reset()
        assert client.get("/apps/v3/deployments/").json()["count"] == before
    assert divio_sandbox.clock.now().isoformat() == "2026-06-01T12:00:00+00:00"
    assert divio_sandbox.configure()["latency"] == 0.0
    assert divio_sandbox.stats()["requests"] == {"GET /apps/v3/deployments/": 1}  # the one after


@pytest.mark.parametrize("subprocess", [False, True], ids=["in-process", "subprocess"])
def test_latency_delays_every_api_request_by_at_least_the_set_time(subprocess: bool) -> None:
    # Every latency figure of the benchmark rests on this knob; this checks that it acts (a
    # lower bound on sequential requests), not how fast anything is.
    latency, requests = 0.05, 4
    with Sandbox(seed=0, latency=latency, subprocess=subprocess) as sb, client_for(sb) as c:
        c.get("/apps/v3/regions/")  # the connection is open before timing starts
        started = time.monotonic()
        for _ in range(requests):
            c.get("/apps/v3/regions/")
        assert time.monotonic() - started >= requests * latency
        sb.configure(latency=2 * latency)
        started = time.monotonic()
        for _ in range(requests):
            c.get("/apps/v3/regions/")
        assert time.monotonic() - started >= requests * 2 * latency


@pytest.mark.anyio
async def test_concurrent_requests_are_served_in_parallel() -> None:
    """With 0.5 s latency, 40 requests one after another would take 20 s."""
    results: list[int] = []
    with Sandbox(seed=0, latency=0.5) as sb:
        headers = {"Authorization": f"Token {sb.tokens['alice']}"}
        limits = httpx.Limits(max_connections=40)
        async with httpx.AsyncClient(base_url=sb.url, headers=headers, limits=limits) as client:

            async def fetch(page: int) -> None:
                response = await client.get("/apps/v3/backups/", params={"page": page})
                results.append(response.status_code)

            started = time.monotonic()
            async with anyio.create_task_group() as group:
                for page in range(1, 41):
                    group.start_soon(fetch, page % 20 + 1)
            elapsed = time.monotonic() - started
        assert sb.stats()["total"] == 40
    assert results == [200] * 40
    assert elapsed < 10


def test_many_threads_can_create_objects_at_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with Sandbox(seed=0) as sb:
        with client_for(sb) as client:
            env = client.get("/apps/v3/environments/", params={"slug": "feature-x"}).json()

        def deploy(_: int) -> int:
            with client_for(sb) as own:
                return own.post(
                    "/apps/v3/deployments/", json={"environment": env["results"][0]["uuid"]}
                ).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            codes = list(pool.map(deploy, range(32)))
        assert codes == [201] * 32
        with client_for(sb) as client:
            listed = client.get(
                "/apps/v3/deployments/", params={"environment": env["results"][0]["uuid"]}
            ).json()
        assert listed["count"] >= 32


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/_sandbox/clock/advance", b'{"seconds": NaN}'),
        ("/_sandbox/clock/advance", b'{"seconds": Infinity}'),
        ("/_sandbox/clock/advance", b'{"seconds": 1e300}'),
        ("/_sandbox/configure", b'{"latency": Infinity}'),
        ("/_sandbox/configure", b'{"latency": 1e300}'),
        ("/_sandbox/configure", b'{"retry_after": 1e300}'),
        ("/_sandbox/configure", b'{"slow_seconds": NaN}'),
    ],
)
def test_absurd_control_values_are_refused_before_anything_changes(path: str, body: bytes) -> None:
    with Sandbox(seed=0) as sb, client_for(sb) as client:
        before = httpx.get(f"{sb.url}/_sandbox/").json()
        refused = httpx.post(
            f"{sb.url}{path}", content=body, headers={"Content-Type": "application/json"}
        )
        assert refused.status_code == 400
        assert httpx.get(f"{sb.url}/_sandbox/").json() == before
        assert client.get("/apps/v3/regions/").status_code == 200


#: The control endpoints that change state, each with a body it accepts.
CHANGES = {
    "/_sandbox/configure": {"latency": 0.5},
    "/_sandbox/reset": {},
    "/_sandbox/clock/advance": {"seconds": 60},
    "/_sandbox/stats/reset": {},
}


@pytest.mark.parametrize("path", CHANGES)
def test_control_changes_need_a_json_content_type(path: str) -> None:
    # A cross-origin page can POST text/plain without a CORS preflight, but not JSON.
    with Sandbox(seed=0) as sb:
        sb.clock.advance(30)  # so that a reset would show
        before = httpx.get(f"{sb.url}/_sandbox/").json()
        for headers in ({"Content-Type": "text/plain"}, {}):
            answer = httpx.post(
                f"{sb.url}{path}", content=json.dumps(CHANGES[path]), headers=headers
            )
            assert answer.status_code == 415
        assert httpx.get(f"{sb.url}/_sandbox/").json() == before


@pytest.mark.parametrize("path", ["/_sandbox/", "/_sandbox/stats", *CHANGES])
def test_control_endpoints_answer_only_a_loopback_host(path: str) -> None:
    # A DNS-rebinding page reaches 127.0.0.1 under its own name, which it sends as Host.
    with Sandbox(seed=0) as sb:
        method = "GET" if path in ("/_sandbox/", "/_sandbox/stats") else "POST"
        body = CHANGES.get(path)
        rebound = httpx.request(
            method, f"{sb.url}{path}", json=body, headers={"Host": "attacker.example:80"}
        )
        assert rebound.status_code == 403
        for host in ("localhost", f"127.0.0.1:{sb.url.rsplit(':', 1)[1]}", "[::1]:8000"):
            answer = httpx.request(method, f"{sb.url}{path}", json=body, headers={"Host": host})
            assert answer.status_code == 200, host
