"""Relation-following recipes: one call for what takes a person several paginated lookups.

Each workflow is written once, as a *plan* (a generator of steps: calls, listings, pauses,
concurrent groups; see ``divio_ext.core.engine``) that any client runs (``client.run(plan)``).
The functions here run it on a :class:`~divio_ext.DivioClient`; ``divio_ext.workflows.aio``
has the same functions for an :class:`~divio_ext.AsyncDivioClient`::

    from divio_ext import DivioClient
    from divio_ext.workflows import latest_backup

    with DivioClient() as client:
        found = latest_backup(client, "example-application", "live")
        print(found.taken_at, found.size, found.service_instance)

Workflows are the layer above the resources (bound objects, lookups) and below the command
line; nothing below imports them.
"""

from __future__ import annotations

from divio_ext.workflows.backups import backup_download_url, create_backup, restore_backup
from divio_ext.workflows.copy_restore import restore_to
from divio_ext.workflows.deployments import deploy, latest_deployment
from divio_ext.workflows.latest import LatestBackup, LatestBackupOf, latest_backup
from divio_ext.workflows.logs import deployment_log, environment_logs, logs_plan
from divio_ext.workflows.pull import Pulled, TransferProgress, pull_backup
from divio_ext.workflows.status import BackupStatus, BackupStatusOf, backup_status
from divio_ext.workflows.variables import environment_variables
from divio_ext.workflows.waiting import PollPolicy, Progress

__all__ = [
    "BackupStatus",
    "BackupStatusOf",
    "LatestBackup",
    "LatestBackupOf",
    "PollPolicy",
    "Progress",
    "Pulled",
    "TransferProgress",
    "backup_download_url",
    "backup_status",
    "create_backup",
    "deploy",
    "deployment_log",
    "environment_logs",
    "environment_variables",
    "latest_backup",
    "latest_deployment",
    "logs_plan",
    "pull_backup",
    "restore_backup",
    "restore_to",
]
