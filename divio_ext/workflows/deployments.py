"""Deploying an environment and finding its latest deployment, the way the Divio CLI does."""

from __future__ import annotations

from typing import Any

from divio_ext.core import errors
from divio_ext.core.contract import DEPLOYMENT, DEPLOYMENT_CREATE, DEPLOYMENT_LOGS
from divio_ext.core.engine import Call, Plan
from divio_ext.core.errors import WorkFailed
from divio_ext.resources import bound, relations
from divio_ext.resources.models import Deployment as DeploymentModel
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.selection import deployment_finished, text, value
from divio_ext.workflows import arguments
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback, Status, poll

#: How many trailing lines of a failed deployment's log go into the error message.
LOG_LINES = 5


def deploy(
    environment: bound.Environment,
    *,
    build_mode: str | None = None,
    wait: bool = True,
    attach: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> bound.Deployment:
    """Deploy ``environment`` (``build_mode``: ``AUTO``, ``ADOPT`` or ``FORCE``).

    With ``attach=True`` (the default), a deployment of the environment that is still running
    is taken over instead of starting a second one, as the Divio CLI does; ``attach=False``
    always starts a new one. With ``wait=True`` (the default) it polls until the deployment has
    ended and returns it; a failed deployment raises
    :class:`~divio_ext.core.errors.WorkFailed` with its status and the last lines of its
    log, and ``policy.timeout`` raises :class:`divio_ext.core.errors.WaitTimeout`. With
    ``wait=False`` it returns at once.
    """
    arguments.of_client("environment", environment, bound.Environment)
    plan = deploy_plan(environment.model, build_mode, wait, attach, policy, on_progress)
    return bound.Deployment(environment.client, environment.client.run(plan))


def deploy_plan(
    environment: EnvironmentModel,
    build_mode: str | None,
    wait: bool,
    attach: bool,
    policy: PollPolicy | None,
    on_progress: ProgressCallback | None,
) -> Plan[DeploymentModel]:
    """The steps of :func:`deploy`, for either client."""
    arguments.waiting(policy, on_progress)
    running = (yield from _running(environment)) if attach else None
    if running is not None:
        uuid = running.uuid
    else:
        body: dict[str, Any] = {"environment": environment.uuid}
        if build_mode is not None:
            body["build_mode"] = build_mode
        # The answer is only {uuid, environment, build_mode}: progress is in the detail.
        uuid = (yield Call(DEPLOYMENT_CREATE, body=body)).uuid
    deployment: DeploymentModel
    if not wait:
        deployment = running if running is not None else (yield Call(DEPLOYMENT, {"uuid": uuid}))
    else:
        deployment = yield from poll(
            Call(DEPLOYMENT, {"uuid": uuid}),
            deployment_status,
            kind="deployment",
            uuid=uuid,
            policy=policy,
            on_progress=on_progress,
        )
        if value(deployment.success) is not True:
            messages = [f"status: {text(deployment.status) or 'unknown'}"]
            messages += yield from _log_tail(deployment.uuid)
            raise WorkFailed("deployment", deployment.uuid, "failure", messages)
    return deployment


def _running(environment: EnvironmentModel) -> Plan[DeploymentModel | None]:
    """The environment's newest deployment if it has not finished yet."""
    found = yield from relations.deployments_of(environment)
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
        log = yield Call(DEPLOYMENT_LOGS, {"uuid": uuid})
    except errors.DivioError:
        return []
    lines = [line for line in (text(log.logs) or "").splitlines() if line.strip()]
    return lines[-LOG_LINES:]


def latest_deployment(environment: bound.Environment) -> bound.Deployment | None:
    """The environment's newest deployment (running or finished), or ``None`` if it has none.

    Newest means queued (``started_at`` still null) or else the greatest ``started_at`` (then
    ``ended_at``, then uuid), computed over all of the environment's deployments: the list order
    of the server is not relied upon.
    """
    arguments.of_client("environment", environment, bound.Environment)
    found = environment.client.run(latest_deployment_plan(environment.model))
    return None if found is None else bound.Deployment(environment.client, found)


def latest_deployment_plan(environment: EnvironmentModel) -> Plan[DeploymentModel | None]:
    """The steps of :func:`latest_deployment`, for either client."""
    found = yield from relations.deployments_of(environment)
    return found[0] if found else None
