"""The sandbox's stored objects: plain records, one class per API resource.

Records hold what was decided when an object was created (timestamps, planned durations,
outcomes); what a client sees at a given moment is computed from them by ``progress`` and
``serializers``. Every record that belongs to an organisation carries ``organisation`` so that
visibility checks and the per-organisation indexes need no joins.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Organisation:
    uuid: str
    name: str
    created_at: datetime
    #: The on-demand backup retention rules and the backup schedule its environments use
    #: (real environments of one application share both ids).
    backup_retention_config: str
    backup_schedule_config: str

    @property
    def organisation(self) -> str:
        """An organisation is visible to its members, like everything it owns."""
        return self.uuid


@dataclass(slots=True)
class User:
    uuid: str
    username: str
    first_name: str
    last_name: str
    email: str
    timezone: str
    created_at: datetime
    organisations: frozenset[str]
    #: False for a member who may only read: DRF answers 403 to any write.
    can_write: bool = True


@dataclass(slots=True)
class Region:
    uuid: str
    name: str


@dataclass(slots=True)
class Service:
    uuid: str
    region: str
    name: str
    type: str
    description: str
    identifier: str


@dataclass(slots=True)
class AppTemplate:
    uuid: str
    identifier: str
    name: str
    short_description: str
    is_default: bool
    order: int
    url: str
    release_commands: list[dict[str, str]]
    services: list[dict[str, str]]
    tags: list[dict[str, str]]


@dataclass(slots=True)
class Application:
    uuid: str
    organisation: str
    slug: str
    name: str
    region: str
    repository: str | None
    created_at: datetime


@dataclass(slots=True)
class Environment:
    uuid: str
    organisation: str
    application: str
    slug: str
    branch: str
    created_at: datetime


@dataclass(slots=True)
class ServiceInstance:
    uuid: str
    organisation: str
    application: str
    environment: str
    service: str
    region: str
    prefix: str
    type: str
    created_at: datetime
    #: When provisioning ends; the status reads ``NEW`` before and ``ATTACHED`` after.
    ready_at: datetime


@dataclass(slots=True)
class Backup:
    uuid: str
    organisation: str
    application: str
    environment: str
    trigger: str
    notes: str | None
    scheduled_for_deletion_at: datetime | None
    created_at: datetime
    service_instance_backups: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ServiceInstanceBackup:
    uuid: str
    organisation: str
    backup: str
    service_instance: str
    service_type: str
    queued_at: datetime
    #: None until the work is scheduled (uploads start when their finish URL is called).
    start_at: datetime | None
    duration: float
    size: int | None
    #: Errors reported once the work ends; empty means success.
    errors: list[str]
    #: Bytes received through the sandbox's upload URL (uploaded backups only).
    uploaded: bytes | None = None
    #: How an uploaded backup's file is sent (``exo-presigned-v1``, ``az-sas-v1``, ...), and
    #: the signature its upload and finish URLs carry (uploaded backups only).
    upload_handler: str | None = None
    upload_signature: str | None = None


@dataclass(slots=True)
class BackupDownload:
    uuid: str
    organisation: str
    backup: str
    service_instance_backups: list[str]
    trigger: str
    created_at: datetime


@dataclass(slots=True)
class BackupDownloadServiceInstance:
    uuid: str
    organisation: str
    download: str
    service_instance_backup: str
    ready_at: datetime
    errors: list[str]


@dataclass(slots=True)
class BackupRestore:
    uuid: str
    organisation: str
    backup: str
    service_instance_backups: list[str]
    notes: str | None
    created_at: datetime
    ends_at: datetime
    success: str


@dataclass(slots=True)
class Deployment:
    uuid: str
    organisation: str
    application: str
    environment: str
    author: str
    build_mode: str
    started_at: datetime
    duration: float
    success: bool
    environment_variables: list[str]


@dataclass(slots=True)
class EnvironmentVariable:
    uuid: str
    organisation: str
    application: str
    environment: str
    name: str
    value: str
    is_sensitive: bool


@dataclass(slots=True)
class Repository:
    uuid: str
    organisation: str
    url: str
    auth_info: str | None
    created_at: datetime
    #: When the first check started the clone (None: never checked).
    clone_started_at: datetime | None = None


@dataclass(slots=True)
class ApplicationActivity:
    uuid: str
    organisation: str
    application: str
    created_at: datetime
    user: str | None
    user_name: str
    user_email: str
    type: str
    description: str
    context: dict[str, str] | None


@dataclass(slots=True)
class Invoice:
    uuid: str
    organisation: str
    number: str
    created_at: datetime


@dataclass(slots=True)
class Domain:
    uuid: str
    organisation: str
    application: str
    environment: str
    domain: str
    is_primary: bool


@dataclass(slots=True)
class Build:
    uuid: str
    organisation: str
    application: str
    environment: str
    created_at: datetime


@dataclass(slots=True)
class Patch:
    uuid: str
    organisation: str
    application: str
    description: str
    created_at: datetime
