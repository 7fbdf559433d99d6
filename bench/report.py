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
    latency, floor = run["latency_s"], run["floor"]
    rounds = round_trips(run, runs)
    header = ["method", "requests", "median", "+/-", "vs docs", "round trips"]
    rows = []
    for name, figures in run["question"].items():
        rows.append(
            [
                name,
                str(figures["requests"]),
                f"{figures['median_s'] * 1000:.0f} ms",
                f"{figures['spread_s'] * 1000:.0f} ms",
                f"{figures['ratio_to_docs']:.1f}x",
                f"{rounds[name]:.1f}" if name in rounds else "-",
            ]
        )
    title = (
        f"latest backup, {run['backups']} backups, {latency * 1000:.0f} ms latency "
        f"(floor: {floor['with_filters']} sequential round trips with filters, "
        f"{floor['without_filters']} without)"
    )
    return f"{title}\n{_table(header, rows)}"


def throughput_table(run: dict[str, Any]) -> str:
    header = [
        f"iterate all backups, {run['latency_s'] * 1000:.0f} ms latency",
        "items",
        "requests",
        "items/s",
        "peak memory",
    ]
    rows = [
        [
            name,
            str(f["items"]),
            str(f["requests"]),
            f"{f['items_per_s']:.0f}",
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


def print_summary(report: dict[str, Any]) -> None:
    """One line per run: the headline comparison, for the README."""
    header = [
        "backups",
        "latency",
        "docs",
        "divio-ext",
        "speed-up",
        "requests docs/ext",
        "ext round trips (floor)",
        "filters ignored",
    ]
    rows = []
    for run in report["runs"]:
        docs, ext = run["question"]["docs"], run["question"]["divio-ext"]
        ignored = run["question"]["divio-ext, filters ignored"]
        rounds = round_trips(run, report["runs"])
        trips = f"{rounds['divio-ext']:.1f} ({run['floor']['with_filters']})" if rounds else "-"
        rows.append(
            [
                str(run["backups"]),
                f"{run['latency_s'] * 1000:.0f} ms",
                f"{docs['median_s'] * 1000:.0f} ms",
                f"{ext['median_s'] * 1000:.0f} ms",
                f"{ext['ratio_to_docs']:.1f}x",
                f"{docs['requests']}/{ext['requests']}",
                trips,
                f"{ignored['ratio_to_docs']:.1f}x",
            ]
        )
    print("\nsummary (median wall time of the latest-backup question)")
    print(_table(header, rows))
