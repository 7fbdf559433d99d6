from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.deployment_reference import DeploymentReference
    from ..models.ssh_endpoint import SshEndpoint


T = TypeVar("T", bound="Environment")


@_attrs_define
class Environment:
    """
    Attributes:
        application (str):
        uuid (str):
        app_name (str | Unset): Internal name of the environment's app, e.g. `<slug>-<env>-<hex>`.
        branch (str | Unset): Git branch deployed to this environment.
        deployed_url (None | str | Unset): Detail only; read once by the Divio CLI, unconfirmed.
        environment_variables (list[str] | Unset): Names of the environment's variables (no values).
        is_production_grade (bool | Unset):
        last_finished_deployment (DeploymentReference | None | Unset): Detail only (list items leave it out); null:
            never deployed.
        ondemand_backup_retention_config (None | str | Unset): Retention rules of on-demand backups.
        pending_commits_lookup (None | str | Unset): `<deployed commit>..<branch>`: the commits not deployed yet.
        primary_domain (None | str | Unset): The primary domain; null when none is set.
        scheduled_backup_config (None | str | Unset): Schedule of automatic backups.
        slug (str | Unset): `test`, `live` or a custom slug.
        ssh_endpoint (None | SshEndpoint | Unset): Detail only (list items leave it out).
    """

    application: str
    uuid: str
    app_name: str | Unset = UNSET
    branch: str | Unset = UNSET
    deployed_url: None | str | Unset = UNSET
    environment_variables: list[str] | Unset = UNSET
    is_production_grade: bool | Unset = UNSET
    last_finished_deployment: DeploymentReference | None | Unset = UNSET
    ondemand_backup_retention_config: None | str | Unset = UNSET
    pending_commits_lookup: None | str | Unset = UNSET
    primary_domain: None | str | Unset = UNSET
    scheduled_backup_config: None | str | Unset = UNSET
    slug: str | Unset = UNSET
    ssh_endpoint: None | SshEndpoint | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.deployment_reference import DeploymentReference
        from ..models.ssh_endpoint import SshEndpoint

        application = self.application

        uuid = self.uuid

        app_name = self.app_name

        branch = self.branch

        deployed_url: None | str | Unset
        if isinstance(self.deployed_url, Unset):
            deployed_url = UNSET
        else:
            deployed_url = self.deployed_url

        environment_variables: list[str] | Unset = UNSET
        if not isinstance(self.environment_variables, Unset):
            environment_variables = self.environment_variables

        is_production_grade = self.is_production_grade

        last_finished_deployment: dict[str, Any] | None | Unset
        if isinstance(self.last_finished_deployment, Unset):
            last_finished_deployment = UNSET
        elif isinstance(self.last_finished_deployment, DeploymentReference):
            last_finished_deployment = self.last_finished_deployment.to_dict()
        else:
            last_finished_deployment = self.last_finished_deployment

        ondemand_backup_retention_config: None | str | Unset
        if isinstance(self.ondemand_backup_retention_config, Unset):
            ondemand_backup_retention_config = UNSET
        else:
            ondemand_backup_retention_config = self.ondemand_backup_retention_config

        pending_commits_lookup: None | str | Unset
        if isinstance(self.pending_commits_lookup, Unset):
            pending_commits_lookup = UNSET
        else:
            pending_commits_lookup = self.pending_commits_lookup

        primary_domain: None | str | Unset
        if isinstance(self.primary_domain, Unset):
            primary_domain = UNSET
        else:
            primary_domain = self.primary_domain

        scheduled_backup_config: None | str | Unset
        if isinstance(self.scheduled_backup_config, Unset):
            scheduled_backup_config = UNSET
        else:
            scheduled_backup_config = self.scheduled_backup_config

        slug = self.slug

        ssh_endpoint: dict[str, Any] | None | Unset
        if isinstance(self.ssh_endpoint, Unset):
            ssh_endpoint = UNSET
        elif isinstance(self.ssh_endpoint, SshEndpoint):
            ssh_endpoint = self.ssh_endpoint.to_dict()
        else:
            ssh_endpoint = self.ssh_endpoint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "application": application,
                "uuid": uuid,
            }
        )
        if app_name is not UNSET:
            field_dict["app_name"] = app_name
        if branch is not UNSET:
            field_dict["branch"] = branch
        if deployed_url is not UNSET:
            field_dict["deployed_url"] = deployed_url
        if environment_variables is not UNSET:
            field_dict["environment_variables"] = environment_variables
        if is_production_grade is not UNSET:
            field_dict["is_production_grade"] = is_production_grade
        if last_finished_deployment is not UNSET:
            field_dict["last_finished_deployment"] = last_finished_deployment
        if ondemand_backup_retention_config is not UNSET:
            field_dict["ondemand_backup_retention_config"] = (
                ondemand_backup_retention_config
            )
        if pending_commits_lookup is not UNSET:
            field_dict["pending_commits_lookup"] = pending_commits_lookup
        if primary_domain is not UNSET:
            field_dict["primary_domain"] = primary_domain
        if scheduled_backup_config is not UNSET:
            field_dict["scheduled_backup_config"] = scheduled_backup_config
        if slug is not UNSET:
            field_dict["slug"] = slug
        if ssh_endpoint is not UNSET:
            field_dict["ssh_endpoint"] = ssh_endpoint

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deployment_reference import DeploymentReference
        from ..models.ssh_endpoint import SshEndpoint

        d = dict(src_dict)
        application = d.pop("application")

        uuid = d.pop("uuid")

        app_name = d.pop("app_name", UNSET)

        branch = d.pop("branch", UNSET)

        def _parse_deployed_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deployed_url = _parse_deployed_url(d.pop("deployed_url", UNSET))

        environment_variables = cast(list[str], d.pop("environment_variables", UNSET))

        is_production_grade = d.pop("is_production_grade", UNSET)

        def _parse_last_finished_deployment(
            data: object,
        ) -> DeploymentReference | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_finished_deployment_type_1 = DeploymentReference.from_dict(data)

                return last_finished_deployment_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeploymentReference | None | Unset, data)

        last_finished_deployment = _parse_last_finished_deployment(
            d.pop("last_finished_deployment", UNSET)
        )

        def _parse_ondemand_backup_retention_config(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ondemand_backup_retention_config = _parse_ondemand_backup_retention_config(
            d.pop("ondemand_backup_retention_config", UNSET)
        )

        def _parse_pending_commits_lookup(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pending_commits_lookup = _parse_pending_commits_lookup(
            d.pop("pending_commits_lookup", UNSET)
        )

        def _parse_primary_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        primary_domain = _parse_primary_domain(d.pop("primary_domain", UNSET))

        def _parse_scheduled_backup_config(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scheduled_backup_config = _parse_scheduled_backup_config(
            d.pop("scheduled_backup_config", UNSET)
        )

        slug = d.pop("slug", UNSET)

        def _parse_ssh_endpoint(data: object) -> None | SshEndpoint | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ssh_endpoint_type_1 = SshEndpoint.from_dict(data)

                return ssh_endpoint_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SshEndpoint | Unset, data)

        ssh_endpoint = _parse_ssh_endpoint(d.pop("ssh_endpoint", UNSET))

        environment = cls(
            application=application,
            uuid=uuid,
            app_name=app_name,
            branch=branch,
            deployed_url=deployed_url,
            environment_variables=environment_variables,
            is_production_grade=is_production_grade,
            last_finished_deployment=last_finished_deployment,
            ondemand_backup_retention_config=ondemand_backup_retention_config,
            pending_commits_lookup=pending_commits_lookup,
            primary_domain=primary_domain,
            scheduled_backup_config=scheduled_backup_config,
            slug=slug,
            ssh_endpoint=ssh_endpoint,
        )

        environment.additional_properties = d
        return environment

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
