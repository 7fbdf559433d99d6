"""Records as the API shows them: exactly the fields openapi.json declares, DRF's formats.

Datetimes are rendered as Django REST Framework does (ISO 8601, ``Z`` for UTC). Long-running
work is rendered through ``progress`` at the request's instant. Where the real API's list items
leave out fields that its details have (environments), ``detail`` says which shape to render.
"""

import hashlib
from datetime import datetime, timedelta
from typing import Any

from divio_sandbox import progress
from divio_sandbox import records as r
from divio_sandbox.context import Context
from divio_sandbox.responses import render

JSON = dict[str, Any]

#: Seconds a repository clone takes after its first check.
CLONE_SECONDS = 10.0


def short_hex(text: str) -> str:
    """12 hex digits derived from ``text``: a commit id or name suffix that stays stable.

    Real bodies carry full 40-digit commits and 32-digit name suffixes; the sandbox keeps
    its runs short so that a recording never holds a run as long as a token.
    """
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()


def iso(value: datetime | None) -> str | None:
    """DRF's datetime format: ``2026-06-01T12:00:00.123456Z``."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def organisation(o: r.Organisation) -> JSON:
    return {"uuid": o.uuid, "name": o.name, "created_at": iso(o.created_at)}


def user(u: r.User) -> JSON:
    return {
        "uuid": u.uuid,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "email": u.email,
        "created_at": iso(u.created_at),
        "timezone": u.timezone,
    }


def region(x: r.Region) -> JSON:
    return {"uuid": x.uuid, "name": x.name}


def service(x: r.Service) -> JSON:
    return {
        "uuid": x.uuid,
        "name": x.name,
        "type": x.type,
        "description": x.description,
        "identifier": x.identifier,
    }


def app_template(x: r.AppTemplate) -> JSON:
    return {
        "uuid": x.uuid,
        "identifier": x.identifier,
        "name": x.name,
        "short_description": x.short_description,
        "is_default": x.is_default,
        "order": x.order,
        "url": x.url,
    }


def app_template_detail(x: r.AppTemplate) -> JSON:
    return {
        **app_template(x),
        "icon_dark_mode": None,
        "release_commands": x.release_commands,
        "services": x.services,
        "tags": x.tags,
    }


def application(a: r.Application) -> JSON:
    return {
        "uuid": a.uuid,
        "slug": a.slug,
        "name": a.name,
        "organisation": a.organisation,
        "repository": a.repository,
    }


def environment(ctx: Context, e: r.Environment, *, detail: bool) -> JSON:
    """An environment as a list item shows it, plus the detail-only fields when ``detail``.

    The list-item fields are those of a real environment list page; the deployed commit in
    ``pending_commits_lookup`` is that of the last finished deployment (null before one).
    """
    store = ctx.store
    deployments = [
        store.deployments.rows[u] for u in store.deployments.select({"environment": e.uuid})
    ]
    last = progress.last_finished_deployment(deployments, ctx.now)
    app = store.applications.rows[e.application]
    org = store.organisations.rows[e.organisation]
    primary = store.domains.select(
        {"organisation": e.organisation}, lambda d: d.environment == e.uuid and d.is_primary
    )
    variables = store.environment_variables.select({"environment": e.uuid})
    body: JSON = {
        "uuid": e.uuid,
        "application": e.application,
        "app_name": f"{app.slug}-{e.slug}-{short_hex(e.uuid)}",
        "slug": e.slug,
        "branch": e.branch,
        "primary_domain": primary[0] if primary else None,
        "pending_commits_lookup": None if last is None else f"{short_hex(last)}..{e.branch}",
        "ondemand_backup_retention_config": org.backup_retention_config,
        "scheduled_backup_config": org.backup_schedule_config,
        "environment_variables": [store.environment_variables.rows[u].name for u in variables],
        "is_production_grade": e.slug == "live",
    }
    if detail:
        host = app.slug if e.slug == "live" else f"{app.slug}-{e.slug}"
        body["last_finished_deployment"] = None if last is None else {"uuid": last}
        body["ssh_endpoint"] = {"host": "ssh.sandbox.localhost", "port": 2222, "user": host}
        body["deployed_url"] = None if last is None else f"https://{host}.sandbox.localhost/"
    return body


def service_instance(ctx: Context, si: r.ServiceInstance) -> JSON:
    return {
        "uuid": si.uuid,
        "environment": si.environment,
        "service": si.service,
        "region": si.region,
        "prefix": si.prefix,
        "type": si.type,
        "service_status": progress.service_status(si, ctx.now),
    }


def backup(ctx: Context, b: r.Backup) -> JSON:
    sibs = ctx.store.service_instance_backups.rows
    parts = [progress.sib_progress(sibs[u], ctx.now) for u in b.service_instance_backups]
    state, success = progress.backup_state(parts)
    return {
        "uuid": b.uuid,
        "environment": b.environment,
        "state": state,
        "success": success,
        "service_instance_backups": list(b.service_instance_backups),
        "trigger": b.trigger,
        "notes": b.notes,
        "scheduled_for_deletion_at": iso(b.scheduled_for_deletion_at),
    }


def service_instance_backup(ctx: Context, s: r.ServiceInstanceBackup) -> JSON:
    p = progress.sib_progress(s, ctx.now)
    return {
        "uuid": s.uuid,
        "backup": s.backup,
        "service_instance": s.service_instance,
        "queued_at": iso(s.queued_at),
        "started_at": iso(p.started_at),
        "ended_at": iso(p.ended_at),
        "taken_at": iso(p.taken_at),
        "size": p.size,
        "errors": p.errors,
        "service_type": s.service_type,
    }


def encoded_service_instance_backup(ctx: Context, s: r.ServiceInstanceBackup) -> bytes:
    """``service_instance_backup`` as JSON bytes, remembered once the work has ended.

    Listing service-instance backups is most of what the sandbox serves (the docs' method and
    every "latest backup" walk read all of them), and rendering one (its progress at this
    instant, four timestamps) cost more than everything else about a page. Once a
    service-instance backup has ended it renders the same at every later instant, so its
    bytes are kept in the store, with the fields an action may still set (an upload's start,
    size and errors) to check them against; before it has ended it is rendered every time.
    """
    mutable = (s.start_at, s.size, tuple(s.errors))
    kept = ctx.store.encoded_sibs.get(s.uuid)
    if kept is not None and kept[0] == mutable and ctx.now >= kept[1]:
        return kept[2]
    encoded = render(service_instance_backup(ctx, s))
    if s.start_at is not None:
        end = s.start_at + timedelta(seconds=s.duration)
        if ctx.now >= end:
            ctx.store.encoded_sibs[s.uuid] = (mutable, end, encoded)
    return encoded


def backup_download(d: r.BackupDownload) -> JSON:
    return {
        "uuid": d.uuid,
        "backup": d.backup,
        "service_instance_backups": list(d.service_instance_backups),
        "trigger": d.trigger,
    }


def backup_download_service_instance(ctx: Context, x: r.BackupDownloadServiceInstance) -> JSON:
    ready = ctx.now >= x.ready_at
    usable = ready and not x.errors
    return {
        "uuid": x.uuid,
        "ended_at": iso(x.ready_at) if ready else None,
        "errors": list(x.errors) if ready else [],
        "download_url": f"{ctx.base_url}/_sandbox/downloads/{x.uuid}" if usable else None,
    }


def backup_restore(ctx: Context, x: r.BackupRestore) -> JSON:
    finished = ctx.now >= x.ends_at
    return {
        "uuid": x.uuid,
        "backup": x.backup,
        "service_instance_restores": [
            {"service_instance_backup": u} for u in x.service_instance_backups
        ],
        "notes": x.notes,
        "finished": finished,
        "success": x.success if finished else None,
    }


def deployment(ctx: Context, d: r.Deployment, *, detail: bool) -> JSON:
    """The fields of real deployment bodies (no percentage), plus the variable names and,
    in the detail, the author, which the Divio CLI reads."""
    p = progress.deployment_progress(d, ctx.now)
    body: JSON = {
        "uuid": d.uuid,
        "environment": d.environment,
        "region": ctx.store.applications.rows[d.application].region,
        "started_at": iso(d.started_at),
        "ended_at": iso(p.ended_at),
        "status": p.status,
        "is_usable": p.success is True,
        "success": p.success,
        "environment_variables": list(d.environment_variables),
    }
    if detail:
        body["author"] = d.author
    return body


def deployment_created(d: r.Deployment) -> JSON:
    """What creating a deployment answers: only these three fields, as the real API does."""
    return {"uuid": d.uuid, "environment": d.environment, "build_mode": d.build_mode}


def environment_variable(v: r.EnvironmentVariable) -> JSON:
    return {
        "uuid": v.uuid,
        "environment": v.environment,
        "name": v.name,
        "value": None if v.is_sensitive else v.value,
        "is_sensitive": v.is_sensitive,
    }


def repository(ctx: Context, x: r.Repository) -> JSON:
    return {
        "uuid": x.uuid,
        "organisation": x.organisation,
        "url": x.url,
        "state": progress.repository_state(x, ctx.now, CLONE_SECONDS),
        "dsn": x.url,
        "auth_info": x.auth_info,
    }


def activity(a: r.ApplicationActivity) -> JSON:
    return {
        "uuid": a.uuid,
        "application": a.application,
        "organisation": a.organisation,
        "created_at": iso(a.created_at),
        "user": a.user,
        "impersonated": False,
        "description": a.description,
        "type": a.type,
        "context": a.context,
        "user_name": a.user_name,
        "user_email": a.user_email,
        "user_is_removed": a.user is None,
    }


def invoice(ctx: Context, x: r.Invoice) -> JSON:
    return {
        "uuid": x.uuid,
        "number": x.number,
        "receipt": f"{ctx.base_url}/_sandbox/receipts/{x.uuid}",
    }


def domain(x: r.Domain) -> JSON:
    return {
        "uuid": x.uuid,
        "application": x.application,
        "environment": x.environment,
        "domain": x.domain,
        "is_primary": x.is_primary,
    }


def build(x: r.Build) -> JSON:
    return {
        "uuid": x.uuid,
        "application": x.application,
        "environment": x.environment,
        "created_at": iso(x.created_at),
    }


def patch(x: r.Patch) -> JSON:
    return {
        "uuid": x.uuid,
        "application": x.application,
        "description": x.description,
        "created_at": iso(x.created_at),
    }
