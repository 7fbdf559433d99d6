from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiRoot")


@_attrs_define
class ApiRoot:
    """Index of the collections (old and incomplete).

    Attributes:
        applications (str | Unset):
        builds (str | Unset):
        deployments (str | Unset):
        domains (str | Unset):
        environments (str | Unset):
        patches (str | Unset):
        regions (str | Unset):
        repositories (str | Unset):
        serviceinstances (str | Unset):
    """

    applications: str | Unset = UNSET
    builds: str | Unset = UNSET
    deployments: str | Unset = UNSET
    domains: str | Unset = UNSET
    environments: str | Unset = UNSET
    patches: str | Unset = UNSET
    regions: str | Unset = UNSET
    repositories: str | Unset = UNSET
    serviceinstances: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        applications = self.applications

        builds = self.builds

        deployments = self.deployments

        domains = self.domains

        environments = self.environments

        patches = self.patches

        regions = self.regions

        repositories = self.repositories

        serviceinstances = self.serviceinstances

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if applications is not UNSET:
            field_dict["applications"] = applications
        if builds is not UNSET:
            field_dict["builds"] = builds
        if deployments is not UNSET:
            field_dict["deployments"] = deployments
        if domains is not UNSET:
            field_dict["domains"] = domains
        if environments is not UNSET:
            field_dict["environments"] = environments
        if patches is not UNSET:
            field_dict["patches"] = patches
        if regions is not UNSET:
            field_dict["regions"] = regions
        if repositories is not UNSET:
            field_dict["repositories"] = repositories
        if serviceinstances is not UNSET:
            field_dict["serviceinstances"] = serviceinstances

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        applications = d.pop("applications", UNSET)

        builds = d.pop("builds", UNSET)

        deployments = d.pop("deployments", UNSET)

        domains = d.pop("domains", UNSET)

        environments = d.pop("environments", UNSET)

        patches = d.pop("patches", UNSET)

        regions = d.pop("regions", UNSET)

        repositories = d.pop("repositories", UNSET)

        serviceinstances = d.pop("serviceinstances", UNSET)

        api_root = cls(
            applications=applications,
            builds=builds,
            deployments=deployments,
            domains=domains,
            environments=environments,
            patches=patches,
            regions=regions,
            repositories=repositories,
            serviceinstances=serviceinstances,
        )

        api_root.additional_properties = d
        return api_root

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
