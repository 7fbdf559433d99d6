"""Applications, environments (with copy and runtime logs), variables, activities, repositories."""

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.responses import Response

from divio_sandbox import actions, logs
from divio_sandbox import records as r
from divio_sandbox import serializers as s
from divio_sandbox.bodies import MISSING
from divio_sandbox.context import Context
from divio_sandbox.pagination import page_size
from divio_sandbox.progress import last_finished_deployment
from divio_sandbox.responses import field_errors
from divio_sandbox.routing import ApiRequest, Router
from divio_sandbox.validation import Fields, parse_datetime
from divio_sandbox.views.common import created, get_or_404, lookup, ok, page, param, select

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BAD_SLUG = "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
ROOT_LINKS = {
    "applications": "applications",
    "environments": "environments",
    "domains": "domains",
    "patches": "patches",
    "repositories": "repositories",
    "serviceinstances": "service-instances",
    "deployments": "deployments",
    "builds": "builds",
    "regions": "regions",
}


def register(router: Router) -> None:
    router.add("/apps/v3/", "GET", api_root, public=True)
    router.add("/apps/v3/applications/", "GET", list_applications)
    router.add("/apps/v3/applications/", "POST", create_application)
    router.add("/apps/v3/applications/{uuid}/", "GET", get_application)
    router.add("/apps/v3/environments/", "GET", list_environments)
    router.add("/apps/v3/environments/", "POST", create_environment)
    router.add("/apps/v3/environments/{uuid}/", "GET", get_environment)
    router.add("/apps/v3/environments/{uuid}/", "PATCH", update_environment)
    router.add("/apps/v3/environments/{uuid}/copy/", "POST", copy_environment)
    router.add("/apps/v3/environments/{uuid}/logs/", "GET", environment_logs)
    router.add("/apps/v3/environment-variables/", "GET", list_environment_variables)
    router.add("/apps/v3/application-activities/", "GET", list_activities)
    router.add("/apps/v3/application-activities/{uuid}/", "GET", get_activity)
    router.add("/apps/v3/repositories/", "POST", create_repository)
    router.add("/apps/v3/repositories/{uuid}/", "GET", get_repository)
    router.add("/apps/v3/repositories/{uuid}/check/", "POST", check_repository)


def api_root(ctx: Context, req: ApiRequest) -> Response:
    return ok({key: f"{ctx.base_url}/apps/v3/{path}/" for key, path in ROOT_LINKS.items()})


def list_applications(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    slug = param(ctx, req, "slug")
    search = (param(ctx, req, "name_search") or "").lower()

    def matches(app: r.Application) -> bool:
        return (slug is None or app.slug == slug) and search in app.name.lower()

    uuids = select(
        ctx,
        store.applications,
        {"organisation": (param(ctx, req, "organisation"), store.organisations)},
        matches if slug or search else None,
    )
    return page(ctx, req, uuids, lambda u: s.application(store.applications.rows[u]))


def get_application(ctx: Context, req: ApiRequest) -> Response:
    return ok(
        s.application(get_or_404(ctx, ctx.store.applications, req.params["uuid"], "Application"))
    )


def create_application(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    fields = Fields(req.body())
    name = fields.string("name")
    slug = fields.string("slug")
    org = fields.reference("organisation", lookup(ctx, store.organisations))
    fields.string("plan_group")
    region = fields.reference("region", store.regions.get)
    fields.url("app_template")
    _check_release_commands(fields)
    repository_id = fields.string("repository", required=False, allow_null=True)
    repository = None
    if repository_id:
        repository = lookup(ctx, store.repositories)(repository_id)
        if repository is None:
            fields.error("repository", f"Object with uuid={repository_id} does not exist.")
    branch = fields.string("branch", required=False, default="main")
    if slug is not None:
        if not SLUG.match(slug):
            fields.error("slug", BAD_SLUG)
        elif store.applications.select({"slug": slug}):
            fields.error("slug", "application with this slug already exists.")
    fields.check()
    assert name is not None
    assert slug is not None
    assert org is not None
    assert region is not None
    assert branch is not None
    app = actions.create_application(
        store,
        org.uuid,
        slug,
        name,
        region.uuid,
        repository.uuid if repository else None,
        branch,
        ctx.now,
    )
    return created(s.application(app))


def _check_release_commands(fields: Fields) -> None:
    """Optional, nullable list of ``{label, command}`` with unique labels (the CLI checks them)."""
    commands = fields.body.get("release_commands")
    if commands is MISSING or commands is None:
        return
    if fields.body.is_form or not isinstance(commands, list):
        fields.error(
            "release_commands",
            f'Expected a list of items but got type "{type(commands).__name__}".',
        )
        return
    labels: list[str] = []
    for item in commands:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), str) and item[key].strip() for key in ("label", "command")
        ):
            fields.error("release_commands", "Each release command needs a label and a command.")
            return
        labels.append(item["label"])
    if len(set(labels)) != len(labels):
        fields.error("release_commands", "Release command labels must be unique.")


def list_environments(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    slug = param(ctx, req, "slug")
    uuids = select(
        ctx,
        store.environments,
        {"application": (param(ctx, req, "application"), store.applications)},
        (lambda e: e.slug == slug) if slug else None,
    )
    return page(
        ctx, req, uuids, lambda u: s.environment(ctx, store.environments.rows[u], detail=False)
    )


def get_environment(ctx: Context, req: ApiRequest) -> Response:
    env = get_or_404(ctx, ctx.store.environments, req.params["uuid"], "Environment")
    return ok(s.environment(ctx, env, detail=True))


def _check_new_environment_slug(
    ctx: Context, fields: Fields, name: str, application: str, slug: str
) -> None:
    """A new environment's slug: slug-shaped and not taken in its application."""
    store = ctx.store
    siblings = store.environments.select({"application": application})
    if not SLUG.match(slug):
        fields.error(name, BAD_SLUG)
    elif any(store.environments.rows[u].slug == slug for u in siblings):
        fields.error(name, "An environment with this slug already exists in the application.")


def create_environment(ctx: Context, req: ApiRequest) -> Response:
    """A new, empty environment (no services, no variables) of an application the caller sees.

    Divio's own CI example creates one from a form body ``{application, slug, branch}``.
    """
    fields = Fields(req.body())
    app = fields.reference("application", lookup(ctx, ctx.store.applications))
    slug = fields.string("slug")
    branch = fields.string("branch", required=False, default="main")
    if app is not None and slug is not None:
        _check_new_environment_slug(ctx, fields, "slug", app.uuid, slug)
    fields.check()
    assert app is not None
    assert slug is not None
    assert branch is not None
    env = actions.create_environment(ctx.store, app, slug, branch, ctx.now)
    return created(s.environment(ctx, env, detail=True))


def update_environment(ctx: Context, req: ApiRequest) -> Response:
    env = get_or_404(ctx, ctx.store.environments, req.params["uuid"], "Environment")
    fields = Fields(req.body())
    branch = fields.string("branch", required=False)
    fields.check()
    if branch is not None:
        env.branch = branch
    return ok(s.environment(ctx, env, detail=True))


def copy_environment(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    source = get_or_404(ctx, store.environments, req.params["uuid"], "Environment")
    fields = Fields(req.body())
    new_slug = fields.string("new_slug")
    if new_slug is not None:
        _check_new_environment_slug(ctx, fields, "new_slug", source.application, new_slug)
    fields.check()
    assert new_slug is not None
    copy = actions.copy_environment(store, source, new_slug, ctx.now)
    return created(s.environment(ctx, copy, detail=True))


def _log_time(req: ApiRequest, name: str) -> datetime | None:
    raw = req.query.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except (ValueError, OverflowError):
        raise field_errors({name: ["Enter a valid date/time."]}) from None


def _log_link(url: str, **bounds: datetime | None) -> str:
    scheme, netloc, path, query, _ = urlsplit(url)
    kept = [
        (k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in ("from_ts", "to_ts")
    ]
    kept += [(k, s.iso(v) or "") for k, v in bounds.items() if v is not None]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(kept)), ""))


def environment_logs(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    env = get_or_404(ctx, store.environments, req.params["uuid"], "Environment")
    lower, upper = _log_time(req, "from_ts"), _log_time(req, "to_ts")
    size = page_size(req.query.get("page_size"))
    deployments = [
        store.deployments.rows[u] for u in store.deployments.select({"environment": env.uuid})
    ]
    first = last_finished_deployment(deployments, ctx.now)
    if first is None:
        return ok({"next": req.url, "previous": req.url, "results": []})
    start = min(d.started_at for d in deployments)
    window = logs.Window(
        lower, min(upper or ctx.now, ctx.now), newest_first=upper is not None or lower is None
    )
    indexes = logs.select(start, window, size)
    if not indexes:
        resume = lower or window.upper
        return ok({"next": _log_link(req.url, from_ts=resume), "previous": req.url, "results": []})
    newest = logs.timestamp(start, indexes[-1]) + timedelta(microseconds=1)
    return ok(
        {
            "next": _log_link(req.url, from_ts=newest),
            "previous": _log_link(req.url, from_ts=lower, to_ts=logs.timestamp(start, indexes[0])),
            "results": [logs.entry(start, k) for k in indexes],
        }
    )


def list_environment_variables(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    app = param(ctx, req, "application")
    envs = [value for value in req.query.getlist("environment") if value]
    name = param(ctx, req, "name")
    if app is None and not envs:
        raise field_errors({"non_field_errors": ["Either application or environment is required."]})
    if len(envs) > 1:
        wanted = set(envs)
        where = lambda v: v.environment in wanted and (name is None or v.name == name)  # noqa: E731
        uuids = select(
            ctx, store.environment_variables, {"application": (app, store.applications)}, where
        )
    else:
        uuids = select(
            ctx,
            store.environment_variables,
            {
                "application": (app, store.applications),
                "environment": (envs[0] if envs else None, store.environments),
            },
            (lambda v: v.name == name) if name else None,
        )
    return page(
        ctx, req, uuids, lambda u: s.environment_variable(store.environment_variables.rows[u])
    )


def list_activities(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    kind, user_name = param(ctx, req, "type"), param(ctx, req, "user_name")

    def matches(a: r.ApplicationActivity) -> bool:
        return (kind is None or a.type == kind) and (user_name is None or a.user_name == user_name)

    uuids = select(
        ctx,
        store.activities,
        {
            "application": (param(ctx, req, "application"), store.applications),
            "organisation": (param(ctx, req, "organisation"), store.organisations),
        },
        matches if kind or user_name else None,
    )
    return page(ctx, req, uuids, lambda u: s.activity(store.activities.rows[u]))


def get_activity(ctx: Context, req: ApiRequest) -> Response:
    activity = get_or_404(ctx, ctx.store.activities, req.params["uuid"], "ApplicationActivity")
    return ok(s.activity(activity))


KEY_PREFIX = {"ED25519": "ssh-ed25519", "ECDSA": "ecdsa-sha2-nistp256", "RSA": "ssh-rsa"}


def create_repository(ctx: Context, req: ApiRequest) -> Response:
    store = ctx.store
    fields = Fields(req.body())
    org = fields.reference("organisation", lookup(ctx, store.organisations))
    url = fields.string("url")
    key_type = fields.choice("key_type", tuple(KEY_PREFIX), default="")
    username = fields.string("username", required=False)
    password = fields.string("password", required=False)
    if url is not None and not fields.errors:
        ssh = url.startswith(("git@", "ssh://"))
        if not ssh and not url.startswith(("https://", "http://")):
            fields.error("url", "Enter a valid git URL.")
        elif ssh and not key_type:
            fields.error("non_field_errors", "A key_type is required for SSH URLs.")
        elif not ssh and not (username and password):
            fields.error(
                "non_field_errors", "A username and a password are required for HTTPS URLs."
            )
    fields.check()
    assert org is not None
    assert url is not None
    auth_info = None
    if key_type:
        key = f"{store.rng.getrandbits(256):064x}"
        auth_info = f"{KEY_PREFIX[key_type]} AAAA{key} divio-sandbox-deploy-key"
    repo = store.repositories.add(r.Repository(store.new_id(), org.uuid, url, auth_info, ctx.now))
    return created(s.repository(ctx, repo))


def get_repository(ctx: Context, req: ApiRequest) -> Response:
    return ok(
        s.repository(ctx, get_or_404(ctx, ctx.store.repositories, req.params["uuid"], "Repository"))
    )


def check_repository(ctx: Context, req: ApiRequest) -> Response:
    repo = get_or_404(ctx, ctx.store.repositories, req.params["uuid"], "Repository")
    fields = Fields(req.body())
    fields.string("branch", required=False)
    fields.boolean("migrate", default=False)
    fields.check()
    if repo.clone_started_at is None:
        repo.clone_started_at = ctx.now
    if s.repository(ctx, repo)["state"] == "INVALID":
        raise field_errors({"non_field_errors": ["The repository could not be cloned."]})
    return ok({"code": "success"})
