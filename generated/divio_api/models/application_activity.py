from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.application_activity_context_type_0 import (
        ApplicationActivityContextType0,
    )


T = TypeVar("T", bound="ApplicationActivity")


@_attrs_define
class ApplicationActivity:
    """
    Attributes:
        application (str):
        uuid (str):
        context (ApplicationActivityContextType0 | None | Unset):
        created_at (datetime.datetime | Unset):
        description (str | Unset):
        impersonated (bool | Unset):
        organisation (str | Unset):
        type_ (str | Unset):
        user (None | str | Unset):
        user_email (str | Unset):
        user_is_removed (bool | Unset):
        user_name (str | Unset):
    """

    application: str
    uuid: str
    context: ApplicationActivityContextType0 | None | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    description: str | Unset = UNSET
    impersonated: bool | Unset = UNSET
    organisation: str | Unset = UNSET
    type_: str | Unset = UNSET
    user: None | str | Unset = UNSET
    user_email: str | Unset = UNSET
    user_is_removed: bool | Unset = UNSET
    user_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.application_activity_context_type_0 import (
            ApplicationActivityContextType0,
        )

        application = self.application

        uuid = self.uuid

        context: dict[str, Any] | None | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        elif isinstance(self.context, ApplicationActivityContextType0):
            context = self.context.to_dict()
        else:
            context = self.context

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        description = self.description

        impersonated = self.impersonated

        organisation = self.organisation

        type_ = self.type_

        user: None | str | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        else:
            user = self.user

        user_email = self.user_email

        user_is_removed = self.user_is_removed

        user_name = self.user_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "application": application,
                "uuid": uuid,
            }
        )
        if context is not UNSET:
            field_dict["context"] = context
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if description is not UNSET:
            field_dict["description"] = description
        if impersonated is not UNSET:
            field_dict["impersonated"] = impersonated
        if organisation is not UNSET:
            field_dict["organisation"] = organisation
        if type_ is not UNSET:
            field_dict["type"] = type_
        if user is not UNSET:
            field_dict["user"] = user
        if user_email is not UNSET:
            field_dict["user_email"] = user_email
        if user_is_removed is not UNSET:
            field_dict["user_is_removed"] = user_is_removed
        if user_name is not UNSET:
            field_dict["user_name"] = user_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.application_activity_context_type_0 import (
            ApplicationActivityContextType0,
        )

        d = dict(src_dict)
        application = d.pop("application")

        uuid = d.pop("uuid")

        def _parse_context(
            data: object,
        ) -> ApplicationActivityContextType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                context_type_0 = ApplicationActivityContextType0.from_dict(data)

                return context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApplicationActivityContextType0 | None | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        description = d.pop("description", UNSET)

        impersonated = d.pop("impersonated", UNSET)

        organisation = d.pop("organisation", UNSET)

        type_ = d.pop("type", UNSET)

        def _parse_user(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user = _parse_user(d.pop("user", UNSET))

        user_email = d.pop("user_email", UNSET)

        user_is_removed = d.pop("user_is_removed", UNSET)

        user_name = d.pop("user_name", UNSET)

        application_activity = cls(
            application=application,
            uuid=uuid,
            context=context,
            created_at=created_at,
            description=description,
            impersonated=impersonated,
            organisation=organisation,
            type_=type_,
            user=user,
            user_email=user_email,
            user_is_removed=user_is_removed,
            user_name=user_name,
        )

        application_activity.additional_properties = d
        return application_activity

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
