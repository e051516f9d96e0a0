"""Where the PDF's pages break: nothing a reader takes as one piece is cut in two (QtGui only).

Runs on the report-building thread, on a laid-out QTextDocument, before it is painted.
QTextDocument breaks pages wherever a line falls: a table row split over two pages
(its last words alone at the top of the next), a figure's caption apart from its
image, a heading last on a page. This pass walks the laid-out pages and moves to the
next page:

* a table row that would straddle two pages: QTextDocument cannot break a page between
  rows, so the table is split there and the rest continues on the next page under a
  copy of its header row;
* a figure (image, caption and source in one paragraph) that would straddle;
* a heading whose first row or line would fall on the next page;
* a section that asked for a new page (``page-break-before`` on its heading), but only
  when the page is already :data:`FULL_ENOUGH`: otherwise the section follows on the
  same page, so no page is left mostly empty before it.

Each fix moves what follows it, so the pass finds the first break to fix, fixes it and
looks again from the top, until none is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
    QTextTableCell,
    QTextTableFormat,
)

#: A section that asked for a new page starts one only below this share of the page.
FULL_ENOUGH = 0.6
#: Something taller than this share of a page may straddle: it cannot fit on one.
TOO_TALL = 0.9
#: Fixes at most: each moves something down a page, so a report never needs this many.
MAX_FIXES = 500
_IMAGE = "\ufffc"  # the character QTextDocument puts where an image sits
#: The user state that marks a section's heading (block numbers shift as tables split).
_SECTION = 1


@dataclass(frozen=True)
class _Pages:
    layout: QAbstractTextDocumentLayout
    height: float

    def page(self, y: float) -> int:
        return int(y // self.height)

    def straddles(self, top: float, bottom: float) -> bool:
        """True when [top, bottom] crosses a page end and would fit on one page."""
        fits = bottom - top < TOO_TALL * self.height
        return fits and self.page(top) != self.page(bottom - 0.5)

    def top(self, block: QTextBlock) -> float:
        return self.layout.blockBoundingRect(block).top()

    def bottom(self, block: QTextBlock) -> float:
        return self.layout.blockBoundingRect(block).bottom()


def paginate(doc: QTextDocument) -> None:
    """Move what would straddle a page, or leave one mostly empty, to the next page."""
    pages = _Pages(doc.documentLayout(), doc.pageSize().height())
    _take_section_breaks(doc)
    for _ in range(MAX_FIXES):
        if not _fix_first(doc, pages):
            return


def _take_section_breaks(doc: QTextDocument) -> None:
    """Clear the page breaks sections asked for, marking their headings instead."""
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if (
            fmt.headingLevel()
            and fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
        ):
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
            QTextCursor(block).setBlockFormat(fmt)
            block.setUserState(_SECTION)
        block = block.next()


def _fix_first(doc: QTextDocument, pages: _Pages) -> bool:
    """Fix the first break in document order that cuts something; False when none does."""
    seen: set[int] = set()
    block = doc.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None:
            if table.firstPosition() not in seen:
                seen.add(table.firstPosition())
                if _fix_rows(doc, table, pages):
                    return True
        elif _needs_new_page(block, pages):
            _break_before(block)
            return True
        block = block.next()
    return False


def _needs_new_page(block: QTextBlock, pages: _Pages) -> bool:
    if block.blockFormat().pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
        return False
    top = pages.top(block)
    if _IMAGE in block.text():
        return pages.straddles(top, pages.bottom(block))
    if not block.blockFormat().headingLevel():
        return False
    if block.userState() == _SECTION and top % pages.height > FULL_ENOUGH * pages.height:
        return True
    following = block.next()
    return following.isValid() and pages.straddles(top, _first_piece_bottom(following, pages))


def _first_piece_bottom(block: QTextBlock, pages: _Pages) -> float:
    """Where the first piece after a heading ends: a table's header and first row, a
    figure, or a paragraph's first line."""
    table = QTextCursor(block).currentTable()
    if table is not None:
        return _row_span(table, min(table.format().headerRowCount(), table.rows() - 1), pages)[1]
    if _IMAGE in block.text() or block.layout().lineCount() == 0:
        return pages.bottom(block)
    line = block.layout().lineAt(0)
    return pages.top(block) + line.y() + line.height()


def _row_span(table: QTextTable, row: int, pages: _Pages) -> tuple[float, float]:
    """The top and bottom of the text in the table's ``row``."""
    tops, bottoms = [], []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        tops.append(pages.top(cell.firstCursorPosition().block()))
        bottoms.append(pages.bottom(cell.lastCursorPosition().block()))
    return min(tops), max(bottoms)


def _fix_rows(doc: QTextDocument, table: QTextTable, pages: _Pages) -> bool:
    """Move the table's first straddling row to the next page; False when none straddles."""
    first_body = min(table.format().headerRowCount(), table.rows() - 1)
    for row in range(first_body, table.rows()):
        if not pages.straddles(*_row_span(table, row, pages)):
            continue
        if row == first_body:
            fmt = table.format()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            table.setFormat(fmt)
        else:
            _split(doc, table, row)
        return True
    return False


def _split(doc: QTextDocument, table: QTextTable, row: int) -> None:
    """Move ``row`` and the rows after it into a copy of the table that starts a new page,
    under a copy of its header rows (QTextDocument cannot break a page between rows)."""
    fmt = QTextTableFormat(table.format())
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    header = fmt.headerRowCount()
    rows = [*range(header), *range(row, table.rows())]
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    cursor.setPosition(table.lastPosition() + 1)
    _shrink(cursor.block())  # the paragraph that must sit between two tables takes no room
    rest = cursor.insertTable(len(rows), table.columns(), fmt)
    for target, source in enumerate(rows):
        for column in range(table.columns()):
            _copy_cell(table.cellAt(source, column), rest.cellAt(target, column))
    table.removeRows(row, table.rows() - row)
    cursor.endEditBlock()


def _copy_cell(source: QTextTableCell, target: QTextTableCell) -> None:
    cursor = source.firstCursorPosition()
    cursor.setPosition(source.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    target.setFormat(source.format())
    target.firstCursorPosition().insertFragment(cursor.selection())


def _shrink(block: QTextBlock) -> None:
    fmt = block.blockFormat()
    fmt.setTopMargin(0)
    fmt.setBottomMargin(0)
    fmt.setLineHeight(1, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    QTextCursor(block).setBlockFormat(fmt)


def _break_before(block: QTextBlock) -> None:
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).setBlockFormat(fmt)
