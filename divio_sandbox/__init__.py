"""A local Divio-compatible API server, for demos, recording fixtures and safe testing.

    from divio_sandbox import Sandbox

    with Sandbox(seed=0) as sb:            # in-process; subprocess=True runs it as a process
        headers = {"Authorization": f"Token {sb.tokens['alice']}"}
        httpx.get(f"{sb.url}/apps/v3/applications/", headers=headers)
        sb.clock.advance(60)               # long-running work progresses with the clock
        sb.configure(chaos=0.1, latency=0.05, ignore_filters=True)
        sb.stats()                         # requests served, per operation

It serves every operation of openapi.json on 127.0.0.1 with Django REST Framework's behaviour
(token auth, organisation visibility, page-number pagination, field errors, 405s). Where to
look: ``seed`` (the scenario data), ``knobs`` (run-time settings), ``control`` (the
``/_sandbox/`` endpoints), ``actions`` (how long created work takes), ``cli`` (the
``divio-sandbox`` command), ``pytest_plugin`` (fixtures for users' test suites) and
``recording`` (cassettes safe to commit).

``Sandbox`` and ``main`` are imported on first use: pytest loads ``pytest_plugin`` (and with it
this package) in every project where divio-ext is installed, also without the ``sandbox`` extra
that brings the server's starlette and uvicorn.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from divio_sandbox.knobs import Knobs

if TYPE_CHECKING:
    from divio_sandbox.cli import main
    from divio_sandbox.server import Sandbox

__all__ = ["Knobs", "Sandbox", "main"]

#: The names that need the server's dependencies, and the module each comes from.
_NEEDS_SERVER = {"Sandbox": "divio_sandbox.server", "main": "divio_sandbox.cli"}


def __getattr__(name: str) -> Any:
    if name in _NEEDS_SERVER:
        return getattr(import_module(_NEEDS_SERVER[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
