"""Variants in the app: made and profiled off the GUI thread, compared and priced like the CLI."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from builders import priced_scenario

from planner.core.resources import resources_dir
from planner.gui.context import AppContext
from planner.gui.models_page import ModelsPage
from planner.gui.results_page import ResultsPage
from planner.gui.run_queue import BUSY, RunQueue
from planner.gui.variants_panel import NO_SCENARIO, UNPROFILED
from planner.gui.variants_view import NO_FAMILY, VariantDialog, VariantsTable
from planner.services.database import open_prepared
from planner.services.plans import plan_from_text
from planner.services.variant_comparison import compare, headline
from planner.services.variant_table import comparison_table
from planner.services.variants import make_variants, profile_family
from planner.storage.runs import RunRepository
from planner.storage.variants import VariantRepository

SCENARIO = priced_scenario("rented")


@pytest.fixture
def seeded_opened(tmp_path: Path):
    opened = open_prepared(str(tmp_path / "planner.db"))
    yield opened
    opened.close()


def _select(page: ModelsPage, name: str) -> None:
    rows = page.table.names()
    page.table.selectRow(rows.index(name))


def _header(table: VariantsTable) -> tuple[str, ...]:
    return tuple(table.horizontalHeaderItem(i).text() for i in range(table.columnCount()))


def _column(table: VariantsTable, row: int, header: str) -> str:
    return table.item(row, _header(table).index(header)).text()


def _shown(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: not panel.busy, timeout=30_000)


def test_variants_are_made_off_the_gui_thread_stored_and_listed(qtbot, seeded_opened) -> None:
    context = AppContext(seeded_opened)
    page = ModelsPage(context)
    qtbot.addWidget(page)
    _select(page, "mlp")
    assert page.variants_button.isEnabled()
    assert page.variants.table.rowCount() == 0
    with qtbot.waitSignal(page.flow.finished, timeout=120_000) as finished:
        page.make_variants(["int8-dynamic", "int4-weights"], profile=False)
        assert page.busy and not page.variants_button.isEnabled()
        assert not page.cancel_button.isHidden()
    assert finished.args == ["1 of 2 variant(s) made"]
    stored = VariantRepository(seeded_opened.db).all()
    assert [v.outcome.made for v in stored] == [True, False]
    _select(page, "mlp")
    _shown(qtbot, page.variants)
    table = page.variants.table
    assert table.rowCount() == 3
    assert [_column(table, r, "status") for r in range(3)] == ["parent", "made", "failed"]
    assert _column(table, 1, "cosine") != "—"
    assert "weights int8" in table.item(1, 0).toolTip()
    notes = page.variants.notes_label.text()
    assert "int4-weights: nothing to quantize" in notes and UNPROFILED in notes
    assert page.variants_button.isEnabled() and page.cancel_button.isHidden()


def test_make_variants_profiles_the_family_then_compares_it(qtbot, seeded_opened) -> None:
    """The README's promise: Make variants… makes and profiles them (worker processes in
    the app; in-process here for speed), and the comparison fills in."""
    page = ModelsPage(AppContext(seeded_opened))
    qtbot.addWidget(page)
    page.flow.budget_s = 4.0
    page.flow.runs.backend = "inprocess"
    _select(page, "mlp")
    lines: list[str] = []
    page.flow.line_posted.connect(lines.append)
    with qtbot.waitSignal(page.flow.finished, timeout=120_000) as finished:
        page.make_variants(["fp16"])
    assert finished.args == ["1 of 1 variant(s) made; 2 of 2 model(s) profiled"]
    assert any(line.startswith("Profiling mlp.fp16.onnx (2 of 2)") for line in lines)
    runs = RunRepository(seeded_opened.db).all()
    assert sorted(r.model_name for r in runs) == ["mlp", "mlp.fp16"]
    _select(page, "mlp")
    _shown(qtbot, page.variants)
    table = page.variants.table
    assert all(_column(table, row, "peak/s") != "—" for row in range(2))
    assert UNPROFILED not in page.variants.notes_label.text()


def test_profiling_new_variants_can_be_cancelled_and_runs_alone(qtbot, seeded_opened) -> None:
    context = AppContext(seeded_opened)
    page = ModelsPage(context)
    qtbot.addWidget(page)
    page.flow.runs.backend = "inprocess"
    _select(page, "mlp")
    with qtbot.waitSignal(page.flow.runs.run_starting, timeout=120_000) as starting:
        page.make_variants(["fp16"])
    other, problems = RunQueue(context), []
    other.problem_posted.connect(problems.append)
    other.start([starting.args[0]])  # as the Profile page would, meanwhile
    assert problems == [BUSY] and not other.running
    started = time.monotonic()
    with qtbot.waitSignal(page.flow.finished, timeout=60_000) as finished:
        page.cancel_button.click()
    assert time.monotonic() - started < 15  # the default budget is 20 s a model
    assert finished.args == ["1 of 1 variant(s) made; 0 of 2 model(s) profiled (cancelled)"]
    assert VariantRepository(seeded_opened.db).all()[0].outcome.made


def test_the_dialog_offers_every_kind_with_sensible_defaults(qtbot) -> None:
    dialog = VariantDialog("cnn")
    qtbot.addWidget(dialog)
    assert dialog.kinds() == ["int8-dynamic", "int8-static", "fp16"]
    assert dialog.profile_check.isChecked() and dialog.kind_params() == {}
    dialog.boxes["prune-0.5"].setChecked(True)
    assert "prune-0.5" in dialog.kinds()
    dialog.block_ops_edit.setText("Pow, Softmax")
    assert dialog.kind_params() == {"fp16": {"block_ops": "Pow, Softmax"}}
    dialog.boxes["fp16"].setChecked(False)
    assert dialog.kind_params() == {}


def test_a_chosen_scenario_prices_the_family_as_the_cli_does(qtbot, seeded_opened) -> None:
    mlp = resources_dir() / "models" / "mlp.onnx"
    make_variants(seeded_opened, mlp, ["fp16"], lambda _line: None, samples=2)
    parent_run, variant_run = profile_family(seeded_opened, mlp, 1.0, backend="inprocess")
    scenario_id = plan_from_text(seeded_opened, SCENARIO, None).scenario_id
    page = ResultsPage(AppContext(seeded_opened))
    qtbot.addWidget(page)
    panel = page.variants
    assert [panel.scenario_combo.itemText(i) for i in range(2)] == [NO_SCENARIO, "rented"]
    page.select_runs([variant_run.id])
    _shown(qtbot, panel)
    assert "per 1k (USD)" not in _header(panel.table)
    started = time.perf_counter()
    panel.choose_scenario(scenario_id)
    picked_ms = (time.perf_counter() - started) * 1000
    assert panel.busy  # priced on the worker: the GUI thread only asked
    _shown(qtbot, panel)
    cli = comparison_table(compare(seeded_opened, mlp, SCENARIO))
    table = panel.table
    assert _header(table) == cli.header and cli.header[-1] == "per 1k (USD)"
    rows = tuple(
        tuple(table.item(r, c).text() for c in range(table.columnCount()))
        for r in range(table.rowCount())
    )
    assert rows == cli.rows and cli.rows[1][-1].endswith(" USD")
    assert panel.headline_label.text() == headline(compare(seeded_opened, mlp, SCENARIO))
    assert "scenario 'rented', option 'rented'" in panel.notes_label.text()
    assert picked_ms < 1000
    panel.choose_scenario(None)
    _shown(qtbot, panel)
    assert panel.table.columnCount() == len(cli.header) - 1


def test_results_show_the_family_of_the_selected_run(qtbot, seeded_opened) -> None:
    mlp = resources_dir() / "models" / "mlp.onnx"
    make_variants(seeded_opened, mlp, ["fp16"], lambda _line: None, samples=2)
    parent_run, variant_run = profile_family(seeded_opened, mlp, 1.0, backend="inprocess")
    page = ResultsPage(AppContext(seeded_opened))
    qtbot.addWidget(page)
    assert page.views.tabText(1) == "Model variants"
    page.select_runs([variant_run.id])
    _shown(qtbot, page.variants)
    table = page.variants.table
    assert table.rowCount() == 2
    assert table.item(1, 0).text().startswith("fp16") and _column(table, 1, "peak/s") != "—"
    page.select_runs([])
    assert table.rowCount() == 0


def test_an_empty_family_table_says_how_to_fill_it(qtbot) -> None:
    """The placeholder is painted in the viewport; an empty table draws only its grid."""
    table = VariantsTable()
    qtbot.addWidget(table)
    table.resize(520, 200)
    table.show()
    qtbot.waitExposed(table)

    def inked() -> int:
        image = table.grab(table.viewport().geometry()).toImage()
        background = image.pixelColor(2, 2)
        return sum(
            image.pixelColor(x, y) != background
            for y in range(4, image.height() - 4, 2)
            for x in range(4, image.width() - 4, 2)
        )

    assert table.toolTip() == NO_FAMILY
    assert inked() > 10
