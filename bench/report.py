"""Readable tables for the benchmark results (the JSON file holds the same figures)."""

from __future__ import annotations

from typing import Any


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        cell.ljust(width) if i == 0 else cell.rjust(width)
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    lines = [_row(header, widths), _row(["-" * width for width in widths], widths)]
    lines.extend(_row(row, widths) for row in rows)
    return "\n".join(lines)


def round_trips(run: dict[str, Any], runs: list[dict[str, Any]]) -> dict[str, float]:
    """Sequential round trips per method: the time the injected latency added, over latency.

    Needs the same size measured at 0 ms latency too; processing time then cancels out.
    """
    latency = run["latency_s"]
    base = next(
        (other for other in runs if other["backups"] == run["backups"] and other["latency_s"] == 0),
        None,
    )
    if not latency or base is None:
        return {}
    return {
        name: (figures["median_s"] - base["question"][name]["median_s"]) / latency
        for name, figures in run["question"].items()
    }


def question_table(run: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    latency, least = run["latency_s"], run["least_round_trips"]
    rounds = round_trips(run, runs)
    header = ["method", "requests", "median", "+/-", "speed-up", "time / floor", "round trips"]
    rows = []
    for name, figures in run["question"].items():
        rows.append(
            [
                name,
                str(figures["requests"]),
                f"{figures['median_s'] * 1000:.0f} ms",
                f"{figures['spread_s'] * 1000:.0f} ms",
                f"{figures['speed_up']:.1f}x",
                f"{figures['time_vs_floor']:.2f}",
                f"{rounds[name]:.1f}" if name in rounds else "-",
            ]
        )
    title = (
        f"latest backup, {run['backups']} backups, {latency * 1000:.0f} ms latency; speed-up "
        f"against the docs' method with page_size=100 (least: {least['with_filters']} "
        f"sequential round trips with filters, {least['without_filters']} without)"
    )
    return f"{title}\n{_table(header, rows)}"


def throughput_table(run: dict[str, Any]) -> str:
    header = [
        f"iterate all backups, {run['latency_s'] * 1000:.0f} ms latency",
        "items",
        "requests",
        "items/s",
        "vs httpx+json",
        "peak memory",
    ]
    rows = [
        [
            name,
            str(f["items"]),
            str(f["requests"]),
            f"{f['items_per_s']:.0f}",
            f"{f['vs_httpx_json']:.2f}",
            f"{f['peak_memory_bytes'] / 1e6:.1f} MB",
        ]
        for name, f in run["throughput"].items()
    ]
    return _table(header, rows)


def print_report(report: dict[str, Any]) -> None:
    """Print the newest run; round trips appear once its 0 ms twin has been measured."""
    run = report["runs"][-1]
    print()
    print(question_table(run, report["runs"]))
    print()
    print(throughput_table(run))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def print_summary(report: dict[str, Any]) -> None:
    """The headline comparison, one line per run, and the pager's throughput: for the README."""
    names = [
        ("docs, page_size=100", "docs p100"),
        ("docs, default page size", "docs default"),
        ("hand-tuned httpx (floor)", "floor"),
        ("divio-ext", "divio-ext"),
    ]
    header = [
        "backups",
        "latency",
        *(short for _, short in names),
        "speed-up",
        "ext / floor",
        "requests p100/default/floor/ext",
        "filters ignored",
    ]
    rows = []
    for run in report["runs"]:
        q = run["question"]
        ext, ignored = q["divio-ext"], q["divio-ext, filters ignored"]
        rows.append(
            [
                str(run["backups"]),
                f"{run['latency_s'] * 1000:.0f} ms",
                *(_ms(q[name]["median_s"]) for name, _ in names),
                f"{ext['speed_up']:.1f}x",
                f"{ext['time_vs_floor']:.2f}",
                "/".join(str(q[name]["requests"]) for name, _ in names),
                f"{_ms(ignored['median_s'])} ({ignored['requests']} requests)",
            ]
        )
    print("\nsummary (median wall time of the latest-backup question; speed-up of divio-ext")
    print("against the docs' method with page_size=100)")
    print(_table(header, rows))
    print("\ntyped pager against a raw httpx+json loop, 0 ms latency, page_size=100, runs in turn")
    for run in report["runs"]:
        if run["latency_s"] == 0:
            t = run["throughput"]
            plain, floor = t["httpx+json loop"], t["httpx+json, next page ahead (floor)"]
            pager, one = t["divio-ext pager"], t["divio-ext pager, concurrency 1"]
            print(
                f"  {run['backups']} backups: pager (default) {pager['items_per_s']:.0f} items/s, "
                f"httpx+json loop {plain['items_per_s']:.0f}: ratio {pager['vs_httpx_json']:.2f}; "
                f"pager at concurrency 1 {one['vs_httpx_json']:.2f}; "
                f"httpx+json with the next page ahead (floor) {floor['vs_httpx_json']:.2f}"
            )
    for name in ("httpx+json loop", "divio-ext pager", "divio-ext pager, concurrency 1"):
        peaks = [r["throughput"][name]["peak_memory_bytes"] for r in report["runs"]]
        print(f"peak memory, {name}: {min(peaks) / 1e6:.2f}-{max(peaks) / 1e6:.2f} MB")
    machine = report["machine"]
    print(
        f"machine: {machine['cpus']} CPUs ({machine['processor']}), Python {machine['python']}, "
        f"1-minute load average {machine['load_average_at_start']:.1f} at the start, "
        f"{machine['load_average_at_end']:.1f} at the end"
    )
