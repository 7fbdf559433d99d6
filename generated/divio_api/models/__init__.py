"""Contains all the data models used in inputs/outputs.

Each model is imported on first use (PEP 562), so a command that needs three models does not pay
for building all of them at start-up; the type checker sees every name as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api_root import ApiRoot
    from .app_template import AppTemplate
    from .app_template_detail import AppTemplateDetail
    from .app_template_service import AppTemplateService
    from .app_template_tag import AppTemplateTag
    from .application import Application
    from .application_activity import ApplicationActivity
    from .application_activity_context_type_0 import ApplicationActivityContextType0
    from .application_request import ApplicationRequest
    from .backup import Backup
    from .backup_download import BackupDownload
    from .backup_download_request import BackupDownloadRequest
    from .backup_download_service_instance import BackupDownloadServiceInstance
    from .backup_request import BackupRequest
    from .backup_restore import BackupRestore
    from .backup_restore_request import BackupRestoreRequest
    from .backup_upload import BackupUpload
    from .backup_upload_request import BackupUploadRequest
    from .backup_upload_results import BackupUploadResults
    from .backup_upload_target import BackupUploadTarget
    from .backup_upload_target_upload_parameters import (
        BackupUploadTargetUploadParameters,
    )
    from .build import Build
    from .build_mode_enum import BuildModeEnum
    from .deployment import Deployment
    from .deployment_create import DeploymentCreate
    from .deployment_create_request import DeploymentCreateRequest
    from .deployment_environment_variables import DeploymentEnvironmentVariables
    from .deployment_environment_variables_environment_variables import (
        DeploymentEnvironmentVariablesEnvironmentVariables,
    )
    from .deployment_log import DeploymentLog
    from .deployment_reference import DeploymentReference
    from .domain import Domain
    from .environment import Environment
    from .environment_copy_request import EnvironmentCopyRequest
    from .environment_request import EnvironmentRequest
    from .environment_variable import EnvironmentVariable
    from .invoice import Invoice
    from .key_type_enum import KeyTypeEnum
    from .log_entry import LogEntry
    from .organisation import Organisation
    from .paginated_app_template_list import PaginatedAppTemplateList
    from .paginated_application_activity_list import PaginatedApplicationActivityList
    from .paginated_application_list import PaginatedApplicationList
    from .paginated_backup_download_service_instance_list import (
        PaginatedBackupDownloadServiceInstanceList,
    )
    from .paginated_backup_list import PaginatedBackupList
    from .paginated_build_list import PaginatedBuildList
    from .paginated_deployment_list import PaginatedDeploymentList
    from .paginated_domain_list import PaginatedDomainList
    from .paginated_environment_list import PaginatedEnvironmentList
    from .paginated_environment_variable_list import PaginatedEnvironmentVariableList
    from .paginated_invoice_list import PaginatedInvoiceList
    from .paginated_log_entry_list import PaginatedLogEntryList
    from .paginated_organisation_list import PaginatedOrganisationList
    from .paginated_patch_list import PaginatedPatchList
    from .paginated_region_list import PaginatedRegionList
    from .paginated_service_instance_backup_list import (
        PaginatedServiceInstanceBackupList,
    )
    from .paginated_service_instance_list import PaginatedServiceInstanceList
    from .paginated_service_list import PaginatedServiceList
    from .patch import Patch
    from .patched_environment_request import PatchedEnvironmentRequest
    from .region import Region
    from .release_command import ReleaseCommand
    from .release_command_request import ReleaseCommandRequest
    from .repository import Repository
    from .repository_check import RepositoryCheck
    from .repository_check_request import RepositoryCheckRequest
    from .repository_request import RepositoryRequest
    from .service import Service
    from .service_instance import ServiceInstance
    from .service_instance_backup import ServiceInstanceBackup
    from .service_instance_request import ServiceInstanceRequest
    from .service_instance_restore import ServiceInstanceRestore
    from .service_instance_restore_request import ServiceInstanceRestoreRequest
    from .ssh_endpoint import SshEndpoint
    from .state_enum import StateEnum
    from .success_enum import SuccessEnum
    from .trigger_enum import TriggerEnum
    from .user import User

_MODULES = {
    "ApiRoot": ".api_root",
    "AppTemplate": ".app_template",
    "AppTemplateDetail": ".app_template_detail",
    "AppTemplateService": ".app_template_service",
    "AppTemplateTag": ".app_template_tag",
    "Application": ".application",
    "ApplicationActivity": ".application_activity",
    "ApplicationActivityContextType0": ".application_activity_context_type_0",
    "ApplicationRequest": ".application_request",
    "Backup": ".backup",
    "BackupDownload": ".backup_download",
    "BackupDownloadRequest": ".backup_download_request",
    "BackupDownloadServiceInstance": ".backup_download_service_instance",
    "BackupRequest": ".backup_request",
    "BackupRestore": ".backup_restore",
    "BackupRestoreRequest": ".backup_restore_request",
    "BackupUpload": ".backup_upload",
    "BackupUploadRequest": ".backup_upload_request",
    "BackupUploadResults": ".backup_upload_results",
    "BackupUploadTarget": ".backup_upload_target",
    "BackupUploadTargetUploadParameters": ".backup_upload_target_upload_parameters",
    "Build": ".build",
    "BuildModeEnum": ".build_mode_enum",
    "Deployment": ".deployment",
    "DeploymentCreate": ".deployment_create",
    "DeploymentCreateRequest": ".deployment_create_request",
    "DeploymentEnvironmentVariables": ".deployment_environment_variables",
    "DeploymentEnvironmentVariablesEnvironmentVariables": ".deployment_environment_variables_environment_variables",
    "DeploymentLog": ".deployment_log",
    "DeploymentReference": ".deployment_reference",
    "Domain": ".domain",
    "Environment": ".environment",
    "EnvironmentCopyRequest": ".environment_copy_request",
    "EnvironmentRequest": ".environment_request",
    "EnvironmentVariable": ".environment_variable",
    "Invoice": ".invoice",
    "KeyTypeEnum": ".key_type_enum",
    "LogEntry": ".log_entry",
    "Organisation": ".organisation",
    "PaginatedAppTemplateList": ".paginated_app_template_list",
    "PaginatedApplicationActivityList": ".paginated_application_activity_list",
    "PaginatedApplicationList": ".paginated_application_list",
    "PaginatedBackupDownloadServiceInstanceList": ".paginated_backup_download_service_instance_list",
    "PaginatedBackupList": ".paginated_backup_list",
    "PaginatedBuildList": ".paginated_build_list",
    "PaginatedDeploymentList": ".paginated_deployment_list",
    "PaginatedDomainList": ".paginated_domain_list",
    "PaginatedEnvironmentList": ".paginated_environment_list",
    "PaginatedEnvironmentVariableList": ".paginated_environment_variable_list",
    "PaginatedInvoiceList": ".paginated_invoice_list",
    "PaginatedLogEntryList": ".paginated_log_entry_list",
    "PaginatedOrganisationList": ".paginated_organisation_list",
    "PaginatedPatchList": ".paginated_patch_list",
    "PaginatedRegionList": ".paginated_region_list",
    "PaginatedServiceInstanceBackupList": ".paginated_service_instance_backup_list",
    "PaginatedServiceInstanceList": ".paginated_service_instance_list",
    "PaginatedServiceList": ".paginated_service_list",
    "Patch": ".patch",
    "PatchedEnvironmentRequest": ".patched_environment_request",
    "Region": ".region",
    "ReleaseCommand": ".release_command",
    "ReleaseCommandRequest": ".release_command_request",
    "Repository": ".repository",
    "RepositoryCheck": ".repository_check",
    "RepositoryCheckRequest": ".repository_check_request",
    "RepositoryRequest": ".repository_request",
    "Service": ".service",
    "ServiceInstance": ".service_instance",
    "ServiceInstanceBackup": ".service_instance_backup",
    "ServiceInstanceRequest": ".service_instance_request",
    "ServiceInstanceRestore": ".service_instance_restore",
    "ServiceInstanceRestoreRequest": ".service_instance_restore_request",
    "SshEndpoint": ".ssh_endpoint",
    "StateEnum": ".state_enum",
    "SuccessEnum": ".success_enum",
    "TriggerEnum": ".trigger_enum",
    "User": ".user",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = (
    "ApiRoot",
    "AppTemplate",
    "AppTemplateDetail",
    "AppTemplateService",
    "AppTemplateTag",
    "Application",
    "ApplicationActivity",
    "ApplicationActivityContextType0",
    "ApplicationRequest",
    "Backup",
    "BackupDownload",
    "BackupDownloadRequest",
    "BackupDownloadServiceInstance",
    "BackupRequest",
    "BackupRestore",
    "BackupRestoreRequest",
    "BackupUpload",
    "BackupUploadRequest",
    "BackupUploadResults",
    "BackupUploadTarget",
    "BackupUploadTargetUploadParameters",
    "Build",
    "BuildModeEnum",
    "Deployment",
    "DeploymentCreate",
    "DeploymentCreateRequest",
    "DeploymentEnvironmentVariables",
    "DeploymentEnvironmentVariablesEnvironmentVariables",
    "DeploymentLog",
    "DeploymentReference",
    "Domain",
    "Environment",
    "EnvironmentCopyRequest",
    "EnvironmentRequest",
    "EnvironmentVariable",
    "Invoice",
    "KeyTypeEnum",
    "LogEntry",
    "Organisation",
    "PaginatedAppTemplateList",
    "PaginatedApplicationActivityList",
    "PaginatedApplicationList",
    "PaginatedBackupDownloadServiceInstanceList",
    "PaginatedBackupList",
    "PaginatedBuildList",
    "PaginatedDeploymentList",
    "PaginatedDomainList",
    "PaginatedEnvironmentList",
    "PaginatedEnvironmentVariableList",
    "PaginatedInvoiceList",
    "PaginatedLogEntryList",
    "PaginatedOrganisationList",
    "PaginatedPatchList",
    "PaginatedRegionList",
    "PaginatedServiceInstanceBackupList",
    "PaginatedServiceInstanceList",
    "PaginatedServiceList",
    "Patch",
    "PatchedEnvironmentRequest",
    "Region",
    "ReleaseCommand",
    "ReleaseCommandRequest",
    "Repository",
    "RepositoryCheck",
    "RepositoryCheckRequest",
    "RepositoryRequest",
    "Service",
    "ServiceInstance",
    "ServiceInstanceBackup",
    "ServiceInstanceRequest",
    "ServiceInstanceRestore",
    "ServiceInstanceRestoreRequest",
    "SshEndpoint",
    "StateEnum",
    "SuccessEnum",
    "TriggerEnum",
    "User",
)
