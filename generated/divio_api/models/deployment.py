from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Deployment")


@_attrs_define
class Deployment:
    """
    Attributes:
        environment (str):
        uuid (str):
        author (None | str | Unset): Account that started it (no longer in list views).
        ended_at (datetime.datetime | None | Unset): Null while the deployment runs.
        environment_variables (Any | Unset): Names of the variables of this deployment.
        is_usable (bool | None | Unset):
        percent (float | None | Unset): Progress, 0 to 100; read by the Divio CLI when present, absent from the real
            bodies seen.
        region (str | Unset):
        started_at (datetime.datetime | None | Unset):
        status (None | str | Unset): Progress text; values not documented (`done` seen when finished).
        success (bool | None | Unset): Null until finished.
    """

    environment: str
    uuid: str
    author: None | str | Unset = UNSET
    ended_at: datetime.datetime | None | Unset = UNSET
    environment_variables: Any | Unset = UNSET
    is_usable: bool | None | Unset = UNSET
    percent: float | None | Unset = UNSET
    region: str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    status: None | str | Unset = UNSET
    success: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        uuid = self.uuid

        author: None | str | Unset
        if isinstance(self.author, Unset):
            author = UNSET
        else:
            author = self.author

        ended_at: None | str | Unset
        if isinstance(self.ended_at, Unset):
            ended_at = UNSET
        elif isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        environment_variables = self.environment_variables

        is_usable: bool | None | Unset
        if isinstance(self.is_usable, Unset):
            is_usable = UNSET
        else:
            is_usable = self.is_usable

        percent: float | None | Unset
        if isinstance(self.percent, Unset):
            percent = UNSET
        else:
            percent = self.percent

        region = self.region

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        success: bool | None | Unset
        if isinstance(self.success, Unset):
            success = UNSET
        else:
            success = self.success

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
                "uuid": uuid,
            }
        )
        if author is not UNSET:
            field_dict["author"] = author
        if ended_at is not UNSET:
            field_dict["ended_at"] = ended_at
        if environment_variables is not UNSET:
            field_dict["environment_variables"] = environment_variables
        if is_usable is not UNSET:
            field_dict["is_usable"] = is_usable
        if percent is not UNSET:
            field_dict["percent"] = percent
        if region is not UNSET:
            field_dict["region"] = region
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if status is not UNSET:
            field_dict["status"] = status
        if success is not UNSET:
            field_dict["success"] = success

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        environment = d.pop("environment")

        uuid = d.pop("uuid")

        def _parse_author(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        author = _parse_author(d.pop("author", UNSET))

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

        environment_variables = d.pop("environment_variables", UNSET)

        def _parse_is_usable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_usable = _parse_is_usable(d.pop("is_usable", UNSET))

        def _parse_percent(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        percent = _parse_percent(d.pop("percent", UNSET))

        region = d.pop("region", UNSET)

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

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_success(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        success = _parse_success(d.pop("success", UNSET))

        deployment = cls(
            environment=environment,
            uuid=uuid,
            author=author,
            ended_at=ended_at,
            environment_variables=environment_variables,
            is_usable=is_usable,
            percent=percent,
            region=region,
            started_at=started_at,
            status=status,
            success=success,
        )

        deployment.additional_properties = d
        return deployment

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
