"""One running sandbox's moving parts, shared by the API, the control endpoints and ``Sandbox``."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from divio_sandbox.chaos import Chaos
from divio_sandbox.clock import Clock
from divio_sandbox.knobs import Knobs
from divio_sandbox.routing import Router
from divio_sandbox.seed import DEFAULT_BACKUPS, build_store
from divio_sandbox.stats import Stats
from divio_sandbox.store import Store
from divio_sandbox.views import build_router


@dataclass
class Runtime:
    """Everything a request reads; handlers look ``store`` up per request, so ``reset`` works."""

    store: Store
    knobs: Knobs
    chaos: Chaos
    backups: int = DEFAULT_BACKUPS
    #: Applications seeded beyond the scenario's (see ``seed.build_store``).
    extra_applications: int = 0
    #: The settings given at start, restored by ``reset``.
    initial: dict[str, Any] = field(default_factory=dict)
    router: Router = field(default_factory=build_router)
    stats: Stats = field(default_factory=Stats)
    #: Reads an ``s3-sts-v1`` upload's object (bucket, key) when its finish URL is called; the
    #: sandbox has no S3 of its own, so a test hands it one (an in-process moto, say). Unset,
    #: such an upload ends as one that received no file.
    object_store: Callable[[str, str], bytes | None] | None = None

    @property
    def clock(self) -> Clock:
        return self.store.clock

    def configure(self, **changes: Any) -> None:
        self.knobs.update(**changes)

    def reset(self) -> None:
        """Back to the state right after start: fresh seeded data, clock, settings and counters.

        Much cheaper than restarting a server (reseeding 600 backups takes milliseconds), so
        tests can share one server and still each start from the same state.
        """
        seed = self.store.seed
        self.store = build_store(
            seed, self.backups, Clock(self.clock.mode), self.extra_applications
        )
        self.knobs = Knobs()
        self.knobs.update(**self.initial)
        self.chaos = Chaos(seed)
        self.stats.reset()


def create_runtime(
    seed: int = 0,
    backups: int = DEFAULT_BACKUPS,
    clock: str = "fixed",
    settings: dict[str, Any] | None = None,
    extra_applications: int = 0,
) -> Runtime:
    """Seed a store and wrap it with settings, chaos and counters."""
    store = build_store(seed, backups, Clock(clock), extra_applications)
    knobs = Knobs()
    knobs.update(**(settings or {}))
    return Runtime(store, knobs, Chaos(seed), backups, extra_applications, dict(settings or {}))
