"""What divio-ext relies on in the Divio API: operations by method and path, fields it reads.

This module is data, with no imports beyond the standard library, so that tools which must not
import the generated client (``make generate`` listing what a new spec lacks, ``make spec``
deciding whether a schema change is breaking) can load it on its own.

Why method and path: they are what public sources confirm (the official CLI's requests and the
docs name paths; see ``docs/api-notes.md``). Operation ids, tags and the module names
openapi-python-client derives from them are our reconstruction's guesses and will differ in the
published schema, so nothing handwritten is keyed by them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Endpoint:
    """One API operation, named by its HTTP method and its path template."""

    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


APPLICATIONS_LIST = Endpoint("GET", "/apps/v3/applications/")
APPLICATION = Endpoint("GET", "/apps/v3/applications/{uuid}/")
ENVIRONMENTS_LIST = Endpoint("GET", "/apps/v3/environments/")
ENVIRONMENT = Endpoint("GET", "/apps/v3/environments/{uuid}/")
SERVICE_INSTANCES_LIST = Endpoint("GET", "/apps/v3/service-instances/")
SERVICE_INSTANCE = Endpoint("GET", "/apps/v3/service-instances/{uuid}/")
BACKUPS_LIST = Endpoint("GET", "/apps/v3/backups/")
BACKUP = Endpoint("GET", "/apps/v3/backups/{uuid}/")
BACKUP_CREATE = Endpoint("POST", "/apps/v3/backups/")
BACKUP_UPLOAD = Endpoint("POST", "/apps/v3/backups/upload/")
SERVICE_INSTANCE_BACKUPS_LIST = Endpoint("GET", "/apps/v3/service-instance-backups/")
SERVICE_INSTANCE_BACKUP = Endpoint("GET", "/apps/v3/service-instance-backups/{uuid}/")
BACKUP_DOWNLOAD_CREATE = Endpoint("POST", "/apps/v3/backup-downloads/")
BACKUP_DOWNLOAD_PARTS_LIST = Endpoint("GET", "/apps/v3/backup-download-service-instances/")
BACKUP_DOWNLOAD_PART = Endpoint("GET", "/apps/v3/backup-download-service-instances/{uuid}/")
BACKUP_RESTORE_CREATE = Endpoint("POST", "/apps/v3/backup-restores/")
BACKUP_RESTORE = Endpoint("GET", "/apps/v3/backup-restores/{uuid}/")
DEPLOYMENTS_LIST = Endpoint("GET", "/apps/v3/deployments/")
DEPLOYMENT = Endpoint("GET", "/apps/v3/deployments/{uuid}/")
DEPLOYMENT_CREATE = Endpoint("POST", "/apps/v3/deployments/")
DEPLOYMENT_LOGS = Endpoint("GET", "/apps/v3/deployments/{uuid}/logs/")
ENVIRONMENT_LOGS = Endpoint("GET", "/apps/v3/environments/{uuid}/logs/")
ENVIRONMENT_VARIABLES_LIST = Endpoint("GET", "/apps/v3/environment-variables/")

#: The fields divio-ext reads from each operation's answer (for a list: from each item).
#: A schema change that removes one of these, retypes it, or makes it nullable where it was not
#: is breaking for divio-ext; ``make spec`` stops on it.
READS: dict[Endpoint, frozenset[str]] = {
    APPLICATIONS_LIST: frozenset({"uuid", "slug", "name", "organisation"}),
    APPLICATION: frozenset({"uuid", "slug", "name", "organisation"}),
    ENVIRONMENTS_LIST: frozenset({"uuid", "slug", "application", "branch"}),
    ENVIRONMENT: frozenset({"uuid", "slug", "application", "branch"}),
    SERVICE_INSTANCES_LIST: frozenset({"uuid", "environment", "type", "prefix"}),
    SERVICE_INSTANCE: frozenset({"uuid", "environment", "type", "prefix", "service_status"}),
    BACKUPS_LIST: frozenset({"uuid", "environment", "state", "success"}),
    BACKUP: frozenset(
        {"uuid", "environment", "state", "success", "trigger", "notes", "service_instance_backups"}
    ),
    BACKUP_CREATE: frozenset({"uuid"}),
    BACKUP_UPLOAD: frozenset({"uuid", "results"}),
    SERVICE_INSTANCE_BACKUPS_LIST: frozenset(
        {
            "uuid",
            "backup",
            "service_instance",
            "taken_at",
            "started_at",
            "queued_at",
            "ended_at",
            "errors",
            "size",
        }
    ),
    SERVICE_INSTANCE_BACKUP: frozenset(
        {
            "uuid",
            "backup",
            "service_instance",
            "service_type",
            "taken_at",
            "started_at",
            "queued_at",
            "ended_at",
            "errors",
            "size",
        }
    ),
    BACKUP_DOWNLOAD_CREATE: frozenset({"uuid"}),
    BACKUP_DOWNLOAD_PARTS_LIST: frozenset({"uuid"}),
    BACKUP_DOWNLOAD_PART: frozenset({"uuid", "download_url", "errors", "ended_at"}),
    BACKUP_RESTORE_CREATE: frozenset({"uuid"}),
    BACKUP_RESTORE: frozenset({"uuid", "backup", "finished", "success"}),
    DEPLOYMENTS_LIST: frozenset(
        {"uuid", "environment", "status", "success", "started_at", "ended_at"}
    ),
    DEPLOYMENT: frozenset({"uuid", "environment", "status", "success", "started_at", "ended_at"}),
    DEPLOYMENT_CREATE: frozenset({"uuid"}),
    DEPLOYMENT_LOGS: frozenset({"logs"}),
    ENVIRONMENT_LOGS: frozenset({"timestamp", "service", "message"}),
    ENVIRONMENT_VARIABLES_LIST: frozenset({"uuid", "name", "value", "is_sensitive", "environment"}),
}

#: Every operation divio-ext's own features need. ``make generate`` lists those a spec lacks;
#: ``import divio_ext`` still works without them, and the feature that needs one says which.
REQUIRED: frozenset[Endpoint] = frozenset(READS)

#: The stable names divio-ext gives the generated models it works with, and the operation whose
#: answer (for a list: whose items) has that model. Generated model class names come from schema
#: component names, which the published schema may spell differently.
MODELS: dict[str, Endpoint] = {
    "Application": APPLICATION,
    "Environment": ENVIRONMENT,
    "ServiceInstance": SERVICE_INSTANCE,
    "Backup": BACKUP,
    "ServiceInstanceBackup": SERVICE_INSTANCE_BACKUP,
    "BackupDownload": BACKUP_DOWNLOAD_CREATE,
    "BackupDownloadServiceInstance": BACKUP_DOWNLOAD_PART,
    "BackupRestore": BACKUP_RESTORE,
    "Deployment": DEPLOYMENT,
    "DeploymentCreated": DEPLOYMENT_CREATE,
    "DeploymentLog": DEPLOYMENT_LOGS,
    "LogEntry": ENVIRONMENT_LOGS,
    "EnvironmentVariable": ENVIRONMENT_VARIABLES_LIST,
}
