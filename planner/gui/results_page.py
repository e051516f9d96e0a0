"""The Results page: stored runs, the points of the selected ones, and their comparison.

GUI thread only: everything read here comes from the database on this thread's
connection. Loaded runs (with their samples) are cached until ``runs_changed``, which
also refreshes the tables. "Send to plan" emits ``context.runs_sent_to_plan`` with the
selected run ids; the Plan page takes it from there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.run import RunResult
from planner.core.text import printable
from planner.gui.charts_common import VerticalScroll
from planner.gui.context import AppContext
from planner.gui.results_charts import CompareCharts
from planner.gui.results_tables import (
    fill_points,
    fill_runs,
    filter_rows,
    points_table,
    runs_table,
    selected_run_ids,
)
from planner.gui.table_items import cell
from planner.gui.variants_panel import VariantsPanel
from planner.services.variant_comparison import family_parent
from planner.storage.bundle_import import ImportRepository
from planner.storage.machines import MachineRepository
from planner.storage.models import ModelRepository
from planner.storage.runs import RunRepository

EMPTY = "No runs yet: profile a model on the Profile page."
HINT = "Select one or more runs to see their points and compare them."


class ResultsPage(QWidget):
    """Runs table with a filter, points table, comparison charts, Send to plan."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._runs = RunRepository(context.db)
        self._models = ModelRepository(context.db)
        self._loaded: dict[str, RunResult] = {}
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter runs: model, machine, scenario, status…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.send_button = QPushButton("Send to plan")
        self.send_button.setEnabled(False)
        self.send_button.setToolTip("Use the selected runs as measured capacity on the Plan page")
        self.send_button.clicked.connect(self._on_send_clicked)
        self.info_label = QLabel(EMPTY)
        self.info_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.runs_table = runs_table()
        self.runs_table.itemSelectionChanged.connect(self._on_selection_changed)
        self.points_table = points_table()
        self.charts = CompareCharts()
        self.variants = VariantsPanel(context)
        self.views = QTabWidget()
        # Generative runs add a row of plots: it scrolls rather than squash five plots.
        self.views.addTab(VerticalScroll(self.charts), "Compare runs")
        self.views.addTab(self.variants, "Model variants")
        header = QHBoxLayout()
        header.addWidget(self.filter_edit, 1)
        header.addWidget(self.send_button)
        tables = QSplitter(Qt.Orientation.Vertical)
        tables.addWidget(self.runs_table)
        tables.addWidget(self.points_table)
        body = QSplitter()
        body.addWidget(tables)
        body.addWidget(self.views)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setSizes([600, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.info_label)
        layout.addWidget(self.error_label)
        layout.addWidget(body, 1)
        context.runs_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Reload the runs table (keeping the selection) and forget cached runs."""
        self._loaded.clear()
        try:
            summaries = self._runs.all()
            machines = self._machine_names({s.machine_id for s in summaries})
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self._show_error(f"Could not read the runs: {exc}")
            return
        fill_runs(self.runs_table, summaries, machines)
        self._on_filter_changed(self.filter_edit.text())
        self._on_selection_changed()

    def selected_ids(self) -> list[str]:
        return selected_run_ids(self.runs_table)

    def select_runs(self, run_ids: list[str]) -> None:
        """Select exactly the rows of ``run_ids`` (for tests and other pages)."""
        wanted = set(run_ids)
        table = self.runs_table
        table.clearSelection()
        model = table.selectionModel()
        for row in range(table.rowCount()):
            if cell(table, row, 0).data(Qt.ItemDataRole.UserRole) in wanted:
                index = table.model().index(row, 0)
                model.select(index, model.SelectionFlag.Select | model.SelectionFlag.Rows)

    def _machine_names(self, machine_ids: set[str | None]) -> dict[str | None, str]:
        machines = MachineRepository(self._context.db)
        sites = ImportRepository(self._context.db)
        names: dict[str | None, str] = {None: "unknown machine"}
        for machine_id in (m for m in machine_ids if m is not None):
            stored = machines.get(machine_id)
            name = stored.hostname if stored else machine_id[:8]
            site = sites.site_of_machine(machine_id)
            names[machine_id] = printable(f"{name} @ {site}" if site else f"{name} (this site)")
        return names

    def _on_filter_changed(self, text: str) -> None:
        visible = filter_rows(self.runs_table, text)
        total = self.runs_table.rowCount()
        if total == 0:
            self.info_label.setText(EMPTY)
        elif visible == 0:
            self.info_label.setText(
                f"No run matches “{text}”: clear the filter to see all {total}."
            )
        else:
            self.info_label.setText(f"{visible} of {total} runs shown. {HINT}")

    def _on_selection_changed(self) -> None:
        ids = self.selected_ids()
        self.send_button.setEnabled(bool(ids))
        try:
            runs = [self._load(run_id) for run_id in ids]
        except Exception as exc:  # noqa: BLE001 - shown inline, never a crash
            self._show_error(f"Could not load the selected runs: {exc}")
            return
        self._show_error("")
        fill_points(self.points_table, runs)
        self.charts.show_runs(runs)
        self._show_family(runs[0] if runs else None)

    def _show_family(self, run: RunResult | None) -> None:
        """The parent and variants of the first selected run's model, when it has some."""
        model = None if run is None else self._models.by_sha256(run.model_sha256)
        parent = None if model is None else family_parent(self._context.opened, model.id)
        self.variants.show_family(parent)

    def _load(self, run_id: str) -> RunResult:
        if run_id not in self._loaded:
            self._loaded[run_id] = self._runs.load(run_id)
        return self._loaded[run_id]

    def _on_send_clicked(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        self._context.runs_sent_to_plan.emit(ids)
        self._context.post_status(f"Sent {len(ids)} run(s) to the Plan page")

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        if message:
            self._context.post_status(message)
