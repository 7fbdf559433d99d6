"""Request handlers, one module per area of the API; ``build_router`` wires them all."""

from divio_sandbox.routing import Router

from . import applications, backups, catalogue, deployments


def build_router() -> Router:
    router = Router()
    for module in (applications, deployments, backups, catalogue):
        module.register(router)
    return router
