"""The Reports page: ``planner report``'s choices, a live preview, and PDF or CSV export.

GUI thread only: the report's data is read on this thread's connection and its figures
and PDF are painted with the QGuiApplication (a typical report previews in about 50 ms,
plus about 7 ms a model variant priced with the plan's scenario, and writes its PDF in
about 200 ms, so nothing here needs a worker thread). The choices
are the CLI's: a stored plan (default the latest), the runs (default the plan's), author,
site and format. Author and site are kept in QSettings for the next report; an author
nobody typed reads "author not given" on the cover, never the operating-system user.
The page reloads when it is shown after ``plans_changed`` or ``runs_changed``, or at
once (coalesced) while it is visible. Errors are shown inline.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planner.core.errors import PlannerError
from planner.core.text import printable
from planner.gui.context import AppContext
from planner.gui.reports_preview import ReportPreview
from planner.reports.csv_report import write_csv
from planner.reports.pdf_report import write_pdf
from planner.reports.report_data import ReportData
from planner.services.reports import load_report
from planner.storage.plans import PlanRepository
from planner.storage.runs import RunRepository, RunSummary

EMPTY = (
    "Nothing to report yet. Profile a model, then build a plan on the Plan page: "
    "“Plan the latest run” saves one for this page at once."
)
NO_PLAN_ITEM = "No saved plan yet (measurements only): save one on the Plan page"
NO_RUNS_TICKED = "Tick at least one run: there is no stored plan to report on."
FORMATS = {"pdf": "PDF report (*.pdf)", "csv": "CSV tables (*.csv)"}
SETTINGS_AUTHOR = "reports/author"
SETTINGS_SITE = "reports/site"
ID_ROLE = Qt.ItemDataRole.UserRole


def _run_text(run: RunSummary) -> str:
    return (
        f"{printable(run.model_name)} {run.id[:8]} — {run.scenario}, {run.status}, "
        f"{run.point_count} point(s), {run.started_at[:16].replace('T', ' ')}"
    )


class ReportsPage(QWidget):
    """Choose a plan and runs, preview the report, export it as PDF or CSV files."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._stale = True
        self._empty = False
        self._runs: list[RunSummary] = []
        self._plan_runs: dict[str, tuple[str, ...]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        self.plan_combo = QComboBox()
        self.plan_combo.currentIndexChanged.connect(self._on_plan_chosen)
        self.format_combo = QComboBox()
        self.format_combo.addItem("PDF", "pdf")
        self.format_combo.addItem("CSV", "csv")
        settings = QSettings()
        self.author_edit = QLineEdit(str(settings.value(SETTINGS_AUTHOR, "") or ""))
        self.author_edit.setPlaceholderText("your name, for the cover (kept for next time)")
        self.site_edit = QLineEdit(str(settings.value(SETTINGS_SITE, "") or ""))
        self.site_edit.setPlaceholderText("default: the runs' sites")
        for edit in (self.author_edit, self.site_edit):
            edit.editingFinished.connect(self._on_cover_edited)
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.runs_list = QListWidget()
        self.runs_list.setWordWrap(True)
        self.runs_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.runs_list.itemChanged.connect(self._on_run_ticked)
        self.empty_label = QLabel(EMPTY)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.done_label = QLabel()
        self.preview = ReportPreview()
        self.body = self._build_body()
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_choices())
        layout.addWidget(self.empty_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addWidget(self.body, 1)
        context.plans_changed.connect(self._on_data_changed)
        context.runs_changed.connect(self._on_data_changed)
        self._show_error("")

    def _build_choices(self) -> QWidget:
        choices = QWidget()
        form = QFormLayout(choices)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Plan:", self.plan_combo)
        people = QHBoxLayout()
        people.addWidget(self.author_edit, 1)
        people.addWidget(QLabel("Site:"))
        people.addWidget(self.site_edit, 1)
        form.addRow("Author:", people)
        output = QHBoxLayout()
        output.addWidget(self.format_combo)
        output.addWidget(self.export_button)
        output.addStretch(1)
        form.addRow("Format:", output)
        return choices

    def _build_body(self) -> QSplitter:
        runs = QWidget()
        runs_layout = QVBoxLayout(runs)
        runs_layout.setContentsMargins(0, 0, 0, 0)
        runs_layout.addWidget(QLabel("Runs in the report (default: the plan's runs):"))
        runs_layout.addWidget(self.runs_list, 1)
        body = QSplitter()
        body.addWidget(runs)
        body.addWidget(self.preview)
        body.setStretchFactor(1, 3)
        return body

    def refresh(self) -> None:
        """Reload the stored plans and runs, keeping the choices that still exist."""
        self._stale = False
        self._timer.stop()
        try:
            plans = PlanRepository(self._context.db).plans()
            runs = RunRepository(self._context.db).all()
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self._show_error(f"Could not read the plans and runs: {exc}")
            return
        chosen_plan = self.plan_combo.currentData()
        ticked = set(self.ticked_run_ids())
        known = {self.runs_list.item(i).data(ID_ROLE) for i in range(self.runs_list.count())}
        self._runs = runs
        self._plan_runs = {p.id: p.run_ids for p in plans}
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan in plans:
            label = (
                printable(plan.scenario_name)
                + f" — computed {plan.computed_at} (plan {plan.id[:8]})"
            )
            self.plan_combo.addItem(label, plan.id)
        if not plans:
            self.plan_combo.addItem(NO_PLAN_ITEM, None)
        index = self.plan_combo.findData(chosen_plan) if chosen_plan in self._plan_runs else 0
        self.plan_combo.setCurrentIndex(max(index, 0))
        self.plan_combo.setEnabled(bool(plans))
        self.plan_combo.blockSignals(False)
        same_plan = self.plan_combo.currentData() == chosen_plan and bool(known)
        wanted = (ticked | ({r.id for r in runs} - known)) if same_plan else None
        self._fill_runs(wanted)
        self._empty = not plans and not runs
        self.empty_label.setVisible(self._empty)
        self.body.setVisible(not self._empty)
        self.export_button.setEnabled(not self._empty)
        self._update_preview()

    def ticked_run_ids(self) -> list[str]:
        items = (self.runs_list.item(i) for i in range(self.runs_list.count()))
        return [i.data(ID_ROLE) for i in items if i.checkState() == Qt.CheckState.Checked]

    def set_ticked_runs(self, run_ids: list[str]) -> None:
        """Tick exactly ``run_ids`` and update the preview (for tests and other pages)."""
        self._tick(set(run_ids))
        self._update_preview()

    def report_data(self) -> ReportData:
        """What the report of the current choices holds; raises PlannerError when unusable."""
        plan_id = self.plan_combo.currentData()
        ticked = tuple(self.ticked_run_ids())
        if plan_id is None and not ticked:
            raise PlannerError(NO_RUNS_TICKED if self.runs_list.count() else EMPTY)
        data = load_report(self._context.opened, plan_id, ticked)
        if ticked:
            return data
        return replace(data, runs=(), machines=(), models=())

    def author(self) -> str:
        """The author typed here ('' reads "author not given" on the cover)."""
        return self.author_edit.text().strip()

    def site_for(self, data: ReportData) -> str:
        """The site typed here, else the runs' sites ('' reads "site not given")."""
        return self.site_edit.text().strip() or ", ".join(data.sites)

    def export_to(self, path: Path, fmt: str) -> list[Path]:
        """Write the report as ``fmt`` ("pdf" or "csv") to ``path``; return the files written."""
        self.done_label.clear()
        try:
            data = self.report_data()
            if fmt == "pdf":
                written = [write_pdf(data, Path(path), self.author(), self.site_for(data))]
            else:
                written = write_csv(data, Path(path))
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self._show_error(f"Could not export the report: {exc}")
            return []
        self._show_error("")
        names = ", ".join(p.name for p in written)
        self.done_label.setText(f"Wrote {names} in {written[0].parent}")
        self._context.post_status(f"Report written: {names}")
        return written

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _fill_runs(self, wanted: set[str] | None) -> None:
        self.runs_list.blockSignals(True)
        self.runs_list.clear()
        for run in self._runs:
            item = QListWidgetItem(_run_text(run))
            item.setToolTip(item.text())
            item.setData(ID_ROLE, run.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.runs_list.addItem(item)
        self.runs_list.blockSignals(False)
        self._tick(wanted if wanted is not None else self._default_runs())

    def _default_runs(self) -> set[str]:
        plan_id = self.plan_combo.currentData()
        if plan_id is not None:
            return set(self._plan_runs.get(plan_id, ()))
        return {r.id for r in self._runs if r.reportable}

    def _tick(self, run_ids: set[str]) -> None:
        self.runs_list.blockSignals(True)
        for i in range(self.runs_list.count()):
            item = self.runs_list.item(i)
            ticked = item.data(ID_ROLE) in run_ids
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.runs_list.blockSignals(False)

    def _update_preview(self) -> None:
        if self._empty:
            self.preview.clear()
            self._show_error("")
            return
        try:
            data = self.report_data()
            self.preview.show_report(data, self.author(), self.site_for(data))
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self.preview.clear()
            self._show_error(f"Cannot preview the report: {exc}")
            return
        self._show_error("")

    def _on_data_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def _on_plan_chosen(self, _index: int) -> None:
        self._tick(self._default_runs())
        self._update_preview()

    def _on_run_ticked(self, _item: QListWidgetItem) -> None:
        self._update_preview()

    def _on_cover_edited(self) -> None:
        settings = QSettings()
        settings.setValue(SETTINGS_AUTHOR, self.author_edit.text().strip())
        settings.setValue(SETTINGS_SITE, self.site_edit.text().strip())
        self._update_preview()

    def _on_export_clicked(self) -> None:
        fmt = self.format_combo.currentData()
        suggested = f"report-{date.today().isoformat()}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, "Export report", suggested, FORMATS[fmt])
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(f"{target.name}.{fmt}")
        self.export_to(target, fmt)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        if message:
            self._context.post_status(message)
