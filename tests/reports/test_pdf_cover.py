"""The PDF reads like a report: a cover a reader can act on, readable figures.

Cover: title, scenario, site, author and date as given (or "not given", never the
operating-system user), the decision and its headline figures, and the machines the
capacity was measured on; shapes read ``batch × 64``; every capacity row names its
machine; an option that dwarfs the rest is left out of the line charts, saying so.
Full pages and whole tokens are checked in ``test_pdf_layout.py``.
"""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import pypdf
import pytest

from planner.core.formatting import money, summary_cell
from planner.core.plan_summary import ESTIMATED_ENERGY
from planner.core.text import html_text as escape
from planner.reports.chart_scale import dwarfing
from planner.reports.figures import plan_figures
from planner.reports.pdf_cover import cover, executive_summary
from planner.reports.pdf_report import write_pdf
from planner.reports.pdf_sections import capacity, models
from planner.reports.report_data import ReportData, load_report_data
from planner.storage.database import open_database


def _text(path: Path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture
def data(planned_db) -> ReportData:
    path, _computed = planned_db
    opened = open_database(path)
    loaded = load_report_data(opened)
    opened.close()
    return loaded


def test_the_cover_holds_the_decision_and_the_measuring_machine(data, tmp_path, qapp) -> None:
    pages = _text(write_pdf(data, tmp_path / "r.pdf", "Ada Analyst", "Plant 7"))
    first = pages[0]
    assert first.startswith("Inference capacity assessment report test")
    for fact in ("Site Plant 7", "Author Ada Analyst", f"Date {data.generated_at[:10]}"):
        assert fact in first
    assert "Decision (net present value at 8.0% a year):" in first
    best = data.summary.recommended if data.summary else None
    assert best is not None and f"Recommended {best.name}" in first
    assert "Capacity measured on" in first and "test-host (machine" in first
    assert "Test CPU @ 2.0GHz" in first


def test_an_author_or_site_nobody_gave_reads_not_given(data) -> None:
    html = cover(data, "", "")
    assert "author not given" in html and "site not given" in html
    assert getpass.getuser() not in re.sub(r"<[^>]+>", " ", html).split()


def test_energy_no_meter_read_is_marked_an_estimate(data) -> None:
    """The run has no meter: nameplate and catalogue power make every energy an estimate."""
    assert data.summary is not None
    html = executive_summary(data)
    energies = [o for o in data.summary.options if o.energy_kwh is not None]
    assert energies and all(o.energy_estimated for o in energies)
    for option in energies:
        assert f"<td>{summary_cell(option, 'energy_kwh')}~</td>" in html
    assert ESTIMATED_ENERGY in html


def test_the_option_table_shows_npv_at_its_rate_and_the_residual_value(data) -> None:
    assert data.summary is not None
    html = executive_summary(data)
    head = html[html.index("<table") : html.index("</tr>")]
    assert "<th>NPV at 8.0%</th>" in head and "<th>residual</th>" in head
    for option in data.summary.options:
        row = html[html.index(f"<td>{escape(option.name)}") :].split("</tr>")[0]
        cells = re.findall(r"<td>([^<]*)</td>", row)
        assert summary_cell(option, "npv") in cells and summary_cell(option, "total_cost") in cells
        if option.kind == "on-prem":
            assert option.residual_value and summary_cell(option, "residual_value") in cells
        else:
            assert cells[4] == "—"
    assert "discounted at 8.0% a year" in html and "credited in that month" in html


def test_shapes_read_with_times_signs_and_capacity_names_its_machine(data) -> None:
    assert "x [batch × 64]" in models(data)
    html = capacity(data, None, 1)
    assert "measured on" in html and html.count("test-host (machine") >= 2


def test_a_dwarfing_option_is_left_out_of_the_line_charts_saying_so(data, qapp) -> None:
    result = data.plan.result if data.plan else None
    assert result is not None
    peaks = {o.name: float(o.cumulative_in(result.view)[-1]) for o in result.options}
    assert dwarfing(peaks) == {"managed API"}
    figures = {f.key: f for f in plan_figures(data)}
    caption = figures["fig-cumulative"].caption
    api = money(peaks["managed API"], result.currency)
    assert f"Not drawn, so the others stay readable: managed API ({api})" in caption
    assert all(f"{b.onprem} against {b.alternative}:" in caption for b in result.breakeven)
    assert "Not drawn" in figures["fig-montecarlo"].caption
    assert "broken" in figures["fig-breakdown"].caption


def test_dwarfing_needs_three_options_and_a_wide_gap() -> None:
    assert dwarfing({"a": 100.0, "b": 90.0, "api": 12_400.0}) == {"api"}
    assert dwarfing({"a": 100.0, "api": 12_400.0}) == set()
    assert dwarfing({"a": 100.0, "b": 90.0, "c": 500.0}) == set()
    assert dwarfing({"a": 100.0, "b": 90.0, "c": float("nan"), "api": 1e6}) == {"api"}
