"""The welcome panel on the Machine page: the four steps from a model to a report.

GUI thread only. It reads how far the user has come (models, runs, stored plans) from
the database, ticks the steps done, and offers the next one as a button; the main
window turns a button into a page change. It hides itself once a plan is stored, since
by then the user knows the way.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from planner.gui.context import AppContext
from planner.storage.models import ModelRepository
from planner.storage.plans import PlanRepository
from planner.storage.runs import RunRepository


@dataclass(frozen=True)
class Step:
    page: str
    title: str
    how: str


STEPS = (
    Step("Models", "Choose a model", "The bundled samples are ready; add your .onnx files."),
    Step("Profile", "Measure it here", "Pick a model and press Start: latency, throughput."),
    Step("Results", "Plan from a run", "Select the run and press Send to plan."),
    Step("Reports", "Share the report", "Preview the plan and export a PDF or CSV."),
)
TITLE = "Welcome to planner: four steps from a model to a costed plan"


class WelcomePanel(QFrame):
    """``page_requested(title)`` asks the window to show that page."""

    page_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QGridLayout(self)
        heading = QLabel(f"<b>{TITLE}</b>")
        heading.setWordWrap(True)
        layout.addWidget(heading, 0, 0, 1, 3)
        self.marks: list[QLabel] = []
        self.buttons: list[QPushButton] = []
        for row, step in enumerate(STEPS, start=1):
            mark = QLabel()
            text = QLabel(f"<b>{row}. {step.title}</b> — {step.how}")
            text.setWordWrap(True)
            button = QPushButton(f"Go to {step.page}")
            button.clicked.connect(lambda _checked=False, page=step.page: self._request(page))
            layout.addWidget(mark, row, 0)
            layout.addWidget(text, row, 1)
            layout.addWidget(button, row, 2)
            self.marks.append(mark)
            self.buttons.append(button)
        layout.setColumnStretch(1, 1)
        for signal in (context.models_changed, context.runs_changed, context.plans_changed):
            signal.connect(self.refresh)
        self.refresh()

    def done(self) -> tuple[bool, ...]:
        """Which steps are done, from what the database holds."""
        db = self._context.db
        models = bool(ModelRepository(db).all())
        runs = [r for r in RunRepository(db).all() if r.reportable]
        plans = bool(PlanRepository(db).plans())
        return (models, bool(runs), plans, plans)

    def refresh(self) -> None:
        done = self.done()
        next_step = done.index(False) if False in done else None
        for index, (mark, button) in enumerate(zip(self.marks, self.buttons, strict=True)):
            mark.setText("✓" if done[index] else f"{index + 1}")
            button.setDefault(index == next_step)
            button.setEnabled(index == 0 or done[index - 1] or index == next_step)
        self.setVisible(not done[2])

    def _request(self, page: str) -> None:
        self.page_requested.emit(page)
