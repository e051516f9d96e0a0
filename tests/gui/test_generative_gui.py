"""Generative models in the app: token fields, live token charts, token tables and plans.

Real runs of the bundled tiny decoder through ONNX Runtime GenAI in a worker process;
the plans and the report are computed from them.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PySide6.QtCore import Qt

from planner.core.errors import InputError
from planner.core.run import Scenario
from planner.gui.context import AppContext
from planner.gui.plan_page import PlanPage
from planner.gui.profile_form import MIXED
from planner.gui.profile_page import ProfilePage
from planner.gui.results_page import ResultsPage
from planner.gui.results_tables import TOKEN_COLUMNS
from planner.reports.pdf_report import write_pdf
from planner.reports.report_data import load_report_data
from planner.storage.runs import RunRepository

RUN_TIMEOUT_MS = 90_000


def _headers(table) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_profile_page_swaps_in_token_fields_and_draws_token_charts(
    qtbot, generative_db, tiny_decoder: Path
) -> None:
    opened, _ = generative_db
    page = ProfilePage(AppContext(opened))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    form = page.form
    form.select_model(str(tiny_decoder))
    assert form.is_generative()
    assert form.generative.isVisibleTo(page) and not form.batch_edit.isVisibleTo(page)
    assert not form.scenario_combo.isVisibleTo(page)
    assert "first token (TTFT)" in form.scenario_help.text()
    form.generative.prompt_edit.setText("16")
    form.generative.output_edit.setText("8")
    form.generative.sequences_edit.setText("1,2")
    form.generative.ttft_spin.setValue(500.0)
    form.budget_spin.setValue(10.0)
    form.point_cap_spin.setValue(2.0)
    [config] = form.configs()
    assert config.scenario == Scenario.GENERATIVE and config.concurrency == (1, 2)
    assert config.generative is not None and config.generative.ttft_target_ms == 500.0
    with qtbot.waitSignal(page.run_ended, timeout=RUN_TIMEOUT_MS) as ended:
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=10_000)
    run = RunRepository(opened.db).load(ended.args[0])
    assert run.status == "completed" and len(run.points) == 2
    charts = page.token_charts
    assert page.chart_stack.currentWidget() is charts
    [line] = charts.rate_curves.values()
    x, y = line.getData()
    assert list(x) == [1, 2] and all(v > 0 for v in y)
    assert len(charts.ttft_curve.getData()[1]) > 0 and len(charts.tpot_curve.getData()[1]) > 0
    assert "TTFT of 16+8 tokens, 2 sequences" in charts.ttft_caption.text()
    assert charts.legend.names() == ["prompt+output 16+8 tokens"]
    lines = page.point_log.lines()
    assert len(lines) == 2 and all("out tok/s" in text and "TTFT p50" in text for text in lines)
    assert "completed: 2 points" in page.info_label.text()


def test_a_selection_of_decoders_and_onnx_files_is_refused(qtbot, generative_db) -> None:
    opened, _ = generative_db
    page = ProfilePage(AppContext(opened))
    qtbot.addWidget(page)
    for row in range(page.form.model_list.count()):
        page.form.model_list.item(row).setSelected(True)
    with pytest.raises(InputError, match=re.escape(MIXED)):
        page.form.configs()


def test_results_page_shows_token_figures(qtbot, generative_db) -> None:
    opened, run_id = generative_db
    page = ResultsPage(AppContext(opened))
    qtbot.addWidget(page)
    page.select_runs([run_id])
    assert _headers(page.points_table) == list(TOKEN_COLUMNS)
    assert page.points_table.rowCount() == 2
    ttft = float(page.points_table.item(0, 3).text())
    assert 0 < ttft < 10_000
    charts = page.charts
    assert charts.tokens
    assert charts.curve_plot.getPlotItem().getAxis("bottom").labelText == "output tokens/s"
    assert charts.curve_plot.getPlotItem().getAxis("left").labelText == "TPOT (ms)"
    assert len(charts.cdf_curves[run_id]) == 2
    assert charts.captions["cdf"].text().startswith("Time-to-first-token CDF")


def _column(table, title: str) -> list[str]:
    column = _headers(table).index(title)
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_results_page_shows_the_tpot_distribution_next_to_the_ttft_cdf(
    qtbot, generative_db
) -> None:
    opened, run_id = generative_db
    run = RunRepository(opened.db).load(run_id)
    page = ResultsPage(AppContext(opened))
    qtbot.addWidget(page)
    page.show()
    page.select_runs([run_id])
    charts = page.charts
    assert charts.token_row[1].isVisibleTo(page)
    assert charts.captions["gaps"].text().startswith("Time-per-output-token distribution")
    axis = charts.gap_plot.getPlotItem().getAxis
    assert axis("bottom").labelText == "time between tokens (ms)"
    assert axis("left").labelText == "share of token gaps"
    curves = charts.gap_curves[run_id]
    assert len(curves) == 2
    for curve, point in zip(curves, run.points, strict=True):
        tokens = point.tokens
        assert tokens is not None
        generations = tokens.requests // tokens.sequences
        gaps = np.sort(point.samples_ms.astype(np.float64))
        assert gaps.size == generations * 7  # 8 output tokens: 7 gaps per generation
        x, y = curve.xData, curve.yData  # all of it, not the part in view
        assert np.array_equal(x, gaps) and y[-1] == 1.0
        assert x[0] <= (tokens.tpot.p50 or 0.0) <= x[-1]
    assert charts.legends["gaps"].names() == charts.cdf_legend.names()
    gaps = [point.samples_ms for point in run.points]
    shortest = min(float(g.min()) for g in gaps)
    highest_p99 = max(float(np.percentile(g, 99)) for g in gaps)
    (low, high), _ = charts.gap_plot.getPlotItem().viewRange()
    assert low <= shortest and highest_p99 <= high <= highest_p99 + 0.1 * (highest_p99 - low)


def test_results_page_draws_output_tokens_per_second_against_sequences(
    qtbot, generative_db
) -> None:
    opened, run_id = generative_db
    runs = RunRepository(opened.db)
    run = runs.load(run_id)
    [summary] = runs.all()
    faster = replace(
        run,
        id=str(uuid.uuid4()),
        points=tuple(
            replace(
                p, tokens=replace(p.tokens, output_tokens_per_s=2 * p.tokens.output_tokens_per_s)
            )
            for p in run.points
            if p.tokens is not None
        ),
    )
    runs.save(faster, summary.machine_id, summary.model_id)
    page = ResultsPage(AppContext(opened))
    qtbot.addWidget(page)
    page.show()
    page.select_runs([run_id, faster.id])
    charts = page.charts
    assert charts.token_row[0].isVisibleTo(page)
    axis = charts.rate_plot.getPlotItem().getAxis
    assert axis("bottom").labelText == "sequences decoding together"
    assert axis("left").labelText == "output tokens/s"
    rates = {}
    for shown in (run, faster):
        [line] = charts.rate_curves[shown.id]
        x, y = line.getData()
        assert list(x) == [1, 2]
        rates[shown.id] = list(y)
    measured = [p.tokens.output_tokens_per_s for p in run.points if p.tokens]
    assert rates[run_id] == measured and rates[faster.id] == [2 * v for v in measured]
    names = charts.legends["rate"].names()
    assert len(names) == 2 and all(name.endswith(" 16+8 tokens") for name in names)
    colours = {entry.color.name() for entry in charts.legends["rate"].entries}
    assert len(colours) == 2  # one colour per run, as on the other plots


def test_results_points_table_shows_end_to_end_latency(qtbot, generative_db) -> None:
    opened, run_id = generative_db
    run = RunRepository(opened.db).load(run_id)
    page = ResultsPage(AppContext(opened))
    qtbot.addWidget(page)
    page.select_runs([run_id])
    table = page.points_table
    p50 = _column(table, "E2E p50 (ms)")
    p90 = _column(table, "E2E p90 (ms)")
    ttft = _column(table, "TTFT p50 (ms)")
    for row, point in enumerate(run.points):
        assert point.tokens is not None
        assert p50[row] == f"{point.tokens.e2e.p50:.3f}"
        assert p90[row] == f"{point.tokens.e2e.p90:.3f}"
        assert float(ttft[row]) < float(p50[row]) <= float(p90[row])


def test_the_starter_plan_of_a_generative_run_counts_tokens(qtbot, generative_db) -> None:
    opened, run_id = generative_db
    page = PlanPage(AppContext(opened))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.plan_computed, timeout=10_000):
        page.start_from_run(run_id)
    demand = page.scenario["demand"]
    assert demand["input_tokens_per_request"] == 16 and demand["output_tokens_per_request"] == 8
    assert demand["ttft_target_ms"] > 0 and demand["tpot_target_ms"] > 0
    assert page.form.tokens_box.isChecked()
    result = page.result
    assert result is not None and result.output_tokens_per_request == 8
    onprem = result.options[0]
    assert onprem.cost_per_1m_output_tokens is not None
    assert math.isfinite(onprem.cost_per_1m_output_tokens)
    chart = page.results.per_thousand
    assert chart.unit == "1M output tokens"
    assert chart.getPlotItem().getAxis("left").labelText == "per 1M output tokens (USD)"
    decision = page.results.decision.text()
    assert "Chosen for you, check them: Tokens per request" in decision
    assert decision.count("\n") == 1  # the verdict and the choices; the rest is a tab away
    notes = page.results.assumptions.text()
    assert "× the worst this run measured" in notes and "Staff from catalogue" in notes
    assert page.saved[page.current] is not None  # stored at once, for the Reports page
    page.shutdown()


def test_the_report_of_a_generative_plan_speaks_tokens(qtbot, generative_db, tmp_path) -> None:
    opened, run_id = generative_db
    page = PlanPage(AppContext(opened))
    qtbot.addWidget(page)
    page.start_from_run(run_id)
    page.shutdown()
    data = load_report_data(opened)
    pdf = write_pdf(data, tmp_path / "tokens.pdf", "", "")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))
    assert "per 1M out tok." in text and "Cost per 1M output tokens" in text
    assert "Generative runs: each marker is one point" in text
    assert "TTFT distribution of each generative point" in text
    assert "Generative points" in text and "random weights" in text
    assert "author not given" in text and "site not given" in text
    assert "capacity per unit (requests a second)" in text


def test_stored_generative_run_shows_in_the_models_table(
    qtbot, generative_db, tiny_decoder: Path
) -> None:
    from planner.gui.models_page import ModelsPage

    opened, _ = generative_db
    page = ModelsPage(AppContext(opened))
    qtbot.addWidget(page)
    rows = {
        page.table.item(r, 0).text(): (page.table.item(r, 1).text(), page.table.item(r, 5))
        for r in range(page.table.rowCount())
    }
    kind, note = rows["tiny_decoder"]
    assert kind == "decoder (llama)" and note.text().startswith("random weights")
    assert note.toolTip() == note.text()  # the capped column's whole text
    assert rows["mlp"][0] == "ONNX graph" and rows["mlp"][1].text() == ""
    assert tiny_decoder.is_dir()
