from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppTemplate")


@_attrs_define
class AppTemplate:
    """
    Attributes:
        uuid (str):
        identifier (str | Unset):
        is_default (bool | Unset):
        name (str | Unset):
        order (int | Unset):
        short_description (str | Unset):
        url (str | Unset): Git URL of the template (read by the Divio CLI).
    """

    uuid: str
    identifier: str | Unset = UNSET
    is_default: bool | Unset = UNSET
    name: str | Unset = UNSET
    order: int | Unset = UNSET
    short_description: str | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uuid = self.uuid

        identifier = self.identifier

        is_default = self.is_default

        name = self.name

        order = self.order

        short_description = self.short_description

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uuid": uuid,
            }
        )
        if identifier is not UNSET:
            field_dict["identifier"] = identifier
        if is_default is not UNSET:
            field_dict["is_default"] = is_default
        if name is not UNSET:
            field_dict["name"] = name
        if order is not UNSET:
            field_dict["order"] = order
        if short_description is not UNSET:
            field_dict["short_description"] = short_description
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        uuid = d.pop("uuid")

        identifier = d.pop("identifier", UNSET)

        is_default = d.pop("is_default", UNSET)

        name = d.pop("name", UNSET)

        order = d.pop("order", UNSET)

        short_description = d.pop("short_description", UNSET)

        url = d.pop("url", UNSET)

        app_template = cls(
            uuid=uuid,
            identifier=identifier,
            is_default=is_default,
            name=name,
            order=order,
            short_description=short_description,
            url=url,
        )

        app_template.additional_properties = d
        return app_template

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
