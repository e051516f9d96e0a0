"""Column widths of the PDF's tables, sized to their content (QtGui only).

Runs on the report-building thread, after the HTML is set and before the document is
paginated. Left to itself, QTextDocument lays out a full-width table from minimum widths
of one character (its default wrap may break anywhere), so every column gets an equal
share and short tokens break mid-word: "2026-11-2/8", "sequenc/es", "a109a0/ff". Here each
column is measured instead: its *minimum* is its longest word (nothing narrower can hold
a date, a time, "128+128" or a hex id whole) and its *natural* width is its longest cell
on one line. Every column gets at least its minimum, and the width left over is shared
evenly, no column taking more than it would use, so short columns show on one line and
long free text takes the remaining width. Only when even the minimums do not fit does
the widest column give way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtGui import (
    QPaintDevice,
    QTextBlock,
    QTextDocument,
    QTextFormat,
    QTextLayout,
    QTextLength,
    QTextOption,
    QTextTable,
    QTextTableCell,
)

#: Pixels added to each column's minimum, so rounding in Qt's layout never leaves a
#: token a fraction of a pixel too wide for its column.
SLACK_PX = 2.0


def column_widths(minimum: Sequence[float], natural: Sequence[float], total: float) -> list[float]:
    """Widths of columns that need ``minimum`` and would use ``natural``, filling ``total``.

    Each column gets its minimum; the rest is shared out evenly, a column taking no more
    than it would use, so short columns get all they want and long free text shares what
    is left. When every cell fits on one line, the rest is spread over the natural
    widths. When the minimums alone exceed ``total``, the widest columns are cut to a
    common width (their longest words will then break) and the others keep theirs.
    """
    need = sum(minimum)
    if need > total:
        return _cut_widest(minimum, total)
    wants = [max(n - m, 0.0) for m, n in zip(minimum, natural, strict=True)]
    spare = total - need
    if sum(wants) > spare:
        return [m + g for m, g in zip(minimum, _share(wants, spare), strict=True)]
    full = [m + w for m, w in zip(minimum, wants, strict=True)]
    extra = spare - sum(wants)
    return [f + extra * f / sum(full) for f in full]


def _share(wants: Sequence[float], amount: float) -> list[float]:
    """``amount`` shared evenly over ``wants``, none given more than it wants."""
    given = [0.0] * len(wants)
    left = amount
    order = sorted(range(len(wants)), key=lambda i: wants[i])
    for rank, i in enumerate(order):
        given[i] = min(wants[i], left / (len(order) - rank))
        left -= given[i]
    return given


def _cut_widest(minimum: Sequence[float], total: float) -> list[float]:
    """``minimum`` with the widest columns lowered to one level, so the sum is ``total``."""
    ordered = sorted(minimum, reverse=True)
    level = total / len(ordered)
    for count in range(1, len(ordered) + 1):
        level = (total - sum(ordered[count:])) / count
        if count == len(ordered) or level >= ordered[count]:
            break
    return [min(m, level) for m in minimum]


def fit_columns(doc: QTextDocument) -> None:
    """Give every full-width table in ``doc`` column widths sized to its content."""
    device = doc.documentLayout().paintDevice()
    layout = doc.documentLayout()
    for table in _tables(doc):
        fmt = table.format()
        if fmt.width().type() != QTextLength.Type.PercentageLength:
            continue
        columns = table.columns()
        frame = layout.frameBoundingRect(table).width()
        edges = 2 * (fmt.border() + fmt.padding()) + fmt.leftMargin() + fmt.rightMargin()
        total = frame - edges - columns * 2 * fmt.border() - (columns + 1) * fmt.cellSpacing()
        minimum, natural = _measure(table, device)
        widths = column_widths(minimum, natural, total)
        fmt.setColumnWidthConstraints(
            [QTextLength(QTextLength.Type.PercentageLength, 100.0 * w / total) for w in widths]
        )
        table.setFormat(fmt)


def _tables(doc: QTextDocument) -> list[QTextTable]:
    return [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]


def _measure(table: QTextTable, device: QPaintDevice) -> tuple[list[float], list[float]]:
    """Each column's minimum (longest word) and natural (longest line) width, padding in."""
    minimum = [0.0] * table.columns()
    natural = [0.0] * table.columns()
    for row in range(table.rows()):
        for column in range(table.columns()):
            cell = table.cellAt(row, column)
            if cell.column() != column or cell.row() != row:
                continue  # the spanned part of a merged cell
            padding = _horizontal_padding(cell, table)
            for block in _blocks(cell):
                words, line = _widths(block, device)
                minimum[column] = max(minimum[column], words + padding + SLACK_PX)
                natural[column] = max(natural[column], line + padding + SLACK_PX)
    return minimum, natural


def _horizontal_padding(cell: QTextTableCell, table: QTextTable) -> float:
    """The cell's left and right padding (its own, else the table's, as Qt lays it out)."""
    fmt = cell.format().toTableCellFormat()
    default = table.format().cellPadding()
    sides = (
        (QTextFormat.Property.TableCellLeftPadding, fmt.leftPadding()),
        (QTextFormat.Property.TableCellRightPadding, fmt.rightPadding()),
    )
    return sum(value if fmt.hasProperty(prop) else default for prop, value in sides)


def _blocks(cell: QTextTableCell) -> Iterator[QTextBlock]:
    block = cell.firstCursorPosition().block()
    last = cell.lastCursorPosition().block().blockNumber()
    while block.isValid() and block.blockNumber() <= last:
        yield block
        block = block.next()


def _widths(block: QTextBlock, device: QPaintDevice) -> tuple[float, float]:
    """The block's longest word and its whole text on one line, in pixels of ``device``."""
    layout = QTextLayout(block.text(), block.charFormat().font(), device)
    layout.setFormats(block.textFormats())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    while line.isValid():
        line.setLineWidth(1.0)
        line = layout.createLine()
    layout.endLayout()
    return layout.minimumWidth(), layout.maximumWidth()
