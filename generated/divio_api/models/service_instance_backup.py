from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ServiceInstanceBackup")


@_attrs_define
class ServiceInstanceBackup:
    """
    Attributes:
        backup (str):
        service_instance (str):
        uuid (str):
        ended_at (datetime.datetime | None | Unset): Null while running.
        errors (Any | Unset): Empty or null means no error (list or string).
        queued_at (datetime.datetime | None | Unset):
        service_type (str | Unset): Observed `DATABASE`, `STORAGE`.
        size (int | None | Unset): Bytes.
        started_at (datetime.datetime | None | Unset):
        taken_at (datetime.datetime | None | Unset):
    """

    backup: str
    service_instance: str
    uuid: str
    ended_at: datetime.datetime | None | Unset = UNSET
    errors: Any | Unset = UNSET
    queued_at: datetime.datetime | None | Unset = UNSET
    service_type: str | Unset = UNSET
    size: int | None | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    taken_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backup = self.backup

        service_instance = self.service_instance

        uuid = self.uuid

        ended_at: None | str | Unset
        if isinstance(self.ended_at, Unset):
            ended_at = UNSET
        elif isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        errors = self.errors

        queued_at: None | str | Unset
        if isinstance(self.queued_at, Unset):
            queued_at = UNSET
        elif isinstance(self.queued_at, datetime.datetime):
            queued_at = self.queued_at.isoformat()
        else:
            queued_at = self.queued_at

        service_type = self.service_type

        size: int | None | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        else:
            size = self.size

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        taken_at: None | str | Unset
        if isinstance(self.taken_at, Unset):
            taken_at = UNSET
        elif isinstance(self.taken_at, datetime.datetime):
            taken_at = self.taken_at.isoformat()
        else:
            taken_at = self.taken_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backup": backup,
                "service_instance": service_instance,
                "uuid": uuid,
            }
        )
        if ended_at is not UNSET:
            field_dict["ended_at"] = ended_at
        if errors is not UNSET:
            field_dict["errors"] = errors
        if queued_at is not UNSET:
            field_dict["queued_at"] = queued_at
        if service_type is not UNSET:
            field_dict["service_type"] = service_type
        if size is not UNSET:
            field_dict["size"] = size
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if taken_at is not UNSET:
            field_dict["taken_at"] = taken_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        backup = d.pop("backup")

        service_instance = d.pop("service_instance")

        uuid = d.pop("uuid")

        def _parse_ended_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ended_at = _parse_ended_at(d.pop("ended_at", UNSET))

        errors = d.pop("errors", UNSET)

        def _parse_queued_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                queued_at_type_0 = datetime.datetime.fromisoformat(data)

                return queued_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        queued_at = _parse_queued_at(d.pop("queued_at", UNSET))

        service_type = d.pop("service_type", UNSET)

        def _parse_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_taken_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_at_type_0 = datetime.datetime.fromisoformat(data)

                return taken_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        taken_at = _parse_taken_at(d.pop("taken_at", UNSET))

        service_instance_backup = cls(
            backup=backup,
            service_instance=service_instance,
            uuid=uuid,
            ended_at=ended_at,
            errors=errors,
            queued_at=queued_at,
            service_type=service_type,
            size=size,
            started_at=started_at,
            taken_at=taken_at,
        )

        service_instance_backup.additional_properties = d
        return service_instance_backup

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
