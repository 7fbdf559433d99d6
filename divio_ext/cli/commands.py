"""What each subcommand does: call the library, then describe the answer twice.

Every command returns a :class:`Rendered` holding the same answer as a JSON-ready value (for
``--json``) and as text for people, so that the two outputs cannot drift apart. The JSON holds
every field the API returned for each object (its ``to_dict()``, unknown fields included); the
text stays concise. A command that streams (``logs``) prints as it goes and returns ``None``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from divio_ext.cli.format import (
    HIDDEN,
    MISSING,
    dotenv,
    human_size,
    iso,
    json_text,
    pairs,
    parse_age,
    table,
    visible,
    when,
)
from divio_ext.cli.options import DEFAULT_PREFIX, DEFAULT_TYPE, WAIT_TIMEOUT, UsageError
from divio_ext.core.clock import Clock, SystemClock
from divio_ext.resources import bound
from divio_ext.resources.client import DivioClient
from divio_ext.resources.models import LogEntry
from divio_ext.resources.selection import text, value
from divio_ext.workflows.backups import create_backup
from divio_ext.workflows.deployments import deploy
from divio_ext.workflows.latest import LatestBackup, latest_backup
from divio_ext.workflows.logs import FOLLOW_POLICY, deployment_log, logs_plan
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback

#: The clock that waits use. Tests replace it with one that advances a sandbox's clock.
clock: Clock = SystemClock()


@dataclass(frozen=True)
class Rendered:
    """One answer, for scripts (``data``) and for people (``text``).

    ``file`` marks a text that is a file format (a .env file): it is printed unescaped when
    stdout is not a terminal, so that values with tabs or escapes survive ``> .env``; on a
    terminal its control characters are escaped like every other text.
    """

    data: Any
    text: str
    file: bool = False


@dataclass(frozen=True)
class Context:
    """What every command gets: the client, the parsed arguments, the progress callback."""

    client: DivioClient
    args: argparse.Namespace
    on_progress: ProgressCallback

    def environment(self) -> bound.Environment:
        """The environment named by the APP and ENV arguments."""
        return _environment_of(self, self.args.app, self.args.env)

    def policy(self) -> PollPolicy:
        timeout = self.args.timeout
        return PollPolicy(timeout=WAIT_TIMEOUT if timeout is None else timeout, clock=clock)


Command = Callable[[Context], Rendered | None]


def _environment_of(ctx: Context, app: str, env: str) -> bound.Environment:
    return bound.application(ctx.client, app).environment(env)


#: A UTC time as the models write it back (``isoformat()``).
_UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")


def _api_times(data: Any) -> Any:
    """``data`` with UTC times written as the API writes them (``...Z``, not ``...+00:00``)."""
    if isinstance(data, dict):
        return {key: _api_times(item) for key, item in data.items()}
    if isinstance(data, list):
        return [_api_times(item) for item in data]
    if isinstance(data, str) and _UTC_TIME.fullmatch(data):
        return data.removesuffix("+00:00") + "Z"
    return data


def _whole(found: Any) -> dict[str, Any]:
    """Every field the API returned for one object, unknown ones included (``--json``)."""
    data: dict[str, Any] = _api_times(found.to_dict())
    return data


def _backup(backup: bound.Backup) -> dict[str, Any]:
    """A backup as the API returned it, and what divio-ext works out from its parts.

    A backup has no time or size of its own: ``time`` and ``size_bytes`` come from the
    service-instance backups loaded with it, which are in ``parts``, each whole.
    """
    derived = {
        "time": iso(backup.time),
        "size_bytes": backup.size,
        "parts": [_whole(part) for part in backup.parts],
    }
    return {**_whole(backup), **derived}


def _limited(items: list[Any], limit: int) -> list[Any]:
    return items if limit == 0 else items[:limit]


def apps(ctx: Context) -> Rendered:
    found = bound.applications(ctx.client)
    rows = [(app.slug, app.name, app.uuid) for app in found]
    return Rendered([_whole(app) for app in found], table(("SLUG", "NAME", "UUID"), rows))


def envs(ctx: Context) -> Rendered:
    found = bound.application(ctx.client, ctx.args.app).environments()
    rows = [(env.slug, env.branch, env.uuid) for env in found]
    return Rendered([_whole(env) for env in found], table(("SLUG", "BRANCH", "UUID"), rows))


def latest(ctx: Context) -> Rendered:
    args = ctx.args
    found = latest_backup(ctx.client, args.app, args.env, args.type, args.prefix)
    return Rendered(latest_data(found), latest_text(found))


def latest_data(found: LatestBackup) -> dict[str, Any]:
    """The JSON shape of a latest-backup answer: each object whole, and the size for people."""
    return {
        "taken_at": iso(found.taken_at),
        "size_bytes": found.size,
        "size": human_size(found.size),
        "service_instance": _whole(found.service_instance),
        "service_instance_backup": _whole(found.service_instance_backup),
        "backup": _whole(found.backup),
        "environment": _whole(found.environment),
        "application": _whole(found.application),
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
    """``deployments APP ENV`` lists; ``deployments log APP ENV [UUID]`` shows a build log."""
    words = ctx.args.words
    if words[0] == "log" and len(words) in (3, 4):
        return deployment_log_command(ctx, *words[1:])
    if len(words) != 2:
        raise UsageError(
            "divio-ext deployments: error: give APP ENV, or log APP ENV [UUID] (see --help)"
        )
    found = _limited(_environment_of(ctx, *words).deployments(), ctx.args.limit)
    rows = [(when(d.started_at), when(d.ended_at), d.status, d.success, d.uuid) for d in found]
    headers = ("STARTED", "ENDED", "STATUS", "SUCCESS", "UUID")
    return Rendered([_whole(d) for d in found], table(headers, rows))


def deployment_log_command(ctx: Context, app: str, env: str, uuid: str | None = None) -> Rendered:
    chosen, log = deployment_log(_environment_of(ctx, app, env), uuid)
    return Rendered({**_whole(chosen), "logs": log}, log.rstrip("\n"))


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
    return Rendered(_whole(started), text)


def backup_create(ctx: Context) -> Rendered:
    args = ctx.args
    if args.all_services and (args.type is not None or args.prefix is not None):
        raise UsageError(
            "divio-ext backup create: error: --all-services backs up every service: "
            "leave out --type and --prefix"
        )
    env = ctx.environment()
    made = create_backup(
        env,
        None if args.all_services else args.type or DEFAULT_TYPE,
        args.prefix or DEFAULT_PREFIX,
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
    services = _services(env) if made.parts else {}
    lines += [
        (
            f"  {services.get(part.model.service_instance, part.service_type)}",
            f"{part.uuid} {human_size(part.size)} {when(part.taken_at)}",
        )
        for part in made.parts
    ]
    return Rendered(_backup(made), pairs(lines))


def _services(env: bound.Environment) -> dict[str, str]:
    """``TYPE/PREFIX`` of each of the environment's service instances, by uuid: an environment
    may have two services of one type (two databases), which the type alone does not tell
    apart."""
    return {
        instance.uuid: f"{text(instance.type_) or MISSING}/{text(instance.prefix) or MISSING}"
        for instance in env.service_instances()
    }


def env_vars(ctx: Context) -> Rendered:
    """The variables as a table, JSON, or a .env file (``--format``)."""
    found = ctx.environment().environment_variables()
    style = "json" if ctx.args.json else ctx.args.format or "table"
    data = [_whole(v) for v in found]
    if style == "dotenv":
        return Rendered(data, dotenv([(v.name or "", v.value) for v in found]), file=True)
    if style == "json":
        return Rendered(data, json_text(data))
    rows = [(v.name, HIDDEN if v.value is None else v.value, v.is_sensitive) for v in found]
    return Rendered(data, table(("NAME", "VALUE", "SENSITIVE"), rows))


def logs(ctx: Context) -> None:
    """Print log lines as they come (``--follow`` waits for more until Ctrl-C)."""
    args = ctx.args
    since = since_time(args.since, clock.time()) if args.since is not None else None
    show = log_json if args.json else log_line

    def sink(entry: LogEntry) -> None:
        print(show(entry), flush=True)

    policy = dataclasses.replace(FOLLOW_POLICY, clock=clock)
    plan = logs_plan(
        ctx.environment().model,
        sink,
        since=since,
        services=args.service,
        follow=args.follow,
        policy=policy,
    )
    ctx.client.run(plan)


#: Log lines align their messages after the longest usual service name (``cronjob``).
SERVICE_WIDTH = 7


def log_line(entry: LogEntry) -> str:
    """``2026-06-01 11:50:01 UTC  worker  message``, control characters escaped."""
    stamp = when(value(entry.timestamp))
    service = (text(entry.service) or MISSING).ljust(SERVICE_WIDTH)
    return visible(f"{stamp}  {service}  {text(entry.message) or ''}")


def log_json(entry: LogEntry) -> str:
    """One entry as one line of JSON (JSON Lines), every field the API returned."""
    return json.dumps(_whole(entry), sort_keys=True)


def since_time(given: str, now: float) -> datetime.datetime:
    """``--since``: an age (``90s``, ``15m``, ``1h``, ``2d``, ``1w``) before ``now``, or a time.

    A time without a zone is taken as UTC, as the API's own times are.
    """
    age = parse_age(given) if given.strip()[-1:].isalpha() else None  # a bare number is a year
    if age is not None:
        return datetime.datetime.fromtimestamp(now - age.total_seconds(), datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(given.strip())
    except ValueError:
        raise UsageError(
            f"divio-ext logs: error: --since {given!r} is neither an age such as 1h or 2d "
            "nor an ISO 8601 time such as 2026-03-01T02:00:00Z"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)
