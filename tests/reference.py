"""Expected answers computed the slow, obvious way: plain httpx, every page, no filters trusted.

This is deliberately independent of divio_ext: it lists whole collections without the
unconfirmed filters and matches everything by hand, as the Divio docs describe, so that the
workflows are checked against a second implementation of the definition in the issue.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import httpx

Item = dict[str, Any]


@dataclass
class Reference:
    """Listings are remembered: create a new Reference after changing the sandbox."""

    url: str
    token: str
    seen: dict[str, list[Item]] = field(default_factory=dict)

    def listing(self, path: str, **params: str) -> list[Item]:
        """Every item of a list endpoint, following ``next`` links."""
        key = f"{path}?{sorted(params.items())}"
        if key not in self.seen:
            self.seen[key] = self._fetch(path, params)
        return self.seen[key]

    def _fetch(self, path: str, params: dict[str, str]) -> list[Item]:
        items: list[Item] = []
        headers = {"Authorization": f"Token {self.token}"}
        next_url: str | None = f"{self.url}{path}"
        query: dict[str, Any] | None = {**params, "page_size": 100}
        with httpx.Client(headers=headers, timeout=30) as http:
            while next_url:
                response = http.get(next_url, params=query)
                response.raise_for_status()
                body = response.json()
                items.extend(body["results"])
                next_url, query = body["next"], None
        return items

    def application(self, slug: str) -> Item:
        return next(app for app in self.listing("/apps/v3/applications/") if app["slug"] == slug)

    def environment(self, app_slug: str, env_slug: str) -> Item:
        app = self.application(app_slug)
        return next(
            env
            for env in self.listing("/apps/v3/environments/")
            if env["application"] == app["uuid"] and env["slug"] == env_slug
        )

    def service_instance(self, app: str, env: str, kind: str, prefix: str) -> Item | None:
        environment = self.environment(app, env)
        found = [
            si
            for si in self.listing("/apps/v3/service-instances/")
            if si["environment"] == environment["uuid"]
            and si["type"] == kind
            and si["prefix"] == prefix
        ]
        return found[0] if found else None

    def backups_by_uuid(self) -> dict[str, Item]:
        return {backup["uuid"]: backup for backup in self.listing("/apps/v3/backups/")}

    def sibs(self) -> list[Item]:
        return self.listing("/apps/v3/service-instance-backups/")

    def latest_backup(
        self,
        app: str,
        env: str,
        kind: str = "DATABASE",
        prefix: str = "DEFAULT",
        gone: Collection[str] = (),
    ) -> Item | None:
        """The issue's definition, applied literally to complete listings (without the backups
        whose uuids are in ``gone``)."""
        environment = self.environment(app, env)
        instance = self.service_instance(app, env, kind, prefix)
        if instance is None:
            return None
        backups = self.backups_by_uuid()
        usable = [
            sib
            for sib in self.sibs()
            if sib["service_instance"] == instance["uuid"]
            and sib["backup"] not in gone
            and sib["ended_at"] is not None
            and not sib["errors"]
            and backups[sib["backup"]]["environment"] == environment["uuid"]
            and backups[sib["backup"]]["state"] == "COMPLETED"
            and backups[sib["backup"]]["success"] == "SUCCESS"
        ]
        return max(usable, key=recency, default=None)


def moment(text: str | None) -> tuple[bool, datetime.datetime]:
    if text is None:
        return (False, datetime.datetime.min.replace(tzinfo=datetime.UTC))
    return (True, datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))


def recency(sib: Item) -> tuple[Any, ...]:
    return (*moment(sib["taken_at"]), *moment(sib["ended_at"]), sib["uuid"])
