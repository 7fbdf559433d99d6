"""All sandbox state: the tables, the users and their tokens, and the runtime RNG.

The store is only mutated from the server's event loop (one thread), so it needs no locks.
Runtime ids and outcomes come from an RNG seeded from the sandbox seed: the same seed and the
same sequence of requests give the same ids.
"""

import random
from datetime import datetime
from typing import Any

from divio_sandbox import records as r
from divio_sandbox.clock import Clock
from divio_sandbox.ids import new_id
from divio_sandbox.table import Table


class Store:
    """The in-memory database of one sandbox."""

    def __init__(self, seed: int, clock: Clock) -> None:
        self.seed = seed
        self.clock = clock
        self.rng = random.Random(f"{seed}:runtime")
        self.users: dict[str, r.User] = {}
        #: token -> user uuid
        self.tokens: dict[str, str] = {}
        #: username -> token (what ``Sandbox.tokens`` exposes)
        self.user_tokens: dict[str, str] = {}
        self.organisations: Table[r.Organisation] = Table()
        self.regions: Table[r.Region] = Table()
        self.services: Table[r.Service] = Table(["region"])
        self.app_templates: Table[r.AppTemplate] = Table()
        self.applications: Table[r.Application] = Table(["organisation", "slug"])
        self.environments: Table[r.Environment] = Table(["organisation", "application"])
        self.service_instances: Table[r.ServiceInstance] = Table(["organisation", "environment"])
        self.backups: Table[r.Backup] = Table(["organisation", "application", "environment"])
        self.service_instance_backups: Table[r.ServiceInstanceBackup] = Table(
            ["organisation", "backup", "service_instance"]
        )
        self.backup_downloads: Table[r.BackupDownload] = Table(["organisation"])
        self.backup_download_service_instances: Table[r.BackupDownloadServiceInstance] = Table(
            ["organisation", "download"]
        )
        self.backup_restores: Table[r.BackupRestore] = Table(["organisation"])
        self.deployments: Table[r.Deployment] = Table(
            ["organisation", "application", "environment"]
        )
        self.environment_variables: Table[r.EnvironmentVariable] = Table(
            ["organisation", "application", "environment"]
        )
        self.repositories: Table[r.Repository] = Table(["organisation"])
        self.activities: Table[r.ApplicationActivity] = Table(["organisation", "application"])
        self.invoices: Table[r.Invoice] = Table(["organisation"])
        self.domains: Table[r.Domain] = Table(["organisation"])
        self.builds: Table[r.Build] = Table(["organisation"])
        self.patches: Table[r.Patch] = Table(["organisation"])
        #: Derived, for speed: the JSON of ended service-instance backups, with what it was
        #: rendered from (``serializers.encoded_service_instance_backup``).
        self.encoded_sibs: dict[str, tuple[tuple[Any, ...], datetime, bytes]] = {}

    def new_id(self) -> str:
        """A fresh id for an object created at run time."""
        return new_id(self.rng)

    def add_user(self, user: r.User, token: str) -> None:
        self.users[user.uuid] = user
        self.tokens[token] = user.uuid
        self.user_tokens[user.username] = token

    def user_for_token(self, token: str) -> r.User | None:
        uuid = self.tokens.get(token)
        return None if uuid is None else self.users[uuid]
