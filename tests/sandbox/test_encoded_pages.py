"""Service-instance-backup pages assembled from remembered JSON are the pages DRF would render.

The sandbox keeps the JSON of service-instance backups that have ended and builds list pages
around it (``serializers.encoded_service_instance_backup``, ``pagination.paginate_encoded``).
These tests compare every such page with the page rendered from scratch, at several instants
and after the records change, so the shortcut can never show a client something else.
"""

from datetime import timedelta

import pytest
from starlette.datastructures import QueryParams

from divio_sandbox import actions
from divio_sandbox import serializers as s
from divio_sandbox.context import Context
from divio_sandbox.pagination import paginate
from divio_sandbox.responses import render
from divio_sandbox.routing import ApiRequest
from divio_sandbox.runtime import Runtime, create_runtime
from divio_sandbox.views.backups import list_service_instance_backups
from divio_sandbox.views.common import select

BASE = "http://127.0.0.1:8000"
PATH = "/apps/v3/service-instance-backups/"


@pytest.fixture
def runtime() -> Runtime:
    return create_runtime(seed=0, backups=300)


def context(runtime: Runtime) -> Context:
    store = runtime.store
    (alice,) = (user for user in store.users.values() if user.username == "alice")
    return Context(store, runtime.knobs, store.clock.now(), BASE, alice)


def request(**query: str) -> ApiRequest:
    params = QueryParams(query)
    return ApiRequest(f"{BASE}{PATH}?{params}", params, {}, "", b"")


def served(runtime: Runtime, **query: str) -> bytes:
    return bytes(list_service_instance_backups(context(runtime), request(**query)).body)


def rendered_from_scratch(runtime: Runtime, **query: str) -> bytes:
    """The page as the dictionary renderer makes it: every item rendered now."""
    ctx, req = context(runtime), request(**query)
    table = ctx.store.service_instance_backups
    uuids = select(ctx, table, {})
    if "service_instance" in query:
        uuids = [u for u in uuids if table.rows[u].service_instance == query["service_instance"]]
    return render(
        paginate(req.url, req.query, uuids, lambda u: s.service_instance_backup(ctx, table.rows[u]))
    )


def every_page(runtime: Runtime, **query: str) -> list[tuple[bytes, bytes]]:
    """(served, rendered from scratch) for every page of the listing, served twice over."""
    first = served(runtime, page_size="100", **query)
    count = int(first.split(b'"count":')[1].split(b",")[0])
    pages = range(1, -(-count // 100) + 1)
    return [
        (
            served(runtime, page=str(n), page_size="100", **query),
            rendered_from_scratch(runtime, page=str(n), page_size="100", **query),
        )
        for _ in range(2)
        for n in pages
    ]


def test_every_page_is_byte_for_byte_the_rendered_page(runtime: Runtime) -> None:
    pages = every_page(runtime)
    assert len(pages) > 2
    for fast, slow in pages:
        assert fast == slow


def test_a_filtered_listing_is_the_rendered_page_too(runtime: Runtime) -> None:
    store = runtime.store
    instance = next(iter(store.service_instance_backups.rows.values())).service_instance
    for fast, slow in every_page(runtime, service_instance=instance):
        assert fast == slow


def test_running_work_is_shown_as_it_progresses_and_then_as_it_ended(runtime: Runtime) -> None:
    store = runtime.store
    env = next(e for e in store.environments.rows.values() if e.slug == "live")
    instances = [i for i in store.service_instances.rows.values() if i.environment == env.uuid]
    backup = actions.create_backup(
        store,
        env,
        instances,
        trigger="MANUAL",
        notes=None,
        delete_at=None,
        now=store.clock.now(),
        failure_rate=0.0,
    )
    first = store.service_instance_backups.rows[backup.service_instance_backups[0]]
    query = {"service_instance": first.service_instance}
    before = every_page(runtime, **query)
    store.clock.advance(24 * 3600)
    after = every_page(runtime, **query)
    for fast, slow in [*before, *after]:
        assert fast == slow
    assert b'"ended_at":null' in b"".join(fast for fast, _ in before)
    assert before != after


def test_a_record_changed_after_it_was_served_is_rendered_afresh(runtime: Runtime) -> None:
    store = runtime.store
    sib = next(
        x for x in store.service_instance_backups.rows.values() if not x.errors and x.start_at
    )
    query = {"service_instance": sib.service_instance}
    every_page(runtime, **query)
    assert sib.uuid in store.encoded_sibs, "an ended service-instance backup is remembered"
    sib.errors = ["Disk full."]
    sib.size = None
    for fast, slow in every_page(runtime, **query):
        assert fast == slow
    assert b"Disk full." in b"".join(fast for fast, _ in every_page(runtime, **query))


def test_an_instant_before_the_end_is_not_answered_from_memory(runtime: Runtime) -> None:
    store = runtime.store
    ctx = context(runtime)
    sib = next(
        x
        for x in store.service_instance_backups.rows.values()
        if x.start_at is not None and x.start_at + timedelta(seconds=x.duration) <= ctx.now
    )
    assert sib.start_at is not None
    s.encoded_service_instance_backup(ctx, sib)
    assert sib.uuid in store.encoded_sibs
    earlier = Context(ctx.store, ctx.knobs, sib.start_at, ctx.base_url, ctx.user)
    assert s.encoded_service_instance_backup(earlier, sib) == render(
        s.service_instance_backup(earlier, sib)
    )
    assert b'"ended_at":null' in s.encoded_service_instance_backup(earlier, sib)
