"""`make bench` must keep working: a tiny run end to end (no timing is asserted here)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.measure import cpus_apart

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_benchmark_runs_at_a_tiny_size_and_all_methods_agree(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--sizes",
            "300",
            "--latency",
            "0,0.005",
            "--repeats",
            "1",
            "--slow-repeats",
            "1",
            "--pull-sizes",
            "1000000",
            "--json-out",
            str(out),
            "--no-plain-startup",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    apart = cpus_apart()
    machine = report["machine"]
    assert (machine["sandbox_cpu"], machine["client_cpus"]) == (apart or (None, None))
    assert [run["latency_s"] for run in report["runs"]] == [0.0, 0.005]
    assert set(report["startup"]["this environment"]) == {"help_s", "first_request_s", "target_s"}
    for run in report["runs"]:
        methods = run["question"]
        assert set(methods) == {
            "docs, page_size=100",
            "docs, default page size",
            "hand-tuned httpx (floor)",
            "divio-ext",
            "divio-ext, filters ignored",
        }
        # The benchmark itself raises when methods disagree; here: how many requests each asks.
        default, largest = methods["docs, default page size"], methods["docs, page_size=100"]
        assert largest["requests"] < default["requests"]
        assert methods["divio-ext"]["requests"] < largest["requests"]
        assert methods["hand-tuned httpx (floor)"]["requests"] == methods["divio-ext"]["requests"]
        assert methods["docs, page_size=100"]["speed_up"] == 1.0
        least = run["least_round_trips"]
        assert least["with_filters"] <= least["without_filters"]
        items = {figures["items"] for figures in run["throughput"].values()}
        assert len(items) == 1
        assert items.pop() > 0
        assert run["throughput"]["httpx+json loop"]["vs_httpx_json"] == 1.0
        assert set(run["throughput"]) == {
            "httpx+json loop",
            "httpx+json, next page ahead (floor)",
            "divio-ext pager",
            "divio-ext pager, concurrency 1",
            "divio-ext pager, concurrency 4",
        }
    assert "summary" in result.stdout
    assert "typed pager against a raw httpx+json loop" in result.stdout
    assert "ratio" in result.stdout
    for run in report["fleet"]:
        for ways in run["fleet"].values():
            assert ways["environments"] >= 15
            assert (
                ways["backup_status"]["requests"]
                < ways["latest_backup per environment"]["requests"]
            )
            assert ways["aio.backup_status"]["requests"] == ways["backup_status"]["requests"]
            assert ways["floor"]["client_cpu_s"] > 0
        honoured = run["fleet"]["filters honoured"]["backup_status"]
        assert 0 <= honoured["collector_s"] < honoured["client_cpu_s"]
        assert honoured["full_collections"] >= 0
    assert "in the garbage collector" in result.stdout
    (pulled,) = report["pull"]
    assert pulled["bytes"] == 1000000
    assert set(pulled) >= {
        "httpx stream",
        "divio-ext",
        "ratio",
        "divio-ext, synced",
        "ratio_synced",
    }
