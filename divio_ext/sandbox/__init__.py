"""A local Divio-compatible API server, for demos, recording fixtures and safe testing.

    from divio_ext.sandbox import Sandbox

    with Sandbox(seed=0) as sb:
        httpx.get(f"{sb.url}/apps/v3/applications/",
                  headers={"Authorization": f"Token {sb.tokens['alice']}"})

See ``server.Sandbox`` for the options, ``seed`` for the scenario data and ``control`` for
the ``/_sandbox/`` endpoints.
"""

from divio_ext.sandbox.cli import main
from divio_ext.sandbox.knobs import Knobs
from divio_ext.sandbox.server import Sandbox

__all__ = ["Knobs", "Sandbox", "main"]
