"""The ``backup`` subcommands that people live with: status, pull, download-url, restore.

Each command is a function that takes its parsed arguments and returns the exit code, so the
logic stays where it is whichever argument parser registers it (``main.py`` today). Output for
people goes through ``format.visible``; ``--json`` output is ``format.json_text``.

Exit codes (besides ``main``'s 1 failed, 2 usage, 3 not found, 4 authentication): ``backup
status`` answers 0 when every environment has a usable backup no older than ``--max-age``, and
:data:`ATTENTION` (5) when any is stale, has no usable backup, or lacks the service instance.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from divio_ext.cli.commands import Context
from divio_ext.cli.format import human_size, iso, json_text, reason, table, visible, when
from divio_ext.cli.progress import ProgressLine
from divio_ext.cli.transfer import TransferDisplay
from divio_ext.core import errors
from divio_ext.core.contract import BACKUP, ENVIRONMENTS_LIST
from divio_ext.resources import bound
from divio_ext.resources.client import DivioClient
from divio_ext.workflows.backups import backup_download_url, restorable, restore_backup
from divio_ext.workflows.copy_restore import restore_to
from divio_ext.workflows.latest import latest_backup
from divio_ext.workflows.pull import default_filename, pull_backup
from divio_ext.workflows.status import BackupStatus, backup_status
from divio_ext.workflows.waiting import PollPolicy

OK = 0
#: ``backup status``: something is stale or missing (distinct from 1, "the command failed").
ATTENTION = 5


class Refused(errors.DivioError):
    """The command declined to act as asked (no confirmation, or arguments that do not name
    what to act on); ``main`` reports it like a usage error (exit code 2)."""


class CannotWrite(errors.DivioError):
    """``backup pull`` could not write its file, or ``backup restore --to`` its temporary copy
    (exit code 1): the file system's reason, not a traceback."""


def _age(age: datetime.timedelta | None) -> str:
    """``3d 1h``, ``5h 12m``, ``42m``: two units are enough to judge freshness. A backup taken
    a minute or more after the moment of the check (a clock ahead of this one) shows a
    negative age, ``-3m``, rather than passing for a new one."""
    if age is None:
        return "-"
    seconds = age.total_seconds()
    minutes = int(abs(seconds) // 60)
    sign = "-" if seconds < 0 and minutes else ""
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    return f"{sign}{hours}h {minutes}m" if hours else f"{sign}{minutes}m"


def _state(item: BackupStatus) -> str:
    if item.state != "no usable backup" or not item.seen:
        return item.state
    counts = ", ".join(f"{count} {why}" for why, count in sorted(item.seen.items()))
    return f"{item.state} ({counts})"


def status_row(item: BackupStatus) -> tuple[str | None, ...]:
    """One environment's status as a row of the table (a slug the server left out is None)."""
    return (
        item.application.slug,
        item.environment.slug,
        when(item.taken_at),
        _age(item.age),
        human_size(item.size),
        _state(item),
    )


def status_data(item: BackupStatus) -> dict[str, Any]:
    """One environment's status for ``--json``. Ages are in seconds to the microsecond, so
    that ``age_seconds > max_age_seconds`` exactly when the state is ``stale`` for its age."""
    latest = item.latest
    age = item.age
    return {
        "application": item.application.slug,
        "environment": item.environment.slug,
        "environment_uuid": item.environment.uuid,
        "state": item.state,
        "ok": item.ok,
        "taken_at": iso(item.taken_at),
        "age_seconds": None if age is None else age.total_seconds(),
        "max_age_seconds": item.max_age.total_seconds(),
        "size_bytes": item.size,
        "service_instance": None if item.service_instance is None else item.service_instance.uuid,
        "service_instance_backup": None if latest is None else latest.service_instance_backup.uuid,
        "backup": None if latest is None else latest.backup.uuid,
        "problem": item.problem,
        "not_usable": dict(item.seen),
    }


def status(
    client: DivioClient,
    *,
    applications: Sequence[str],
    environments: Sequence[str],
    service_type: str,
    prefix: str,
    max_age: datetime.timedelta,
    as_json: bool,
    out: TextIO,
) -> int:
    """``backup status``: a table (or JSON) of every environment; 0 if all fresh, else 5; and
    3 when there is nothing to check (a token that sees no environment must not pass)."""
    found = backup_status(
        client, applications or None, environments or None, service_type, prefix, max_age
    )
    if not found:
        raise errors.LookupNotFound(
            "nothing to check: this token sees no environment", url=ENVIRONMENTS_LIST.path
        )
    if as_json:
        out.write(json_text([status_data(item) for item in found]) + "\n")
    else:
        rows = [status_row(item) for item in found]
        headers = ("APPLICATION", "ENVIRONMENT", "TAKEN AT", "AGE", "SIZE", "STATE")
        out.write(table(headers, rows) + "\n")
    return OK if all(item.ok for item in found) else ATTENTION


def find_service_instance_backup(
    client: DivioClient,
    uuid: str,
    service_type: str,
    prefix: str,
    environment: bound.Environment | None = None,
) -> bound.ServiceInstanceBackup:
    """The ``service_type``/``prefix`` part of backup ``uuid``, or the service-instance backup
    with that uuid, which must be of that service type and prefix too (a restore asked for
    STORAGE must not overwrite the database). With ``environment``, the backup must be one of
    that environment's. A uuid that is neither is one
    :class:`~divio_ext.errors.LookupNotFound` about the backup, not the 404 of the second
    lookup."""
    try:
        listed = client.backups.retrieve(uuid)
    except errors.NotFound:
        named = _named_part(client, uuid, service_type, prefix)
        backup, candidates = named.backup(), [named]
    else:
        backup = bound.Backup(client, listed)
        candidates = [
            part
            for part in backup.service_instance_backups()
            if part.service_type == service_type and part.service_instance().prefix == prefix
        ]
    if environment is not None and backup.environment_uuid != environment.uuid:
        raise errors.LookupNotFound(
            f"backup {uuid} is not a backup of environment {environment.slug}",
            url=BACKUP.path.format(uuid=backup.uuid),
        )
    if not candidates:
        raise errors.LookupNotFound(
            f"backup {uuid} has no {service_type}/{prefix} part",
            url=BACKUP.path.format(uuid=backup.uuid),
        )
    return candidates[0]


def _named_part(
    client: DivioClient, uuid: str, service_type: str, prefix: str
) -> bound.ServiceInstanceBackup:
    """The service-instance backup ``uuid``, which must be of ``service_type``/``prefix``."""
    try:
        part = client.service_instance_backups.retrieve(uuid)
    except errors.NotFound:
        raise errors.LookupNotFound(
            f"no backup {uuid}: neither a backup nor a part of one has that uuid "
            "(or this token may not see it)",
            url=BACKUP.path.format(uuid=uuid),
        ) from None
    named = bound.ServiceInstanceBackup(client, part)
    kind = (named.service_type, named.service_instance().prefix)
    if kind != (service_type, prefix):
        raise errors.LookupNotFound(
            f"{uuid} is the {kind[0]}/{kind[1]} part of backup {named.backup_uuid}, not a "
            f"{service_type}/{prefix} one: name the backup, or pass --type {kind[0]} "
            f"--prefix {kind[1]}",
            url=BACKUP.path.format(uuid=named.backup_uuid),
        )
    return named


def chosen_backup(
    client: DivioClient,
    application: str,
    environment: str,
    backup: str | None,
    service_type: str,
    prefix: str,
) -> bound.ServiceInstanceBackup:
    """The named backup's part (checked to be of that environment), else the latest usable."""
    if backup is None:
        found = latest_backup(client, application, environment, service_type, prefix)
        return found.service_instance_backup
    env = bound.application(client, application).environment(environment)
    return find_service_instance_backup(client, backup, service_type, prefix, env)


def pull(
    client: DivioClient,
    *,
    application: str,
    environment: str,
    backup: str | None,
    service_type: str,
    prefix: str,
    output: str | None,
    policy: PollPolicy,
    as_json: bool,
    out: TextIO,
    err: TextIO,
    sync: bool = True,
) -> int:
    """``backup pull``: the backup's file to ``output`` (default: a name from the backup, in
    the current directory or in ``output`` when that is a directory; ``-``: standard output,
    for ``pg_restore``), with progress on stderr; a file is synced to disk unless ``sync`` is
    false (``--no-sync``)."""
    to_stdout = output == "-" or (output is not None and _is_the_file_of(out, Path(output)))
    on_terminal = out.isatty() if to_stdout else output is not None and _is_a_terminal(Path(output))
    if on_terminal:
        raise Refused("refusing to write a backup to a terminal: pipe it, or use -o PATH")
    sib = chosen_backup(client, application, environment, backup, service_type, prefix)
    waiting = ProgressLine(err, lines=True)
    target = None if to_stdout else _pull_target(output, sib, application, environment, prefix)
    with TransferDisplay(err, target.name if target is not None else "stdout") as shown:
        try:
            pulled = pull_backup(
                sib,
                target if target is not None else sys.stdout.buffer,
                policy=policy,
                on_progress=waiting,
                on_transfer=shown,
                sync=sync,
            )
        except OSError as error:
            if isinstance(error, errors.DivioError):  # a WaitTimeout is a TimeoutError too
                raise
            if target is None:
                if isinstance(error, BrokenPipeError):  # the reader left: main ends quietly
                    raise
                raise CannotWrite(f"cannot write standard output: {reason(error)}") from None
            where = f" ({error.filename})" if error.filename not in (None, str(target)) else ""
            raise CannotWrite(f"cannot write {target}: {reason(error)}{where}") from None
        finally:
            waiting.done()
    if to_stdout:
        return OK
    data = {
        "path": str(pulled.path),
        "size_bytes": pulled.size,
        "service_instance_backup": sib.uuid,
        "backup": sib.backup_uuid,
        "taken_at": iso(sib.taken_at),
    }
    if as_json:
        out.write(json_text(data) + "\n")
    else:
        out.write(visible(f"{pulled.path}  {human_size(pulled.size)}  {when(sib.taken_at)}") + "\n")
    return OK


def _pull_target(
    output: str | None,
    sib: bound.ServiceInstanceBackup,
    application: str,
    environment: str,
    prefix: str,
) -> Path:
    """Where ``backup pull`` writes: ``output``, or the backup's own name (inside ``output``
    when that is a directory)."""
    named = default_filename(sib, application, environment, prefix)
    if output is None:
        return Path(named)
    path = Path(output)
    if path.is_dir():
        return path / named
    if output.endswith(("/", os.sep)):
        raise CannotWrite(f"cannot write {output}: no such directory")
    return path


def _is_a_terminal(path: Path) -> bool:
    """Whether ``path`` is a terminal (``-o /dev/tty``): a dump would only garble it."""
    if not path.is_char_device():
        return False
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False  # writing it will say why
    try:
        return os.isatty(descriptor)
    finally:
        os.close(descriptor)


def _is_the_file_of(out: TextIO, path: Path) -> bool:
    """Whether ``path`` is the file ``out`` writes to (``-o /dev/stdout``): the backup then goes
    there as with ``-o -``, and the summary line is not written into it."""
    try:
        return os.path.samestat(path.stat(), os.fstat(out.fileno()))
    except (OSError, ValueError):  # no such file, or ``out`` has no descriptor
        return False


def download_url(
    client: DivioClient,
    *,
    application: str | None,
    environment: str | None,
    backup: str | None,
    service_type: str,
    prefix: str,
    policy: PollPolicy,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    """``backup download-url``: a URL for any backup (``--backup``), or the latest usable one of
    APP ENV. The URL needs no token: treat it as a secret."""
    if backup is not None and application is None:
        sib = find_service_instance_backup(client, backup, service_type, prefix)
    elif application is not None and environment is not None:
        sib = chosen_backup(client, application, environment, backup, service_type, prefix)
    elif application is not None and backup is not None:
        raise Refused("name ENV after APP, or give --backup alone")
    else:
        raise Refused("name APP and ENV, or a backup with --backup")
    waiting = ProgressLine(err)
    try:
        url = backup_download_url(sib, policy=policy, on_progress=waiting)
    finally:
        waiting.done()
    if as_json:
        data = {
            "download_url": url,
            "service_instance_backup": sib.uuid,
            "backup": sib.backup_uuid,
            "taken_at": iso(sib.taken_at),
            "size_bytes": sib.size,
        }
        out.write(json_text(data) + "\n")
    else:
        out.write(visible(url) + "\n")
    return OK


def restore(
    client: DivioClient,
    *,
    application: str,
    environment: str,
    backup: str,
    service_type: str,
    prefix: str,
    yes: bool,
    policy: PollPolicy,
    as_json: bool,
    out: TextIO,
    err: TextIO,
    answers: TextIO,
    to: str | None = None,
) -> int:
    """``backup restore``: overwrite the service instance's data with a backup, after asking.

    With ``to``, the backup is copied to that environment of the application and restored
    there (``divio_ext.workflows.copy_restore``). Read-only mode refuses before any request;
    without ``--yes`` it asks on the terminal, naming the environment overwritten (and refuses
    without one); then it waits, with progress, and a failure reports the server's messages
    (exit 1).
    """
    if client.settings.read_only:
        raise errors.ReadOnlyError(
            "read-only mode: refused to restore a backup before sending anything "
            "(read_only=True or DIVIO_READ_ONLY=1)"
        )
    if not yes and not answers.isatty():
        raise Refused("restoring overwrites data: confirm on a terminal, or pass --yes")
    if to is not None and to == environment:
        raise Refused(f"--to {to} is the backup's own environment: leave --to out to restore it")
    sib = chosen_backup(client, application, environment, backup, service_type, prefix)
    restorable(sib.model)  # before the question: a yes must not lead to a refusal
    target = None if to is None else bound.application(client, application).environment(to)
    overwritten = to if to is not None else environment
    if not yes:
        taken = f"backup {sib.backup_uuid} taken {when(sib.taken_at)} ({human_size(sib.size)})"
        service = f"{service_type}/{prefix}"
        question = (
            f"Restore {service} of {application}/{environment} from {taken}? "
            "This overwrites the data there now."
            if target is None
            else f"Copy {service} of {application}/{environment} from {taken} to "
            f"{application}/{to} and restore it there? This overwrites the {service} data "
            f"of {application}/{to} now."
        )
        err.write(visible(f"{question} Type {overwritten!r} to confirm: "))
        err.flush()
        if answers.readline().strip() != overwritten:
            raise Refused("not confirmed: nothing was restored")
    waiting = ProgressLine(err, lines=True)
    try:
        if target is None:
            restored = restore_backup(sib, policy=policy, on_progress=waiting)
        else:
            with TransferDisplay(err, "download") as down, TransferDisplay(err, "upload") as up:
                restored = restore_to(
                    sib, target, policy=policy, on_progress=waiting, on_transfer=down, on_upload=up
                )
    except OSError as error:
        if isinstance(error, errors.DivioError) or target is None:  # a WaitTimeout is an OSError
            raise
        # The copy passes through a temporary file (a full $TMPDIR, say): its reason, and the
        # note naming what the copy left in the target, not a traceback.
        failure = CannotWrite(
            f"cannot keep the backup's temporary copy in {tempfile.gettempdir()}: {reason(error)} "
            "(TMPDIR chooses another directory)"
        )
        for note in getattr(error, "__notes__", ()):
            failure.add_note(note)
        raise failure from None
    finally:
        waiting.done()
    data = {
        "restore": restored.uuid,
        "success": restored.success,
        "backup": sib.backup_uuid,
        "service_instance_backup": sib.uuid,
    }
    if target is not None:
        data |= {"environment": target.slug, "copied_backup": restored.backup_uuid}
    if as_json:
        out.write(json_text(data) + "\n")
    elif target is None:
        out.write(
            visible(f"Restored backup {sib.backup_uuid} ({restored.uuid}): {restored.success}")
            + "\n"
        )
    else:
        out.write(
            visible(
                f"Restored backup {sib.backup_uuid} of {environment} to {to} as backup "
                f"{restored.backup_uuid} ({restored.uuid}): {restored.success}"
            )
            + "\n"
        )
    return OK


# --- the commands as ``divio_ext.cli.main`` registers them: a context in, an exit code out ---


def _target(ctx: Context) -> dict[str, Any]:
    """What ``pull``, ``download-url`` and ``restore`` share: which backup, how to wait, where to
    write."""
    args = ctx.args
    return {
        "application": args.app,
        "environment": args.env,
        "backup": args.backup,
        "service_type": args.type,
        "prefix": args.prefix,
        "policy": ctx.policy(),
        "as_json": args.json,
        "out": sys.stdout,
        "err": sys.stderr,
    }


def status_command(ctx: Context) -> int:
    """``backup status``."""
    args = ctx.args
    return status(
        ctx.client,
        applications=args.apps,
        environments=args.env,
        service_type=args.type,
        prefix=args.prefix,
        max_age=args.max_age,
        as_json=args.json,
        out=sys.stdout,
    )


def pull_command(ctx: Context) -> int:
    """``backup pull``."""
    return pull(ctx.client, output=ctx.args.output, sync=ctx.args.sync, **_target(ctx))


def download_url_command(ctx: Context) -> int:
    """``backup download-url``."""
    return download_url(ctx.client, **_target(ctx))


def restore_command(ctx: Context) -> int:
    """``backup restore``."""
    args = ctx.args
    return restore(ctx.client, yes=args.yes, answers=sys.stdin, to=args.to, **_target(ctx))
