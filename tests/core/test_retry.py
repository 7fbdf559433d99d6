"""Retries: which requests, on what, how long to wait (on a fake clock), and when to stop."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from divio_api.api.backups import create_backup, get_backup

from divio_ext import (
    APIConnectionError,
    APIError,
    ConfigurationError,
    RateLimited,
    RetryPolicy,
    ServerError,
)
from divio_ext.core.logging_ import RETRY
from divio_ext.core.retry import parse_retry_after

from .support import FakeClock, async_client, policy, sync_client

OK = {"uuid": "b1", "environment": "e1"}
BODY = {"environment": "e1", "services": ["s1"]}


class Script:
    """Answers requests from a list: a status code, a Response, or an exception to raise."""

    def __init__(self, *steps: int | httpx.Response | type[httpx.RequestError]) -> None:
        self._steps: Iterator[int | httpx.Response | type[httpx.RequestError]] = iter(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = next(self._steps)
        if isinstance(step, type):
            raise step("simulated", request=request)
        if isinstance(step, httpx.Response):
            return step
        return httpx.Response(step, json=OK if step < 300 else {"detail": "busy"})


def run(script: Script, clock: FakeClock, call: Callable[[Any], Any], **kwargs: Any) -> Any:
    with sync_client(script, retry=policy(clock, **kwargs)) as client:
        return call(client)


def get(client: Any) -> Any:
    return client.call(get_backup, uuid="b1")


def test_idempotent_requests_are_retried_with_exponential_backoff() -> None:
    clock, script = FakeClock(), Script(503, 502, 504, 200)
    assert run(script, clock, get).uuid == "b1"
    assert len(script.requests) == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_jitter_is_full_and_the_backoff_is_capped() -> None:
    clock, script = FakeClock(), Script(503, 503, 503, 503, 503, 200)
    draws = iter([0.5, 0.5, 0.5, 0.5, 0.5])
    retry = RetryPolicy(
        clock=clock, random=lambda: next(draws), max_attempts=6, backoff_base=1, backoff_max=4
    )
    with sync_client(script, retry=retry) as client:
        get(client)
    assert clock.sleeps == [0.5, 1.0, 2.0, 2.0, 2.0]


def test_attempts_are_limited_and_the_last_error_is_raised() -> None:
    clock, script = FakeClock(), Script(503, 503, 503)
    with pytest.raises(ServerError) as caught:
        run(script, clock, get, max_attempts=3)
    assert len(script.requests) == 3
    assert caught.value.attempts == 3
    assert "after 3 attempts" in str(caught.value)


def test_other_errors_are_not_retried() -> None:
    clock, script = FakeClock(), Script(500)
    with pytest.raises(ServerError):
        run(script, clock, get)
    assert len(script.requests) == 1
    assert clock.sleeps == []


def test_retry_after_in_seconds_is_honoured() -> None:
    clock = FakeClock()
    limited = httpx.Response(429, json={"detail": "Slow down."}, headers={"Retry-After": "7"})
    run(Script(limited, 200), clock, get)
    assert clock.sleeps == [7.0]


def test_retry_after_as_http_date_is_honoured() -> None:
    clock = FakeClock()
    moment = datetime.fromtimestamp(clock.time() + 12, tz=UTC)
    limited = httpx.Response(
        503, json={"detail": "Maintenance."}, headers={"Retry-After": format_datetime(moment, True)}
    )
    run(Script(limited, 200), clock, get)
    assert clock.sleeps == [pytest.approx(12.0)]


def test_retry_after_beyond_the_deadline_gives_up_at_once() -> None:
    clock = FakeClock()
    limited = httpx.Response(429, json={"detail": "Slow down."}, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimited) as caught:
        run(Script(limited), clock, get, deadline=60)
    assert caught.value.retry_after == 3600
    assert clock.sleeps == []


def test_the_deadline_stops_retrying_and_the_last_wait_ends_at_it() -> None:
    clock, script = FakeClock(), Script(503, 503, 503, 503)
    with pytest.raises(ServerError):
        run(script, clock, get, max_attempts=10, backoff_base=2, deadline=5)
    assert clock.sleeps == [2.0, 3.0]  # 4 s would end after the deadline: the wait is cut to it
    assert len(script.requests) == 3


def test_a_flaky_request_is_retried_until_the_deadline_not_after_four_attempts() -> None:
    clock, script = FakeClock(), Script(503, 502, 503, 504, 503, 200)
    assert run(script, clock, get).uuid == "b1"
    assert len(script.requests) == 6
    assert clock.now <= RetryPolicy().deadline


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError]
)
def test_connection_errors_and_timeouts_are_retried(failure: type[httpx.RequestError]) -> None:
    clock, script = FakeClock(), Script(failure, 200)
    assert run(script, clock, get).uuid == "b1"
    assert clock.sleeps == [0.5]


def test_persistent_connection_errors_become_a_transport_error() -> None:
    clock, script = FakeClock(), Script(*[httpx.ConnectError] * 5)
    with pytest.raises(APIConnectionError, match="after 5 attempts") as caught:
        run(script, clock, get, max_attempts=5)
    assert caught.value.attempts == 5
    assert caught.value.server_may_have_acted is None  # a GET: nothing to worry about


def create(client: Any) -> Any:
    return client.call(create_backup, body=BODY)


@pytest.mark.parametrize("failure", [503, httpx.ReadTimeout])
def test_post_is_not_retried_by_default(failure: Any) -> None:
    clock, script = FakeClock(), Script(failure, 201)
    with pytest.raises((ServerError, APIConnectionError)):
        run(script, clock, create)
    assert len(script.requests) == 1
    assert clock.sleeps == []


def limited(seconds: int = 1) -> httpx.Response:
    """DRF's answer when a throttle refuses a request (before the view runs)."""
    return httpx.Response(
        429, json={"detail": "Request was throttled."}, headers={"Retry-After": str(seconds)}
    )


@pytest.mark.parametrize("refusal", [limited(), httpx.ConnectError], ids=["429", "no-connection"])
def test_post_is_retried_when_the_server_certainly_did_not_act(refusal: Any) -> None:
    clock, script = FakeClock(), Script(refusal, 201)
    assert run(script, clock, create).uuid == "b1"
    assert [r.method for r in script.requests] == ["POST", "POST"]


@pytest.mark.parametrize(
    ("failures", "error", "acted", "sentence"),
    [
        ([503], ServerError, True, "the server may have acted on it: check before sending"),
        ([502], ServerError, True, "the server may have acted on it"),
        ([httpx.ReadTimeout], APIConnectionError, True, "the server may have acted on it"),
        ([httpx.RemoteProtocolError], APIConnectionError, True, "the server may have acted on it"),
        ([limited()] * 3, RateLimited, False, "the server did not act on it: it is safe to send"),
        ([httpx.ConnectError] * 3, APIConnectionError, False, "the server did not act on it"),
    ],
    ids=["503", "502", "timeout", "dropped", "429", "no-connection"],
)
def test_a_write_that_cannot_be_confirmed_says_whether_the_server_may_have_acted(
    failures: list[Any], error: type[Exception], acted: bool, sentence: str
) -> None:
    clock, script = FakeClock(), Script(*failures)
    with pytest.raises(error) as caught:
        run(script, clock, create, max_attempts=3)
    assert caught.value.server_may_have_acted is acted  # type: ignore[attr-defined]
    assert sentence in str(caught.value)
    assert len(script.requests) == len(failures)  # never repeated once it may have acted


@pytest.mark.parametrize("status", [400, 404, 409])
def test_a_write_the_server_rejected_with_a_reason_needs_no_such_sentence(status: int) -> None:
    with pytest.raises(APIError) as caught:
        run(Script(status), FakeClock(), create)
    assert caught.value.server_may_have_acted is None  # type: ignore[attr-defined]
    assert "act on it" not in str(caught.value)


def test_post_is_retried_when_the_policy_opts_in() -> None:
    clock, script = FakeClock(), Script(503, 201)
    assert run(script, clock, create, retry_non_idempotent=True).uuid == "b1"
    assert len(script.requests) == 2


def test_post_is_retried_when_the_call_opts_in() -> None:
    clock, script = FakeClock(), Script(503, 201, 503)
    retry = policy(clock, retry_non_idempotent=True)
    with sync_client(script, retry=policy(clock)) as client:
        assert client.call(create_backup, body=BODY, retry=retry).uuid == "b1"
        with pytest.raises(ServerError):
            client.call(create_backup, body=BODY)  # the client's policy is unchanged
    assert [r.method for r in script.requests] == ["POST"] * 2 + ["POST"]


def test_a_retry_is_logged_at_info_with_why_and_each_exchange_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="divio_ext"):
        run(Script(503, httpx.ConnectError, 200), FakeClock(), get)
    ours = [r for r in caplog.records if r.name == "divio_ext"]
    retries = [r.getMessage() for r in ours if r.levelno == logging.INFO]
    assert retries == [
        "retrying GET /apps/v3/backups/b1/ in 0.50 s (attempt 2 next) "
        "after 503 Service Unavailable",
        "retrying GET /apps/v3/backups/b1/ in 1.00 s (attempt 3 next) "
        "after ConnectError: simulated",
    ]
    assert all(getattr(r, RETRY, False) == (r.levelno == logging.INFO) for r in ours)
    attempts = [r for r in ours if r.levelno == logging.DEBUG and "(attempt " in r.getMessage()]
    assert len(attempts) == 3, "every attempt"


@pytest.mark.anyio
async def test_async_retries_use_the_asleep() -> None:
    clock, script = FakeClock(), Script(503, httpx.ConnectError, 200)
    async with async_client(script, retry=policy(clock)) as client:
        assert (await client.call(get_backup, uuid="b1")).uuid == "b1"
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.anyio
async def test_async_post_is_not_retried() -> None:
    clock, script = FakeClock(), Script(503, 201)
    async with async_client(script, retry=policy(clock)) as client:
        with pytest.raises(ServerError):
            await client.call(create_backup, body=BODY)
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        (" 0 ", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=1_700_000_000.0) == expected


def test_invalid_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    for deadline in (-1.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="deadline"):
            RetryPolicy(deadline=deadline)


def test_the_environment_sets_the_retries_and_the_deadline() -> None:
    chosen = RetryPolicy.from_environment({"DIVIO_RETRIES": "2", "DIVIO_DEADLINE": "7.5"})
    assert (chosen.max_attempts, chosen.deadline) == (3, 7.5)
    assert RetryPolicy.from_environment({}) == RetryPolicy()


def test_arguments_win_over_the_environment() -> None:
    environ = {"DIVIO_RETRIES": "2", "DIVIO_DEADLINE": "7.5"}
    chosen = RetryPolicy.from_environment(environ, retries=0, deadline=1)
    assert (chosen.max_attempts, chosen.deadline) == (1, 1.0)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DIVIO_RETRIES", "-1"),
        ("DIVIO_RETRIES", "two"),
        ("DIVIO_RETRIES", "2.5"),
        ("DIVIO_RETRIES", "\u0662"),  # a digit, but not an ASCII one
        ("DIVIO_DEADLINE", "soon"),
        ("DIVIO_DEADLINE", "-3"),
        ("DIVIO_DEADLINE", "inf"),
        ("DIVIO_DEADLINE", "nan"),
    ],
)
def test_a_bad_budget_in_the_environment_is_a_configuration_error(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        RetryPolicy.from_environment({name: value})


@pytest.mark.usefixtures("clean_environment")
def test_a_client_without_a_policy_reads_its_budget_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DIVIO_RETRIES", "0")
    script = Script(503, 200)
    with sync_client(script, retry=None) as client, pytest.raises(ServerError):
        get(client)
    assert len(script.requests) == 1
