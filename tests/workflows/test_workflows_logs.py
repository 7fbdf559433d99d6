"""Runtime logs and build logs: cursors followed, services filtered, a tail that backs off."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace

import pytest

from divio_ext import AsyncDivioClient, DivioClient
from divio_ext.core.errors import LookupNotFound, PaginationError
from divio_ext.resources import bound_async
from divio_ext.resources.bound import Environment, application
from divio_ext.resources.models import LogEntry
from divio_ext.workflows import aio, deployment_log, environment_logs, latest_deployment, logs_plan
from divio_ext.workflows.logs import FOLLOW_POLICY, cursor
from divio_sandbox.server import ClockControl

#: The sandbox writes one entry every 30 s (and the API gives 20 to a page by default).
PERIOD = datetime.timedelta(seconds=30)


@pytest.fixture
def live(divio_client: DivioClient) -> Environment:
    return application(divio_client, "example-application").environment("live")


def stamps(entries: list[LogEntry]) -> list[datetime.datetime]:
    return [entry.timestamp for entry in entries if isinstance(entry.timestamp, datetime.datetime)]


def test_without_since_the_newest_page_is_read_oldest_first(
    live: Environment, divio_clock: ClockControl
) -> None:
    found = stamps(environment_logs(live))
    assert found == sorted(found)
    assert len(found) == 20
    assert divio_clock.now() - PERIOD <= found[-1] <= divio_clock.now()


def test_since_walks_every_page_up_to_now(live: Environment, divio_clock: ClockControl) -> None:
    since = divio_clock.now() - datetime.timedelta(hours=2)
    found = stamps(environment_logs(live, since=since))
    assert len(found) == 240, "two hours of one entry per 30 s: twelve pages of 20"
    assert found == sorted(set(found)), "no entry twice, none out of order"
    assert since <= found[0] < since + PERIOD
    assert divio_clock.now() - PERIOD <= found[-1] <= divio_clock.now()


def test_services_keep_only_their_entries_in_any_case(
    live: Environment, divio_clock: ClockControl
) -> None:
    since = divio_clock.now() - datetime.timedelta(hours=1)
    every = environment_logs(live, since=since)
    workers = environment_logs(live, since=since, services=["WORKER", "cronjob"])
    assert workers == [entry for entry in every if entry.service in ("worker", "cronjob")]
    assert {entry.service for entry in workers} == {"worker", "cronjob"}


def test_one_service_is_a_name_not_its_letters(
    live: Environment, divio_clock: ClockControl
) -> None:
    since = divio_clock.now() - datetime.timedelta(hours=1)
    workers = environment_logs(live, since=since, services="worker")
    assert workers == environment_logs(live, since=since, services=["worker"])
    assert {entry.service for entry in workers} == {"worker"}


def split_at_restarts(pauses: list[float]) -> list[list[float]]:
    """The pauses cut before every pause of the first length: one list per stretch of waiting."""
    runs: list[list[float]] = []
    for pause in pauses:
        if pause == FOLLOW_POLICY.interval or not runs:
            runs.append([])
        runs[-1].append(pause)
    return runs


def test_following_backs_off_while_nothing_is_new_and_starts_over_when_lines_arrive(
    live: Environment, divio_clock: ClockControl
) -> None:
    class Advancing:
        """Sleeping moves the sandbox's clock, so new entries appear as time passes."""

        def __init__(self) -> None:
            self.pauses: list[float] = []

        def monotonic(self) -> float:
            return divio_clock.now().timestamp()

        def time(self) -> float:
            return self.monotonic()

        def sleep(self, seconds: float) -> None:
            self.pauses.append(seconds)
            divio_clock.advance(seconds)

        async def asleep(self, seconds: float) -> None:
            self.sleep(seconds)

    class Enough(Exception):
        pass

    started = divio_clock.now()
    seen: list[LogEntry] = []

    def sink(entry: LogEntry) -> None:
        seen.append(entry)
        if entry.timestamp > started + 2 * PERIOD:  # type: ignore[operator]
            raise Enough

    clock = Advancing()
    policy = replace(FOLLOW_POLICY, clock=clock)
    with pytest.raises(Enough):
        live.client.run(logs_plan(live.model, sink, follow=True, policy=policy))
    growing = list(itertools.islice(FOLLOW_POLICY.pauses(), 12))
    runs = split_at_restarts(clock.pauses)
    assert len(runs) >= 2, "the pause starts over once new lines have come"
    assert all(run == growing[: len(run)] for run in runs), "and grows while pages are empty"
    assert any(FOLLOW_POLICY.max_interval in run for run in runs), "up to its maximum"
    assert stamps(seen) == sorted(set(stamps(seen)))


def test_a_cursor_is_sent_back_as_parameters_and_refuses_what_it_cannot_follow() -> None:
    link = (
        "https://elsewhere.example/apps/v3/environments/x/logs/?from_ts=2026-06-01T11:59:31.275938Z"
    )
    assert cursor(link) == {
        "from_ts": datetime.datetime(2026, 6, 1, 11, 59, 31, 275938, tzinfo=datetime.UTC)
    }
    with pytest.raises(PaginationError, match="'cursor'"):
        cursor("https://api.divio.com/apps/v3/environments/x/logs/?cursor=abc")
    with pytest.raises(PaginationError, match="from_ts='soon' is not understood"):
        cursor("https://api.divio.com/apps/v3/environments/x/logs/?from_ts=soon")


def test_the_build_log_of_the_newest_deployment_or_of_a_named_one(live: Environment) -> None:
    newest = latest_deployment(live)
    assert newest is not None
    chosen, log = deployment_log(live)
    assert chosen == newest
    assert log.splitlines()[0].startswith(f"Deployment {newest.uuid}")
    older = live.deployments()[-1]
    assert deployment_log(live, older.uuid)[0] == older


def test_a_deployment_of_another_environment_is_not_found(
    live: Environment, divio_client: DivioClient
) -> None:
    test_env = application(divio_client, "example-application").environment("test")
    other = test_env.deployments()[0]
    with pytest.raises(LookupNotFound, match="is not one of environment 'live'"):
        deployment_log(live, other.uuid)


@pytest.mark.anyio
async def test_the_async_client_reads_the_same_logs(
    divio_async_client: AsyncDivioClient, live: Environment, divio_clock: ClockControl
) -> None:
    app = await bound_async.application(divio_async_client, "example-application")
    env = await app.environment("live")
    since = divio_clock.now() - datetime.timedelta(minutes=30)
    assert await aio.environment_logs(env, since=since) == environment_logs(live, since=since)
    chosen, log = await aio.deployment_log(env)
    expected, expected_log = deployment_log(live)
    assert (chosen.uuid, log) == (expected.uuid, expected_log)
