"""The two tables of the Results page: runs (filterable) and the points of selected runs.

GUI thread only. Pure presentation: the page hands in run summaries and loaded runs; each
runs-table row keeps its run id in the first cell. An interrupted run (its process died)
reads as such with the reason; inputs planner assumed are listed per point, and an
estimated energy figure says "estimated". When every selected run is generative the
points table speaks tokens: TTFT, TPOT and end-to-end request latency percentiles (E2E,
what a caller waiting for the whole answer sees), output and prompt tokens per second,
the KV cache held, energy per output token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from planner.core.formatting import energy_cell, latency_cell, size
from planner.core.run import EnergyResult, PointResult, RunResult
from planner.core.text import printable
from planner.gui.table_items import cell
from planner.storage.runs import RunSummary

RUN_ID_ROLE = Qt.ItemDataRole.UserRole
RUN_COLUMNS = ("model", "machine / site", "scenario", "provider", "status", "started", "points")
POINT_COLUMNS = (
    "run",
    "point",
    "n",
    "p50 (ms)",
    "p90 (ms)",
    "p99 (ms)",
    "throughput (inferences/s)",
    "stable",
    "energy (mJ/inference)",
    "energy method",
    "assumed inputs",
)
TOKEN_COLUMNS = (
    "run",
    "point",
    "requests",
    "TTFT p50 (ms)",
    "TTFT p90 (ms)",
    "TPOT p50 (ms)",
    "TPOT p90 (ms)",
    "E2E p50 (ms)",
    "E2E p90 (ms)",
    "output tokens/s",
    "stable",
    "energy (mJ/output token)",
    "energy method",
    "prompt tokens/s",
    "KV cache",
)


def _table(columns: Sequence[str], selection: QAbstractItemView.SelectionMode) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def runs_table() -> QTableWidget:
    """One row per run, multi-selection; filter it with :func:`filter_rows`."""
    return _table(RUN_COLUMNS, QAbstractItemView.SelectionMode.ExtendedSelection)


def fill_runs(
    table: QTableWidget, runs: Sequence[RunSummary], machines: Mapping[str | None, str]
) -> None:
    """Replace the rows of a runs table, keeping the selected run ids selected."""
    chosen = set(selected_run_ids(table))
    table.setSortingEnabled(False)
    table.clearSelection()
    table.setRowCount(len(runs))
    for row, run in enumerate(runs):
        status = run.status + (f": {run.failure_reason}" if run.failure_reason else "")
        cells = (
            printable(run.model_name),
            machines.get(run.machine_id, "unknown machine"),
            run.scenario,
            run.provider,
            status,
            run.started_at.replace("T", " ")[:19],
            str(run.point_count),
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(f"run {run.id}\n{text}")
            if column == 0:
                item.setData(RUN_ID_ROLE, run.id)
            table.setItem(row, column, item)
    table.setSortingEnabled(True)
    mode = table.selectionMode()
    table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
    for row in range(table.rowCount()):
        if cell(table, row, 0).data(RUN_ID_ROLE) in chosen:
            table.selectRow(row)
    table.setSelectionMode(mode)


def filter_rows(table: QTableWidget, text: str) -> int:
    """Hide rows that lack any word of ``text`` (any column or the run id); count visible."""
    words = text.lower().split()
    visible = 0
    for row in range(table.rowCount()):
        joined = " ".join(cell(table, row, c).text().lower() for c in range(table.columnCount()))
        joined += " " + str(cell(table, row, 0).data(RUN_ID_ROLE))
        hidden = not all(word in joined for word in words)
        table.setRowHidden(row, hidden)
        visible += not hidden
    return visible


def selected_run_ids(table: QTableWidget) -> list[str]:
    """Ids of the selected, visible rows, top to bottom."""
    model = table.selectionModel()
    rows = sorted(index.row() for index in model.selectedRows()) if model else []
    return [cell(table, r, 0).data(RUN_ID_ROLE) for r in rows if not table.isRowHidden(r)]


def all_generative(runs: Sequence[RunResult]) -> bool:
    """Whether the points table should speak tokens: every run (at least one) generative."""
    return bool(runs) and all(p.tokens is not None for run in runs for p in run.points)


def fill_points(table: QTableWidget, runs: Sequence[RunResult]) -> None:
    """One row per point of ``runs`` (token columns when every run is generative)."""
    tokens = all_generative(runs)
    columns = TOKEN_COLUMNS if tokens else POINT_COLUMNS
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    rows = [(run, point) for run in runs for point in run.points]
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for row, (run, point) in enumerate(rows):
        cells, tips = _token_cells(run, point) if tokens else _classic_cells(run, point)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(tips.get(column) or text)
            table.setItem(row, column, item)
    table.setSortingEnabled(True)


def _classic_cells(run: RunResult, point: PointResult) -> tuple[tuple[str, ...], dict[int, str]]:
    s = point.stats
    joules = point.energy.joules_per_inference
    cells = (
        run.id[:8],
        point.label,
        f"{s.count:,}",
        latency_cell(s.p50),
        latency_cell(s.p90),
        latency_cell(s.p99),
        f"{point.throughput_ips:,.1f}",
        "yes" if point.stable else "NO",
        energy_cell(joules),
        _energy_method(point.energy),
        ", ".join(f"{key}={why.split(':', 1)[0]}" for key, why in run.assumed.items()) or "none",
    )
    tips = {7: point.stop_reason, 9: point.energy.detail or point.energy.reason}
    tips[10] = "\n".join(f"{key}={why}" for key, why in run.assumed.items())
    return cells, tips


def _token_cells(run: RunResult, point: PointResult) -> tuple[tuple[str, ...], dict[int, str]]:
    t = point.tokens
    assert t is not None
    joules = point.energy.joules_per_inference
    cells = (
        run.id[:8],
        point.label,
        f"{t.requests:,}",
        latency_cell(t.ttft.p50),
        latency_cell(t.ttft.p90),
        latency_cell(t.tpot.p50),
        latency_cell(t.tpot.p90),
        latency_cell(t.e2e.p50),
        latency_cell(t.e2e.p90),
        f"{t.output_tokens_per_s:,.1f}",
        "yes" if point.stable else "NO",
        energy_cell(joules),
        _energy_method(point.energy),
        f"{t.input_tokens_per_s:,.1f}",
        size(t.kv_cache_bytes),
    )
    tips = {10: point.stop_reason, 12: point.energy.detail or point.energy.reason}
    return cells, tips


def points_table() -> QTableWidget:
    """One row per point of the selected runs.

    Every column fits its contents, the last one too: its columns are wider than the
    pane, and a stretched last column is then cut to a default width ("KV cache" lost
    its title at 1100×720).
    """
    table = _table(POINT_COLUMNS, QAbstractItemView.SelectionMode.ExtendedSelection)
    table.horizontalHeader().setStretchLastSection(False)
    return table


def _energy_method(energy: EnergyResult) -> str:
    if energy.estimated:
        return f"{energy.method} (estimated)"
    if energy.joules_per_inference is None and energy.reason:
        return f"{energy.method} ({energy.reason})"
    return energy.method
