"""Relation-following recipes: one call for what takes a person several paginated lookups.

Every workflow is a plain function that works with a :class:`~divio_ext.DivioClient` (it returns
the answer) and with an :class:`~divio_ext.AsyncDivioClient` (it returns an awaitable)::

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
from divio_ext.workflows.deployments import deploy, latest_deployment
from divio_ext.workflows.latest import LatestBackup, latest_backup
from divio_ext.workflows.variables import environment_variables
from divio_ext.workflows.waiting import PollPolicy, Progress

__all__ = [
    "LatestBackup",
    "PollPolicy",
    "Progress",
    "backup_download_url",
    "create_backup",
    "deploy",
    "environment_variables",
    "latest_backup",
    "latest_deployment",
    "restore_backup",
]
