"""Everything the benchmark asks of divio-ext, in one place, so an API change touches one file."""

from __future__ import annotations

from bench.measure import RequestCounter
from divio_ext import DivioClient
from divio_ext.workflows import latest_backup


def client(url: str, token: str, counter: RequestCounter) -> DivioClient:
    return DivioClient(token=token, base_url=url, event_hooks={"request": [counter]})


def latest_backup_uuid(client: DivioClient, app: str, env: str) -> str:
    return str(latest_backup(client, app, env).service_instance_backup.uuid)


def count_backups(client: DivioClient, page_size: int, concurrency: int | None) -> int:
    """Iterate every backup through the typed pager (each item becomes a model); ``None``: the
    pager's default concurrency."""
    if concurrency is None:
        return sum(1 for _ in client.backups.list(page_size=page_size))
    return sum(1 for _ in client.backups.list(page_size=page_size, concurrency=concurrency))
