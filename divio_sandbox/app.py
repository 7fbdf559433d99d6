"""The Starlette application: control endpoints under ``/_sandbox/``, the API everywhere else."""

from starlette.applications import Starlette
from starlette.routing import Mount

from divio_sandbox.api import ApiApp
from divio_sandbox.control import routes
from divio_sandbox.runtime import Runtime


def create_app(runtime: Runtime) -> Starlette:
    return Starlette(routes=[*routes(runtime), Mount("/", app=ApiApp(runtime))])
