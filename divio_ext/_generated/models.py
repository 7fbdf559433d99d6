"""The generated models divio-ext works with, under names that do not depend on the spec.

Written by ``make generate`` (divio_spec/resources.py) from the generated client:
never edit it by hand; ``make check-generated`` fails when it is out of date.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from divio_api import models

__all__ = [
    "Application",
    "Backup",
    "BackupDownload",
    "BackupDownloadServiceInstance",
    "BackupRestore",
    "Deployment",
    "DeploymentCreated",
    "DeploymentLog",
    "Environment",
    "EnvironmentVariable",
    "LogEntry",
    "ServiceInstance",
    "ServiceInstanceBackup",
]

# Each name is the model of the operation in its comment (for a list: of its items);
# Any where this spec lacks that operation.
Application: TypeAlias = models.Application  # GET /apps/v3/applications/{uuid}/
Backup: TypeAlias = models.Backup  # GET /apps/v3/backups/{uuid}/
BackupDownload: TypeAlias = models.BackupDownload  # POST /apps/v3/backup-downloads/
BackupDownloadServiceInstance: TypeAlias = (
    models.BackupDownloadServiceInstance
)  # GET /apps/v3/backup-download-service-instances/{uuid}/
BackupRestore: TypeAlias = models.BackupRestore  # GET /apps/v3/backup-restores/{uuid}/
Deployment: TypeAlias = models.Deployment  # GET /apps/v3/deployments/{uuid}/
DeploymentCreated: TypeAlias = models.DeploymentCreate  # POST /apps/v3/deployments/
DeploymentLog: TypeAlias = models.DeploymentLog  # GET /apps/v3/deployments/{uuid}/logs/
Environment: TypeAlias = models.Environment  # GET /apps/v3/environments/{uuid}/
EnvironmentVariable: TypeAlias = models.EnvironmentVariable  # GET /apps/v3/environment-variables/
LogEntry: TypeAlias = models.LogEntry  # GET /apps/v3/environments/{uuid}/logs/
ServiceInstance: TypeAlias = models.ServiceInstance  # GET /apps/v3/service-instances/{uuid}/
ServiceInstanceBackup: TypeAlias = (
    models.ServiceInstanceBackup
)  # GET /apps/v3/service-instance-backups/{uuid}/
