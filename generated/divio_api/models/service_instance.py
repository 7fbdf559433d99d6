from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ServiceInstance")


@_attrs_define
class ServiceInstance:
    """
    Attributes:
        environment (str):
        region (str):
        service (str):
        uuid (str):
        prefix (str | Unset): Upper-case prefix of the environment variables, e.g. `DEFAULT`.
        service_status (str | Unset): Observed `NEW`; other lifecycle values exist.
        type_ (str | Unset): Observed `DATABASE`, `STORAGE`; other kinds exist.
    """

    environment: str
    region: str
    service: str
    uuid: str
    prefix: str | Unset = UNSET
    service_status: str | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        region = self.region

        service = self.service

        uuid = self.uuid

        prefix = self.prefix

        service_status = self.service_status

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
                "region": region,
                "service": service,
                "uuid": uuid,
            }
        )
        if prefix is not UNSET:
            field_dict["prefix"] = prefix
        if service_status is not UNSET:
            field_dict["service_status"] = service_status
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        environment = d.pop("environment")

        region = d.pop("region")

        service = d.pop("service")

        uuid = d.pop("uuid")

        prefix = d.pop("prefix", UNSET)

        service_status = d.pop("service_status", UNSET)

        type_ = d.pop("type", UNSET)

        service_instance = cls(
            environment=environment,
            region=region,
            service=service,
            uuid=uuid,
            prefix=prefix,
            service_status=service_status,
            type_=type_,
        )

        service_instance.additional_properties = d
        return service_instance

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
