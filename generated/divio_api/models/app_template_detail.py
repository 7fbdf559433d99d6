from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.app_template_service import AppTemplateService
    from ..models.app_template_tag import AppTemplateTag
    from ..models.release_command import ReleaseCommand


T = TypeVar("T", bound="AppTemplateDetail")


@_attrs_define
class AppTemplateDetail:
    """
    Attributes:
        uuid (str):
        icon_dark_mode (None | str | Unset):
        identifier (str | Unset):
        is_default (bool | Unset):
        name (str | Unset):
        order (int | Unset):
        release_commands (list[ReleaseCommand] | Unset):
        services (list[AppTemplateService] | Unset):
        short_description (str | Unset):
        tags (list[AppTemplateTag] | Unset):
        url (str | Unset):
    """

    uuid: str
    icon_dark_mode: None | str | Unset = UNSET
    identifier: str | Unset = UNSET
    is_default: bool | Unset = UNSET
    name: str | Unset = UNSET
    order: int | Unset = UNSET
    release_commands: list[ReleaseCommand] | Unset = UNSET
    services: list[AppTemplateService] | Unset = UNSET
    short_description: str | Unset = UNSET
    tags: list[AppTemplateTag] | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uuid = self.uuid

        icon_dark_mode: None | str | Unset
        if isinstance(self.icon_dark_mode, Unset):
            icon_dark_mode = UNSET
        else:
            icon_dark_mode = self.icon_dark_mode

        identifier = self.identifier

        is_default = self.is_default

        name = self.name

        order = self.order

        release_commands: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.release_commands, Unset):
            release_commands = []
            for release_commands_item_data in self.release_commands:
                release_commands_item = release_commands_item_data.to_dict()
                release_commands.append(release_commands_item)

        services: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.services, Unset):
            services = []
            for services_item_data in self.services:
                services_item = services_item_data.to_dict()
                services.append(services_item)

        short_description = self.short_description

        tags: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = []
            for tags_item_data in self.tags:
                tags_item = tags_item_data.to_dict()
                tags.append(tags_item)

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uuid": uuid,
            }
        )
        if icon_dark_mode is not UNSET:
            field_dict["icon_dark_mode"] = icon_dark_mode
        if identifier is not UNSET:
            field_dict["identifier"] = identifier
        if is_default is not UNSET:
            field_dict["is_default"] = is_default
        if name is not UNSET:
            field_dict["name"] = name
        if order is not UNSET:
            field_dict["order"] = order
        if release_commands is not UNSET:
            field_dict["release_commands"] = release_commands
        if services is not UNSET:
            field_dict["services"] = services
        if short_description is not UNSET:
            field_dict["short_description"] = short_description
        if tags is not UNSET:
            field_dict["tags"] = tags
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.app_template_service import AppTemplateService
        from ..models.app_template_tag import AppTemplateTag
        from ..models.release_command import ReleaseCommand

        d = dict(src_dict)
        uuid = d.pop("uuid")

        def _parse_icon_dark_mode(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        icon_dark_mode = _parse_icon_dark_mode(d.pop("icon_dark_mode", UNSET))

        identifier = d.pop("identifier", UNSET)

        is_default = d.pop("is_default", UNSET)

        name = d.pop("name", UNSET)

        order = d.pop("order", UNSET)

        _release_commands = d.pop("release_commands", UNSET)
        release_commands: list[ReleaseCommand] | Unset = UNSET
        if _release_commands is not UNSET:
            release_commands = []
            for release_commands_item_data in _release_commands:
                release_commands_item = ReleaseCommand.from_dict(
                    release_commands_item_data
                )

                release_commands.append(release_commands_item)

        _services = d.pop("services", UNSET)
        services: list[AppTemplateService] | Unset = UNSET
        if _services is not UNSET:
            services = []
            for services_item_data in _services:
                services_item = AppTemplateService.from_dict(services_item_data)

                services.append(services_item)

        short_description = d.pop("short_description", UNSET)

        _tags = d.pop("tags", UNSET)
        tags: list[AppTemplateTag] | Unset = UNSET
        if _tags is not UNSET:
            tags = []
            for tags_item_data in _tags:
                tags_item = AppTemplateTag.from_dict(tags_item_data)

                tags.append(tags_item)

        url = d.pop("url", UNSET)

        app_template_detail = cls(
            uuid=uuid,
            icon_dark_mode=icon_dark_mode,
            identifier=identifier,
            is_default=is_default,
            name=name,
            order=order,
            release_commands=release_commands,
            services=services,
            short_description=short_description,
            tags=tags,
            url=url,
        )

        app_template_detail.additional_properties = d
        return app_template_detail

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
