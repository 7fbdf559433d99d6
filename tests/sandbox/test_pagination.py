"""DRF page-number pagination: sizes, absolute links that keep the filters, invalid pages."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from divio_sandbox import Sandbox
from tests.sandbox.conftest import environment, everything


def test_the_default_page_has_twenty_items_and_an_absolute_next(
    shared: Sandbox, alice: httpx.Client
) -> None:
    body = alice.get("/apps/v3/backups/").json()
    assert len(body["results"]) == 20
    assert body["count"] > 20 * 5
    assert body["previous"] is None
    assert body["next"] == f"{shared.url}/apps/v3/backups/?page=2"


def test_links_keep_the_other_query_parameters(alice: httpx.Client) -> None:
    live = environment(alice, "example-application", "live")
    params = {"environment": live["uuid"], "page_size": "7", "unknown": "kept", "page": "2"}
    body = alice.get("/apps/v3/backups/", params=params).json()
    following = parse_qs(urlsplit(body["next"]).query)
    assert following == {
        "environment": [live["uuid"]],
        "page_size": ["7"],
        "unknown": ["kept"],
        "page": ["3"],
    }
    previous = parse_qs(urlsplit(body["previous"]).query)
    assert "page" not in previous
    assert previous["environment"] == [live["uuid"]]


def test_following_next_visits_every_item_once(alice: httpx.Client) -> None:
    count = alice.get("/apps/v3/backups/").json()["count"]
    uuids = [item["uuid"] for item in everything(alice, "/apps/v3/backups/", page_size=37)]
    assert len(uuids) == count
    assert len(set(uuids)) == count


@pytest.mark.parametrize(("asked", "served"), [("100", 100), ("1000", 100), ("5", 5)])
def test_page_size_is_capped_at_100(alice: httpx.Client, asked: str, served: int) -> None:
    body = alice.get("/apps/v3/backups/", params={"page_size": asked}).json()
    assert len(body["results"]) == served


@pytest.mark.parametrize("asked", ["0", "-3", "abc", ""])
def test_invalid_page_sizes_fall_back_to_the_default(alice: httpx.Client, asked: str) -> None:
    body = alice.get("/apps/v3/backups/", params={"page_size": asked}).json()
    assert len(body["results"]) == 20


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1.5"])
def test_invalid_pages_are_drfs_404(alice: httpx.Client, page: str) -> None:
    response = alice.get("/apps/v3/backups/", params={"page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_page_last_is_the_last_page(alice: httpx.Client) -> None:
    body = alice.get("/apps/v3/regions/", params={"page": "last", "page_size": 2}).json()
    assert body["next"] is None
    assert len(body["results"]) == 1


def test_an_empty_list_has_one_empty_page(alice: httpx.Client) -> None:
    body = alice.get("/apps/v3/applications/", params={"slug": "no-such-app"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_order_is_stable_but_not_chronological(alice: httpx.Client) -> None:
    live = environment(alice, "example-application", "live")
    first = alice.get("/apps/v3/backups/", params={"environment": live["uuid"]}).json()
    again = alice.get("/apps/v3/backups/", params={"environment": live["uuid"]}).json()
    assert first == again
    sibs = [
        alice.get(f"/apps/v3/service-instance-backups/{b['service_instance_backups'][0]}/").json()
        for b in first["results"]
    ]
    queued = [sib["queued_at"] for sib in sibs]
    assert queued not in (sorted(queued), sorted(queued, reverse=True))
