"""Chart painting for the PDF report: line, band, stacked-bar and tornado charts as images.

QtGui only (QImage, QPainter), no widgets; runs on the thread that builds the report,
which must have a QGuiApplication. Each function paints at twice the layout size so the
figure stays sharp in print, and returns a :class:`Chart` whose ``width``/``height``
are the size it takes on the page in pixels (96 per inch). Value axes take a tick
formatter (money charts pass one that writes ``1.4 M USD``); a stacked bar far taller
than the others is drawn broken, with its total written on it, so the rest stay
readable; the tornado's axis carries tick values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPolygonF

from planner.core.formatting import compact
from planner.core.series_colours import SERIES_COLOURS

SCALE = 2
WIDTH, HEIGHT = 660, 270
PALETTE = SERIES_COLOURS
_LEFT, _RIGHT, _TOP, _BOTTOM = 92, 16, 34, 66
#: A stacked bar is drawn broken when it is this many times the next tallest.
BREAK_RATIO = 4.0
Ticks = Callable[[float], str]


@dataclass(frozen=True)
class Chart:
    image: QImage
    width: int
    height: int


@dataclass(frozen=True)
class Line:
    label: str
    x: np.ndarray
    y: np.ndarray
    markers: bool = False
    band: tuple[np.ndarray, np.ndarray] | None = None  # lower, upper around y


@dataclass(frozen=True)
class Marker:
    """A vertical line at ``x`` with a label (e.g. a break-even month)."""

    x: float
    label: str


@dataclass
class _Frame:
    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float
    plot: QRectF = field(default_factory=QRectF)

    def point(self, x: float, y: float) -> QPointF:
        fx = (x - self.x_lo) / ((self.x_hi - self.x_lo) or 1.0)
        fy = (y - self.y_lo) / ((self.y_hi - self.y_lo) or 1.0)
        return QPointF(
            self.plot.left() + fx * self.plot.width(), self.plot.bottom() - fy * self.plot.height()
        )


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if not math.isfinite(lo) or not math.isfinite(hi) or hi <= lo:
        return [lo]
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= step * m)
    start = math.floor(lo / step) * step
    return [start + i * step for i in range(int((hi - start) / step + 1e-9) + 2)]


def _begin(title: str, width: int = WIDTH, height: int = HEIGHT) -> tuple[QImage, QPainter]:
    image = QImage(width * SCALE, height * SCALE, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(SCALE, SCALE)
    painter.setFont(QFont("DejaVu Sans", 10, QFont.Weight.Bold))
    # A title wider than the figure would be cut at both ends: end it with "…" instead
    # (every caller repeats the names in the figure's caption).
    shown = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, width - 12)
    painter.drawText(QRectF(0, 4, width, 22), Qt.AlignmentFlag.AlignHCenter, shown)
    painter.setFont(QFont("DejaVu Sans", 8))
    return image, painter


def _finish(image: QImage, painter: QPainter, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    painter.end()
    return Chart(image, width, height)


def message_chart(title: str, text: str) -> Chart:
    """A placeholder figure saying why there is nothing to plot."""
    image, painter = _begin(title, WIDTH, 90)
    painter.drawText(QRectF(10, 30, WIDTH - 20, 50), Qt.AlignmentFlag.AlignCenter, text)
    return _finish(image, painter, WIDTH, 90)


def _axes(
    painter: QPainter,
    frame: _Frame,
    x_label: str,
    y_label: str,
    log_x: bool,
    x_ticks: bool = True,
    y_text: Ticks = compact,
) -> None:
    plot = frame.plot
    painter.setPen(QPen(QColor("#888888"), 0.8))
    painter.drawRect(plot)
    grid = QPen(QColor("#e4e4e4"), 0.6)
    for y in nice_ticks(frame.y_lo, frame.y_hi):
        if frame.y_lo <= y <= frame.y_hi:
            p = frame.point(frame.x_lo, y)
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), p.y()), QPointF(plot.right(), p.y()))
            painter.setPen(QColor("black"))
            painter.drawText(
                QRectF(0, p.y() - 7, _LEFT - 6, 14), Qt.AlignmentFlag.AlignRight, y_text(y)
            )
    for x in nice_ticks(frame.x_lo, frame.x_hi, 6) if x_ticks else ():
        if frame.x_lo <= x <= frame.x_hi:
            p = frame.point(x, frame.y_lo)
            shown = 10**x if log_x else x
            painter.drawText(
                QRectF(p.x() - 40, plot.bottom() + 3, 80, 14),
                Qt.AlignmentFlag.AlignHCenter,
                compact(shown),
            )
    painter.drawText(
        QRectF(plot.left(), plot.bottom() + 18, plot.width(), 14),
        Qt.AlignmentFlag.AlignHCenter,
        x_label,
    )
    painter.save()
    painter.translate(10, plot.center().y())
    painter.rotate(-90)
    room = plot.height() + _TOP  # the axis name may reach up beside the title
    name = painter.fontMetrics().elidedText(y_label, Qt.TextElideMode.ElideRight, int(room))
    painter.drawText(
        QRectF(-plot.height() / 2 - _TOP / 2, -8, room, 14), Qt.AlignmentFlag.AlignHCenter, name
    )
    painter.restore()


def _legend(
    painter: QPainter,
    labels: Sequence[str],
    top: float,
    right: float = WIDTH,
    colours: Sequence[str] | None = None,
) -> None:
    """Colour keys left to right, wrapping onto a second row when the first is full."""
    x = _LEFT
    for index, label in enumerate(labels):
        width = painter.fontMetrics().horizontalAdvance(label) + 24
        if x + width > right and x > _LEFT:
            x, top = _LEFT, top + 14
        color = QColor(_colour(index, colours))
        painter.fillRect(QRectF(x, top + 4, 10, 8), color)
        painter.setPen(QColor("black"))
        painter.drawText(QRectF(x + 14, top, width, 14), Qt.AlignmentFlag.AlignLeft, label)
        x += width


def line_chart(
    title: str,
    x_label: str,
    y_label: str,
    lines: Sequence[Line],
    markers: Sequence[Marker] = (),
    log_x: bool = False,
    y_text: Ticks = compact,
) -> Chart:
    image, painter = _begin(title)
    xs = [np.log10(line.x) if log_x else line.x for line in lines]
    ys = [line.y for line in lines] + [b for line in lines if line.band for b in line.band]
    all_x = np.concatenate([np.asarray(x, float) for x in xs])
    all_y = np.concatenate([np.asarray(y, float) for y in ys])
    finite_y = all_y[np.isfinite(all_y)]
    y_lo = min(0.0, float(finite_y.min())) if finite_y.size else 0.0
    y_hi = float(finite_y.max()) * 1.05 if finite_y.size else 1.0
    x_lo, x_hi = float(np.nanmin(all_x)), float(np.nanmax(all_x))
    pad = (x_hi - x_lo) * 0.03 or max(abs(x_lo) * 0.05, 0.5)
    frame = _Frame(x_lo - pad, x_hi + pad, y_lo, y_hi or 1.0)
    frame.plot = QRectF(_LEFT, _TOP, WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM)
    _axes(painter, frame, x_label, y_label, log_x, y_text=y_text)
    for index, (line, x) in enumerate(zip(lines, xs, strict=True)):
        color = QColor(PALETTE[index % len(PALETTE)])
        if line.band is not None:
            fill = QColor(color)
            fill.setAlpha(50)
            upper = [frame.point(a, b) for a, b in zip(x, line.band[1], strict=True)]
            lower = [frame.point(a, b) for a, b in zip(x, line.band[0], strict=True)]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawPolygon(QPolygonF(upper + lower[::-1]))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        started = False
        for a, b in zip(x, line.y, strict=True):
            if np.isfinite(b):
                point = frame.point(float(a), float(b))
                path.lineTo(point) if started else path.moveTo(point)
                started = True
        painter.setPen(QPen(color, 1.6))
        painter.drawPath(path)
        if line.markers:
            painter.setBrush(color)
            for a, b in zip(x, line.y, strict=True):
                if np.isfinite(b):
                    painter.drawEllipse(frame.point(float(a), float(b)), 2.6, 2.6)
            painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor("#444444"), 1.0, Qt.PenStyle.DashLine))
    for index, marker in enumerate(markers):
        p = frame.point(marker.x, frame.y_hi)
        painter.drawLine(QPointF(p.x(), frame.plot.top()), QPointF(p.x(), frame.plot.bottom()))
        width = painter.fontMetrics().horizontalAdvance(marker.label) + 6
        left = p.x() + 3 if p.x() + width < frame.plot.right() else p.x() - width
        painter.drawText(
            QRectF(left, frame.plot.top() + 2 + 14 * index, width, 14),
            Qt.AlignmentFlag.AlignLeft,
            marker.label,
        )
    _legend(painter, [line.label for line in lines], HEIGHT - 30)
    return _finish(image, painter)


def stacked_bars(
    title: str,
    y_label: str,
    categories: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[float]]],
    y_text: Ticks = compact,
    colours: Sequence[str] | None = None,
) -> Chart:
    """One bar per category, split into the stacks (e.g. cost components per option),
    each stack in its ``colours`` entry (default: the series colours in order).

    A bar more than :data:`BREAK_RATIO` times the next tallest is cut at the top of the
    axis with a break mark and its total written inside it, below the mark.
    """
    image, painter = _begin(title)
    totals = np.sum([np.asarray(v, float) for _, v in stacks], axis=0) if stacks else np.ones(1)
    ceiling = _ceiling(np.asarray(totals, float))
    frame = _Frame(0, len(categories), 0, ceiling * 1.08 or 1.0)
    frame.plot = QRectF(_LEFT, _TOP, WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM)
    _axes(painter, frame, "", y_label, False, x_ticks=False, y_text=y_text)
    slot = frame.plot.width() / max(len(categories), 1)
    for i, name in enumerate(categories):
        base = 0.0
        for index, (_, values) in enumerate(stacks):
            top = min(base + float(values[i]), frame.y_hi)
            a, b = frame.point(i + 0.2, min(base, frame.y_hi)), frame.point(i + 0.8, top)
            painter.fillRect(QRectF(a, b).normalized(), QColor(_colour(index, colours)))
            base += float(values[i])
        if base > frame.y_hi:
            _break_mark(painter, frame, i, y_text(base))
        painter.setPen(QColor("black"))
        painter.drawText(
            QRectF(frame.plot.left() + i * slot, frame.plot.bottom() + 4, slot, 14),
            Qt.AlignmentFlag.AlignHCenter,
            painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, int(slot) - 4),
        )
    _legend(painter, [label for label, _ in stacks], HEIGHT - 30, colours=colours)
    return _finish(image, painter)


def _colour(index: int, colours: Sequence[str] | None) -> str:
    return colours[index] if colours is not None else PALETTE[index % len(PALETTE)]


def _ceiling(totals: np.ndarray) -> float:
    """The axis top: the tallest bar, or 1.5 × the next tallest when one bar dwarfs it."""
    finite = np.sort(totals[np.isfinite(totals)])[::-1]
    if finite.size >= 2 and finite[1] > 0 and finite[0] > BREAK_RATIO * finite[1]:
        return float(finite[1] * 1.5)
    return float(finite[0]) if finite.size else 1.0


def _break_mark(painter: QPainter, frame: _Frame, i: int, total: str) -> None:
    """A white zigzag across a cut bar, and its real total written on the bar."""
    y = frame.point(i, frame.y_hi * 0.9).y()
    left, right = frame.point(i + 0.15, 0).x(), frame.point(i + 0.85, 0).x()
    zigzag = QPolygonF([QPointF(left, y), QPointF((left + right) / 2, y - 6), QPointF(right, y)])
    painter.setPen(QPen(QColor("white"), 4))
    painter.drawPolyline(zigzag)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(left, y + 4, right - left, 14), Qt.AlignmentFlag.AlignCenter, total)


def tornado(
    title: str, x_label: str, items: Sequence[tuple[str, float, float]], x_text: Ticks = compact
) -> Chart:
    """Horizontal bars from the base (0) to each input's low and high outcome, on an axis
    with tick values."""
    height = 96 + 22 * len(items)
    image, painter = _begin(title, WIDTH, height)
    reach = max((max(abs(lo), abs(hi)) for _, lo, hi in items), default=1.0) or 1.0
    left, right = 280.0, WIDTH - 40.0
    centre = (left + right) / 2
    scale = (right - left) / 2 / reach
    bottom = 34 + 22 * len(items)
    grid = QPen(QColor("#e4e4e4"), 0.6)
    for tick in nice_ticks(-reach, reach, 4):
        if abs(tick) <= reach * 1.0001:
            x = centre + tick * scale
            painter.setPen(grid)
            painter.drawLine(QPointF(x, 30), QPointF(x, bottom))
            painter.setPen(QColor("black"))
            sign = "+" if tick > 0 else ""
            painter.drawText(
                QRectF(x - 45, bottom + 2, 90, 14),
                Qt.AlignmentFlag.AlignHCenter,
                sign + x_text(tick),
            )
    for row, (label, lo, hi) in enumerate(items):
        y = 34 + row * 22
        painter.setPen(QColor("black"))
        painter.drawText(
            QRectF(4, y, left - 10, 16),
            Qt.AlignmentFlag.AlignRight,
            painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideLeft, int(left) - 14),
        )
        for value, color in ((lo, PALETTE[0]), (hi, PALETTE[1])):
            painter.fillRect(QRectF(centre, y + 2, value * scale, 13).normalized(), QColor(color))
    painter.setPen(QPen(QColor("#444444"), 1.0))
    painter.drawLine(QPointF(centre, 30), QPointF(centre, bottom))
    painter.drawText(
        QRectF(left, bottom + 18, right - left, 14), Qt.AlignmentFlag.AlignHCenter, x_label
    )
    _legend(painter, ["input at its low value", "input at its high value"], height - 22)
    return _finish(image, painter, WIDTH, height)
