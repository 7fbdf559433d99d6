from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.deployment_environment_variables_environment_variables import (
        DeploymentEnvironmentVariablesEnvironmentVariables,
    )


T = TypeVar("T", bound="DeploymentEnvironmentVariables")


@_attrs_define
class DeploymentEnvironmentVariables:
    """
    Attributes:
        environment (str):
        environment_variables (DeploymentEnvironmentVariablesEnvironmentVariables | Unset): Variable name to value.
    """

    environment: str
    environment_variables: (
        DeploymentEnvironmentVariablesEnvironmentVariables | Unset
    ) = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        environment = self.environment

        environment_variables: dict[str, Any] | Unset = UNSET
        if not isinstance(self.environment_variables, Unset):
            environment_variables = self.environment_variables.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "environment": environment,
            }
        )
        if environment_variables is not UNSET:
            field_dict["environment_variables"] = environment_variables

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deployment_environment_variables_environment_variables import (
            DeploymentEnvironmentVariablesEnvironmentVariables,
        )

        d = dict(src_dict)
        environment = d.pop("environment")

        _environment_variables = d.pop("environment_variables", UNSET)
        environment_variables: (
            DeploymentEnvironmentVariablesEnvironmentVariables | Unset
        )
        if isinstance(_environment_variables, Unset):
            environment_variables = UNSET
        else:
            environment_variables = (
                DeploymentEnvironmentVariablesEnvironmentVariables.from_dict(
                    _environment_variables
                )
            )

        deployment_environment_variables = cls(
            environment=environment,
            environment_variables=environment_variables,
        )

        deployment_environment_variables.additional_properties = d
        return deployment_environment_variables

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
