"""Reports show the dims each run fed, starring the ones planner assumed, as ``show`` does.

A real run of a YOLO-style detector given only its height: planner assumes a square
width, which the PDF (the methodology's table of run settings) must star and explain,
and the CSV runs file must carry.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pypdf
import pytest

from planner.core.run import RunConfig
from planner.models.builders import save_model
from planner.models.class_builders import build_yolo_style
from planner.reports.csv_report import write_csv
from planner.reports.pdf_report import write_pdf
from planner.reports.report_data import ReportData, load_report_data
from planner.services.profiles import prepare_run, run_profile
from planner.storage.database import open_database

DIMS = "batch=1, height=320, width=320*"
ASSUMED = "width=320: image width, square like the other side (320 pixels)"


@pytest.fixture
def measured(tmp_path: Path) -> ReportData:
    """A database holding one completed run of a detector whose width planner assumed."""
    model = save_model(build_yolo_style(), tmp_path / "yolo.onnx")
    config = RunConfig(
        str(model),
        dims={"height": 320},
        time_budget_s=3.0,
        point_cap_s=0.5,
        warmup_s=0.02,
        window_s=0.05,
        intra_op_threads=1,
    )
    opened = open_database(tmp_path / "planner.db")
    try:
        run = run_profile(opened, prepare_run(opened, config), backend="inprocess")
        assert run.status == "completed", run.failure_reason
        return load_report_data(opened)
    finally:
        opened.close()


def test_pdf_run_settings_star_assumed_dims_with_a_footnote(
    measured: ReportData, tmp_path: Path, qapp
) -> None:
    out = write_pdf(measured, tmp_path / "report.pdf", "Ada Analyst", "Plant 7")
    pages = pypdf.PdfReader(str(out)).pages
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))
    run_id = measured.runs[0].run.id[:8]
    assert DIMS in text
    assert f"* Run {run_id} assumed {ASSUMED} (not given)." in text


def test_csv_runs_file_carries_dims_and_assumptions(measured: ReportData, tmp_path: Path) -> None:
    write_csv(measured, tmp_path / "out.csv")
    with (tmp_path / "out_runs.csv").open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["dims"] == DIMS and row["assumed"] == ASSUMED
