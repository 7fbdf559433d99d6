from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.backup_upload_results import BackupUploadResults


T = TypeVar("T", bound="BackupUpload")


@_attrs_define
class BackupUpload:
    """
    Attributes:
        uuid (str): The backup being created.
        results (BackupUploadResults | Unset): Upload target per service-instance uuid.
    """

    uuid: str
    results: BackupUploadResults | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uuid = self.uuid

        results: dict[str, Any] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = self.results.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uuid": uuid,
            }
        )
        if results is not UNSET:
            field_dict["results"] = results

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backup_upload_results import BackupUploadResults

        d = dict(src_dict)
        uuid = d.pop("uuid")

        _results = d.pop("results", UNSET)
        results: BackupUploadResults | Unset
        if isinstance(_results, Unset):
            results = UNSET
        else:
            results = BackupUploadResults.from_dict(_results)

        backup_upload = cls(
            uuid=uuid,
            results=results,
        )

        backup_upload.additional_properties = d
        return backup_upload

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
