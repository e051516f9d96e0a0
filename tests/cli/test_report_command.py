"""`planner report` through the CLI entry point: PDF and CSV from the latest or a chosen plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import store_run

import planner.cli.main as cli_main
from planner.services.plans import plan_from_text
from planner.services.seeding import seed_database
from planner.storage.database import open_database

SCENARIO = """
name = "cli report"
currency = "EUR"
[exchange_rates]
USD = 0.92
[demand]
average_rate = 20.0
peak_factor = 2.0
growth_per_year = 0.1
horizon_months = 24
latency_percentile = "p99"
latency_target_ms = 50.0
[[options]]
kind = "on-prem"
name = "box"
runs = ["RUN"]
unit_price = 5000.0
unit_power_w = 200
[[options]]
kind = "api"
name = "api"
price_per_1k_requests = 0.3
"""


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, str, str]:
    path = tmp_path / "p.db"
    opened = open_database(path)
    seed_database(opened)
    run = store_run(opened, points=3, scenario="concurrency")
    first = plan_from_text(opened, SCENARIO.replace("RUN", run.id), None)
    plan_from_text(opened, SCENARIO.replace("RUN", run.id).replace("cli report", "other"), None)
    opened.close()
    return path, first.scenario_id, run.id


def test_pdf_for_a_chosen_scenario_prefix(
    db, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp
) -> None:
    path, scenario_id, _ = db
    out = tmp_path / "r.pdf"
    args = ["--db", str(path), "report", "--format", "pdf", "--scenario", scenario_id[:8]]
    assert cli_main.main([*args, "--out", str(out), "--author", "QA"]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    import pypdf

    text = " ".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
    assert "cli\treport" in text or "cli report" in text


def test_csv_for_chosen_runs(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, run_id = db
    args = ["--db", str(path), "report", "--format", "csv", "--runs", run_id[:6]]
    assert cli_main.main([*args, "--out", str(tmp_path / "x.csv")]) == 0
    assert (tmp_path / "x_points.csv").read_text(encoding="utf-8-sig").count("\n") == 4
    assert (tmp_path / "x_monthly.csv").exists()


def test_unknown_scenario_is_one_line(db, tmp_path: Path, capsys) -> None:
    path, _, _ = db
    args = ["--db", str(path), "report", "--format", "csv", "--scenario", "ffffffff"]
    assert cli_main.main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "no plan for scenario 'ffffffff'" in err and err.count("\n") == 1


def test_empty_database_says_there_is_nothing_to_report(tmp_path: Path, capsys) -> None:
    args = ["--db", str(tmp_path / "e.db"), "report", "--format", "pdf"]
    assert cli_main.main([*args, "--out", str(tmp_path / "e.pdf")]) == 2
    assert "nothing to report" in capsys.readouterr().err
