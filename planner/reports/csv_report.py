"""CSV report: runs, measured points, the plan's monthly table and its assumptions.

Runs on the caller's thread; writes files only. Four files, each with one header row,
UTF-8 (with a byte-order mark, so spreadsheets detect the encoding), ISO 8601 dates and
numbers at full precision. ``--out report.csv`` writes ``report_runs.csv``,
``report_points.csv``, ``report_monthly.csv`` and ``report_assumptions.csv`` beside it;
``--out`` naming an existing folder writes ``runs.csv`` and so on inside it. The plan
files are left out when the report has no plan.

Text cells that a spreadsheet would read as a formula (starting with ``= + - @``, a tab
or a carriage return) get a leading apostrophe; numbers stay numbers, negatives included.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from planner.core.errors import InputError
from planner.core.plan_result import PlanResult
from planner.reports.report_data import ReportData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ENCODING = "utf-8-sig"
TABLES = ("runs", "points", "monthly", "assumptions")


def neutralise(cell: Any) -> Any:
    """A cell that is safe to open in a spreadsheet; non-text values are returned as they are."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_paths(out: Path) -> dict[str, Path]:
    """Where each of the four tables goes for ``--out`` (see the module docstring)."""
    if out.is_dir():
        return {name: out / f"{name}.csv" for name in TABLES}
    stem = out.name[:-4] if out.name.lower().endswith(".csv") else out.name
    return {name: out.with_name(f"{stem}_{name}.csv") for name in TABLES}


def write_csv(data: ReportData, out: Path) -> list[Path]:
    """Write the tables; return the files written."""
    paths = csv_paths(Path(out))
    tables = {"runs": _runs(data), "points": _points(data)}
    if data.plan is not None:
        tables["monthly"] = _monthly(data.plan.result)
        tables["assumptions"] = _assumptions(data.plan.result)
    written = []
    for name, (header, rows) in tables.items():
        _write(paths[name], header, rows)
        written.append(paths[name])
    return written


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    try:
        with path.open("w", encoding=ENCODING, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(h) for h in header])
            writer.writerows([neutralise(cell) for cell in row] for row in rows)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _runs(data: ReportData) -> tuple[list[str], list[list[Any]]]:
    header = [
        "run_id",
        "model",
        "model_sha256",
        "machine_id",
        "hostname",
        "site",
        "scenario",
        "provider",
        "status",
        "failure_reason",
        "started_at",
        "finished_at",
        "points",
    ]
    rows = []
    for item in data.runs:
        run = item.run
        rows.append(
            [
                run.id,
                run.model_name,
                run.model_sha256,
                item.machine.id if item.machine else "",
                item.machine.hostname if item.machine else "",
                item.site or "",
                run.config.scenario,
                run.config.provider,
                run.status,
                run.failure_reason,
                run.started_at,
                run.finished_at,
                len(run.points),
            ]
        )
    return header, rows


_POINT_STATS = ("mean", "p50", "p90", "p95", "p99", "p999")


def _points(data: ReportData) -> tuple[list[str], list[list[Any]]]:
    header = [
        "run_id",
        "seq",
        "label",
        "scenario",
        "batch",
        "concurrency",
        "target_rate",
        "throughput_ips",
        *(f"{name}_ms" for name in _POINT_STATS),
        "samples",
        "stable",
        "stop_reason",
        "energy_method",
        "joules_per_inference",
        "avg_power_w",
    ]
    rows = []
    for item in data.runs:
        for seq, point in enumerate(item.run.points):
            stats = point.stats
            rows.append(
                [
                    item.run.id,
                    seq,
                    point.label,
                    point.scenario,
                    point.batch,
                    point.concurrency,
                    point.target_rate,
                    point.throughput_ips,
                    *(getattr(stats, name) for name in _POINT_STATS),
                    stats.count,
                    point.stable,
                    point.stop_reason,
                    point.energy.method,
                    point.energy.joules_per_inference,
                    point.energy.avg_power_w,
                ]
            )
    return header, rows


def _monthly(result: PlanResult) -> tuple[list[str], list[list[Any]]]:
    components = list(dict.fromkeys(c for o in result.options for c in o.components))
    header = ["month", "option", "kind", "avg_rate", "peak_rate", "inferences", "units"]
    header += [f"cost_{c}" for c in components]
    header += ["monthly_total", "cumulative", "energy_kwh", "co2_kg", "currency"]
    rows = []
    for option in result.options:
        for m in range(result.months):
            rows.append(
                [
                    m + 1,
                    option.name,
                    option.kind,
                    _at(result.avg_rate, m),
                    _at(result.peak_rate, m),
                    _at(result.inferences, m),
                    _at(option.units, m),
                    *(_at(option.components.get(c), m) for c in components),
                    _at(option.monthly_total, m),
                    _at(option.cumulative, m),
                    _at(option.energy_kwh, m),
                    _at(option.co2_kg, m),
                    result.currency,
                ]
            )
    return header, rows


def _at(values: np.ndarray | None, index: int) -> float | None:
    """Month ``index`` of a series at full precision; empty when absent or not finite."""
    if values is None:
        return None
    value = float(values[index])
    return value if math.isfinite(value) else None


def _assumptions(result: PlanResult) -> tuple[list[str], list[list[Any]]]:
    header = ["option", "provenance", "detail", "source", "date"]
    rows = [["(plan)", p.kind, p.detail, p.source or "", p.date or ""] for p in result.assumptions]
    rows += [
        [option.name, p.kind, p.detail, p.source or "", p.date or ""]
        for option in result.options
        for p in option.provenance
    ]
    return header, rows
