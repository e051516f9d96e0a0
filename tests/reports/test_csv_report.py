"""CSV report: the five files, their headers, ISO dates, and formula neutralisation."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from planner.reports.csv_report import csv_paths, neutralise, write_csv
from planner.reports.report_data import load_report_data
from planner.storage.database import open_database


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (-3.5, -3.5),
        (-2, -2),
        (None, None),
    ],
)
def test_neutralise_touches_only_text(cell, expected) -> None:
    assert neutralise(cell) == expected


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_files_hold_runs_points_options_monthly_and_assumptions(
    planned_db, tmp_path: Path
) -> None:
    path, computed = planned_db
    opened = open_database(path)
    data = load_report_data(opened)
    opened.close()
    written = write_csv(data, tmp_path / "out.csv")
    assert [p.name for p in written] == [
        "out_runs.csv",
        "out_points.csv",
        "out_options.csv",
        "out_monthly.csv",
        "out_assumptions.csv",
    ]
    runs = _read(tmp_path / "out_runs.csv")
    assert runs[0][0] == "run_id" and runs[1][0] == computed.run_ids[0]
    assert runs[1][runs[0].index("started_at")] == "2026-11-26T10:00:00+00:00"
    points = _read(tmp_path / "out_points.csv")
    assert len(points) == 1 + 4
    assert float(points[1][points[0].index("p99_ms")]) > 0
    monthly = _read(tmp_path / "out_monthly.csv")
    header = monthly[0]
    assert len(monthly) == 1 + 3 * 36
    server_rows = [r for r in monthly[1:] if r[1].startswith("'=HYPERLINK")]
    assert len(server_rows) == 36, "the formula-like option name is neutralised"
    last = server_rows[-1]
    total = computed.result.options[0].total
    # money is rounded to cents and its header names the plan's currency
    assert float(last[header.index(f"cumulative_{computed.result.currency}")]) == round(total, 2)
    margin = [r for r in monthly[1:] if r[1] == "managed API"]
    assert margin and all(not r[0].startswith("'") for r in margin)
    assumptions = _read(tmp_path / "out_assumptions.csv")
    assert assumptions[0] == ["option", "provenance", "detail", "source", "date"]
    assert any("instances.vantage.sh" in row[3] for row in assumptions[1:])
    assert any(row[4] == "2026-01-21" for row in assumptions[1:])


def test_negative_numbers_stay_numbers(tmp_path: Path) -> None:
    from planner.reports.csv_report import _write

    _write(tmp_path / "n.csv", ["a", "b"], [[-1.5, "-1.5"]])
    assert (tmp_path / "n.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "-1.5,'-1.5"


def test_an_existing_folder_gets_plain_names(tmp_path: Path) -> None:
    assert csv_paths(tmp_path)["points"] == tmp_path / "points.csv"


def test_format_no_bom_units_in_headers_and_rounded_plan_series(planned_db, tmp_path: Path) -> None:
    path, computed = planned_db
    opened = open_database(path)
    data = load_report_data(opened)
    opened.close()
    write_csv(data, tmp_path / "f.csv")
    for name in ("runs", "points", "options", "monthly", "assumptions"):
        assert not (tmp_path / f"f_{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    cur = computed.result.currency
    monthly = _read(tmp_path / "f_monthly.csv")
    header = monthly[0]
    assert {"avg_rate_ips", "peak_rate_ips", f"monthly_total_{cur}", f"cumulative_{cur}"} <= set(
        header
    )
    assert all(h.endswith(f"_{cur}") for h in header if h.startswith("cost_"))
    money = [i for i, h in enumerate(header) if h.endswith(f"_{cur}")]
    cells = [row[i] for row in monthly[1:] for i in money if row[i]]
    assert cells and all(len(c.partition(".")[2]) <= 2 for c in cells), "money is in cents"
    points = _read(tmp_path / "f_points.csv")
    assert "target_rate_ips" in points[0]
    run = data.runs[0].run
    p99 = [float(row[points[0].index("p99_ms")]) for row in points[1:]]
    assert p99 == [p.stats.p99 for p in run.points], "measurements keep full precision"
