"""Deploying an environment and finding its latest deployment (facts §6.3 and §7.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from divio_api.api.deployments import create_deployment, get_deployment, get_deployment_logs

from divio_ext import bound, errors
from divio_ext.models import Deployment as DeploymentModel
from divio_ext.workflows import relations
from divio_ext.workflows.engine import Call, Plan
from divio_ext.workflows.errors import WorkFailed
from divio_ext.workflows.selection import deployment_finished, text, value
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback, Status, poll

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from divio_ext import AsyncDivioClient, DivioClient

#: How many trailing lines of a failed deployment's log go into the error message.
LOG_LINES = 5


@overload
def deploy(
    environment: bound.Environment[DivioClient],
    *,
    build_mode: str | None = ...,
    wait: bool = ...,
    attach: bool = ...,
    policy: PollPolicy | None = ...,
    on_progress: ProgressCallback | None = ...,
) -> bound.Deployment[DivioClient]: ...
@overload
def deploy(
    environment: bound.Environment[AsyncDivioClient],
    *,
    build_mode: str | None = ...,
    wait: bool = ...,
    attach: bool = ...,
    policy: PollPolicy | None = ...,
    on_progress: ProgressCallback | None = ...,
) -> Awaitable[bound.Deployment[AsyncDivioClient]]: ...
def deploy(
    environment: bound.Environment[Any],
    *,
    build_mode: str | None = None,
    wait: bool = True,
    attach: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> Any:
    """Deploy ``environment`` (``build_mode``: ``AUTO``, ``ADOPT`` or ``FORCE``).

    With ``attach=True`` (the default), a deployment of the environment that is still running
    is taken over instead of starting a second one, as the Divio CLI does; ``attach=False``
    always starts a new one. With ``wait=True`` (the default) it polls until the deployment has
    ended and returns it; a failed deployment raises
    :class:`~divio_ext.workflows.errors.WorkFailed` with its status and the last lines of its
    log, and ``policy.timeout`` raises :class:`divio_ext.errors.TimeoutError`. With
    ``wait=False`` it returns at once.
    """
    steps = _deploy(environment, build_mode, wait, attach, policy, on_progress)
    return bound.run(environment.client, steps)


def _deploy(
    environment: bound.Environment[Any],
    build_mode: str | None,
    wait: bool,
    attach: bool,
    policy: PollPolicy | None,
    on_progress: ProgressCallback | None,
) -> Plan[bound.Deployment[Any]]:
    running = (yield from _running(environment)) if attach else None
    if running is not None:
        deployment: DeploymentModel = running
    else:
        body: dict[str, Any] = {"environment": environment.uuid}
        if build_mode is not None:
            body["build_mode"] = build_mode
        deployment = yield Call(create_deployment, body=body)
    if wait:
        deployment = yield from poll(
            Call(get_deployment, {"uuid": deployment.uuid}),
            deployment_status,
            kind="deployment",
            uuid=deployment.uuid,
            policy=policy,
            on_progress=on_progress,
        )
        if value(deployment.success) is not True:
            messages = [f"status: {text(deployment.status) or 'unknown'}"]
            messages += yield from _log_tail(deployment.uuid)
            raise WorkFailed("deployment", deployment.uuid, "failure", messages)
    return bound.Deployment(environment.client, deployment)


def _running(environment: bound.Environment[Any]) -> Plan[DeploymentModel | None]:
    """The environment's newest deployment if it has not finished yet."""
    found = yield from relations.deployments_of(environment.model)
    if found and not deployment_status(found[0]).finished:
        return found[0]
    return None


def deployment_status(deployment: DeploymentModel) -> Status:
    """A deployment has finished once ``ended_at`` or ``success`` is set."""
    finished = deployment_finished(deployment)
    percent = value(deployment.percent)
    return Status(
        finished=finished,
        text=text(deployment.status) or ("finished" if finished else "running"),
        percent=None if percent is None else float(percent),
    )


def _log_tail(uuid: str) -> Plan[list[str]]:
    """The last lines of a deployment's log, or nothing if the log cannot be read."""
    try:
        log = yield Call(get_deployment_logs, {"uuid": uuid})
    except errors.DivioError:
        return []
    lines = [line for line in (text(log.logs) or "").splitlines() if line.strip()]
    return lines[-LOG_LINES:]


@overload
def latest_deployment(
    environment: bound.Environment[DivioClient],
) -> bound.Deployment[DivioClient] | None: ...
@overload
def latest_deployment(
    environment: bound.Environment[AsyncDivioClient],
) -> Awaitable[bound.Deployment[AsyncDivioClient] | None]: ...
def latest_deployment(environment: bound.Environment[Any]) -> Any:
    """The environment's newest deployment (running or finished), or ``None`` if it has none.

    Newest means queued (``started_at`` still null) or else the greatest ``started_at`` (then
    ``ended_at``, then uuid), computed over all of the environment's deployments: the list order
    of the server is not relied upon.
    """

    def plan() -> Plan[bound.Deployment[Any] | None]:
        found = yield from relations.deployments_of(environment.model)
        return bound.Deployment(environment.client, found[0]) if found else None

    return bound.run(environment.client, plan())
