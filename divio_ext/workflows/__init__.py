"""Relation-following recipes: one call for what takes a person several paginated lookups.

Every workflow is a plain function that works with a :class:`~divio_ext.DivioClient` (it returns
the answer) and with an :class:`~divio_ext.AsyncDivioClient` (it returns an awaitable)::

    from divio_ext import DivioClient
    from divio_ext.workflows import latest_backup

    with DivioClient() as client:
        found = latest_backup(client, "example-application", "live")
        print(found.taken_at, found.size, found.service_instance)

The names below are imported on first use, so that the modules these workflows build on
(``divio_ext.bound`` uses the engine and the lookups of this package) can be imported without
an import cycle, and ``import divio_ext`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from divio_ext.workflows.backups import backup_download_url, create_backup, restore_backup
    from divio_ext.workflows.deployments import deploy, latest_deployment
    from divio_ext.workflows.latest import LatestBackup, latest_backup
    from divio_ext.workflows.variables import environment_variables
    from divio_ext.workflows.waiting import PollPolicy, Progress

_HOMES = {
    "LatestBackup": "latest",
    "PollPolicy": "waiting",
    "Progress": "waiting",
    "backup_download_url": "backups",
    "create_backup": "backups",
    "deploy": "deployments",
    "environment_variables": "variables",
    "latest_backup": "latest",
    "latest_deployment": "deployments",
    "restore_backup": "backups",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
