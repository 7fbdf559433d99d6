from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.success_enum import SuccessEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="Backup")


@_attrs_define
class Backup:
    """
    Attributes:
        environment (str):
        uuid (str):
        notes (None | str | Unset):
        scheduled_for_deletion_at (datetime.datetime | None | Unset):
        service_instance_backups (list[str] | Unset):
        state (str | Unset): Observed `WORKING` and `COMPLETED` (terminal).
        success (None | SuccessEnum | Unset):
        trigger (str | Unset): Observed `MANUAL`; scheduled backups use other values.
    """

    environment: str
    uuid: str
    notes: None | str | Unset = UNSET
    scheduled_for_deletion_at: datetime.datetime | None | Unset = UNSET
    service_instance_backups: list[str] | Unset = UNSET
    state: str | Unset = UNSET
    success: None | SuccessEnum | Unset = UNSET
    trigger: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        uuid = self.uuid

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        scheduled_for_deletion_at: None | str | Unset
        if isinstance(self.scheduled_for_deletion_at, Unset):
            scheduled_for_deletion_at = UNSET
        elif isinstance(self.scheduled_for_deletion_at, datetime.datetime):
            scheduled_for_deletion_at = self.scheduled_for_deletion_at.isoformat()
        else:
            scheduled_for_deletion_at = self.scheduled_for_deletion_at

        service_instance_backups: list[str] | Unset = UNSET
        if not isinstance(self.service_instance_backups, Unset):
            service_instance_backups = self.service_instance_backups

        state = self.state

        success: None | str | Unset
        if isinstance(self.success, Unset):
            success = UNSET
        elif isinstance(self.success, SuccessEnum):
            success = self.success.value
        else:
            success = self.success

        trigger = self.trigger

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
                "uuid": uuid,
            }
        )
        if notes is not UNSET:
            field_dict["notes"] = notes
        if scheduled_for_deletion_at is not UNSET:
            field_dict["scheduled_for_deletion_at"] = scheduled_for_deletion_at
        if service_instance_backups is not UNSET:
            field_dict["service_instance_backups"] = service_instance_backups
        if state is not UNSET:
            field_dict["state"] = state
        if success is not UNSET:
            field_dict["success"] = success
        if trigger is not UNSET:
            field_dict["trigger"] = trigger

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        environment = d.pop("environment")

        uuid = d.pop("uuid")

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        def _parse_scheduled_for_deletion_at(
            data: object,
        ) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_for_deletion_at_type_0 = datetime.datetime.fromisoformat(data)

                return scheduled_for_deletion_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scheduled_for_deletion_at = _parse_scheduled_for_deletion_at(
            d.pop("scheduled_for_deletion_at", UNSET)
        )

        service_instance_backups = cast(
            list[str], d.pop("service_instance_backups", UNSET)
        )

        state = d.pop("state", UNSET)

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

        trigger = d.pop("trigger", UNSET)

        backup = cls(
            environment=environment,
            uuid=uuid,
            notes=notes,
            scheduled_for_deletion_at=scheduled_for_deletion_at,
            service_instance_backups=service_instance_backups,
            state=state,
            success=success,
            trigger=trigger,
        )

        backup.additional_properties = d
        return backup

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
