"""Reading an environment's variables (facts §6.5); the API offers no documented writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from divio_ext.resources import bound, relations
from divio_ext.resources.selection import text

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from divio_ext.resources.client import AsyncDivioClient, DivioClient


@overload
def environment_variables(
    environment: bound.Environment[DivioClient],
) -> dict[str, str | None]: ...
@overload
def environment_variables(
    environment: bound.Environment[AsyncDivioClient],
) -> Awaitable[dict[str, str | None]]: ...
def environment_variables(environment: bound.Environment[Any]) -> Any:
    """The environment's variables as ``{name: value}``, sorted by name.

    The value of a sensitive variable is ``None``: the server does not reveal it. Use
    :meth:`~divio_ext.resources.bound.Environment.environment_variables` for the full objects.
    """
    return bound.run(
        environment.client,
        bound.then(
            relations.variables_of(environment.model),
            lambda found: {text(variable.name) or "": text(variable.value) for variable in found},
        ),
    )
