"""Where a cassette test talks to, and how it builds clients and waits: see ``conftest.py``."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import certifi
from clocks import FakeClock

from divio_ext import AsyncDivioClient, DivioClient, RetryPolicy
from divio_ext.core.clock import Clock
from divio_ext.workflows import PollPolicy
from divio_sandbox import Sandbox

#: Seed of the recording sandbox (divio_devtools/record_fixtures.py --seed sets it).
RECORD_SEED = int(os.environ.get("DIVIO_RECORD_SEED", "0"))
#: Seeded backups of the recording sandbox: enough for several pages, small cassettes.
RECORD_BACKUPS = int(os.environ.get("DIVIO_RECORD_BACKUPS", "60"))


@cache
def shared_tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every replaying client.

    Replay never opens a connection, but each httpx client would still load the CA bundle
    into a context of its own (70 ms each, most of the replay time).
    """
    return ssl.create_default_context(cafile=certifi.where())


@dataclass
class Target:
    """The server one cassette test talks to, and how to build clients for it."""

    mode: str  # "replay", "sandbox" or "live"
    base_url: str
    tokens: dict[str, str]
    sandbox: Sandbox | None = None
    clock: Clock = field(default_factory=FakeClock)

    def token(self, user: str = "alice") -> str:
        return self.tokens[user]

    def retry(self, **options: Any) -> RetryPolicy:
        """A retry policy that never really sleeps, except against a live server."""
        if self.mode == "live":
            return RetryPolicy(**options)
        return RetryPolicy(clock=FakeClock(), random=lambda: 1.0, **options)

    def options(self, **options: Any) -> dict[str, Any]:
        """Client options for this target; ``options`` override them."""
        defaults: dict[str, Any] = {"base_url": self.base_url, "retry": self.retry()}
        if self.mode != "live":
            defaults["read_only"] = False  # a DIVIO_READ_ONLY=1 shell must not break replay
        if self.mode == "replay":
            defaults["verify"] = shared_tls_context()
        return {**defaults, **options}

    def client(self, user: str = "alice", **options: Any) -> DivioClient:
        return DivioClient(token=self.token(user), **self.options(**options))

    def async_client(self, user: str = "alice", **options: Any) -> AsyncDivioClient:
        return AsyncDivioClient(token=self.token(user), **self.options(**options))

    def poll_policy(self) -> PollPolicy:
        """Waiting on this target's clock (sandbox: advances it; replay: instant)."""
        return PollPolicy(clock=self.clock)

    def configure(self, **knobs: Any) -> None:
        """Change sandbox knobs while recording; nothing to do when replaying."""
        if self.sandbox is not None:
            self.sandbox.configure(**knobs)


#: The application and environment the writing and generic tests use: the sandbox scenario's
#: by default; set them to record against an account of your own (and replay with the same).
APPLICATION = os.environ.get("DIVIO_RECORD_APPLICATION", "example-application")
ENVIRONMENT = os.environ.get("DIVIO_RECORD_ENVIRONMENT", "live")
