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
        branch (str | Unset): Git branch deployed to this environment.
        deployed_url (None | str | Unset):
        last_finished_deployment (DeploymentReference | None | Unset):
        slug (str | Unset): `test`, `live` or a custom slug.
        ssh_endpoint (None | SshEndpoint | Unset):
    """

    application: str
    uuid: str
    branch: str | Unset = UNSET
    deployed_url: None | str | Unset = UNSET
    last_finished_deployment: DeploymentReference | None | Unset = UNSET
    slug: str | Unset = UNSET
    ssh_endpoint: None | SshEndpoint | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.deployment_reference import DeploymentReference
        from ..models.ssh_endpoint import SshEndpoint

        application = self.application

        uuid = self.uuid

        branch = self.branch

        deployed_url: None | str | Unset
        if isinstance(self.deployed_url, Unset):
            deployed_url = UNSET
        else:
            deployed_url = self.deployed_url

        last_finished_deployment: dict[str, Any] | None | Unset
        if isinstance(self.last_finished_deployment, Unset):
            last_finished_deployment = UNSET
        elif isinstance(self.last_finished_deployment, DeploymentReference):
            last_finished_deployment = self.last_finished_deployment.to_dict()
        else:
            last_finished_deployment = self.last_finished_deployment

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
        if branch is not UNSET:
            field_dict["branch"] = branch
        if deployed_url is not UNSET:
            field_dict["deployed_url"] = deployed_url
        if last_finished_deployment is not UNSET:
            field_dict["last_finished_deployment"] = last_finished_deployment
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

        branch = d.pop("branch", UNSET)

        def _parse_deployed_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deployed_url = _parse_deployed_url(d.pop("deployed_url", UNSET))

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
            branch=branch,
            deployed_url=deployed_url,
            last_finished_deployment=last_finished_deployment,
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
