from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BackupUploadRequest")


@_attrs_define
class BackupUploadRequest:
    """
    Attributes:
        environment (str):
        services (list[str]):
        notes (None | str | Unset):
        scheduled_for_deletion_at (datetime.datetime | None | Unset):
    """

    environment: str
    services: list[str]
    notes: None | str | Unset = UNSET
    scheduled_for_deletion_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        services = self.services

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
                "services": services,
            }
        )
        if notes is not UNSET:
            field_dict["notes"] = notes
        if scheduled_for_deletion_at is not UNSET:
            field_dict["scheduled_for_deletion_at"] = scheduled_for_deletion_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        environment = d.pop("environment")

        services = cast(list[str], d.pop("services"))

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

        backup_upload_request = cls(
            environment=environment,
            services=services,
            notes=notes,
            scheduled_for_deletion_at=scheduled_for_deletion_at,
        )

        backup_upload_request.additional_properties = d
        return backup_upload_request

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
