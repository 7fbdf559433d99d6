"""One running sandbox's moving parts, shared by the API, the control endpoints and ``Sandbox``."""

from dataclasses import dataclass, field

from divio_ext.sandbox.chaos import Chaos
from divio_ext.sandbox.clock import Clock
from divio_ext.sandbox.knobs import Knobs
from divio_ext.sandbox.routing import Router
from divio_ext.sandbox.seed import DEFAULT_BACKUPS, build_store
from divio_ext.sandbox.stats import Stats
from divio_ext.sandbox.store import Store
from divio_ext.sandbox.views import build_router


@dataclass
class Runtime:
    store: Store
    knobs: Knobs
    chaos: Chaos
    router: Router = field(default_factory=build_router)
    stats: Stats = field(default_factory=Stats)

    @property
    def clock(self) -> Clock:
        return self.store.clock


def create_runtime(
    seed: int = 0,
    backups: int = DEFAULT_BACKUPS,
    clock: str = "fixed",
    knobs: Knobs | None = None,
) -> Runtime:
    """Seed a store and wrap it with knobs, chaos and counters."""
    store = build_store(seed, backups, Clock(clock))
    return Runtime(store, knobs or Knobs(), Chaos(seed))
