"""What each subcommand does: call the library, then describe the answer twice.

Every command returns a :class:`Rendered` holding the same answer as a JSON-ready value (for
``--json``) and as text for people, so that the two outputs cannot drift apart.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from divio_ext.cli.format import human_size, iso, pairs, table, when
from divio_ext.core.clock import Clock, SystemClock
from divio_ext.resources import bound
from divio_ext.resources.client import DivioClient
from divio_ext.workflows.backups import create_backup
from divio_ext.workflows.deployments import deploy
from divio_ext.workflows.latest import LatestBackup, latest_backup
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback

#: The clock that waits use. Tests replace it with one that advances a sandbox's clock.
clock: Clock = SystemClock()


@dataclass(frozen=True)
class Rendered:
    """One answer, for scripts (``data``) and for people (``text``)."""

    data: Any
    text: str


@dataclass(frozen=True)
class Context:
    """What every command gets: the client, the parsed arguments, the progress callback."""

    client: DivioClient
    args: argparse.Namespace
    on_progress: ProgressCallback

    def environment(self) -> bound.Environment:
        """The environment named by the APP and ENV arguments."""
        return bound.application(self.client, self.args.app).environment(self.args.env)

    def policy(self) -> PollPolicy:
        return PollPolicy(timeout=self.args.timeout, clock=clock)


Command = Callable[[Context], Rendered]


def _application(app: bound.Application) -> dict[str, Any]:
    return {"uuid": app.uuid, "slug": app.slug, "name": app.name}


def _environment(env: bound.Environment) -> dict[str, Any]:
    return {"uuid": env.uuid, "slug": env.slug, "branch": env.branch}


def _backup(backup: bound.Backup) -> dict[str, Any]:
    return {
        "uuid": backup.uuid,
        "state": backup.state,
        "success": backup.success,
        "trigger": backup.trigger,
        "time": iso(backup.time),
        "size_bytes": backup.size,
        "service_instance_backups": [_sib(part) for part in backup.parts],
    }


def _sib(sib: bound.ServiceInstanceBackup) -> dict[str, Any]:
    return {
        "uuid": sib.uuid,
        "service_type": sib.service_type,
        "service_instance": sib.service_instance_uuid,
        "taken_at": iso(sib.taken_at),
        "ended_at": iso(sib.ended_at),
        "size_bytes": sib.size,
        "errors": sib.errors,
    }


def _deployment(deployment: bound.Deployment) -> dict[str, Any]:
    return {
        "uuid": deployment.uuid,
        "status": deployment.status,
        "success": deployment.success,
        "percent": deployment.percent,
        "started_at": iso(deployment.started_at),
        "ended_at": iso(deployment.ended_at),
    }


def _limited(items: list[Any], limit: int) -> list[Any]:
    return items if limit == 0 else items[:limit]


def apps(ctx: Context) -> Rendered:
    found = bound.applications(ctx.client)
    rows = [(app.slug, app.name, app.uuid) for app in found]
    return Rendered([_application(app) for app in found], table(("SLUG", "NAME", "UUID"), rows))


def envs(ctx: Context) -> Rendered:
    found = bound.application(ctx.client, ctx.args.app).environments()
    rows = [(env.slug, env.branch, env.uuid) for env in found]
    return Rendered([_environment(env) for env in found], table(("SLUG", "BRANCH", "UUID"), rows))


def latest(ctx: Context) -> Rendered:
    args = ctx.args
    found = latest_backup(ctx.client, args.app, args.env, args.type, args.prefix)
    return Rendered(latest_data(found), latest_text(found))


def latest_data(found: LatestBackup) -> dict[str, Any]:
    """The JSON shape of a latest-backup answer."""
    instance = found.service_instance
    return {
        "taken_at": iso(found.taken_at),
        "size_bytes": found.size,
        "size": human_size(found.size),
        "service_instance": {
            "uuid": instance.uuid,
            "type": instance.type,
            "prefix": instance.prefix,
        },
        "service_instance_backup": _sib(found.service_instance_backup),
        "backup": {
            "uuid": found.backup.uuid,
            "state": found.backup.state,
            "success": found.backup.success,
        },
        "environment": _environment(found.environment),
        "application": _application(found.application),
    }


def latest_text(found: LatestBackup) -> str:
    """The human-readable block of a latest-backup answer."""
    size = found.size
    instance = found.service_instance
    return pairs(
        [
            ("Taken at", when(found.taken_at)),
            ("Size", f"{human_size(size)} ({size} bytes)" if size is not None else None),
            ("Service", f"{instance.type}/{instance.prefix} ({instance.uuid})"),
            ("Backup", f"{found.backup.uuid} ({found.backup.state}/{found.backup.success})"),
            ("Service backup", found.service_instance_backup.uuid),
            ("Environment", f"{found.environment.slug} ({found.environment.uuid})"),
            ("Application", f"{found.application.slug} ({found.application.uuid})"),
        ]
    )


def backups(ctx: Context) -> Rendered:
    found = _limited(ctx.environment().backups(), ctx.args.limit)
    rows = [
        (when(b.time), b.state, b.success, human_size(b.size), b.trigger, b.uuid) for b in found
    ]
    headers = ("TIME", "STATE", "RESULT", "SIZE", "TRIGGER", "UUID")
    return Rendered([_backup(b) for b in found], table(headers, rows))


def deployments(ctx: Context) -> Rendered:
    found = _limited(ctx.environment().deployments(), ctx.args.limit)
    rows = [(when(d.started_at), when(d.ended_at), d.status, d.success, d.uuid) for d in found]
    headers = ("STARTED", "ENDED", "STATUS", "SUCCESS", "UUID")
    return Rendered([_deployment(d) for d in found], table(headers, rows))


def deploy_command(ctx: Context) -> Rendered:
    env = ctx.environment()
    started = deploy(
        env,
        build_mode=ctx.args.build_mode,
        wait=ctx.args.wait,
        attach=not ctx.args.new,
        policy=ctx.policy(),
        on_progress=ctx.on_progress,
    )
    text = pairs(
        [
            ("Deployment", started.uuid),
            ("Status", started.status),
            ("Success", started.success),
            ("Started", when(started.started_at)),
            ("Ended", when(started.ended_at)),
        ]
    )
    return Rendered(_deployment(started), text)


def backup_create(ctx: Context) -> Rendered:
    args = ctx.args
    service_type = None if args.all_services else args.type
    made = create_backup(
        ctx.environment(),
        service_type,
        args.prefix,
        notes=args.notes,
        wait=args.wait,
        policy=ctx.policy(),
        on_progress=ctx.on_progress,
    )
    lines: list[tuple[str, object]] = [
        ("Backup", made.uuid),
        ("State", made.state),
        ("Result", made.success),
    ]
    lines += [
        (f"  {part.service_type}", f"{part.uuid} {human_size(part.size)} {when(part.taken_at)}")
        for part in made.parts
    ]
    return Rendered(_backup(made), pairs(lines))


def env_vars(ctx: Context) -> Rendered:
    found = ctx.environment().environment_variables()
    rows = [
        (v.name, "(hidden)" if v.is_sensitive and v.value is None else v.value, v.is_sensitive)
        for v in found
    ]
    data = [{"name": v.name, "value": v.value, "is_sensitive": v.is_sensitive} for v in found]
    return Rendered(data, table(("NAME", "VALUE", "SENSITIVE"), rows))
