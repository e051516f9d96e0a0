"""PDF report: its text carries the plan's key figures exactly as `planner plan` shows them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from planner.core.formatting import breakeven_text, probability, summary_cell
from planner.reports.pdf_report import write_pdf
from planner.reports.report_data import load_report_data
from planner.services.plans import plan_summary
from planner.storage.database import open_database


def _text(path: Path) -> str:
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def report(planned_db, tmp_path: Path, qapp) -> tuple[Path, dict]:
    path, computed = planned_db
    opened = open_database(path)
    data = load_report_data(opened)
    opened.close()
    out = write_pdf(data, tmp_path / "report.pdf", "Ada Analyst", "Plant 7")
    return out, plan_summary(computed.result)


def test_pdf_holds_every_section_and_key_figure(report) -> None:
    path, summary = report
    text = _text(path)
    for heading in (
        "Inference capacity assessment",
        "Executive summary",
        "Machine inventory",
        "Models",
        "Profiling results",
        "Capacity sizing",
        "Costs",
        "Assumptions",
        "Methodology",
        "Appendix: measured points",
    ):
        assert heading in text, heading
    # FLOPs read as the app and planner inspect show them, not as a 9-digit count.
    assert re.search(r"\d+(\.\d+)? [kMGT]?FLOP per inference", text)
    assert "Plant 7" in text and "Ada Analyst" in text
    for option in summary.options:
        for field in ("total_cost", "cost_per_1k", "cost_per_1m", "margin_per_1k"):
            assert summary_cell(option, field) in text, (option.name, field)
    for b in summary.breakeven:
        assert f"against {b.alternative}: {breakeven_text(b.month)}" in text
    best = min(summary.options, key=lambda o: o.total_cost or 0.0)
    odds = probability(summary.prob_cheapest[best.name])
    assert f"Recommended option: {best.name}" in text
    assert f"Decision (net present value at 8.0% a year): {best.name}, cheaper than" in text
    assert f"cheapest in {odds} of the Monte Carlo draws" in text
    assert "instances.vantage.sh" in text and "Source: plan" in text
    assert "Figure 8." in text and "not measured" in text


def test_pdf_pages_are_a4_and_render(report, tmp_path: Path) -> None:
    path, _ = report
    reader = pypdf.PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(reader.pages) >= 8
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "2", str(path), str(tmp_path / "p")],
        check=True,
    )
    assert len(list(tmp_path.glob("p-*.png"))) == 2


def test_measurements_only_report_without_a_plan(tmp_path: Path, qapp) -> None:
    from builders import make_inventory, make_model_info, make_run

    from planner.storage.machines import MachineRepository
    from planner.storage.models import ModelRepository
    from planner.storage.runs import RunRepository

    opened = open_database(tmp_path / "p.db")
    machine_id = MachineRepository(opened.db).save_inventory(make_inventory())
    model_id = ModelRepository(opened.db).upsert(make_model_info())
    RunRepository(opened.db).save(make_run(), machine_id, model_id)
    data = load_report_data(opened)
    opened.close()
    text = _text(write_pdf(data, tmp_path / "m.pdf", "me", "here"))
    assert "No plan is stored" in text and "Appendix: measured points" in text
