"""Testing your own Divio automation with divio-ext's pytest plugin: a real HTTP API, no account.

    pytest examples/test_with_sandbox.py

The fixtures come with divio-ext (its ``sandbox`` extra brings the server): ``divio_client`` is
a client bound to a local sandbox as its user alice, reset to the seeded data before every
test; ``divio_clock`` moves the sandbox's time so that created work finishes.
"""

from datetime import datetime, timedelta

import pytest

from divio_ext import DivioClient, NotFound
from divio_ext.workflows import create_backup, latest_backup
from divio_sandbox import Sandbox
from divio_sandbox.server import ClockControl

APP, ENV = "example-application", "live"  # the sandbox's seeded application


def backup_age(client: DivioClient, app: str, env: str, now: datetime) -> timedelta:
    """The automation under test: how old is the latest usable database backup?"""
    found = latest_backup(client, app, env)
    assert found.taken_at is not None
    return now - found.taken_at


def test_a_new_backup_counts_once_it_has_finished(
    divio_client: DivioClient, divio_clock: ClockControl
) -> None:
    live = divio_client.applications.get_by_slug(APP).environment(ENV)
    before = backup_age(divio_client, APP, ENV, divio_clock.now())
    create_backup(live, wait=False)
    assert backup_age(divio_client, APP, ENV, divio_clock.now()) == before  # still running

    divio_clock.advance(600)  # the sandbox's time: created work finishes
    assert backup_age(divio_client, APP, ENV, divio_clock.now()) < timedelta(minutes=10)


@pytest.mark.divio_sandbox(chaos=0.3, faults=["502", "503"])  # 30 % of requests fail
def test_the_answer_survives_a_flaky_api(
    divio_client: DivioClient, divio_sandbox: Sandbox, divio_clock: ClockControl
) -> None:
    assert backup_age(divio_client, APP, ENV, divio_clock.now()) > timedelta(0)
    assert divio_sandbox.stats()["faults"], "some requests failed and were retried"


@pytest.mark.parametrize("divio_user", ["mallory"])  # a user of another organisation
def test_other_organisations_cannot_see_the_application(divio_client: DivioClient) -> None:
    with pytest.raises(NotFound):
        backup_age(divio_client, APP, ENV, datetime.now().astimezone())
