from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.key_type_enum import KeyTypeEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="RepositoryRequest")


@_attrs_define
class RepositoryRequest:
    """
    Attributes:
        organisation (str):
        url (str):
        key_type (KeyTypeEnum | Unset): SSH deploy key type.

            * `ED25519` - Ed25519
            * `ECDSA` - Ecdsa
            * `RSA` - Rsa
        password (str | Unset):
        username (str | Unset):
    """

    organisation: str
    url: str
    key_type: KeyTypeEnum | Unset = UNSET
    password: str | Unset = UNSET
    username: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organisation = self.organisation

        url = self.url

        key_type: str | Unset = UNSET
        if not isinstance(self.key_type, Unset):
            key_type = self.key_type.value

        password = self.password

        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organisation": organisation,
                "url": url,
            }
        )
        if key_type is not UNSET:
            field_dict["key_type"] = key_type
        if password is not UNSET:
            field_dict["password"] = password
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        organisation = d.pop("organisation")

        url = d.pop("url")

        _key_type = d.pop("key_type", UNSET)
        key_type: KeyTypeEnum | Unset
        if isinstance(_key_type, Unset):
            key_type = UNSET
        else:
            key_type = KeyTypeEnum(_key_type)

        password = d.pop("password", UNSET)

        username = d.pop("username", UNSET)

        repository_request = cls(
            organisation=organisation,
            url=url,
            key_type=key_type,
            password=password,
            username=username,
        )

        repository_request.additional_properties = d
        return repository_request

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
