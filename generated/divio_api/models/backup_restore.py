from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.success_enum import SuccessEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.service_instance_restore import ServiceInstanceRestore


T = TypeVar("T", bound="BackupRestore")


@_attrs_define
class BackupRestore:
    """
    Attributes:
        uuid (str):
        backup (str | Unset):
        finished (bool | Unset):
        notes (None | str | Unset):
        service_instance_restores (list[ServiceInstanceRestore] | Unset):
        success (None | SuccessEnum | Unset):
    """

    uuid: str
    backup: str | Unset = UNSET
    finished: bool | Unset = UNSET
    notes: None | str | Unset = UNSET
    service_instance_restores: list[ServiceInstanceRestore] | Unset = UNSET
    success: None | SuccessEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uuid = self.uuid

        backup = self.backup

        finished = self.finished

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        service_instance_restores: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.service_instance_restores, Unset):
            service_instance_restores = []
            for service_instance_restores_item_data in self.service_instance_restores:
                service_instance_restores_item = (
                    service_instance_restores_item_data.to_dict()
                )
                service_instance_restores.append(service_instance_restores_item)

        success: None | str | Unset
        if isinstance(self.success, Unset):
            success = UNSET
        elif isinstance(self.success, SuccessEnum):
            success = self.success.value
        else:
            success = self.success

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uuid": uuid,
            }
        )
        if backup is not UNSET:
            field_dict["backup"] = backup
        if finished is not UNSET:
            field_dict["finished"] = finished
        if notes is not UNSET:
            field_dict["notes"] = notes
        if service_instance_restores is not UNSET:
            field_dict["service_instance_restores"] = service_instance_restores
        if success is not UNSET:
            field_dict["success"] = success

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.service_instance_restore import ServiceInstanceRestore

        d = dict(src_dict)
        uuid = d.pop("uuid")

        backup = d.pop("backup", UNSET)

        finished = d.pop("finished", UNSET)

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        _service_instance_restores = d.pop("service_instance_restores", UNSET)
        service_instance_restores: list[ServiceInstanceRestore] | Unset = UNSET
        if _service_instance_restores is not UNSET:
            service_instance_restores = []
            for service_instance_restores_item_data in _service_instance_restores:
                service_instance_restores_item = ServiceInstanceRestore.from_dict(
                    service_instance_restores_item_data
                )

                service_instance_restores.append(service_instance_restores_item)

        def _parse_success(data: object) -> None | SuccessEnum | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                success_type_1 = SuccessEnum(data)

                return success_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SuccessEnum | Unset, data)

        success = _parse_success(d.pop("success", UNSET))

        backup_restore = cls(
            uuid=uuid,
            backup=backup,
            finished=finished,
            notes=notes,
            service_instance_restores=service_instance_restores,
            success=success,
        )

        backup_restore.additional_properties = d
        return backup_restore

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
