"""Typed resources named by REST structure: ``client.backups.list(...)`` and the like.

Written by ``make generate`` (divio_spec/resources.py) from the generated client:
never edit it by hand; ``make check-generated`` fails when it is out of date.
"""

from __future__ import annotations

import builtins
import datetime
from typing import TYPE_CHECKING, cast

from divio_api import models
from divio_api.types import UNSET, Unset

from divio_ext.core.contract import Endpoint
from divio_ext.core.paginate import (
    ASYNC_CONCURRENCY,
    SYNC_CONCURRENCY,
    AsyncPager,
    Pager,
)
from divio_ext.resources.base import (
    AsyncCaller,
    AsyncResource,
    SyncCaller,
    SyncResource,
    given,
)
from divio_ext.resources.lookups import ApplicationLookups
from divio_ext.resources.lookups import AsyncApplicationLookups

if TYPE_CHECKING:
    from divio_api.models import (
        AppTemplate,
        AppTemplateDetail,
        Application,
        ApplicationActivity,
        Backup,
        BackupDownload,
        BackupDownloadServiceInstance,
        BackupRestore,
        BackupUpload,
        Build,
        BuildModeEnum,
        Deployment,
        DeploymentCreate,
        DeploymentEnvironmentVariables,
        DeploymentLog,
        Domain,
        Environment,
        EnvironmentVariable,
        Invoice,
        KeyTypeEnum,
        LogEntry,
        Organisation,
        Patch,
        Region,
        ReleaseCommand,
        Repository,
        RepositoryCheck,
        Service,
        ServiceInstance,
        ServiceInstanceBackup,
        ServiceInstanceRestoreRequest,
        TriggerEnum,
        User,
    )

_APP_TEMPLATES_LIST = Endpoint("GET", "/apps/v3/app-templates/")
_APP_TEMPLATES_RETRIEVE = Endpoint("GET", "/apps/v3/app-templates/{uuid}/")
_APPLICATION_ACTIVITIES_LIST = Endpoint("GET", "/apps/v3/application-activities/")
_APPLICATION_ACTIVITIES_RETRIEVE = Endpoint("GET", "/apps/v3/application-activities/{uuid}/")
_APPLICATIONS_CREATE = Endpoint("POST", "/apps/v3/applications/")
_APPLICATIONS_LIST = Endpoint("GET", "/apps/v3/applications/")
_APPLICATIONS_RETRIEVE = Endpoint("GET", "/apps/v3/applications/{uuid}/")
_BACKUP_DOWNLOAD_SERVICE_INSTANCES_LIST = Endpoint(
    "GET", "/apps/v3/backup-download-service-instances/"
)
_BACKUP_DOWNLOAD_SERVICE_INSTANCES_RETRIEVE = Endpoint(
    "GET", "/apps/v3/backup-download-service-instances/{uuid}/"
)
_BACKUP_DOWNLOADS_CREATE = Endpoint("POST", "/apps/v3/backup-downloads/")
_BACKUP_RESTORES_CREATE = Endpoint("POST", "/apps/v3/backup-restores/")
_BACKUP_RESTORES_RETRIEVE = Endpoint("GET", "/apps/v3/backup-restores/{uuid}/")
_BACKUPS_CREATE = Endpoint("POST", "/apps/v3/backups/")
_BACKUPS_LIST = Endpoint("GET", "/apps/v3/backups/")
_BACKUPS_RETRIEVE = Endpoint("GET", "/apps/v3/backups/{uuid}/")
_BACKUPS_UPLOAD = Endpoint("POST", "/apps/v3/backups/upload/")
_BUILDS_LIST = Endpoint("GET", "/apps/v3/builds/")
_DEPLOYMENTS_CREATE = Endpoint("POST", "/apps/v3/deployments/")
_DEPLOYMENTS_ENVIRONMENT_VARIABLES = Endpoint(
    "GET", "/apps/v3/deployments/{uuid}/environment-variables/"
)
_DEPLOYMENTS_LIST = Endpoint("GET", "/apps/v3/deployments/")
_DEPLOYMENTS_LOGS = Endpoint("GET", "/apps/v3/deployments/{uuid}/logs/")
_DEPLOYMENTS_RETRIEVE = Endpoint("GET", "/apps/v3/deployments/{uuid}/")
_DOMAINS_LIST = Endpoint("GET", "/apps/v3/domains/")
_ENVIRONMENT_VARIABLES_LIST = Endpoint("GET", "/apps/v3/environment-variables/")
_ENVIRONMENTS_COPY = Endpoint("POST", "/apps/v3/environments/{uuid}/copy/")
_ENVIRONMENTS_CREATE = Endpoint("POST", "/apps/v3/environments/")
_ENVIRONMENTS_LIST = Endpoint("GET", "/apps/v3/environments/")
_ENVIRONMENTS_LOGS = Endpoint("GET", "/apps/v3/environments/{uuid}/logs/")
_ENVIRONMENTS_RETRIEVE = Endpoint("GET", "/apps/v3/environments/{uuid}/")
_ENVIRONMENTS_UPDATE = Endpoint("PATCH", "/apps/v3/environments/{uuid}/")
_INVOICES_LIST = Endpoint("GET", "/apps/v3/invoices/")
_ME_RETRIEVE = Endpoint("GET", "/iam/v3/me/")
_ORGANISATIONS_LIST = Endpoint("GET", "/iam/v3/organisations/")
_ORGANISATIONS_RETRIEVE = Endpoint("GET", "/iam/v3/organisations/{uuid}/")
_PATCHES_LIST = Endpoint("GET", "/apps/v3/patches/")
_REGIONS_LIST = Endpoint("GET", "/apps/v3/regions/")
_REPOSITORIES_CHECK = Endpoint("POST", "/apps/v3/repositories/{uuid}/check/")
_REPOSITORIES_CREATE = Endpoint("POST", "/apps/v3/repositories/")
_REPOSITORIES_RETRIEVE = Endpoint("GET", "/apps/v3/repositories/{uuid}/")
_SERVICE_INSTANCE_BACKUPS_LIST = Endpoint("GET", "/apps/v3/service-instance-backups/")
_SERVICE_INSTANCE_BACKUPS_RETRIEVE = Endpoint("GET", "/apps/v3/service-instance-backups/{uuid}/")
_SERVICE_INSTANCES_CREATE = Endpoint("POST", "/apps/v3/service-instances/")
_SERVICE_INSTANCES_LIST = Endpoint("GET", "/apps/v3/service-instances/")
_SERVICE_INSTANCES_RETRIEVE = Endpoint("GET", "/apps/v3/service-instances/{uuid}/")
_SERVICES_LIST = Endpoint("GET", "/apps/v3/services/")


class AppTemplates(SyncResource):
    """``client.app_templates``: results and pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[AppTemplate]:
        """List app templates (GET /apps/v3/app-templates/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "Pager[AppTemplate]",
            self._client.paginate(
                _APP_TEMPLATES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )

    def retrieve(self, uuid: str) -> AppTemplateDetail:
        """Get the details of a single app template (GET /apps/v3/app-templates/{uuid}/)"""
        return cast("AppTemplateDetail", self._client.call(_APP_TEMPLATES_RETRIEVE, uuid=uuid))


class ApplicationActivities(SyncResource):
    """``client.application_activities``: results and pagers."""

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        avatar_size: str | Unset = UNSET,
        organisation: str | Unset = UNSET,
        type_: str | Unset = UNSET,
        user_name: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[ApplicationActivity]:
        """List application activities (GET /apps/v3/application-activities/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): application, organisation, type_, user_name
        Sent only (not a field of the items): avatar_size.
        """
        return cast(
            "Pager[ApplicationActivity]",
            self._client.paginate(
                _APPLICATION_ACTIVITIES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(
                    application=application,
                    avatar_size=avatar_size,
                    organisation=organisation,
                    type_=type_,
                    user_name=user_name,
                ),
            ),
        )

    def retrieve(self, uuid: str, *, avatar_size: str | Unset = UNSET) -> ApplicationActivity:
        """Get the details of a single application activity (GET /apps/v3/application-activities/{uuid}/)"""
        return cast(
            "ApplicationActivity",
            self._client.call(_APPLICATION_ACTIVITIES_RETRIEVE, uuid=uuid, avatar_size=avatar_size),
        )


class Applications(ApplicationLookups, SyncResource):
    """``client.applications``: results and pagers."""

    def create(
        self,
        *,
        name: str,
        organisation: str,
        plan_group: str,
        region: str,
        slug: str,
        app_template: None | str | Unset = UNSET,
        branch: str | Unset = UNSET,
        release_commands: builtins.list[ReleaseCommand] | None | Unset = UNSET,
        repository: None | str | Unset = UNSET,
    ) -> Application:
        """Create an application (with `test` and `live` environments). (POST /apps/v3/applications/)"""
        return cast(
            "Application",
            self._client.call(
                _APPLICATIONS_CREATE,
                body=models.ApplicationRequest(
                    name=name,
                    organisation=organisation,
                    plan_group=plan_group,
                    region=region,
                    slug=slug,
                    app_template=app_template,
                    branch=branch,
                    release_commands=release_commands,
                    repository=repository,
                ),
            ),
        )

    def list(
        self,
        *,
        name_search: str | Unset = UNSET,
        organisation: str | Unset = UNSET,
        slug: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Application]:
        """List applications the token can see. (GET /apps/v3/applications/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): organisation, slug
        Sent only (not a field of the items): name_search.
        """
        return cast(
            "Pager[Application]",
            self._client.paginate(
                _APPLICATIONS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(name_search=name_search, organisation=organisation, slug=slug),
            ),
        )

    def retrieve(self, uuid: str) -> Application:
        """Get one application. (GET /apps/v3/applications/{uuid}/)"""
        return cast("Application", self._client.call(_APPLICATIONS_RETRIEVE, uuid=uuid))


class BackupDownloadServiceInstances(SyncResource):
    """``client.backup_download_service_instances``: results and pagers."""

    def list(
        self,
        *,
        backup: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[BackupDownloadServiceInstance]:
        """List prepared downloads. (GET /apps/v3/backup-download-service-instances/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): backup.
        """
        return cast(
            "Pager[BackupDownloadServiceInstance]",
            self._client.paginate(
                _BACKUP_DOWNLOAD_SERVICE_INSTANCES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(backup=backup),
            ),
        )

    def retrieve(self, uuid: str) -> BackupDownloadServiceInstance:
        """Get one prepared download; poll until `ended_at` is set. (GET /apps/v3/backup-download-service-instances/{uuid}/)"""
        return cast(
            "BackupDownloadServiceInstance",
            self._client.call(_BACKUP_DOWNLOAD_SERVICE_INSTANCES_RETRIEVE, uuid=uuid),
        )


class BackupDownloads(SyncResource):
    """``client.backup_downloads``: results and pagers."""

    def create(
        self,
        *,
        backup: str,
        service_instance_backups: builtins.list[str],
        trigger: TriggerEnum | Unset = UNSET,
    ) -> BackupDownload:
        """Prepare downloads of service-instance backups. (POST /apps/v3/backup-downloads/)"""
        return cast(
            "BackupDownload",
            self._client.call(
                _BACKUP_DOWNLOADS_CREATE,
                body=models.BackupDownloadRequest(
                    backup=backup,
                    service_instance_backups=service_instance_backups,
                    trigger=trigger,
                ),
            ),
        )


class BackupRestores(SyncResource):
    """``client.backup_restores``: results and pagers."""

    def create(
        self,
        *,
        backup: str,
        service_instance_restores: builtins.list[ServiceInstanceRestoreRequest],
        notes: None | str | Unset = UNSET,
    ) -> BackupRestore:
        """Restore service-instance backups. (POST /apps/v3/backup-restores/)"""
        return cast(
            "BackupRestore",
            self._client.call(
                _BACKUP_RESTORES_CREATE,
                body=models.BackupRestoreRequest(
                    backup=backup, service_instance_restores=service_instance_restores, notes=notes
                ),
            ),
        )

    def retrieve(self, uuid: str) -> BackupRestore:
        """Get one restore; poll until `finished`. (GET /apps/v3/backup-restores/{uuid}/)"""
        return cast("BackupRestore", self._client.call(_BACKUP_RESTORES_RETRIEVE, uuid=uuid))


class Backups(SyncResource):
    """``client.backups``: results and pagers."""

    def create(
        self,
        *,
        environment: str,
        services: builtins.list[str],
        notes: None | str | Unset = UNSET,
        scheduled_for_deletion_at: datetime.datetime | None | Unset = UNSET,
        trigger: str | Unset = UNSET,
    ) -> Backup:
        """Start an on-demand backup; poll it until `state` is `COMPLETED`. (POST /apps/v3/backups/)"""
        return cast(
            "Backup",
            self._client.call(
                _BACKUPS_CREATE,
                body=models.BackupRequest(
                    environment=environment,
                    services=services,
                    notes=notes,
                    scheduled_for_deletion_at=scheduled_for_deletion_at,
                    trigger=trigger,
                ),
            ),
        )

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        environment: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Backup]:
        """List backups. Docs advise matching `environment` client-side. (GET /apps/v3/backups/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment
        Sent only (not a field of the items): application.
        """
        return cast(
            "Pager[Backup]",
            self._client.paginate(
                _BACKUPS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, environment=environment),
            ),
        )

    def retrieve(self, uuid: str) -> Backup:
        """Get one backup. (GET /apps/v3/backups/{uuid}/)"""
        return cast("Backup", self._client.call(_BACKUPS_RETRIEVE, uuid=uuid))

    def upload(
        self,
        *,
        environment: str,
        services: builtins.list[str],
        notes: None | str | Unset = UNSET,
        scheduled_for_deletion_at: datetime.datetime | None | Unset = UNSET,
    ) -> BackupUpload:
        """Create a backup from files you upload. (POST /apps/v3/backups/upload/)"""
        return cast(
            "BackupUpload",
            self._client.call(
                _BACKUPS_UPLOAD,
                body=models.BackupUploadRequest(
                    environment=environment,
                    services=services,
                    notes=notes,
                    scheduled_for_deletion_at=scheduled_for_deletion_at,
                ),
            ),
        )


class Builds(SyncResource):
    """``client.builds``: results and pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Build]:
        """List builds (only the collection's existence is documented). (GET /apps/v3/builds/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "Pager[Build]",
            self._client.paginate(
                _BUILDS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )


class Deployments(SyncResource):
    """``client.deployments``: results and pagers."""

    def create(
        self, *, environment: str, build_mode: BuildModeEnum | Unset = UNSET
    ) -> DeploymentCreate:
        """Start a deployment of an environment (`build_mode` defaults to `AUTO`). The answer is short: get the (POST /apps/v3/deployments/)"""
        return cast(
            "DeploymentCreate",
            self._client.call(
                _DEPLOYMENTS_CREATE,
                body=models.DeploymentCreateRequest(environment=environment, build_mode=build_mode),
            ),
        )

    def environment_variables(self, uuid: str) -> DeploymentEnvironmentVariables:
        """The environment variables a deployment ran with. (GET /apps/v3/deployments/{uuid}/environment-variables/)"""
        return cast(
            "DeploymentEnvironmentVariables",
            self._client.call(_DEPLOYMENTS_ENVIRONMENT_VARIABLES, uuid=uuid),
        )

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        environment: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Deployment]:
        """List deployments (the Divio CLI takes the first result as the newest). (GET /apps/v3/deployments/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment
        Sent only (not a field of the items): application.
        """
        return cast(
            "Pager[Deployment]",
            self._client.paginate(
                _DEPLOYMENTS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, environment=environment),
            ),
        )

    def logs(self, uuid: str) -> DeploymentLog:
        """Build and deploy log. (GET /apps/v3/deployments/{uuid}/logs/)"""
        return cast("DeploymentLog", self._client.call(_DEPLOYMENTS_LOGS, uuid=uuid))

    def retrieve(self, uuid: str) -> Deployment:
        """Get one deployment; poll it until `ended_at` is set. (GET /apps/v3/deployments/{uuid}/)"""
        return cast("Deployment", self._client.call(_DEPLOYMENTS_RETRIEVE, uuid=uuid))


class Domains(SyncResource):
    """``client.domains``: results and pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Domain]:
        """List domains (only the collection's existence is documented). (GET /apps/v3/domains/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "Pager[Domain]",
            self._client.paginate(
                _DOMAINS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )


class EnvironmentVariables(SyncResource):
    """``client.environment_variables``: results and pagers."""

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        environment: builtins.list[str] | Unset = UNSET,
        name: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[EnvironmentVariable]:
        """List environment variables; `application` or `environment` is required. (GET /apps/v3/environment-variables/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment, name
        Sent only (not a field of the items): application.
        """
        return cast(
            "Pager[EnvironmentVariable]",
            self._client.paginate(
                _ENVIRONMENT_VARIABLES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, environment=environment, name=name),
            ),
        )


class Environments(SyncResource):
    """``client.environments``: results and pagers."""

    def copy(self, uuid: str, *, new_slug: str) -> Environment:
        """Copy an environment to a new slug. (POST /apps/v3/environments/{uuid}/copy/)"""
        return cast(
            "Environment",
            self._client.call(
                _ENVIRONMENTS_COPY, uuid=uuid, body=models.EnvironmentCopyRequest(new_slug=new_slug)
            ),
        )

    def create(self, *, application: str, slug: str, branch: str | Unset = UNSET) -> Environment:
        """Create an environment of an application. (POST /apps/v3/environments/)"""
        return cast(
            "Environment",
            self._client.call(
                _ENVIRONMENTS_CREATE,
                body=models.EnvironmentRequest(application=application, slug=slug, branch=branch),
            ),
        )

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        slug: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Environment]:
        """List environments. Items leave out `last_finished_deployment` and `ssh_endpoint`: get the (GET /apps/v3/environments/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): application, slug
        """
        return cast(
            "Pager[Environment]",
            self._client.paginate(
                _ENVIRONMENTS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, slug=slug),
            ),
        )

    def logs(
        self,
        uuid: str,
        *,
        from_ts: datetime.datetime | Unset = UNSET,
        to_ts: datetime.datetime | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[LogEntry]:
        """Runtime logs; `next` and `previous` are cursors (follow them as given). (GET /apps/v3/environments/{uuid}/logs/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): from_ts, to_ts.
        """
        return cast(
            "Pager[LogEntry]",
            self._client.paginate(
                _ENVIRONMENTS_LOGS,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(from_ts=from_ts, to_ts=to_ts),
            ),
        )

    def retrieve(self, uuid: str) -> Environment:
        """Get one environment. (GET /apps/v3/environments/{uuid}/)"""
        return cast("Environment", self._client.call(_ENVIRONMENTS_RETRIEVE, uuid=uuid))

    def update(self, uuid: str, *, branch: str | Unset = UNSET) -> Environment:
        """Change an environment, e.g. its git branch. (PATCH /apps/v3/environments/{uuid}/)"""
        return cast(
            "Environment",
            self._client.call(
                _ENVIRONMENTS_UPDATE,
                uuid=uuid,
                body=models.PatchedEnvironmentRequest(branch=branch),
            ),
        )


class Invoices(SyncResource):
    """``client.invoices``: results and pagers."""

    def list(
        self,
        *,
        organisation: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Invoice]:
        """List invoices. (GET /apps/v3/invoices/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): organisation.
        """
        return cast(
            "Pager[Invoice]",
            self._client.paginate(
                _INVOICES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(organisation=organisation),
            ),
        )


class Me(SyncResource):
    """``client.me``: results and pagers."""

    def retrieve(self, *, avatar_size: str | Unset = UNSET) -> User:
        """Get the details of a single user (GET /iam/v3/me/)"""
        return cast("User", self._client.call(_ME_RETRIEVE, avatar_size=avatar_size))


class Organisations(SyncResource):
    """``client.organisations``: results and pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Organisation]:
        """List organisations the user belongs to. (GET /iam/v3/organisations/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "Pager[Organisation]",
            self._client.paginate(
                _ORGANISATIONS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )

    def retrieve(self, uuid: str) -> Organisation:
        """Get one organisation. (GET /iam/v3/organisations/{uuid}/)"""
        return cast("Organisation", self._client.call(_ORGANISATIONS_RETRIEVE, uuid=uuid))


class Patches(SyncResource):
    """``client.patches``: results and pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Patch]:
        """List patches (only the collection's existence is documented). (GET /apps/v3/patches/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "Pager[Patch]",
            self._client.paginate(
                _PATCHES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )


class Regions(SyncResource):
    """``client.regions``: results and pagers."""

    def list(
        self,
        *,
        uuid: builtins.list[str] | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Region]:
        """List regions. (GET /apps/v3/regions/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): uuid
        """
        return cast(
            "Pager[Region]",
            self._client.paginate(
                _REGIONS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(uuid=uuid),
            ),
        )


class Repositories(SyncResource):
    """``client.repositories``: results and pagers."""

    def check(
        self, uuid: str, *, branch: str | Unset = UNSET, migrate: bool | Unset = UNSET
    ) -> RepositoryCheck:
        """Start or repeat the verification; a 4xx body explains a failed check. (POST /apps/v3/repositories/{uuid}/check/)"""
        return cast(
            "RepositoryCheck",
            self._client.call(
                _REPOSITORIES_CHECK,
                uuid=uuid,
                body=models.RepositoryCheckRequest(branch=branch, migrate=migrate),
            ),
        )

    def create(
        self,
        *,
        organisation: str,
        url: str,
        key_type: KeyTypeEnum | Unset = UNSET,
        password: str | Unset = UNSET,
        username: str | Unset = UNSET,
    ) -> Repository:
        """Connect an external git repository. (POST /apps/v3/repositories/)"""
        return cast(
            "Repository",
            self._client.call(
                _REPOSITORIES_CREATE,
                body=models.RepositoryRequest(
                    organisation=organisation,
                    url=url,
                    key_type=key_type,
                    password=password,
                    username=username,
                ),
            ),
        )

    def retrieve(self, uuid: str) -> Repository:
        """Get one repository; poll `state` after a check. (GET /apps/v3/repositories/{uuid}/)"""
        return cast("Repository", self._client.call(_REPOSITORIES_RETRIEVE, uuid=uuid))


class ServiceInstanceBackups(SyncResource):
    """``client.service_instance_backups``: results and pagers."""

    def list(
        self,
        *,
        backup: str | Unset = UNSET,
        service_instance: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[ServiceInstanceBackup]:
        """List service-instance backups. (GET /apps/v3/service-instance-backups/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): backup, service_instance
        """
        return cast(
            "Pager[ServiceInstanceBackup]",
            self._client.paginate(
                _SERVICE_INSTANCE_BACKUPS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(backup=backup, service_instance=service_instance),
            ),
        )

    def retrieve(self, uuid: str) -> ServiceInstanceBackup:
        """Get one service-instance backup. (GET /apps/v3/service-instance-backups/{uuid}/)"""
        return cast(
            "ServiceInstanceBackup",
            self._client.call(_SERVICE_INSTANCE_BACKUPS_RETRIEVE, uuid=uuid),
        )


class ServiceInstances(SyncResource):
    """``client.service_instances``: results and pagers."""

    def create(
        self, *, environment: str, region: str, service: str, prefix: str | Unset = UNSET
    ) -> ServiceInstance:
        """Add a service to an environment. (POST /apps/v3/service-instances/)"""
        return cast(
            "ServiceInstance",
            self._client.call(
                _SERVICE_INSTANCES_CREATE,
                body=models.ServiceInstanceRequest(
                    environment=environment, region=region, service=service, prefix=prefix
                ),
            ),
        )

    def list(
        self,
        *,
        environment: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[ServiceInstance]:
        """List service instances. (GET /apps/v3/service-instances/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment
        """
        return cast(
            "Pager[ServiceInstance]",
            self._client.paginate(
                _SERVICE_INSTANCES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(environment=environment),
            ),
        )

    def retrieve(self, uuid: str) -> ServiceInstance:
        """Get one service instance (DRF detail route; inferred). (GET /apps/v3/service-instances/{uuid}/)"""
        return cast("ServiceInstance", self._client.call(_SERVICE_INSTANCES_RETRIEVE, uuid=uuid))


class Services(SyncResource):
    """``client.services``: results and pagers."""

    def list(
        self,
        *,
        region: str | Unset = UNSET,
        website: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = SYNC_CONCURRENCY,
    ) -> Pager[Service]:
        """The service catalogue. (GET /apps/v3/services/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): region, website.
        """
        return cast(
            "Pager[Service]",
            self._client.paginate(
                _SERVICES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(region=region, website=website),
            ),
        )


class SyncResources:
    """Every resource of the spec as an attribute; the client mixes this in."""

    app_templates: AppTemplates
    application_activities: ApplicationActivities
    applications: Applications
    backup_download_service_instances: BackupDownloadServiceInstances
    backup_downloads: BackupDownloads
    backup_restores: BackupRestores
    backups: Backups
    builds: Builds
    deployments: Deployments
    domains: Domains
    environment_variables: EnvironmentVariables
    environments: Environments
    invoices: Invoices
    me: Me
    organisations: Organisations
    patches: Patches
    regions: Regions
    repositories: Repositories
    service_instance_backups: ServiceInstanceBackups
    service_instances: ServiceInstances
    services: Services

    def _attach_resources(self, client: SyncCaller) -> None:
        self.app_templates = AppTemplates(client)
        self.application_activities = ApplicationActivities(client)
        self.applications = Applications(client)
        self.backup_download_service_instances = BackupDownloadServiceInstances(client)
        self.backup_downloads = BackupDownloads(client)
        self.backup_restores = BackupRestores(client)
        self.backups = Backups(client)
        self.builds = Builds(client)
        self.deployments = Deployments(client)
        self.domains = Domains(client)
        self.environment_variables = EnvironmentVariables(client)
        self.environments = Environments(client)
        self.invoices = Invoices(client)
        self.me = Me(client)
        self.organisations = Organisations(client)
        self.patches = Patches(client)
        self.regions = Regions(client)
        self.repositories = Repositories(client)
        self.service_instance_backups = ServiceInstanceBackups(client)
        self.service_instances = ServiceInstances(client)
        self.services = Services(client)


class AsyncAppTemplates(AsyncResource):
    """``client.app_templates``: awaitables and async pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[AppTemplate]:
        """List app templates (GET /apps/v3/app-templates/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "AsyncPager[AppTemplate]",
            self._client.paginate(
                _APP_TEMPLATES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )

    async def retrieve(self, uuid: str) -> AppTemplateDetail:
        """Get the details of a single app template (GET /apps/v3/app-templates/{uuid}/)"""
        return cast(
            "AppTemplateDetail", await self._client.call(_APP_TEMPLATES_RETRIEVE, uuid=uuid)
        )


class AsyncApplicationActivities(AsyncResource):
    """``client.application_activities``: awaitables and async pagers."""

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        avatar_size: str | Unset = UNSET,
        organisation: str | Unset = UNSET,
        type_: str | Unset = UNSET,
        user_name: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[ApplicationActivity]:
        """List application activities (GET /apps/v3/application-activities/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): application, organisation, type_, user_name
        Sent only (not a field of the items): avatar_size.
        """
        return cast(
            "AsyncPager[ApplicationActivity]",
            self._client.paginate(
                _APPLICATION_ACTIVITIES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(
                    application=application,
                    avatar_size=avatar_size,
                    organisation=organisation,
                    type_=type_,
                    user_name=user_name,
                ),
            ),
        )

    async def retrieve(self, uuid: str, *, avatar_size: str | Unset = UNSET) -> ApplicationActivity:
        """Get the details of a single application activity (GET /apps/v3/application-activities/{uuid}/)"""
        return cast(
            "ApplicationActivity",
            await self._client.call(
                _APPLICATION_ACTIVITIES_RETRIEVE, uuid=uuid, avatar_size=avatar_size
            ),
        )


class AsyncApplications(AsyncApplicationLookups, AsyncResource):
    """``client.applications``: awaitables and async pagers."""

    async def create(
        self,
        *,
        name: str,
        organisation: str,
        plan_group: str,
        region: str,
        slug: str,
        app_template: None | str | Unset = UNSET,
        branch: str | Unset = UNSET,
        release_commands: builtins.list[ReleaseCommand] | None | Unset = UNSET,
        repository: None | str | Unset = UNSET,
    ) -> Application:
        """Create an application (with `test` and `live` environments). (POST /apps/v3/applications/)"""
        return cast(
            "Application",
            await self._client.call(
                _APPLICATIONS_CREATE,
                body=models.ApplicationRequest(
                    name=name,
                    organisation=organisation,
                    plan_group=plan_group,
                    region=region,
                    slug=slug,
                    app_template=app_template,
                    branch=branch,
                    release_commands=release_commands,
                    repository=repository,
                ),
            ),
        )

    def list(
        self,
        *,
        name_search: str | Unset = UNSET,
        organisation: str | Unset = UNSET,
        slug: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Application]:
        """List applications the token can see. (GET /apps/v3/applications/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): organisation, slug
        Sent only (not a field of the items): name_search.
        """
        return cast(
            "AsyncPager[Application]",
            self._client.paginate(
                _APPLICATIONS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(name_search=name_search, organisation=organisation, slug=slug),
            ),
        )

    async def retrieve(self, uuid: str) -> Application:
        """Get one application. (GET /apps/v3/applications/{uuid}/)"""
        return cast("Application", await self._client.call(_APPLICATIONS_RETRIEVE, uuid=uuid))


class AsyncBackupDownloadServiceInstances(AsyncResource):
    """``client.backup_download_service_instances``: awaitables and async pagers."""

    def list(
        self,
        *,
        backup: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[BackupDownloadServiceInstance]:
        """List prepared downloads. (GET /apps/v3/backup-download-service-instances/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): backup.
        """
        return cast(
            "AsyncPager[BackupDownloadServiceInstance]",
            self._client.paginate(
                _BACKUP_DOWNLOAD_SERVICE_INSTANCES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(backup=backup),
            ),
        )

    async def retrieve(self, uuid: str) -> BackupDownloadServiceInstance:
        """Get one prepared download; poll until `ended_at` is set. (GET /apps/v3/backup-download-service-instances/{uuid}/)"""
        return cast(
            "BackupDownloadServiceInstance",
            await self._client.call(_BACKUP_DOWNLOAD_SERVICE_INSTANCES_RETRIEVE, uuid=uuid),
        )


class AsyncBackupDownloads(AsyncResource):
    """``client.backup_downloads``: awaitables and async pagers."""

    async def create(
        self,
        *,
        backup: str,
        service_instance_backups: builtins.list[str],
        trigger: TriggerEnum | Unset = UNSET,
    ) -> BackupDownload:
        """Prepare downloads of service-instance backups. (POST /apps/v3/backup-downloads/)"""
        return cast(
            "BackupDownload",
            await self._client.call(
                _BACKUP_DOWNLOADS_CREATE,
                body=models.BackupDownloadRequest(
                    backup=backup,
                    service_instance_backups=service_instance_backups,
                    trigger=trigger,
                ),
            ),
        )


class AsyncBackupRestores(AsyncResource):
    """``client.backup_restores``: awaitables and async pagers."""

    async def create(
        self,
        *,
        backup: str,
        service_instance_restores: builtins.list[ServiceInstanceRestoreRequest],
        notes: None | str | Unset = UNSET,
    ) -> BackupRestore:
        """Restore service-instance backups. (POST /apps/v3/backup-restores/)"""
        return cast(
            "BackupRestore",
            await self._client.call(
                _BACKUP_RESTORES_CREATE,
                body=models.BackupRestoreRequest(
                    backup=backup, service_instance_restores=service_instance_restores, notes=notes
                ),
            ),
        )

    async def retrieve(self, uuid: str) -> BackupRestore:
        """Get one restore; poll until `finished`. (GET /apps/v3/backup-restores/{uuid}/)"""
        return cast("BackupRestore", await self._client.call(_BACKUP_RESTORES_RETRIEVE, uuid=uuid))


class AsyncBackups(AsyncResource):
    """``client.backups``: awaitables and async pagers."""

    async def create(
        self,
        *,
        environment: str,
        services: builtins.list[str],
        notes: None | str | Unset = UNSET,
        scheduled_for_deletion_at: datetime.datetime | None | Unset = UNSET,
        trigger: str | Unset = UNSET,
    ) -> Backup:
        """Start an on-demand backup; poll it until `state` is `COMPLETED`. (POST /apps/v3/backups/)"""
        return cast(
            "Backup",
            await self._client.call(
                _BACKUPS_CREATE,
                body=models.BackupRequest(
                    environment=environment,
                    services=services,
                    notes=notes,
                    scheduled_for_deletion_at=scheduled_for_deletion_at,
                    trigger=trigger,
                ),
            ),
        )

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        environment: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Backup]:
        """List backups. Docs advise matching `environment` client-side. (GET /apps/v3/backups/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment
        Sent only (not a field of the items): application.
        """
        return cast(
            "AsyncPager[Backup]",
            self._client.paginate(
                _BACKUPS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, environment=environment),
            ),
        )

    async def retrieve(self, uuid: str) -> Backup:
        """Get one backup. (GET /apps/v3/backups/{uuid}/)"""
        return cast("Backup", await self._client.call(_BACKUPS_RETRIEVE, uuid=uuid))

    async def upload(
        self,
        *,
        environment: str,
        services: builtins.list[str],
        notes: None | str | Unset = UNSET,
        scheduled_for_deletion_at: datetime.datetime | None | Unset = UNSET,
    ) -> BackupUpload:
        """Create a backup from files you upload. (POST /apps/v3/backups/upload/)"""
        return cast(
            "BackupUpload",
            await self._client.call(
                _BACKUPS_UPLOAD,
                body=models.BackupUploadRequest(
                    environment=environment,
                    services=services,
                    notes=notes,
                    scheduled_for_deletion_at=scheduled_for_deletion_at,
                ),
            ),
        )


class AsyncBuilds(AsyncResource):
    """``client.builds``: awaitables and async pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Build]:
        """List builds (only the collection's existence is documented). (GET /apps/v3/builds/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "AsyncPager[Build]",
            self._client.paginate(
                _BUILDS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )


class AsyncDeployments(AsyncResource):
    """``client.deployments``: awaitables and async pagers."""

    async def create(
        self, *, environment: str, build_mode: BuildModeEnum | Unset = UNSET
    ) -> DeploymentCreate:
        """Start a deployment of an environment (`build_mode` defaults to `AUTO`). The answer is short: get the (POST /apps/v3/deployments/)"""
        return cast(
            "DeploymentCreate",
            await self._client.call(
                _DEPLOYMENTS_CREATE,
                body=models.DeploymentCreateRequest(environment=environment, build_mode=build_mode),
            ),
        )

    async def environment_variables(self, uuid: str) -> DeploymentEnvironmentVariables:
        """The environment variables a deployment ran with. (GET /apps/v3/deployments/{uuid}/environment-variables/)"""
        return cast(
            "DeploymentEnvironmentVariables",
            await self._client.call(_DEPLOYMENTS_ENVIRONMENT_VARIABLES, uuid=uuid),
        )

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        environment: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Deployment]:
        """List deployments (the Divio CLI takes the first result as the newest). (GET /apps/v3/deployments/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment
        Sent only (not a field of the items): application.
        """
        return cast(
            "AsyncPager[Deployment]",
            self._client.paginate(
                _DEPLOYMENTS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, environment=environment),
            ),
        )

    async def logs(self, uuid: str) -> DeploymentLog:
        """Build and deploy log. (GET /apps/v3/deployments/{uuid}/logs/)"""
        return cast("DeploymentLog", await self._client.call(_DEPLOYMENTS_LOGS, uuid=uuid))

    async def retrieve(self, uuid: str) -> Deployment:
        """Get one deployment; poll it until `ended_at` is set. (GET /apps/v3/deployments/{uuid}/)"""
        return cast("Deployment", await self._client.call(_DEPLOYMENTS_RETRIEVE, uuid=uuid))


class AsyncDomains(AsyncResource):
    """``client.domains``: awaitables and async pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Domain]:
        """List domains (only the collection's existence is documented). (GET /apps/v3/domains/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "AsyncPager[Domain]",
            self._client.paginate(
                _DOMAINS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )


class AsyncEnvironmentVariables(AsyncResource):
    """``client.environment_variables``: awaitables and async pagers."""

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        environment: builtins.list[str] | Unset = UNSET,
        name: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[EnvironmentVariable]:
        """List environment variables; `application` or `environment` is required. (GET /apps/v3/environment-variables/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment, name
        Sent only (not a field of the items): application.
        """
        return cast(
            "AsyncPager[EnvironmentVariable]",
            self._client.paginate(
                _ENVIRONMENT_VARIABLES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, environment=environment, name=name),
            ),
        )


class AsyncEnvironments(AsyncResource):
    """``client.environments``: awaitables and async pagers."""

    async def copy(self, uuid: str, *, new_slug: str) -> Environment:
        """Copy an environment to a new slug. (POST /apps/v3/environments/{uuid}/copy/)"""
        return cast(
            "Environment",
            await self._client.call(
                _ENVIRONMENTS_COPY, uuid=uuid, body=models.EnvironmentCopyRequest(new_slug=new_slug)
            ),
        )

    async def create(
        self, *, application: str, slug: str, branch: str | Unset = UNSET
    ) -> Environment:
        """Create an environment of an application. (POST /apps/v3/environments/)"""
        return cast(
            "Environment",
            await self._client.call(
                _ENVIRONMENTS_CREATE,
                body=models.EnvironmentRequest(application=application, slug=slug, branch=branch),
            ),
        )

    def list(
        self,
        *,
        application: str | Unset = UNSET,
        slug: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Environment]:
        """List environments. Items leave out `last_finished_deployment` and `ssh_endpoint`: get the (GET /apps/v3/environments/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): application, slug
        """
        return cast(
            "AsyncPager[Environment]",
            self._client.paginate(
                _ENVIRONMENTS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(application=application, slug=slug),
            ),
        )

    def logs(
        self,
        uuid: str,
        *,
        from_ts: datetime.datetime | Unset = UNSET,
        to_ts: datetime.datetime | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[LogEntry]:
        """Runtime logs; `next` and `previous` are cursors (follow them as given). (GET /apps/v3/environments/{uuid}/logs/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): from_ts, to_ts.
        """
        return cast(
            "AsyncPager[LogEntry]",
            self._client.paginate(
                _ENVIRONMENTS_LOGS,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(from_ts=from_ts, to_ts=to_ts),
            ),
        )

    async def retrieve(self, uuid: str) -> Environment:
        """Get one environment. (GET /apps/v3/environments/{uuid}/)"""
        return cast("Environment", await self._client.call(_ENVIRONMENTS_RETRIEVE, uuid=uuid))

    async def update(self, uuid: str, *, branch: str | Unset = UNSET) -> Environment:
        """Change an environment, e.g. its git branch. (PATCH /apps/v3/environments/{uuid}/)"""
        return cast(
            "Environment",
            await self._client.call(
                _ENVIRONMENTS_UPDATE,
                uuid=uuid,
                body=models.PatchedEnvironmentRequest(branch=branch),
            ),
        )


class AsyncInvoices(AsyncResource):
    """``client.invoices``: awaitables and async pagers."""

    def list(
        self,
        *,
        organisation: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Invoice]:
        """List invoices. (GET /apps/v3/invoices/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): organisation.
        """
        return cast(
            "AsyncPager[Invoice]",
            self._client.paginate(
                _INVOICES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(organisation=organisation),
            ),
        )


class AsyncMe(AsyncResource):
    """``client.me``: awaitables and async pagers."""

    async def retrieve(self, *, avatar_size: str | Unset = UNSET) -> User:
        """Get the details of a single user (GET /iam/v3/me/)"""
        return cast("User", await self._client.call(_ME_RETRIEVE, avatar_size=avatar_size))


class AsyncOrganisations(AsyncResource):
    """``client.organisations``: awaitables and async pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Organisation]:
        """List organisations the user belongs to. (GET /iam/v3/organisations/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "AsyncPager[Organisation]",
            self._client.paginate(
                _ORGANISATIONS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )

    async def retrieve(self, uuid: str) -> Organisation:
        """Get one organisation. (GET /iam/v3/organisations/{uuid}/)"""
        return cast("Organisation", await self._client.call(_ORGANISATIONS_RETRIEVE, uuid=uuid))


class AsyncPatches(AsyncResource):
    """``client.patches``: awaitables and async pagers."""

    def list(
        self,
        *,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Patch]:
        """List patches (only the collection's existence is documented). (GET /apps/v3/patches/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        """
        return cast(
            "AsyncPager[Patch]",
            self._client.paginate(
                _PATCHES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(),
            ),
        )


class AsyncRegions(AsyncResource):
    """``client.regions``: awaitables and async pagers."""

    def list(
        self,
        *,
        uuid: builtins.list[str] | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Region]:
        """List regions. (GET /apps/v3/regions/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): uuid
        """
        return cast(
            "AsyncPager[Region]",
            self._client.paginate(
                _REGIONS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(uuid=uuid),
            ),
        )


class AsyncRepositories(AsyncResource):
    """``client.repositories``: awaitables and async pagers."""

    async def check(
        self, uuid: str, *, branch: str | Unset = UNSET, migrate: bool | Unset = UNSET
    ) -> RepositoryCheck:
        """Start or repeat the verification; a 4xx body explains a failed check. (POST /apps/v3/repositories/{uuid}/check/)"""
        return cast(
            "RepositoryCheck",
            await self._client.call(
                _REPOSITORIES_CHECK,
                uuid=uuid,
                body=models.RepositoryCheckRequest(branch=branch, migrate=migrate),
            ),
        )

    async def create(
        self,
        *,
        organisation: str,
        url: str,
        key_type: KeyTypeEnum | Unset = UNSET,
        password: str | Unset = UNSET,
        username: str | Unset = UNSET,
    ) -> Repository:
        """Connect an external git repository. (POST /apps/v3/repositories/)"""
        return cast(
            "Repository",
            await self._client.call(
                _REPOSITORIES_CREATE,
                body=models.RepositoryRequest(
                    organisation=organisation,
                    url=url,
                    key_type=key_type,
                    password=password,
                    username=username,
                ),
            ),
        )

    async def retrieve(self, uuid: str) -> Repository:
        """Get one repository; poll `state` after a check. (GET /apps/v3/repositories/{uuid}/)"""
        return cast("Repository", await self._client.call(_REPOSITORIES_RETRIEVE, uuid=uuid))


class AsyncServiceInstanceBackups(AsyncResource):
    """``client.service_instance_backups``: awaitables and async pagers."""

    def list(
        self,
        *,
        backup: str | Unset = UNSET,
        service_instance: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[ServiceInstanceBackup]:
        """List service-instance backups. (GET /apps/v3/service-instance-backups/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): backup, service_instance
        """
        return cast(
            "AsyncPager[ServiceInstanceBackup]",
            self._client.paginate(
                _SERVICE_INSTANCE_BACKUPS_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(backup=backup, service_instance=service_instance),
            ),
        )

    async def retrieve(self, uuid: str) -> ServiceInstanceBackup:
        """Get one service-instance backup. (GET /apps/v3/service-instance-backups/{uuid}/)"""
        return cast(
            "ServiceInstanceBackup",
            await self._client.call(_SERVICE_INSTANCE_BACKUPS_RETRIEVE, uuid=uuid),
        )


class AsyncServiceInstances(AsyncResource):
    """``client.service_instances``: awaitables and async pagers."""

    async def create(
        self, *, environment: str, region: str, service: str, prefix: str | Unset = UNSET
    ) -> ServiceInstance:
        """Add a service to an environment. (POST /apps/v3/service-instances/)"""
        return cast(
            "ServiceInstance",
            await self._client.call(
                _SERVICE_INSTANCES_CREATE,
                body=models.ServiceInstanceRequest(
                    environment=environment, region=region, service=service, prefix=prefix
                ),
            ),
        )

    def list(
        self,
        *,
        environment: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[ServiceInstance]:
        """List service instances. (GET /apps/v3/service-instances/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): environment
        """
        return cast(
            "AsyncPager[ServiceInstance]",
            self._client.paginate(
                _SERVICE_INSTANCES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(environment=environment),
            ),
        )

    async def retrieve(self, uuid: str) -> ServiceInstance:
        """Get one service instance (DRF detail route; inferred). (GET /apps/v3/service-instances/{uuid}/)"""
        return cast(
            "ServiceInstance", await self._client.call(_SERVICE_INSTANCES_RETRIEVE, uuid=uuid)
        )


class AsyncServices(AsyncResource):
    """``client.services``: awaitables and async pagers."""

    def list(
        self,
        *,
        region: str | Unset = UNSET,
        website: str | Unset = UNSET,
        page_size: int | None = None,
        limit: int | None = None,
        concurrency: int = ASYNC_CONCURRENCY,
    ) -> AsyncPager[Service]:
        """The service catalogue. (GET /apps/v3/services/)

        A lazy pager; filters are sent to the server, and the pager also checks
        these on every item (a server may ignore a filter): none
        Sent only (not a field of the items): region, website.
        """
        return cast(
            "AsyncPager[Service]",
            self._client.paginate(
                _SERVICES_LIST,
                page_size=page_size,
                limit=limit,
                concurrency=concurrency,
                **given(region=region, website=website),
            ),
        )


class AsyncResources:
    """Every resource of the spec as an attribute; the client mixes this in."""

    app_templates: AsyncAppTemplates
    application_activities: AsyncApplicationActivities
    applications: AsyncApplications
    backup_download_service_instances: AsyncBackupDownloadServiceInstances
    backup_downloads: AsyncBackupDownloads
    backup_restores: AsyncBackupRestores
    backups: AsyncBackups
    builds: AsyncBuilds
    deployments: AsyncDeployments
    domains: AsyncDomains
    environment_variables: AsyncEnvironmentVariables
    environments: AsyncEnvironments
    invoices: AsyncInvoices
    me: AsyncMe
    organisations: AsyncOrganisations
    patches: AsyncPatches
    regions: AsyncRegions
    repositories: AsyncRepositories
    service_instance_backups: AsyncServiceInstanceBackups
    service_instances: AsyncServiceInstances
    services: AsyncServices

    def _attach_resources(self, client: AsyncCaller) -> None:
        self.app_templates = AsyncAppTemplates(client)
        self.application_activities = AsyncApplicationActivities(client)
        self.applications = AsyncApplications(client)
        self.backup_download_service_instances = AsyncBackupDownloadServiceInstances(client)
        self.backup_downloads = AsyncBackupDownloads(client)
        self.backup_restores = AsyncBackupRestores(client)
        self.backups = AsyncBackups(client)
        self.builds = AsyncBuilds(client)
        self.deployments = AsyncDeployments(client)
        self.domains = AsyncDomains(client)
        self.environment_variables = AsyncEnvironmentVariables(client)
        self.environments = AsyncEnvironments(client)
        self.invoices = AsyncInvoices(client)
        self.me = AsyncMe(client)
        self.organisations = AsyncOrganisations(client)
        self.patches = AsyncPatches(client)
        self.regions = AsyncRegions(client)
        self.repositories = AsyncRepositories(client)
        self.service_instance_backups = AsyncServiceInstanceBackups(client)
        self.service_instances = AsyncServiceInstances(client)
        self.services = AsyncServices(client)
