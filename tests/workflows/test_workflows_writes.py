"""Workflows that start work and wait for it, on a sandbox whose clock the waiting advances."""

from __future__ import annotations

import httpx
import pytest
from reference import Reference

from divio_ext import AsyncDivioClient, DivioClient, errors
from divio_ext.core.errors import WorkFailed
from divio_ext.resources import bound_async
from divio_ext.resources.bound import Environment, application
from divio_ext.workflows import (
    PollPolicy,
    Progress,
    aio,
    backup_download_url,
    create_backup,
    deploy,
    latest_backup,
    latest_deployment,
    restore_backup,
)
from divio_sandbox import Sandbox
from divio_sandbox.waiting import SandboxTime


@pytest.fixture
def clock(divio_sandbox: Sandbox) -> SandboxTime:
    return SandboxTime(divio_sandbox.clock)


@pytest.fixture
def live(fresh_client: DivioClient) -> Environment:
    return application(fresh_client, "example-application").environment("live")


def test_create_backup_and_wait_returns_the_completed_backup(
    fresh_client: DivioClient,
    divio_sandbox: Sandbox,
    live: Environment,
    clock: SandboxTime,
) -> None:
    reports: list[Progress] = []
    made = create_backup(live, policy=PollPolicy(clock=clock), on_progress=reports.append)
    assert (made.state, made.success) == ("COMPLETED", "SUCCESS")
    assert [part.service_type for part in made.parts] == ["DATABASE"]
    assert reports[0].status.text == "WORKING"
    assert reports[-1].status.finished
    assert clock.slept, "it waited on the sandbox clock"
    # The new backup is now the latest usable one, by the brute-force definition too.
    expected = Reference(divio_sandbox.url, divio_sandbox.tokens["alice"]).latest_backup(
        "example-application", "live"
    )
    assert expected is not None
    assert expected["backup"] == made.uuid
    assert latest_backup(fresh_client, "example-application", "live").backup == made


def test_a_running_backup_is_not_the_answer_until_it_has_finished(
    fresh_client: DivioClient, divio_sandbox: Sandbox, live: Environment
) -> None:
    before = latest_backup(fresh_client, "example-application", "live")
    started = create_backup(live, wait=False)
    assert started.state == "WORKING"
    assert latest_backup(fresh_client, "example-application", "live") == before
    divio_sandbox.clock.advance(60)
    assert latest_backup(fresh_client, "example-application", "live").backup == started


def test_backing_up_every_service_of_the_environment(live: Environment, clock: SandboxTime) -> None:
    made = create_backup(live, None, notes="all of it", policy=PollPolicy(clock=clock))
    assert sorted(part.service_type or "" for part in made.parts) == [
        "DATABASE",
        "DATABASE",
        "STORAGE",
    ]
    assert made.notes == "all of it"


def test_a_failed_backup_raises_with_the_servers_messages(
    divio_sandbox: Sandbox, live: Environment, clock: SandboxTime
) -> None:
    divio_sandbox.configure(failure_rate=1.0)
    with pytest.raises(WorkFailed) as caught:
        create_backup(live, policy=PollPolicy(clock=clock))
    assert isinstance(caught.value, errors.OperationFailed)
    assert caught.value.outcome == "FAILURE"
    assert "DATABASE/DEFAULT: Backup failed: the service did not respond." in str(caught.value)


def test_a_failed_backups_messages_name_each_part_by_type_and_prefix(
    divio_sandbox: Sandbox, live: Environment, clock: SandboxTime
) -> None:
    """An environment may have two databases: a message naming the type alone would not say
    which of them failed."""
    assert sorted(f"{i.type}/{i.prefix}" for i in live.service_instances()) == [
        "DATABASE/ANALYTICS",
        "DATABASE/DEFAULT",
        "STORAGE/DEFAULT",
    ]
    divio_sandbox.configure(failure_rate=1.0)
    with pytest.raises(WorkFailed) as caught:
        create_backup(live, "DATABASE", "ANALYTICS", policy=PollPolicy(clock=clock))
    assert caught.value.messages == (
        "DATABASE/ANALYTICS: Backup failed: the service did not respond.",
    )


def test_a_failed_part_whose_service_instance_cannot_be_read_is_named_by_its_type(
    divio_sandbox: Sandbox, clock: SandboxTime
) -> None:
    """Naming the part is a courtesy: it must not hide the failure it reports."""
    real = httpx.Client(base_url=divio_sandbox.url)

    def without_instances(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/apps/v3/service-instances/") and request.url.path != (
            "/apps/v3/service-instances/"
        ):
            return httpx.Response(404, json={"detail": "Not found."})
        forwarded = real.send(
            real.build_request(
                request.method, request.url, headers=request.headers, content=request.content
            )
        )
        return httpx.Response(
            forwarded.status_code, headers=forwarded.headers, content=forwarded.content
        )

    divio_sandbox.configure(failure_rate=1.0)
    transport = httpx.MockTransport(without_instances)
    token = divio_sandbox.tokens["alice"]
    with real, DivioClient(token=token, base_url=divio_sandbox.url, transport=transport) as client:
        live = application(client, "example-application").environment("live")
        with pytest.raises(WorkFailed) as caught:
            create_backup(live, policy=PollPolicy(clock=clock))
    assert caught.value.messages == ("DATABASE: Backup failed: the service did not respond.",)


def test_waiting_gives_up_after_the_timeout(live: Environment, clock: SandboxTime) -> None:
    with pytest.raises(errors.WaitTimeout, match=r"backup \w+ has not finished after 3 s"):
        create_backup(live, policy=PollPolicy(interval=1, backoff=1, timeout=3, clock=clock))
    assert sum(clock.slept) == 3


def test_ctrl_c_while_waiting_says_the_work_goes_on_on_the_server(
    live: Environment, clock: SandboxTime
) -> None:
    """The command line once said only "interrupted", and the uuid was in a progress line."""
    looked: list[Progress] = []

    def interrupt(progress: Progress) -> None:
        looked.append(progress)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as raised:
        create_backup(live, policy=PollPolicy(clock=clock), on_progress=interrupt)
    (note,) = raised.value.__notes__
    goes_on = f"The backup {looked[0].uuid} goes on on the server; only the wait for it stopped."
    assert note == goes_on


def test_deploy_and_wait(live: Environment, clock: SandboxTime) -> None:
    reports: list[Progress] = []
    done = deploy(live, policy=PollPolicy(clock=clock), on_progress=reports.append)
    assert done.success is True
    assert done.ended_at is not None
    assert not reports[0].status.finished
    assert reports[-1].status.text == "done"
    assert all(r.status.percent is None for r in reports), "deployments report no percentage"
    assert latest_deployment(live) == done


def test_a_failed_deployment_raises_with_its_status_and_log(
    divio_sandbox: Sandbox, live: Environment, clock: SandboxTime
) -> None:
    divio_sandbox.configure(failure_rate=1.0)
    with pytest.raises(WorkFailed, match=r"deployment \w+ finished with failure: status: failure"):
        deploy(live, build_mode="FORCE", policy=PollPolicy(clock=clock))


def test_deploy_without_waiting_returns_the_running_deployment(
    live: Environment,
) -> None:
    started = deploy(live, wait=False)
    assert not started.finished
    assert started.status == "queued"
    assert latest_deployment(live) == started


def test_deploy_takes_over_a_running_deployment_instead_of_starting_another(
    live: Environment, clock: SandboxTime
) -> None:
    running = deploy(live, wait=False)
    taken_over = deploy(live, policy=PollPolicy(clock=clock))
    assert taken_over.uuid == running.uuid
    assert taken_over.success is True
    assert [d.uuid for d in live.deployments()].count(running.uuid) == 1
    assert deploy(live, wait=False).uuid != running.uuid  # finished: a new one starts


def test_deploy_with_attach_false_always_starts_a_new_deployment(
    live: Environment,
) -> None:
    first = deploy(live, wait=False)
    second = deploy(live, wait=False, attach=False)
    assert second.uuid != first.uuid
    assert {first.uuid, second.uuid} <= {d.uuid for d in live.deployments()}


def test_a_read_only_client_refuses_to_deploy(divio_sandbox: Sandbox) -> None:
    with DivioClient(
        token=divio_sandbox.tokens["alice"], base_url=divio_sandbox.url, read_only=True
    ) as client:
        live = application(client, "example-application").environment("live")
        with pytest.raises(errors.ReadOnlyError):
            deploy(live)
        assert latest_deployment(live) is not None


def test_a_download_url_for_the_latest_backup(
    fresh_client: DivioClient, clock: SandboxTime
) -> None:
    found = latest_backup(fresh_client, "example-application", "live")
    url = backup_download_url(found.service_instance_backup, policy=PollPolicy(clock=clock))
    response = httpx.get(url)  # a pre-signed URL: no token
    assert response.status_code == 200
    assert response.content


def test_restoring_a_backup_waits_for_success(
    fresh_client: DivioClient, clock: SandboxTime
) -> None:
    found = latest_backup(fresh_client, "example-application", "live")
    restore = restore_backup(
        found.service_instance_backup, notes="test", policy=PollPolicy(clock=clock)
    )
    assert restore.finished
    assert restore.success == "SUCCESS"
    assert restore.backup_uuid == found.backup.uuid


@pytest.mark.anyio
async def test_async_create_backup_and_deploy(divio_sandbox: Sandbox, clock: SandboxTime) -> None:
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        app = await bound_async.application(client, "example-application")
        feature = await app.environment("feature-x")
        made = await aio.create_backup(feature, policy=PollPolicy(clock=clock))
        assert made.succeeded
        deployed = await aio.deploy(feature, policy=PollPolicy(clock=clock))
        assert deployed.success is True
        found = await aio.latest_backup(client, "example-application", "feature-x")
        assert found.backup == made


@pytest.mark.anyio
async def test_an_async_failed_backup_names_its_part_by_type_and_prefix_too(
    divio_sandbox: Sandbox, clock: SandboxTime
) -> None:
    divio_sandbox.configure(failure_rate=1.0)
    token = divio_sandbox.tokens["alice"]
    async with AsyncDivioClient(token=token, base_url=divio_sandbox.url) as client:
        app = await bound_async.application(client, "example-application")
        live = await app.environment("live")
        with pytest.raises(WorkFailed) as caught:
            await aio.create_backup(live, "DATABASE", "ANALYTICS", policy=PollPolicy(clock=clock))
    assert caught.value.messages == (
        "DATABASE/ANALYTICS: Backup failed: the service did not respond.",
    )
