"""The ways people answer "latest database backup of an environment" today, with plain httpx.

Both baselines are written the way a careful person would write them by hand, so that the
benchmark compares divio-ext with honest competition, not with a strawman:

* ``docs_way``: what the Divio docs describe (how-to/use-api): find the application by slug and
  the environment by application, then walk every page of ``/backups/`` and every page of
  ``/service-instance-backups/`` sequentially and match client-side.
* ``cli_way``: how the official Divio CLI would do it with its own building blocks: follow
  ``next`` sequentially at the server's default page size, using only the filters the CLI
  knows, and read each service-instance backup of the environment's backups by its detail URL.

Each returns the uuid of the chosen service-instance backup, so the benchmark can check that
every method gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

Item = dict[str, Any]


def walk(client: httpx.Client, path: str, params: dict[str, str] | None = None) -> Iterator[Item]:
    """Follow ``next`` from the first page of ``path``, one request at a time."""
    response = client.get(path, params=params)
    while True:
        response.raise_for_status()
        page = response.json()
        yield from page["results"]
        if not page.get("next"):
            return
        response = client.get(page["next"])


def first(client: httpx.Client, path: str, params: dict[str, str]) -> Item:
    results = list(walk(client, path, params))
    if not results:
        raise LookupError(f"nothing at {path} for {params}")
    return results[0]


def usable(sib: Item, backup: Item) -> bool:
    """The latest-backup definition of divio-ext, restated independently."""
    return (
        backup.get("state") == "COMPLETED"
        and backup.get("success") == "SUCCESS"
        and sib.get("ended_at") is not None
        and not sib.get("errors")
    )


def newest(candidates: list[Item]) -> str:
    """Greatest taken_at (null oldest), then ended_at, then uuid. ISO strings sort correctly."""
    if not candidates:
        raise LookupError("no usable backup")
    best = max(
        candidates, key=lambda s: (s.get("taken_at") or "", s.get("ended_at") or "", s["uuid"])
    )
    return str(best["uuid"])


def locate(
    client: httpx.Client, app_slug: str, env_slug: str, service_type: str, prefix: str
) -> tuple[Item, Item]:
    """Application, environment and service instance: the lookups both baselines share."""
    app = first(client, "/apps/v3/applications/", {"slug": app_slug})
    env = first(client, "/apps/v3/environments/", {"application": app["uuid"], "slug": env_slug})
    instances = [
        si
        for si in walk(client, "/apps/v3/service-instances/", {"environment": env["uuid"]})
        if si.get("environment") == env["uuid"]
        and si.get("type") == service_type
        and si.get("prefix") == prefix
    ]
    if len(instances) != 1:
        raise LookupError(f"expected one {service_type}/{prefix} service instance")
    return env, instances[0]


def docs_way(
    client: httpx.Client,
    app_slug: str,
    env_slug: str,
    service_type: str = "DATABASE",
    prefix: str = "DEFAULT",
) -> str:
    env, instance = locate(client, app_slug, env_slug, service_type, prefix)
    backups = {
        b["uuid"]: b for b in walk(client, "/apps/v3/backups/") if b["environment"] == env["uuid"]
    }
    candidates = [
        s
        for s in walk(client, "/apps/v3/service-instance-backups/")
        if s["backup"] in backups
        and s["service_instance"] == instance["uuid"]
        and usable(s, backups[s["backup"]])
    ]
    return newest(candidates)


def cli_way(
    client: httpx.Client,
    app_slug: str,
    env_slug: str,
    service_type: str = "DATABASE",
    prefix: str = "DEFAULT",
) -> str:
    env, instance = locate(client, app_slug, env_slug, service_type, prefix)
    candidates = []
    for backup in walk(client, "/apps/v3/backups/"):
        if backup["environment"] != env["uuid"]:
            continue
        if backup.get("state") != "COMPLETED" or backup.get("success") != "SUCCESS":
            continue
        for sib_uuid in backup.get("service_instance_backups") or []:
            response = client.get(f"/apps/v3/service-instance-backups/{sib_uuid}/")
            response.raise_for_status()
            sib = response.json()
            if sib["service_instance"] == instance["uuid"] and usable(sib, backup):
                candidates.append(sib)
    return newest(candidates)


def iterate_all(client: httpx.Client, page_size: int) -> int:
    """Plain httpx + json loop over every backup: the baseline for pager throughput."""
    return sum(1 for _ in walk(client, "/apps/v3/backups/", {"page_size": str(page_size)}))
