"""Deployments: start one, watch it run and finish, read its log and variables snapshot."""

from starlette.responses import Response

from divio_sandbox import actions, progress
from divio_sandbox import records as r
from divio_sandbox import serializers as s
from divio_sandbox.context import Context
from divio_sandbox.routing import ApiRequest, Router
from divio_sandbox.validation import Fields
from divio_sandbox.views.common import created, get_or_404, lookup, ok, page, param, select

BUILD_MODES = ("AUTO", "ADOPT", "FORCE")


def register(router: Router) -> None:
    router.add("/apps/v3/deployments/", "GET", list_deployments)
    router.add("/apps/v3/deployments/", "POST", create_deployment)
    router.add("/apps/v3/deployments/{uuid}/", "GET", get_deployment)
    router.add("/apps/v3/deployments/{uuid}/logs/", "GET", deployment_logs)
    router.add("/apps/v3/deployments/{uuid}/environment-variables/", "GET", deployment_variables)


def list_deployments(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    uuids = select(
        ctx,
        store.deployments,
        {
            "application": (param(ctx, req, "application"), store.applications),
            "environment": (param(ctx, req, "environment"), store.environments),
        },
    )
    rows = store.deployments.rows
    return page(ctx, req, uuids, lambda u: s.deployment(ctx, rows[u], detail=False))


def get_deployment(ctx: Context, req: ApiRequest) -> Response:
    deployment = get_or_404(ctx, ctx.store.deployments, req.params["uuid"], "Deployment")
    return ok(s.deployment(ctx, deployment, detail=True))


def create_deployment(ctx: Context, req: ApiRequest) -> Response:
    fields = Fields(req.body())
    env = fields.reference("environment", lookup(ctx, ctx.store.environments))
    build_mode = fields.choice("build_mode", BUILD_MODES, default="AUTO")
    fields.check()
    assert env is not None
    deployment = actions.create_deployment(
        ctx.store, env, ctx.user, build_mode, ctx.now, ctx.knobs.failure_rate
    )
    return created(s.deployment_created(deployment))


def _log_text(deployment: r.Deployment, status: str) -> str:
    lines = [f"Deployment {deployment.uuid} ({deployment.build_mode})", "Queued"]
    if status != "queued":
        lines += [
            "Building image",
            "Step 1/4 : FROM python:3.11-slim",
            "Step 4/4 : RUN pip install",
        ]
    if status in ("deploying", "done", "failure"):
        lines.append("Deploying containers")
    if status == "done":
        lines.append("Deployment succeeded.")
    if status == "failure":
        lines.append("Release command 'migrate' failed with exit code 1. Deployment failed.")
    return "\n".join(lines) + "\n"


def deployment_logs(ctx: Context, req: ApiRequest) -> Response:
    deployment = get_or_404(ctx, ctx.store.deployments, req.params["uuid"], "Deployment")
    status = progress.deployment_progress(deployment, ctx.now).status
    return ok({"uuid": deployment.uuid, "logs": _log_text(deployment, status)})


def deployment_variables(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    deployment = get_or_404(ctx, store.deployments, req.params["uuid"], "Deployment")
    current = {
        v.name: v
        for v in (
            store.environment_variables.rows[u]
            for u in store.environment_variables.select({"environment": deployment.environment})
        )
    }
    values = {
        name: None if name not in current or current[name].is_sensitive else current[name].value
        for name in deployment.environment_variables
    }
    return ok({"environment": deployment.environment, "environment_variables": values})
