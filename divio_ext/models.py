"""The generated model classes divio-ext works with, found through operations, not by name.

Model class names are the one thing our reconstructed spec had to invent: the published
schema may call the environment model ``Environment`` or ``EnvironmentDetail``. At run time
each class is therefore read from the type hints of an operation whose id the public sources
confirm (``GetEnvironment`` returns an environment), so ``make spec && make generate`` cannot
break an import. Only the type checker sees the generated names, and only in this module.
"""

from __future__ import annotations

import sys
import typing
from typing import TYPE_CHECKING, Any

import divio_api.models
from divio_api.api.applications import get_application
from divio_api.api.backup_download_service_instances import get_backup_download_service_instance
from divio_api.api.backup_restores import get_backup_restore
from divio_api.api.backups import get_backup
from divio_api.api.deployments import get_deployment
from divio_api.api.environment_variables import list_environment_variables
from divio_api.api.environments import get_environment
from divio_api.api.service_instance_backups import get_service_instance_backup
from divio_api.api.service_instances import get_service_instance

from .operations import success_model

__all__ = [
    "Application",
    "Backup",
    "BackupDownloadServiceInstance",
    "BackupRestore",
    "Deployment",
    "Environment",
    "EnvironmentVariable",
    "ServiceInstance",
    "ServiceInstanceBackup",
]


def _returned(operation: Any) -> Any:
    model = success_model(operation)
    if model is None:
        raise ImportError(f"{operation.__name__} has no single success model")
    return model


def _listed(operation: Any) -> Any:
    """The item model of a list operation: the type of its page's ``results``.

    Generated models import each other only for the type checker, so the page's annotation
    is resolved with the generated ``models`` package, which exports them all, in scope.
    """
    page = _returned(operation)
    namespace = {**vars(sys.modules[page.__module__]), **vars(divio_api.models)}
    hints = typing.get_type_hints(page, globalns=namespace)
    (item,) = typing.get_args(hints["results"])
    return item


if TYPE_CHECKING:
    from divio_api.models.application import Application
    from divio_api.models.backup import Backup
    from divio_api.models.backup_download_service_instance import BackupDownloadServiceInstance
    from divio_api.models.backup_restore import BackupRestore
    from divio_api.models.deployment import Deployment
    from divio_api.models.environment import Environment
    from divio_api.models.environment_variable import EnvironmentVariable
    from divio_api.models.service_instance import ServiceInstance
    from divio_api.models.service_instance_backup import ServiceInstanceBackup
else:
    Application = _returned(get_application)
    Backup = _returned(get_backup)
    BackupDownloadServiceInstance = _returned(get_backup_download_service_instance)
    BackupRestore = _returned(get_backup_restore)
    Deployment = _returned(get_deployment)
    Environment = _returned(get_environment)
    EnvironmentVariable = _listed(list_environment_variables)
    ServiceInstance = _returned(get_service_instance)
    ServiceInstanceBackup = _returned(get_service_instance_backup)
