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


@pytest.fixture(scope="module")
def matrix(runner: stress.Runner) -> list[stress.Row]:
    """Every workflow at every fault rate, on a sandbox that ignores the unconfirmed filters."""
    return stress.run_matrix(runner, list(stress.WORKFLOWS), RATES, SEEDS, workers=len(SEEDS))


def report(rows: list[stress.Row]) -> str:
    lines = [stress.HEADER, *map(stress.format_row, rows), *stress.format_causes(rows)]
    return "\n".join([*lines, *stress.format_summary(rows)])


@pytest.mark.slow
@pytest.mark.parametrize("workflow", list(stress.WORKFLOWS))
def test_every_chaos_run_is_correct_or_a_clean_error(
    matrix: list[stress.Row], workflow: str
) -> None:
    rows = [row for row in matrix if row.workflow == workflow]
    for row in rows:
        assert row.runs == len(SEEDS), report(rows)
        assert row.bad == 0, report(rows)
        assert row.outcomes["correct"] + row.outcomes["clean"] == row.runs, report(rows)
    assert sum(row.faults for row in rows) > 0, "chaos must have injected faults\n" + report(rows)
    assert sum(row.retries for row in rows) > 0, "the client must have retried\n" + report(rows)
    assert sum(row.outcomes["correct"] for row in rows) > 0, report(rows)


@pytest.mark.slow
@pytest.mark.parametrize("rate", RATES)
def test_read_workflows_give_the_fault_free_answer_in_nearly_every_run(
    matrix: list[stress.Row], rate: float
) -> None:
    """The targets of ``make stress``, over all read workflows together (a few seeds each)."""
    reads = [r for r in matrix if r.rate == rate and stress.WORKFLOWS[r.workflow].reads]
    share = stress.correct_target(rate)
    assert share is not None
    correct, runs = sum(r.outcomes["correct"] for r in reads), sum(r.runs for r in reads)
    assert correct >= share * runs, report(reads)


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
    return answer[1:] if ctx.attempts.retries else answer


def blames_the_data_after_a_retry(ctx: stress.Context) -> Any:
    answer = stress.run_list_backups(ctx)
    if ctx.attempts.retries:
        raise errors.NotFound("no backups", status=404, method="GET", url="/apps/v3/backups/")
    return answer


def crashes_after_a_retry(ctx: stress.Context) -> Any:
    answer = stress.run_list_backups(ctx)
    return answer[0]["no such field"] if ctx.attempts.retries else answer


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


def test_the_runner_catches_a_write_that_wrongly_says_the_server_did_not_act(
    runner: stress.Runner,
) -> None:
    runs: list[int] = []

    def creates_then_says_it_did_not(ctx: stress.Context) -> Any:
        live = application(ctx.client, "example-application").environment("live")
        made = create_backup(live, wait=False)
        runs.append(1)
        if len(runs) == 1:  # the fault-free reference run answers
            return sorted(stress.dump(made))
        error = errors.RateLimited(
            "refused", status=429, method="POST", url="/apps/v3/backups/", attempts=1
        )
        error.server_may_have_acted = False
        raise error

    workflow = stress.Workflow("denier", creates_then_says_it_did_not, creates=list_backups)
    outcome = runner.run(workflow, seed=1, rate=0.0)
    assert (outcome.kind, outcome.cause) == ("wrong", "said the server did not act, but 1 created")
