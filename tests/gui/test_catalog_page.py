"""The Catalogue page over a real database: validated edits, CSV import and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from planner.gui.catalog_page import CatalogPage
from planner.gui.context import AppContext
from planner.planning.catalog import parse_catalog_csv
from planner.services.catalogs import KINDS, rows_of
from planner.services.seeding import seed_database
from planner.storage.catalog import CatalogRepository
from planner.storage.database import open_database


@pytest.fixture
def page(qtbot, tmp_path: Path):
    opened = open_database(tmp_path / "p.db")
    seed_database(opened)
    page = CatalogPage(AppContext(opened))
    qtbot.addWidget(page)
    yield page
    opened.close()


def _stored(page: CatalogPage, kind: str) -> list[dict]:
    return [r.values for r in CatalogRepository(page.context.db).rows(kind)]


def _row_of(page: CatalogPage, kind: str, column: str, value: str) -> int:
    model = page.kind_tabs[kind].model
    index = model.columns.index(column)
    return next(i for i, cells in enumerate(model.cells) if cells[index] == value)


def test_every_kind_has_a_tab_with_source_and_date(page) -> None:
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())][0] == "Hardware"
    assert list(page.kind_tabs) == list(KINDS)
    for kind, tab in page.kind_tabs.items():
        assert tab.model.rowCount() == len(rows_of(page.context.opened, kind)) > 0
        assert "source" in tab.model.columns
    assert "date" in page.kind_tabs["hardware"].model.columns


def test_editing_a_price_stores_it_and_announces_it(qtbot, page) -> None:
    tab = page.kind_tabs["hardware"]
    row = _row_of(page, "hardware", "name", "NVIDIA L40S")
    with qtbot.waitSignal(page.context.catalog_changed):
        assert tab.edit(row, "price", "9100")
    stored = next(v for v in _stored(page, "hardware") if v["name"] == "NVIDIA L40S")
    assert stored["price"] == 9100.0
    row = _row_of(page, "hardware", "name", "NVIDIA L40S")
    assert tab.model.extras[row][0] == "user"
    assert tab.error_label.isHidden()


def test_negative_price_is_refused_inline(qtbot, page) -> None:
    tab = page.kind_tabs["cloud"]
    before = _stored(page, "cloud")
    row = 2
    with qtbot.assertNotEmitted(page.context.catalog_changed):
        assert not tab.edit(row, "price_per_hour", "-1")
    assert _stored(page, "cloud") == before
    assert not tab.error_label.isHidden()
    assert (
        "price_per_hour" in tab.error_label.text()
        and f"table row {row + 1}" in tab.error_label.text()
    )
    assert tab.model.error_row == row
    brush = tab.model.data(tab.model.index(row, 0), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == "#ffd6d6"
    assert tab.model.cells[row][tab.model.columns.index("price_per_hour")] != "-1"


def test_key_columns_are_read_only_and_unverified_rows_marked(page) -> None:
    model = page.kind_tabs["hardware"].model
    name_index = model.index(0, model.columns.index("name"))
    assert not model.flags(name_index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(name_index, "renamed")
    row = next(i for i in range(model.rowCount()) if not model.verified(i))
    assert "unverified" in model.data(model.index(row, 1), Qt.ItemDataRole.ToolTipRole)


def test_defaults_value_outside_range_is_refused(page) -> None:
    tab = page.kind_tabs["defaults"]
    row = _row_of(page, "defaults", "key", "pue")
    assert not tab.edit(row, "value", "3")
    assert "between low and high" in tab.error_label.text()


def test_bad_csv_import_names_the_line_and_changes_nothing(page, tmp_path: Path) -> None:
    before = _stored(page, "hardware")
    bad = tmp_path / "bad.csv"
    header = "name,kind,price,currency,power_w,idle_w,gpu_count,fp16_tflops,fp32_tflops,"
    bad.write_text(
        header + "memory_bw_gbs,source,date,verified\n"
        "# a comment\n"
        "Good GPU,gpu,100,USD,50,,1,,,,quote,2026-01-01,yes\n"
        "Bad GPU,gpu,-5,USD,50,,1,,,,quote,2026-01-01,yes\n"
    )
    assert not page.import_csv(bad)
    assert "line 4" in page.message.text() and "price" in page.message.text()
    assert _stored(page, "hardware") == before


def test_a_header_of_no_catalogue_is_refused_with_a_hint_of_this_window(
    qtbot, page, tmp_path: Path
) -> None:
    mystery = tmp_path / "mystery.csv"
    mystery.write_text("name,colour\nx,red\n")
    assert not page.import_csv(mystery)
    text = page.message.text()
    assert "match none of" in text and "Export CSV…" in text
    assert "--kind" not in text and "planner catalog" not in text


def test_good_import_adds_rows_and_switches_tab(qtbot, page, tmp_path: Path) -> None:
    good = tmp_path / "api.csv"
    good.write_text(
        "provider,product,unit,price,currency,source,date,verified\n"
        "acme,vision,1k_requests,0.8,USD,acme price list,2026-02-01,yes\n"
    )
    with qtbot.waitSignal(page.context.catalog_changed):
        assert page.import_csv(good)
    assert page.current_kind() == "api"
    assert "1 added" in page.message.text()
    assert any(cells[0] == "acme" for cells in page.kind_tabs["api"].model.cells)


def test_export_parses_back(page, tmp_path: Path) -> None:
    for kind in KINDS:
        path = tmp_path / f"{kind}.csv"
        assert page.export_csv(kind, path)
        rows = parse_catalog_csv(kind, path.read_text(encoding="utf-8"))
        assert rows == rows_of(page.context.opened, kind)
    assert not page.export_csv("hardware", tmp_path / "missing-dir" / "x.csv")
    assert "cannot write" in page.message.text()
