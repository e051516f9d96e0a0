"""Making variants from the Models page: a worker thread, stored outcomes, the family table."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.resources import resources_dir
from planner.gui.context import AppContext
from planner.gui.models_page import ModelsPage
from planner.gui.results_page import ResultsPage
from planner.gui.variants_view import NO_FAMILY, VariantDialog, VariantsTable
from planner.services.database import open_prepared
from planner.services.variants import make_variants, profile_family
from planner.storage.variants import VariantRepository


@pytest.fixture
def seeded_opened(tmp_path: Path):
    opened = open_prepared(str(tmp_path / "planner.db"))
    yield opened
    opened.close()


def _select(page: ModelsPage, name: str) -> None:
    rows = page.table.names()
    page.table.selectRow(rows.index(name))


def test_variants_are_made_off_the_gui_thread_stored_and_listed(qtbot, seeded_opened) -> None:
    context = AppContext(seeded_opened)
    page = ModelsPage(context)
    qtbot.addWidget(page)
    _select(page, "mlp")
    assert page.variants_button.isEnabled()
    assert page.variants_table.rowCount() == 0
    with qtbot.waitSignal(context.models_changed, timeout=120_000):
        page.make_variants(["int8-dynamic", "int4-weights"])
        assert page.busy and not page.variants_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    stored = VariantRepository(seeded_opened.db).all()
    assert [v.outcome.made for v in stored] == [True, False]
    _select(page, "mlp")
    table = page.variants_table
    assert table.rowCount() == 3
    assert table.item(0, 1).text() == "original"
    assert table.item(1, 1).text() == "made" and table.item(1, 5).text() != "—"
    assert table.item(2, 1).text().startswith("failed: ")
    assert page.variants_button.isEnabled()


def test_the_dialog_offers_every_kind_with_sensible_defaults(qtbot) -> None:
    dialog = VariantDialog("cnn")
    qtbot.addWidget(dialog)
    assert dialog.kinds() == ["int8-dynamic", "int8-static", "fp16"]
    dialog.boxes["prune-0.5"].setChecked(True)
    assert "prune-0.5" in dialog.kinds()


def test_results_show_the_family_of_the_selected_run(qtbot, seeded_opened) -> None:
    mlp = resources_dir() / "models" / "mlp.onnx"
    make_variants(seeded_opened, mlp, ["fp16"], lambda _line: None, samples=2)
    parent_run, variant_run = profile_family(seeded_opened, mlp, 1.0, backend="inprocess")
    page = ResultsPage(AppContext(seeded_opened))
    qtbot.addWidget(page)
    assert page.views.tabText(1) == "Model variants"
    page.select_runs([variant_run.id])
    table = page.variants_table
    assert table.rowCount() == 2
    assert table.item(1, 0).text().startswith("fp16") and table.item(1, 4).text() != "not profiled"
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
