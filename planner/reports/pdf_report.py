"""Write the PDF report with QPdfWriter, QPainter and QTextDocument (QtGui only).

Runs on the thread that calls it, which must be the thread of the QGuiApplication:
:func:`ensure_gui_application` creates one (offscreen when there is no display) for the
CLI. The writer works at 96 dots per inch and the document is laid out in pixels of
that resolution, so text and figures keep their intended size on the page. Once the HTML
is set, table columns are sized to their content (:mod:`~planner.reports.pdf_columns`)
and page breaks moved so nothing is cut in two (:mod:`~planner.reports.pdf_paging`)
before the pages are painted. The file is written beside the target and renamed into
place when complete; the target is checked first (its folder exists, it is not a folder
or a pipe), so Qt never starts painting into a file it cannot open.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from planner.core.errors import InputError
from planner.core.files import check_output_file
from planner.reports import pdf_appendix, pdf_cover, pdf_sections
from planner.reports.figures import plan_figures, profiling_figures
from planner.reports.pdf_columns import fit_columns
from planner.reports.pdf_paging import paginate
from planner.reports.pdf_variants import variants_section
from planner.reports.report_data import ReportData

RESOLUTION_DPI = 96
MARGIN_MM = 15.0
FOOTER_PX = 22


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen when no display is available)."""
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["planner-report"])


def build_html(data: ReportData, author: str, site: str) -> tuple[str, list]:
    """The document's HTML and the figures it refers to.

    ``author`` and ``site`` are what the user gave; empty ones read "not given".
    """
    measured = profiling_figures(data)
    planned = plan_figures(data)
    capacity = next((f for f in planned if f.key == "fig-capacity"), None)
    cost_figures = [f for f in planned if f is not capacity]
    n_results = 1 + len(measured)
    parts = [
        pdf_cover.cover(data, author, site),
        pdf_cover.executive_summary(data),
        pdf_sections.inventory(data),
        pdf_sections.models(data),
        pdf_sections.results(data, measured, 1),
        variants_section(data),
        pdf_sections.capacity(data, capacity, n_results),
        pdf_sections.costs(cost_figures, n_results + 1),
        pdf_sections.assumptions(data),
        pdf_appendix.methodology(data),
        pdf_appendix.appendix(data),
    ]
    return "<html><body>" + "".join(parts) + "</body></html>", measured + planned


def write_pdf(data: ReportData, out: Path, author: str, site: str) -> Path:
    """Render the report to ``out``; return the path written."""
    out = check_output_file(Path(out), "PDF report")
    ensure_gui_application()
    html, figures = build_html(data, author, site)
    temp = out.with_name(f".{out.name}.part")
    try:
        _render(html, figures, temp, data)
        os.replace(temp, out)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise InputError(f"cannot write {out}: {exc.strerror}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return out


def _render(html: str, figures: list, path: Path, data: ReportData) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(*(MARGIN_MM,) * 4), QPageLayout.Unit.Millimeter)
    writer.setTitle("Inference capacity assessment")
    writer.setCreator("planner")
    width, height = writer.width(), writer.height() - FOOTER_PX
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(_plain_font(10))
    doc.setDefaultStyleSheet(pdf_sections.CSS)
    for fig in figures:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(fig.key), fig.chart.image)
    doc.setHtml(html)
    doc.setPageSize(QSizeF(width, height))
    fit_columns(doc)
    paginate(doc)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(13, "the PDF file cannot be opened for writing")
    try:
        pages = doc.pageCount()
        footer_font = _plain_font(7)
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * height)
            doc.drawContents(painter, QRectF(0, page * height, width, height))
            painter.restore()
            painter.setFont(footer_font)
            stamp = f"planner report, {data.generated_at[:10]} — page {page + 1} of {pages}"
            painter.drawText(
                QRectF(0, height + 4, width, FOOTER_PX - 4), Qt.AlignmentFlag.AlignRight, stamp
            )
    finally:
        painter.end()


def _plain_font(points: int) -> QFont:
    """DejaVu Sans without ligatures, so text copied or searched in the PDF reads as typed."""
    font = QFont("DejaVu Sans", points)
    font.setFeature(QFont.Tag("liga"), 0)
    return font
