"""Reading an environment's variables; the API offers no documented way to write them."""

from __future__ import annotations

from divio_ext.core.engine import Plan
from divio_ext.resources import bound, relations
from divio_ext.resources.models import Environment as EnvironmentModel
from divio_ext.resources.selection import text
from divio_ext.workflows import arguments


def environment_variables(environment: bound.Environment) -> dict[str, str | None]:
    """The environment's variables as ``{name: value}``, sorted by name.

    The value of a sensitive variable is ``None``: the server does not reveal it. Use
    :meth:`~divio_ext.resources.bound.Environment.environment_variables` for the full objects.
    """
    arguments.of_client("environment", environment, bound.Environment)
    return environment.client.run(variables_plan(environment.model))


def variables_plan(environment: EnvironmentModel) -> Plan[dict[str, str | None]]:
    """The steps of :func:`environment_variables`, for either client."""
    found = yield from relations.variables_of(environment)
    return {text(variable.name) or "": text(variable.value) for variable in found}
