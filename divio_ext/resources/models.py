"""The generated model classes divio-ext works with, under names that do not depend on the spec.

Model class names come from schema component names, which our reconstructed spec had to invent
and the published schema may spell differently (``Environment`` or ``EnvironmentDetail``).
``make generate`` therefore binds each stable name below to the model of the operation that
answers with it (``divio_ext.core.contract.MODELS``: ``Backup`` is what ``GET
/apps/v3/backups/{uuid}/`` returns), in ``divio_ext/_generated/models.py``. A name whose
operation the spec lacks is ``Any``, so ``import divio_ext`` still works.
"""

from divio_ext._generated.models import (
    Application,
    Backup,
    BackupDownload,
    BackupDownloadServiceInstance,
    BackupRestore,
    Deployment,
    DeploymentCreated,
    DeploymentLog,
    Environment,
    EnvironmentVariable,
    LogEntry,
    ServiceInstance,
    ServiceInstanceBackup,
)

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
