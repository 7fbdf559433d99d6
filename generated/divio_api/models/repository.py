from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.state_enum import StateEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Repository")


@_attrs_define
class Repository:
    """
    Attributes:
        uuid (str):
        auth_info (Any | Unset): For SSH: the public key to add as a deploy key.
        dsn (str | Unset): Git URL used for cloning.
        organisation (str | Unset):
        state (None | StateEnum | Unset):
        url (str | Unset):
    """

    uuid: str
    auth_info: Any | Unset = UNSET
    dsn: str | Unset = UNSET
    organisation: str | Unset = UNSET
    state: None | StateEnum | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uuid = self.uuid

        auth_info = self.auth_info

        dsn = self.dsn

        organisation = self.organisation

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, StateEnum):
            state = self.state.value
        else:
            state = self.state

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uuid": uuid,
            }
        )
        if auth_info is not UNSET:
            field_dict["auth_info"] = auth_info
        if dsn is not UNSET:
            field_dict["dsn"] = dsn
        if organisation is not UNSET:
            field_dict["organisation"] = organisation
        if state is not UNSET:
            field_dict["state"] = state
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        uuid = d.pop("uuid")

        auth_info = d.pop("auth_info", UNSET)

        dsn = d.pop("dsn", UNSET)

        organisation = d.pop("organisation", UNSET)

        def _parse_state(data: object) -> None | StateEnum | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_1 = StateEnum(data)

                return state_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StateEnum | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        url = d.pop("url", UNSET)

        repository = cls(
            uuid=uuid,
            auth_info=auth_info,
            dsn=dsn,
            organisation=organisation,
            state=state,
            url=url,
        )

        repository.additional_properties = d
        return repository

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
