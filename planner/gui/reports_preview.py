"""The Reports page's preview: the executive summary's key figures and the report itself.

GUI thread only (the figures are painted into QImages with the QGuiApplication's fonts).

Design: Qt's PDF viewer (QtPdf) is not part of PySide6-Essentials, so the preview does
not rasterise the written PDF. It shows the very document the PDF is painted from: the
HTML of :func:`planner.reports.pdf_report.build_html` with its figure images, laid out
by a QTextDocument in a QTextBrowser. The text, tables and figures are the PDF's own;
only the page breaks and the page footer are left out, since the browser reflows the
text to the width of the view. Above it, a panel repeats the executive summary's key
figures in large type, each formatted with :mod:`planner.core.formatting`, so they
read exactly as in the PDF and in ``planner plan``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.core.decision import decision_lines
from planner.core.formatting import confidence_level, money, probability
from planner.core.plan_summary import PlanSummary, breakeven_sentence
from planner.core.text import printable, printable_lines
from planner.reports import pdf_sections
from planner.reports.pdf_cover import unit_cost
from planner.reports.pdf_report import build_html
from planner.reports.report_data import ReportData

UNIT_COST = "Cost per 1k inferences"
KEY_FIGURES = ("Decision", "Recommended option", "Total cost", UNIT_COST, "Break-even")
LARGE = ("Recommended option", "Total cost", UNIT_COST)
CONFIDENCE = "Confidence"
NO_PLAN = "No plan chosen: the report holds measurements only."
FIGURES_HEIGHT = 230


def confidence_text(odds: float | None) -> str:
    """How sure the Monte Carlo draws make the recommendation (the PDF's wording)."""
    if odds is None:
        return "no Monte Carlo run stored with this plan"
    return f"cheapest in {probability(odds)} of the Monte Carlo draws ({confidence_level(odds)})"


def key_figures(summary: PlanSummary) -> dict[str, str]:
    """The executive summary's headline figures, as the PDF shows them.

    The decision is its verdict and pay-off (confidence has its own row; what could flip
    it and the assumptions are in the report below); the unit cost is per 1M output
    tokens for a plan in tokens (see :func:`unit_label`).
    """
    currency = summary.currency
    best = summary.recommended
    breakevens = [
        f"{b.onprem} vs {b.alternative}: {breakeven_sentence(b, currency)}"
        for b in summary.breakeven
    ]
    odds = (summary.prob_cheapest or {}).get(best.name)
    lines = decision_lines(summary.decision, currency)
    return {
        "Decision": printable_lines("\n".join(lines[:2])),
        "Recommended option": printable(best.name),
        "Total cost": f"{money(best.total_cost, currency)} over {summary.months} months",
        UNIT_COST: unit_cost(summary, best)[1],
        "Break-even": printable_lines("\n".join(breakevens)) or "no on-prem option to compare",
        CONFIDENCE: confidence_text(odds),
    }


def unit_label(summary: PlanSummary) -> str:
    """'Cost per 1k inferences', or 'Cost per 1M output tokens' for a plan in tokens."""
    return f"Cost {unit_cost(summary, summary.recommended)[0]}"


class ReportPreview(QWidget):
    """Key figures on top, the report's document below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        figures = QFrame()
        form = QFormLayout(figures)
        self._form = form
        self.figure_labels: dict[str, QLabel] = {}
        for name in (*KEY_FIGURES, CONFIDENCE):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet("font-size: 13pt; font-weight: bold;" if name in LARGE else "")
            self.figure_labels[name] = label
            form.addRow(f"{name}:", label)
        self.figures_frame = QScrollArea()
        self.figures_frame.setWidgetResizable(True)
        self.figures_frame.setWidget(figures)
        self.figures_frame.setMaximumHeight(FIGURES_HEIGHT)
        self.no_plan_label = QLabel(NO_PLAN)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self._document = QTextDocument(self)
        self.browser.setDocument(self._document)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.figures_frame)
        layout.addWidget(self.no_plan_label)
        layout.addWidget(self.browser, 1)
        self.clear()

    def show_report(self, data: ReportData, author: str, site: str) -> None:
        """Lay out the report of ``data`` (the same HTML and figures the PDF is painted from)."""
        html, figures = build_html(data, author, site)
        document = QTextDocument(self)
        document.setDefaultStyleSheet(pdf_sections.CSS)
        for fig in figures:
            document.addResource(
                QTextDocument.ResourceType.ImageResource, QUrl(fig.key), fig.chart.image
            )
        document.setHtml(html)
        self._replace_document(document)
        if data.summary is None:
            self.figures_frame.hide()
            self.no_plan_label.show()
            return
        for name, text in key_figures(data.summary).items():
            self.figure_labels[name].setText(text)
        unit = self._form.labelForField(self.figure_labels[UNIT_COST])
        if isinstance(unit, QLabel):
            unit.setText(f"{unit_label(data.summary)}:")
        self.no_plan_label.hide()
        self.figures_frame.show()

    def clear(self) -> None:
        """Show nothing (no data, or an error shown by the page)."""
        self._replace_document(QTextDocument(self))
        self.figures_frame.hide()
        self.no_plan_label.hide()

    def text(self) -> str:
        """The previewed report as plain text (what a reader sees, without the figures)."""
        return self._document.toPlainText()

    def _replace_document(self, document: QTextDocument) -> None:
        old = self._document
        self._document = document
        self.browser.setDocument(document)
        old.deleteLater()
