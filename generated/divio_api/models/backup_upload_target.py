from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.backup_upload_target_upload_parameters import (
        BackupUploadTargetUploadParameters,
    )


T = TypeVar("T", bound="BackupUploadTarget")


@_attrs_define
class BackupUploadTarget:
    """
    Attributes:
        finish_url (str | Unset):
        handler (str | Unset): `s3-sts-v1`, `az-sas-v1` or `exo-presigned-v1`.
        upload_parameters (BackupUploadTargetUploadParameters | Unset):
    """

    finish_url: str | Unset = UNSET
    handler: str | Unset = UNSET
    upload_parameters: BackupUploadTargetUploadParameters | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        finish_url = self.finish_url

        handler = self.handler

        upload_parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.upload_parameters, Unset):
            upload_parameters = self.upload_parameters.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if finish_url is not UNSET:
            field_dict["finish_url"] = finish_url
        if handler is not UNSET:
            field_dict["handler"] = handler
        if upload_parameters is not UNSET:
            field_dict["upload_parameters"] = upload_parameters

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backup_upload_target_upload_parameters import (
            BackupUploadTargetUploadParameters,
        )

        d = dict(src_dict)
        finish_url = d.pop("finish_url", UNSET)

        handler = d.pop("handler", UNSET)

        _upload_parameters = d.pop("upload_parameters", UNSET)
        upload_parameters: BackupUploadTargetUploadParameters | Unset
        if isinstance(_upload_parameters, Unset):
            upload_parameters = UNSET
        else:
            upload_parameters = BackupUploadTargetUploadParameters.from_dict(
                _upload_parameters
            )

        backup_upload_target = cls(
            finish_url=finish_url,
            handler=handler,
            upload_parameters=upload_parameters,
        )

        backup_upload_target.additional_properties = d
        return backup_upload_target

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
