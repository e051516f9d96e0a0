"""Chart legends wrap between entries only, with no blank or indented lines."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextDocument, QTextOption

from planner.gui.chart_legend import ChartLegend, LegendEntry

NAMES = [f"d76edc2f 64+16 tokens, {n} sequences" for n in (1, 2, 4)]


def _document(legend: ChartLegend, mode: QTextOption.WrapMode) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    option = QTextOption()
    option.setWrapMode(mode)
    document.setDefaultTextOption(option)
    document.setDefaultFont(legend.font())
    document.setHtml(legend.text())
    return document


def _lines(legend: ChartLegend, width: int, mode: QTextOption.WrapMode) -> list[str]:
    """The legend's text laid out ``width`` pixels wide, one string per line."""
    document = _document(legend, mode)
    document.setTextWidth(width)
    document.size()  # lays it out
    block = document.begin()
    layout, text = block.layout(), block.text()
    spans = (layout.lineAt(i) for i in range(layout.lineCount()))
    return [text[s.textStart() : s.textStart() + s.textLength()] for s in spans]


def test_every_width_wraps_between_whole_entries(qtbot) -> None:
    """A space and a no-break space between entries left blank and indented lines where
    one entry nearly filled a line (the TTFT legend at 1100×720)."""
    legend = ChartLegend()
    qtbot.addWidget(legend)
    legend.set_entries([LegendEntry(name, QColor("#1f77b4")) for name in NAMES])
    one_line = _lines(legend, 2000, QTextOption.WrapMode.WordWrap)
    assert len(one_line) == 1
    single = ChartLegend()
    qtbot.addWidget(single)
    single.set_entries([LegendEntry(NAMES[0], QColor("#1f77b4"))])
    widest = int(_document(single, QTextOption.WrapMode.WordWrap).idealWidth()) + 1
    for mode in (QTextOption.WrapMode.WordWrap, QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere):
        for width in range(widest + 4, widest * 3, 3):
            lines = _lines(legend, width, mode)
            assert all(line[:1] not in " \xa0\u2003" for line in lines), (width, lines)
            assert all(line.strip(" \xa0\u2003") for line in lines), (width, lines)
            assert len(lines) <= len(NAMES)
