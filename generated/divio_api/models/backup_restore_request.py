from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.service_instance_restore_request import ServiceInstanceRestoreRequest


T = TypeVar("T", bound="BackupRestoreRequest")


@_attrs_define
class BackupRestoreRequest:
    """
    Attributes:
        backup (str):
        service_instance_restores (list[ServiceInstanceRestoreRequest]):
        notes (None | str | Unset):
    """

    backup: str
    service_instance_restores: list[ServiceInstanceRestoreRequest]
    notes: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backup = self.backup

        service_instance_restores = []
        for service_instance_restores_item_data in self.service_instance_restores:
            service_instance_restores_item = (
                service_instance_restores_item_data.to_dict()
            )
            service_instance_restores.append(service_instance_restores_item)

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backup": backup,
                "service_instance_restores": service_instance_restores,
            }
        )
        if notes is not UNSET:
            field_dict["notes"] = notes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.service_instance_restore_request import (
            ServiceInstanceRestoreRequest,
        )

        d = dict(src_dict)
        backup = d.pop("backup")

        service_instance_restores = []
        _service_instance_restores = d.pop("service_instance_restores")
        for service_instance_restores_item_data in _service_instance_restores:
            service_instance_restores_item = ServiceInstanceRestoreRequest.from_dict(
                service_instance_restores_item_data
            )

            service_instance_restores.append(service_instance_restores_item)

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        backup_restore_request = cls(
            backup=backup,
            service_instance_restores=service_instance_restores,
            notes=notes,
        )

        backup_restore_request.additional_properties = d
        return backup_restore_request

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
