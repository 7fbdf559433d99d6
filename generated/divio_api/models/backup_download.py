from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trigger_enum import TriggerEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="BackupDownload")


@_attrs_define
class BackupDownload:
    """
    Attributes:
        uuid (str):
        backup (str | Unset):
        service_instance_backups (list[str] | Unset):
        trigger (TriggerEnum | Unset): PULL prepares a download; MANUAL also e-mails a link.

            * `PULL` - Pull
            * `MANUAL` - Manual
    """

    uuid: str
    backup: str | Unset = UNSET
    service_instance_backups: list[str] | Unset = UNSET
    trigger: TriggerEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uuid = self.uuid

        backup = self.backup

        service_instance_backups: list[str] | Unset = UNSET
        if not isinstance(self.service_instance_backups, Unset):
            service_instance_backups = self.service_instance_backups

        trigger: str | Unset = UNSET
        if not isinstance(self.trigger, Unset):
            trigger = self.trigger.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uuid": uuid,
            }
        )
        if backup is not UNSET:
            field_dict["backup"] = backup
        if service_instance_backups is not UNSET:
            field_dict["service_instance_backups"] = service_instance_backups
        if trigger is not UNSET:
            field_dict["trigger"] = trigger

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        uuid = d.pop("uuid")

        backup = d.pop("backup", UNSET)

        service_instance_backups = cast(
            list[str], d.pop("service_instance_backups", UNSET)
        )

        _trigger = d.pop("trigger", UNSET)
        trigger: TriggerEnum | Unset
        if isinstance(_trigger, Unset):
            trigger = UNSET
        else:
            trigger = TriggerEnum(_trigger)

        backup_download = cls(
            uuid=uuid,
            backup=backup,
            service_instance_backups=service_instance_backups,
            trigger=trigger,
        )

        backup_download.additional_properties = d
        return backup_download

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
