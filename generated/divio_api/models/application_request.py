from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.release_command import ReleaseCommand


T = TypeVar("T", bound="ApplicationRequest")


@_attrs_define
class ApplicationRequest:
    """
    Attributes:
        name (str):
        organisation (str):
        plan_group (str): Billing plan group.
        region (str):
        slug (str):
        app_template (None | str | Unset): Git URL of an app template repository.
        branch (str | Unset): Git branch; used for Divio-hosted git.
        release_commands (list[ReleaseCommand] | None | Unset):
        repository (None | str | Unset):
    """

    name: str
    organisation: str
    plan_group: str
    region: str
    slug: str
    app_template: None | str | Unset = UNSET
    branch: str | Unset = UNSET
    release_commands: list[ReleaseCommand] | None | Unset = UNSET
    repository: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        organisation = self.organisation

        plan_group = self.plan_group

        region = self.region

        slug = self.slug

        app_template: None | str | Unset
        if isinstance(self.app_template, Unset):
            app_template = UNSET
        else:
            app_template = self.app_template

        branch = self.branch

        release_commands: list[dict[str, Any]] | None | Unset
        if isinstance(self.release_commands, Unset):
            release_commands = UNSET
        elif isinstance(self.release_commands, list):
            release_commands = []
            for release_commands_type_0_item_data in self.release_commands:
                release_commands_type_0_item = (
                    release_commands_type_0_item_data.to_dict()
                )
                release_commands.append(release_commands_type_0_item)

        else:
            release_commands = self.release_commands

        repository: None | str | Unset
        if isinstance(self.repository, Unset):
            repository = UNSET
        else:
            repository = self.repository

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "organisation": organisation,
                "plan_group": plan_group,
                "region": region,
                "slug": slug,
            }
        )
        if app_template is not UNSET:
            field_dict["app_template"] = app_template
        if branch is not UNSET:
            field_dict["branch"] = branch
        if release_commands is not UNSET:
            field_dict["release_commands"] = release_commands
        if repository is not UNSET:
            field_dict["repository"] = repository

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.release_command import ReleaseCommand

        d = dict(src_dict)
        name = d.pop("name")

        organisation = d.pop("organisation")

        plan_group = d.pop("plan_group")

        region = d.pop("region")

        slug = d.pop("slug")

        def _parse_app_template(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_template = _parse_app_template(d.pop("app_template", UNSET))

        branch = d.pop("branch", UNSET)

        def _parse_release_commands(
            data: object,
        ) -> list[ReleaseCommand] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                release_commands_type_0 = []
                _release_commands_type_0 = data
                for release_commands_type_0_item_data in _release_commands_type_0:
                    release_commands_type_0_item = ReleaseCommand.from_dict(
                        release_commands_type_0_item_data
                    )

                    release_commands_type_0.append(release_commands_type_0_item)

                return release_commands_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ReleaseCommand] | None | Unset, data)

        release_commands = _parse_release_commands(d.pop("release_commands", UNSET))

        def _parse_repository(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        repository = _parse_repository(d.pop("repository", UNSET))

        application_request = cls(
            name=name,
            organisation=organisation,
            plan_group=plan_group,
            region=region,
            slug=slug,
            app_template=app_template,
            branch=branch,
            release_commands=release_commands,
            repository=repository,
        )

        application_request.additional_properties = d
        return application_request

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
