"""CSV report: runs, measured points, the plan's options, its monthly table and assumptions.

Runs on the caller's thread; writes files only. Five files, each with one header row,
written by the one neutralising CSV writer (:mod:`planner.core.csv_safe`): UTF-8 without
a byte-order mark (a BOM made the first header read ``\ufeffrun_id`` in scripts; open
the files in a spreadsheet as UTF-8), ISO 8601 dates, and text cells that a spreadsheet
would run as a formula marked with a leading apostrophe. ``--out report.csv`` writes
``report_runs.csv``, ``report_points.csv``, ``report_options.csv``,
``report_monthly.csv`` and ``report_assumptions.csv`` beside it; ``--out`` naming an
existing folder writes ``runs.csv`` and so on inside it. The plan files are left out when
the report has no plan.

Numbers: measurements keep full precision (:mod:`~planner.reports.csv_points`); the
plan's computed series are rounded to what they can mean
(:mod:`~planner.reports.csv_plan`). Every numeric header names its unit: ``_ms``,
``_ips`` (inferences per second), ``_per_s``, ``_w``, ``_kwh``, ``_kg`` and, for money,
the plan's currency code (``monthly_total_EUR``).

Each run's ``dims`` are those it fed, each one planner assumed starred (as ``planner show``
writes them), and ``assumed`` gives every assumed value with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from planner.core.csv_safe import neutralise, write_csv_file
from planner.core.files import check_output_file
from planner.core.formatting import assumption_texts
from planner.reports import csv_points
from planner.reports.csv_plan import Table, assumptions_table, monthly_table, options_table
from planner.reports.report_data import ReportData

__all__ = ["TABLES", "csv_paths", "neutralise", "write_csv"]

TABLES = ("runs", "points", "options", "monthly", "assumptions")


def csv_paths(out: Path) -> dict[str, Path]:
    """Where each table goes for ``--out`` (see the module docstring)."""
    if out.is_dir():
        return {name: out / f"{name}.csv" for name in TABLES}
    stem = out.name[:-4] if out.name.lower().endswith(".csv") else out.name
    return {name: out.with_name(f"{stem}_{name}.csv") for name in TABLES}


def write_csv(data: ReportData, out: Path) -> list[Path]:
    """Write the tables; return the files written (every target is checked before any)."""
    paths = csv_paths(Path(out))
    for path in paths.values():
        check_output_file(path, "CSV report")
    tables = {"runs": _runs(data), "points": _points(data)}
    if data.plan is not None and data.summary is not None:
        tables["options"] = options_table(data.summary, data.plan.result)
        tables["monthly"] = monthly_table(data.plan.result)
        tables["assumptions"] = assumptions_table(data.plan.result)
    written = []
    for name, (header, rows) in tables.items():
        _write(paths[name], header, rows)
        written.append(paths[name])
    return written


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    write_csv_file(path, header, rows)


def _runs(data: ReportData) -> Table:
    header = [
        "run_id",
        "model",
        "model_sha256",
        "machine_id",
        "hostname",
        "site",
        "scenario",
        "provider",
        "dims",
        "assumed",
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
                item.dims,
                "; ".join(assumption_texts(run.assumed)),
                run.status,
                run.failure_reason,
                run.started_at,
                run.finished_at,
                len(run.points),
            ]
        )
    return header, rows


def _points(data: ReportData) -> Table:
    rows = [
        csv_points.point_row(item.run.id, seq, point)
        for item in data.runs
        for seq, point in enumerate(item.run.points)
    ]
    return list(csv_points.HEADER), rows
