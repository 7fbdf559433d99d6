from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EnvironmentVariable")


@_attrs_define
class EnvironmentVariable:
    """
    Attributes:
        environment (str):
        is_sensitive (bool | Unset):
        name (str | Unset):
        uuid (str | Unset):
        value (None | str | Unset): Hidden (null) for sensitive variables.
    """

    environment: str
    is_sensitive: bool | Unset = UNSET
    name: str | Unset = UNSET
    uuid: str | Unset = UNSET
    value: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        is_sensitive = self.is_sensitive

        name = self.name

        uuid = self.uuid

        value: None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
            }
        )
        if is_sensitive is not UNSET:
            field_dict["is_sensitive"] = is_sensitive
        if name is not UNSET:
            field_dict["name"] = name
        if uuid is not UNSET:
            field_dict["uuid"] = uuid
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        environment = d.pop("environment")

        is_sensitive = d.pop("is_sensitive", UNSET)

        name = d.pop("name", UNSET)

        uuid = d.pop("uuid", UNSET)

        def _parse_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        environment_variable = cls(
            environment=environment,
            is_sensitive=is_sensitive,
            name=name,
            uuid=uuid,
            value=value,
        )

        environment_variable.additional_properties = d
        return environment_variable

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
