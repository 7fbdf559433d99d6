from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.build_mode_enum import BuildModeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="DeploymentCreate")


@_attrs_define
class DeploymentCreate:
    """The short answer of a create: read the deployment's detail for its progress.

    Attributes:
        environment (str):
        uuid (str):
        build_mode (BuildModeEnum | Unset): How a deployment builds.

            * `AUTO` - Auto
            * `ADOPT` - Adopt
            * `FORCE` - Force
    """

    environment: str
    uuid: str
    build_mode: BuildModeEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        uuid = self.uuid

        build_mode: str | Unset = UNSET
        if not isinstance(self.build_mode, Unset):
            build_mode = self.build_mode.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
                "uuid": uuid,
            }
        )
        if build_mode is not UNSET:
            field_dict["build_mode"] = build_mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        environment = d.pop("environment")

        uuid = d.pop("uuid")

        _build_mode = d.pop("build_mode", UNSET)
        build_mode: BuildModeEnum | Unset
        if isinstance(_build_mode, Unset):
            build_mode = UNSET
        else:
            build_mode = BuildModeEnum(_build_mode)

        deployment_create = cls(
            environment=environment,
            uuid=uuid,
            build_mode=build_mode,
        )

        deployment_create.additional_properties = d
        return deployment_create

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
