"""Fault runs: under chaos every workflow gives the fault-free answer or a clean error.

This is the bounded version of ``make stress`` (``divio_devtools.stress``): the same runner, the
same workflows and fault rates, a few seeds each. The last tests check the runner itself: a
wrong answer, a misleading error, a raw exception and a duplicate write must all be caught.
"""

from __future__ import annotations

from typing import Any

import pytest
from divio_api.api.backups import list_backups

from divio_devtools import stress
from divio_ext import errors
from divio_ext.resources.bound import application
from divio_ext.workflows import create_backup

SEEDS = (11, 12, 13)
RATES = stress.DEFAULT_RATES


@pytest.fixture(scope="module")
def runner() -> stress.Runner:
    return stress.Runner()


@pytest.mark.slow
@pytest.mark.parametrize("workflow", list(stress.WORKFLOWS))
def test_every_chaos_run_is_correct_or_a_clean_error(runner: stress.Runner, workflow: str) -> None:
    rows = stress.run_matrix(runner, [workflow], RATES, SEEDS, workers=len(SEEDS))
    report = "\n".join([stress.HEADER, *map(stress.format_row, rows), *stress.format_causes(rows)])
    for row in rows:
        assert row.runs == len(SEEDS), report
        assert row.bad == 0, report
        assert row.outcomes["correct"] + row.outcomes["clean"] == row.runs, report
    assert sum(row.faults for row in rows) > 0, "chaos must have injected faults\n" + report
    assert sum(row.retries for row in rows) > 0, "the client must have retried\n" + report
    assert sum(row.outcomes["correct"] for row in rows) > 0, report


@pytest.mark.slow
@pytest.mark.parametrize("workflow", ["list-backups", "create-backup-and-wait"])
def test_slow_answers_beyond_the_timeout_are_retried_or_reported(workflow: str) -> None:
    """A 'slow' fault outlasts the client's timeout: a GET is retried; a POST is not (the server
    may still create the backup), and a second backup must never appear."""
    runner = stress.Runner(stress.Settings(slow_seconds=0.3, timeout=0.1, faults=("slow",)))
    (row,) = stress.run_matrix(runner, [workflow], [0.4], SEEDS, workers=len(SEEDS))
    report = "\n".join([stress.HEADER, stress.format_row(row), *stress.format_causes([row])])
    assert row.bad == 0, report
    assert row.retries > 0, report


# --- The runner must notice every way a run can go wrong. ------------------------------------


def drops_an_item_after_a_retry(ctx: stress.Context) -> Any:
    answer = stress.run_list_backups(ctx)
    return answer[1:] if ctx.retry_clock.retries else answer


def blames_the_data_after_a_retry(ctx: stress.Context) -> Any:
    answer = stress.run_list_backups(ctx)
    if ctx.retry_clock.retries:
        raise errors.NotFound("no backups", status=404, method="GET", url="/apps/v3/backups/")
    return answer


def crashes_after_a_retry(ctx: stress.Context) -> Any:
    answer = stress.run_list_backups(ctx)
    return answer[0]["no such field"] if ctx.retry_clock.retries else answer


BROKEN = [
    pytest.param(drops_an_item_after_a_retry, "wrong", id="wrong-answer"),
    pytest.param(blames_the_data_after_a_retry, "misleading", id="misleading-error"),
    pytest.param(crashes_after_a_retry, "raw", id="raw-exception"),
]


@pytest.mark.parametrize(("run", "expected"), BROKEN)
def test_the_runner_catches_a_broken_workflow(
    runner: stress.Runner, run: Any, expected: str
) -> None:
    # On seed 1 at 40% the listing is retried and still completes (the chaos draws are seeded).
    outcome = runner.run(stress.Workflow(run.__name__, run), seed=1, rate=0.4)
    assert outcome.retries > 0
    assert outcome.kind == expected, outcome


def test_the_runner_catches_a_duplicate_write(runner: stress.Runner) -> None:
    def creates_two_backups(ctx: stress.Context) -> Any:
        live = application(ctx.client, "example-application").environment("live")
        create_backup(live, wait=False)
        return sorted(stress.dump(create_backup(live, wait=False)))

    workflow = stress.Workflow("doubler", creates_two_backups, creates=list_backups)
    outcome = runner.run(workflow, seed=1, rate=0.0)
    assert (outcome.kind, outcome.cause) == ("wrong", "2 objects created")


def test_a_fault_free_run_of_a_correct_workflow_is_correct(runner: stress.Runner) -> None:
    outcome = runner.run(stress.WORKFLOWS["list-backups"], seed=1, rate=0.0)
    assert (outcome.kind, outcome.faults, outcome.retries) == ("correct", 0, 0)
