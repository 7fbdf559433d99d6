"""Making, downloading and restoring backups, each optionally waiting until the work is done.

These follow the steps the official Divio CLI takes (api-notes §7): create a backup and
poll it until ``state`` is ``COMPLETED``; ask for a download and poll it until ``ended_at`` is
set; start a restore and poll it until ``finished``. Failures raise
:class:`~divio_ext.core.errors.WorkFailed` with the server's own error messages.
"""

from __future__ import annotations

from typing import Any

from divio_ext.core import errors
from divio_ext.core.contract import (
    BACKUP,
    BACKUP_CREATE,
    BACKUP_DOWNLOAD_CREATE,
    BACKUP_DOWNLOAD_PART,
    BACKUP_DOWNLOAD_PARTS_LIST,
    BACKUP_RESTORE,
    BACKUP_RESTORE_CREATE,
    SERVICE_INSTANCE,
)
from divio_ext.core.engine import Call, Gather, Plan
from divio_ext.core.errors import InvalidArgument, WorkFailed
from divio_ext.resources import bound, relations, resolve
from divio_ext.resources.models import Backup as BackupModel
from divio_ext.resources.models import BackupDownloadServiceInstance
from divio_ext.resources.models import BackupRestore as BackupRestoreModel
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.models import ServiceInstance as ServiceInstanceModel
from divio_ext.resources.models import ServiceInstanceBackup as ServiceInstanceBackupModel
from divio_ext.resources.objects import BackupWithParts
from divio_ext.resources.selection import (
    COMPLETED,
    SUCCESS,
    error_messages,
    sib_finished_cleanly,
    text,
    value,
)
from divio_ext.workflows import arguments
from divio_ext.workflows.waiting import PollPolicy, ProgressCallback, Status, poll

#: The trigger the official CLI sends for on-demand backups.
MANUAL = "MANUAL"
#: The download trigger that prepares a link without e-mailing it (api-notes §6.6).
PULL = "PULL"


def create_backup(
    environment: bound.Environment,
    service_type: str | None = "DATABASE",
    prefix: str | None = "DEFAULT",
    *,
    notes: str | None = None,
    wait: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> bound.Backup:
    """Start an on-demand backup of one service instance (or, with ``service_type=None``, all).

    With ``wait=True`` (the default) it polls until the backup has ``state`` ``COMPLETED`` and
    returns it with its service-instance backups in ``parts``; a result other than ``SUCCESS``
    raises :class:`~divio_ext.core.errors.WorkFailed` carrying the service-instance
    backups' error messages, and ``policy.timeout`` raises :class:`~divio_ext.errors.WaitTimeout`.
    With ``wait=False`` it returns the backup as just created.
    """
    arguments.of_client("environment", environment, bound.Environment)
    plan = create_backup_plan(
        environment.model, service_type, prefix, notes, wait, policy, on_progress
    )
    backup, parts = environment.client.run(plan)
    return bound.Backup(environment.client, backup, parts=parts)


def create_backup_plan(
    environment: EnvironmentModel,
    service_type: str | None,
    prefix: str | None,
    notes: str | None,
    wait: bool,
    policy: PollPolicy | None,
    on_progress: ProgressCallback | None,
) -> Plan[BackupWithParts]:
    """The steps of :func:`create_backup`, for either client."""
    arguments.waiting(policy, on_progress)
    instances = yield from resolve.service_instances(environment)
    if service_type is not None:
        where = text(environment.slug) or environment.uuid
        chosen = resolve.pick_service_instance(
            instances, service_type, prefix or "DEFAULT", where=where
        )
        instances = [chosen]
    body: dict[str, Any] = {
        "environment": environment.uuid,
        "services": [instance.uuid for instance in instances],
        "trigger": MANUAL,
    }
    if notes is not None:
        body["notes"] = notes
    created: BackupModel = yield Call(BACKUP_CREATE, body=body)
    if not wait:
        return created, []
    return (yield from wait_for_backup(created.uuid, policy, on_progress))


def wait_for_backup(
    uuid: str, policy: PollPolicy | None, on_progress: ProgressCallback | None
) -> Plan[BackupWithParts]:
    """Poll backup ``uuid`` until its ``state`` is ``COMPLETED``; the backup and its parts.

    Raises :class:`~divio_ext.core.errors.WorkFailed` with the parts' error messages unless its
    ``success`` is ``SUCCESS``. Backups made on demand and uploaded ones end the same way.
    """
    finished: BackupModel = yield from poll(
        Call(BACKUP, {"uuid": uuid}),
        _backup_status,
        kind="backup",
        uuid=uuid,
        policy=policy,
        on_progress=on_progress,
    )
    sibs: list[ServiceInstanceBackupModel] = yield from relations.sibs_of_backup(finished)
    if text(finished.success) != SUCCESS:
        failed = [sib for sib in sibs if error_messages(sib.errors)]
        labels: list[str] = yield Gather(tuple(_part_label(sib) for sib in failed))
        messages = [
            f"{label}: {message}"
            for sib, label in zip(failed, labels, strict=True)
            for message in error_messages(sib.errors)
        ]
        raise WorkFailed("backup", finished.uuid, text(finished.success) or "no result", messages)
    return finished, sibs


def _part_label(sib: ServiceInstanceBackupModel) -> Plan[str]:
    """``TYPE/PREFIX`` of the service a failed part backed up, so that the messages of two
    databases of one environment can be told apart; its type alone if its service instance
    cannot be read (the failure is what is being reported, not this)."""
    try:
        instance: ServiceInstanceModel = yield Call(
            SERVICE_INSTANCE, {"uuid": sib.service_instance}
        )
    except errors.DivioError:
        return text(sib.service_type) or "?"
    return "/".join(resolve.service_kind(instance))


def _restore_status(restore: BackupRestoreModel) -> Status:
    finished = bool(value(restore.finished))
    return Status(
        finished=finished, text=text(restore.success) or "finished" if finished else "restoring"
    )


def _backup_status(backup: BackupModel) -> Status:
    state = text(backup.state) or "unknown"
    return Status(finished=state == COMPLETED, text=state)


def backup_download_url(
    sib: bound.ServiceInstanceBackup,
    *,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> str:
    """A URL from which the file of one service-instance backup can be downloaded.

    Asks the server to prepare a download (trigger ``PULL``, so no e-mail is sent), waits until
    it is ready, and returns its ``download_url``. The URL needs no token: treat it as a secret.
    Raises :class:`~divio_ext.core.errors.WorkFailed` if preparing it failed.
    """
    arguments.of_client("sib", sib, bound.ServiceInstanceBackup)
    return sib.client.run(download_url_plan(sib.model, policy, on_progress))


def download_url_plan(
    sib: ServiceInstanceBackupModel,
    policy: PollPolicy | None,
    on_progress: ProgressCallback | None,
) -> Plan[str]:
    """The steps of :func:`backup_download_url`, for either client."""
    arguments.waiting(policy, on_progress)
    body = {"backup": sib.backup, "service_instance_backups": [sib.uuid], "trigger": PULL}
    download = yield Call(BACKUP_DOWNLOAD_CREATE, body=body, repeatable=True)
    listing = yield from poll(
        Call(BACKUP_DOWNLOAD_PARTS_LIST, {"backup": download.uuid, "page_size": 2}),
        lambda page: Status(finished=bool(page.results), text="preparing"),
        kind="backup download",
        uuid=download.uuid,
        policy=policy,
        on_progress=on_progress,
    )
    if listing.count != 1:
        # The items do not name their download, so a listing of several cannot be checked.
        raise errors.DivioError(
            f"the server listed {listing.count} prepared downloads for backup download "
            f"{download.uuid} instead of 1; it may not support the `backup` filter"
        )
    part: BackupDownloadServiceInstance = listing.results[0]
    ready: BackupDownloadServiceInstance = yield from poll(
        Call(BACKUP_DOWNLOAD_PART, {"uuid": part.uuid}),
        lambda item: Status(finished=value(item.ended_at) is not None, text="preparing"),
        kind="backup download",
        uuid=download.uuid,
        policy=policy,
        on_progress=on_progress,
    )
    url = text(ready.download_url)
    problems = error_messages(ready.errors)
    if problems or not url:
        raise WorkFailed("backup download", download.uuid, "errors", problems or ["no URL"])
    return url


def restore_backup(
    sib: bound.ServiceInstanceBackup,
    *,
    notes: str | None = None,
    wait: bool = True,
    policy: PollPolicy | None = None,
    on_progress: ProgressCallback | None = None,
) -> bound.BackupRestore:
    """Restore one service-instance backup onto its service instance. This overwrites data.

    With ``wait=True`` it polls until the restore has ``finished`` and raises
    :class:`~divio_ext.core.errors.WorkFailed` unless its ``success`` is ``SUCCESS``.
    """
    arguments.of_client("sib", sib, bound.ServiceInstanceBackup)
    plan = restore_plan(sib.model, notes, wait, policy, on_progress)
    return bound.BackupRestore(sib.client, sib.client.run(plan))


def restorable(sib: ServiceInstanceBackupModel) -> None:
    """Refuse (:class:`~divio_ext.core.errors.InvalidArgument`) a service-instance backup that
    (as last read) has not ended, or ended with errors, before anything is written: the server
    refuses to restore or hand out such a part, and a copy to another environment would have
    left an unfinished upload there first."""
    if sib_finished_cleanly(sib):
        return
    if value(sib.ended_at) is None:
        raise InvalidArgument(
            f"service-instance backup {sib.uuid} has not finished: there is nothing to restore yet"
        )
    problems = "; ".join(error_messages(sib.errors))
    raise InvalidArgument(
        f"service-instance backup {sib.uuid} ended with errors ({problems}): it cannot be restored"
    )


def restore_plan(
    sib: ServiceInstanceBackupModel,
    notes: str | None,
    wait: bool,
    policy: PollPolicy | None,
    on_progress: ProgressCallback | None,
) -> Plan[BackupRestoreModel]:
    """The steps of :func:`restore_backup`, for either client."""
    arguments.waiting(policy, on_progress)
    restorable(sib)
    body: dict[str, Any] = {
        "backup": sib.backup,
        "service_instance_restores": [{"service_instance_backup": sib.uuid}],
    }
    if notes is not None:
        body["notes"] = notes
    restore: BackupRestoreModel = yield Call(BACKUP_RESTORE_CREATE, body=body)
    if wait:
        restore = yield from poll(
            Call(BACKUP_RESTORE, {"uuid": restore.uuid}),
            _restore_status,
            kind="restore",
            uuid=restore.uuid,
            policy=policy,
            on_progress=on_progress,
        )
        if text(restore.success) != SUCCESS:
            outcome = text(restore.success) or "no result"
            raise WorkFailed("restore", restore.uuid, outcome, [])
    return restore
