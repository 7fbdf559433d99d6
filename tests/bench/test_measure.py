"""Where ``make bench`` runs its sandboxes: on a CPU of their own, so that the server's work
does not take CPU time from the clients being measured (the real API's runs elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from bench.measure import cpus_apart, sandbox_apart
from divio_sandbox import Sandbox

separable = pytest.mark.skipif(
    cpus_apart() is None, reason="needs two CPUs or more and CPU affinity (Linux)"
)


def server_cpus(process_id: int) -> set[int]:
    """The CPUs any thread of the process may run on."""
    threads = Path(f"/proc/{process_id}/task").iterdir()
    return set().union(*(os.sched_getaffinity(int(thread.name)) for thread in threads))


@separable
def test_a_sandbox_apart_has_a_cpu_of_its_own_and_this_process_keeps_the_others() -> None:
    everything = os.sched_getaffinity(0)
    with sandbox_apart(True, backups=10) as sb:
        assert sb.process_id is not None
        httpx.get(f"{sb.url}/_sandbox/").raise_for_status()  # serving, threads started
        server = server_cpus(sb.process_id)
        assert server == {max(everything)}
        assert os.sched_getaffinity(0) == everything - server
    assert os.sched_getaffinity(0) == everything, "this process gets every CPU back"


@separable
def test_a_shared_sandbox_runs_on_the_clients_cpus() -> None:
    everything = os.sched_getaffinity(0)
    with sandbox_apart(False, backups=10) as sb:
        assert sb.process_id is not None
        assert server_cpus(sb.process_id) == everything
        assert os.sched_getaffinity(0) == everything


@separable
def test_this_process_gets_every_cpu_back_when_the_sandbox_cannot_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: Sandbox) -> None:
        raise RuntimeError("the sandbox did not start")

    monkeypatch.setattr(Sandbox, "start", broken)
    everything = os.sched_getaffinity(0)
    with pytest.raises(RuntimeError, match="did not start"), sandbox_apart(True, backups=10):
        pass
    assert os.sched_getaffinity(0) == everything
