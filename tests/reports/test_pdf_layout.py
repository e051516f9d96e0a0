"""PDF layout: pages filled, no token broken across lines, no table row split over pages.

The page and token checks read the written PDF with pypdf (no poppler needed); the
paging checks lay out small documents and read their positions from Qt's layout.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QTextDocument, QTextTable

from planner.reports.pdf_columns import column_widths
from planner.reports.pdf_paging import FULL_ENOUGH, paginate
from planner.reports.pdf_report import build_html, write_pdf
from planner.reports.report_data import ReportData, load_report_data
from planner.storage.database import open_database

FOOTER = re.compile(r"planner\s+report,")
#: Every page but the last holds body text at least this far down (a share of its height).
FILLED = 0.55
#: Tokens a table must never break across lines: dates, times, "128+128", hex ids.
TOKENS = (
    r"\d{4}-\d{2}-\d{2}",
    r"\d{2}:\d{2}",
    r"\d+\+\d+",
    r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,12}\b",
    r"\b\d{8}\b",
)


@pytest.fixture(params=["planned_db", "token_planned_db"])
def data(request) -> ReportData:
    """The report of a plan in inferences, then of a plan in tokens."""
    path, _computed = request.getfixturevalue(request.param)
    opened = open_database(path)
    loaded = load_report_data(opened)
    opened.close()
    return loaded


def _lowest_text(page: pypdf.PageObject) -> float:
    """How far down the page its lowest body text sits, as a share of the page's height."""
    height = float(page.mediabox.height)
    depths = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        if text.strip() and not FOOTER.match(text.strip()):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            depths.append(1.0 - y / height)

    page.extract_text(visitor_text=visit)
    return max(depths, default=0.0)


def test_no_page_is_left_half_empty(data, tmp_path: Path, qapp) -> None:
    reader = pypdf.PdfReader(write_pdf(data, tmp_path / "r.pdf", "Ada", "Plant 7"))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    assert len(pages) <= 10  # the classic report took 12 pages; shared pages bring it to 9-10
    assert "Executive summary" in pages[0]  # it follows the cover on its page
    assert any("Machines and models" in p for p in pages[:2])
    filled = [_lowest_text(page) for page in reader.pages[:-1]]
    assert min(filled) >= FILLED, [round(f, 2) for f in filled]


def test_no_token_is_broken_across_lines(data, tmp_path: Path, qapp) -> None:
    """Each date, time, "128+128" and hex id of the report's text is found whole in the PDF.

    A token broken across lines ("2026-11-2" / "8") is missing from the extracted text,
    so the PDF then holds fewer whole copies than the HTML it was drawn from.
    """
    source = html.unescape(re.sub(r"<[^>]+>", " ", build_html(data, "Ada", "Plant 7")[0]))
    reader = pypdf.PdfReader(write_pdf(data, tmp_path / "r.pdf", "Ada", "Plant 7"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    tokens = {t for pattern in TOKENS for t in re.findall(pattern, source)}
    assert {"2026-11-26", "10:00"} <= tokens
    broken = {
        t: (text.count(t), source.count(t)) for t in tokens if text.count(t) < source.count(t)
    }
    assert not broken, broken


def _document(body: str, height: float = 500.0) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(f"<html><body>{body}</body></html>")
    doc.setPageSize(QSizeF(400.0, height))
    return doc


def _tables(doc: QTextDocument) -> list[QTextTable]:
    return [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]


def _page(doc: QTextDocument, y: float) -> int:
    return int(y // doc.pageSize().height())


def _cell_text(table: QTextTable, row: int, column: int = 0) -> str:
    return table.cellAt(row, column).firstCursorPosition().block().text()


def test_a_table_row_never_straddles_two_pages_and_the_header_repeats(qapp) -> None:
    rows = "".join(
        f"<tr><td>row {i}</td><td>{'word ' * (5 + 13 * (i % 5))}</td></tr>" for i in range(60)
    )
    doc = _document(
        "<h1>Table</h1><p>before</p><table border='1' width='100%'>"
        f"<thead><tr><th>name</th><th>text</th></tr></thead>{rows}</table><p>after</p>"
    )
    paginate(doc)
    layout = doc.documentLayout()
    pieces = _tables(doc)
    assert len(pieces) > 2
    names = []
    for table in pieces:
        assert table.format().headerRowCount() == 1 and _cell_text(table, 0) == "name"
        for row in range(1, table.rows()):
            names.append(_cell_text(table, row))
            first = table.cellAt(row, 0).firstCursorPosition().block()
            last = table.cellAt(row, 1).lastCursorPosition().block()
            top = layout.blockBoundingRect(first).top()
            assert _page(doc, top) == _page(doc, layout.blockBoundingRect(last).bottom() - 1)
    assert names == [f"row {i}" for i in range(60)], "every row once, in order"


def _block(doc: QTextDocument, text: str):
    block = doc.begin()
    while block.isValid() and not block.text().startswith(text):
        block = block.next()
    return block


def _pages_of(doc: QTextDocument, first: str, last: str) -> tuple[int, int]:
    """The pages on which the block starting with ``first`` starts and ``last`` ends."""
    layout = doc.documentLayout()
    top = layout.blockBoundingRect(_block(doc, first)).top()
    return _page(doc, top), _page(doc, layout.blockBoundingRect(_block(doc, last)).bottom() - 1)


def _straddling(body: str, first: str, last: str, image: bool = False) -> QTextDocument:
    """``body`` after as many filler lines as put ``first`` and ``last`` on two pages."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage

    for lines in range(1, 60):
        doc = _document("".join(f"<p>filler {i}</p>" for i in range(lines)) + body)
        if image:
            picture = QImage(300, 200, QImage.Format.Format_RGB32)
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("fig"), picture)
        if _pages_of(doc, first, last) == (0, 1):
            return doc
    raise AssertionError("no filler puts them on two pages")


def test_a_heading_moves_with_its_first_line(qapp) -> None:
    doc = _straddling("<h2>Orphan</h2><p>text</p>", "Orphan", "text")
    paginate(doc)
    assert _pages_of(doc, "Orphan", "Orphan") == (1, 1)


def test_a_figure_moves_to_the_next_page_whole(qapp) -> None:
    figure = "<p><img src='fig' width='300' height='200'><br>Figure 1. A caption.<br>Source: x</p>"
    doc = _straddling(figure, "\ufffc", "\ufffc", image=True)
    paginate(doc)
    assert _pages_of(doc, "\ufffc", "\ufffc") == (1, 1)


def test_a_section_starts_a_new_page_only_once_the_page_is_well_filled(qapp) -> None:
    section = "<h1 style='page-break-before: always'>{}</h1><p>{}</p>"
    doc = _document(
        section.format("Early", "short")
        + "".join(f"<p>filler {i}</p>" for i in range(12))
        + section.format("Late", "short")
    )
    layout = doc.documentLayout()
    paginate(doc)
    assert _pages_of(doc, "Early", "Early") == (0, 0), "no empty page before it"
    late = layout.blockBoundingRect(_block(doc, "Late")).top()
    filler = layout.blockBoundingRect(_block(doc, "filler 11")).bottom()
    share = (filler % doc.pageSize().height()) / doc.pageSize().height()
    assert (_page(doc, late) > _page(doc, filler)) == (share > FULL_ENOUGH)


def test_columns_get_what_they_need_and_long_text_takes_the_rest() -> None:
    wide = column_widths([40, 60, 50], [40, 500, 80], 400)
    assert sum(wide) == pytest.approx(400)
    assert wide[0] == 40 and wide[2] == 80, "short columns show on one line"
    assert wide[1] == pytest.approx(280), "the free text takes what is left"
    roomy = column_widths([40, 60], [50, 100], 300)
    assert sum(roomy) == pytest.approx(300) and roomy[0] >= 50 and roomy[1] >= 100
    tight = column_widths([40, 300, 200], [40, 900, 400], 400)
    assert sum(tight) == pytest.approx(400) and tight[0] == 40, "the widest give way first"
    assert tight[1] == tight[2] == pytest.approx(180)
