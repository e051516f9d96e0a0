"""The Profile page's list of finished points and its run summaries, in words.

GUI thread only. Each finished point gets one line as it arrives, so a planner sees
while the run goes on which points were measured, at what throughput and latency, and
which did not stabilise (marked UNSTABLE in red, with the reason); points a budget left
unmeasured are named when the run ends.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from planner.core.formatting import duration_ms, rate
from planner.core.run import PointResult, RunResult

UNSTABLE_COLOR = "#c62828"


def points_text(count: int) -> str:
    """'1 point', '3 points'."""
    return f"{count} point" + ("" if count == 1 else "s")


def point_line(point: PointResult) -> str:
    """'batch 8: 262/s, p99 31.7 ms, stable' (token figures for a generative point)."""
    if point.tokens is not None:
        t = point.tokens
        figures = (
            f"{rate(t.output_tokens_per_s, ' out tok/s')}, TTFT p50 {duration_ms(t.ttft.p50)}, "
            f"TPOT p50 {duration_ms(t.tpot.p50)}"
        )
    else:
        s = point.stats
        tail = f"p99 {duration_ms(s.p99)}" if s.p99 is not None else f"p50 {duration_ms(s.p50)}"
        figures = f"{rate(point.throughput_ips)}, {tail}"
    verdict = "stable" if point.stable else f"UNSTABLE ({point.stop_reason})"
    return f"{point.label}: {figures}, {verdict}"


def skipped_points(planned: tuple[str, ...], result: RunResult) -> list[str]:
    """Planned points the run did not measure (the budget ran out, the sweep stopped, or
    it was cancelled): points are measured in the planned order, so the tail."""
    return list(planned[len(result.points) :])


def run_summary(result: RunResult, planned: tuple[str, ...]) -> str:
    """'Run 1a2b3c4d completed: 5 points; not measured: batch 64, batch 128 (time budget
    8 s reached)'."""
    text = f"Run {result.id[:8]} {result.status}: {points_text(len(result.points))}"
    skipped = skipped_points(planned, result)
    if skipped:
        why = [n for n in result.notes if "budget" in n or "stopped" in n]
        reason = "; ".join(why) or "the run ended first"
        text += f"; not measured: {', '.join(skipped)} ({reason})"
    return text


def assumed_text(assumed: dict[str, str]) -> str:
    """What planner assumed about the inputs, for the info line ('' when nothing)."""
    if not assumed:
        return ""
    return "\nAssumed (give them to change): " + "; ".join(
        f"{key}={reason}" for key, reason in assumed.items()
    )


class PointLog(QListWidget):
    """One line per finished point of the current run."""

    def __init__(self) -> None:
        super().__init__()
        self.setMaximumHeight(120)
        self.setWordWrap(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setToolTip("Points of the current run as they finish")

    def add_point(self, point: PointResult) -> None:
        item = QListWidgetItem(point_line(point))
        item.setToolTip(item.text())
        if not point.stable:
            item.setForeground(QBrush(QColor(UNSTABLE_COLOR)))
        self.addItem(item)
        self.scrollToBottom()

    def lines(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]
