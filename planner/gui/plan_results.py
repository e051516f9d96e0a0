"""The Plan page's results: the decision summary, chart tabs, assumptions, provenance and
comparisons.

GUI thread only. ``show_plan`` redraws what the deterministic plan gives (on every
edit); ``show_uncertainty`` redraws the tornado and Monte Carlo (on a longer debounce)
and completes the decision summary with its confidence and what could flip it. The
option boxes above the tabs are the legend of every per-option chart and choose which
options they draw (one that dwarfs the rest starts hidden, saying so). Every break-even
pair is stated under the cumulative chart (in full on the Decision tab), including
pairs whose curves never cross, which no marker could show.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.decision import decision_lines
from planner.core.formatting import breakeven_text, money
from planner.core.plan_result import PlanResult
from planner.core.plan_summary import breakeven_sentence
from planner.core.text import printable
from planner.gui.chart_legend import OptionToggles
from planner.gui.plan_bars import CostPerThousandChart, TornadoChart, option_peaks, unit_costs
from planner.gui.plan_charts import ComponentsChart, CumulativeChart, UnitsChart
from planner.gui.plan_risk import MonteCarloChart
from planner.services.plans import plan_summary

ASSUMPTION = "Assumption: "
NO_COMPARISON = (
    "Nothing compared yet: open a second scenario (Duplicate, a file or a stored one), "
    "choose it under “Compare with” and press Compare to see both side by side here."
)


def _column(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is widgets[0] else 0)
    return box


def _wrapping() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _WrappedColumn(QStyledItemDelegate):
    """Rows as tall as their text needs when wrapped at the column's width (QTreeView
    otherwise keeps one line per row and cuts the rest, wrapping or not)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = max(self._tree.columnWidth(index.column()) - 8, 40)
        text = str(index.data() or "")
        bounds = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text
        )
        base = super().sizeHint(option, index)
        return QSize(base.width(), max(base.height(), bounds.height() + 4))


class ProvenanceTree(QTreeWidget):
    """Each option's figures and where they come from: kind, detail, source, date."""

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderLabels(["Option / kind", "Detail", "Source", "Date"])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(60)
        self.setColumnWidth(0, 125)
        self.setColumnWidth(2, 120)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        # Rows take the height their wrapped detail needs at the current column width.
        for column in (0, 1, 2):
            self.setItemDelegateForColumn(column, _WrappedColumn(self))
        header.sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())

    def show_result(self, result: PlanResult) -> None:
        tops = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        expanded = {item.text(0) for item in tops if item is not None and item.isExpanded()}
        self.clear()
        for option in result.options:
            top = QTreeWidgetItem(
                [printable(option.name), f"{option.kind}, {len(option.provenance)} figures"]
            )
            top.setToolTip(0, printable(option.name))
            for p in option.provenance:
                child = QTreeWidgetItem([p.kind, p.detail, p.source or "", p.date or ""])
                for column, text in enumerate((p.kind, p.detail, p.source or "")):
                    child.setToolTip(column, text)
                top.addChild(child)
            self.addTopLevelItem(top)
            top.setExpanded(option.name in expanded or not expanded)


class CompareTable(QStackedWidget):
    """Two scenarios' totals and unit costs side by side; until then, how to get there."""

    def __init__(self) -> None:
        super().__init__()
        self.empty = QLabel(NO_COMPARISON)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table = QTableWidget(0, 3)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.addWidget(self.empty)
        self.addWidget(self.table)

    def rowCount(self) -> int:  # noqa: N802 - the table's name
        return self.table.rowCount()

    def item(self, row: int, column: int) -> QTableWidgetItem | None:
        return self.table.item(row, column)

    def show_comparison(
        self, first: tuple[str, PlanResult], second: tuple[str, PlanResult]
    ) -> None:
        (name_a, a), (name_b, b) = first, second
        self.table.setHorizontalHeaderLabels(
            [f"A: {name_a} ({a.currency})", f"B: {name_b} ({b.currency})", "B − A"]
        )
        for column in range(3):
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(header.text())
        unit_a, costs_a, _ = unit_costs(a)
        _, costs_b, _ = unit_costs(b)
        unit_a_of = dict(zip((o.name for o in a.options), costs_a, strict=True))
        unit_b_of = dict(zip((o.name for o in b.options), costs_b, strict=True))
        totals_a = {o.name: o.total for o in a.options}
        totals_b = {o.name: o.total for o in b.options}
        rows: list[tuple[str, str, str, str]] = []
        for name in dict.fromkeys([*totals_a, *totals_b]):
            for what, left, right in (
                ("total", totals_a.get(name), totals_b.get(name)),
                (f"per {unit_a}", unit_a_of.get(name), unit_b_of.get(name)),
            ):
                diff = "" if left is None or right is None else money(right - left, b.currency)
                rows.append(
                    (
                        f"{name}: {what}",
                        "—" if left is None else money(left, a.currency),
                        "—" if right is None else money(right, b.currency),
                        diff,
                    )
                )
        self.table.setRowCount(len(rows))
        self.table.setVerticalHeaderLabels([r[0] for r in rows])
        for r, row in enumerate(rows):
            for c, text in enumerate(row[1:]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.setCurrentWidget(self.table)


class PlanResults(QWidget):
    """The verdict on top, the option boxes, and every result view, one tab each.

    The top line is the verdict and, for a starter plan, what planner chose for the user;
    the Decision tab holds the whole decision (pay-off, confidence, what could flip it),
    every break-even pair in words and every assumption, so the charts keep their room.
    """

    def __init__(self) -> None:
        super().__init__()
        self.decision = _wrapping()
        self.toggles = OptionToggles()
        self.toggles.toggled.connect(self._on_toggled)
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)
        self.cumulative = CumulativeChart()
        self.breakeven_label = _wrapping()
        self.components = ComponentsChart()
        self.per_thousand = CostPerThousandChart()
        self.units = UnitsChart()
        self.tornado = TornadoChart()
        self.monte_carlo = MonteCarloChart()
        self.assumptions = _wrapping()
        self.assumptions.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.provenance = ProvenanceTree()
        self.compare = CompareTable()
        self.notes: list[str] = []
        self._result: PlanResult | None = None
        self._uncertain: PlanResult | None = None
        details = QScrollArea()
        details.setWidgetResizable(True)
        details.setWidget(self.assumptions)
        self.tabs.addTab(details, "Decision")
        self.tabs.addTab(_column(self.cumulative, self.breakeven_label), "Cumulative cost")
        self.tabs.addTab(self.components, "Monthly by component")
        self.tabs.addTab(_column(self.per_thousand, self.per_thousand.legend), "Unit cost")
        self.tabs.addTab(self.units, "Units needed")
        self.tabs.addTab(self.tornado, "Sensitivity")
        self.tabs.addTab(self.monte_carlo, "Monte Carlo")
        self.tabs.addTab(self.provenance, "Provenance")
        self.tabs.addTab(self.compare, "Compare")
        self.tabs.setCurrentIndex(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.decision)
        layout.addWidget(self.toggles)
        layout.addWidget(self.tabs, 1)

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if tab is widget or (tab is not None and tab.isAncestorOf(widget)):
                self.tabs.setCurrentIndex(index)
                return

    def set_notes(self, notes: list[str]) -> None:
        """What the scenario itself assumes (a starter plan's choices), shown first."""
        self.notes = list(notes)
        if self._result is not None:
            self.show_decision(self._uncertain or self._result)

    def show_decision(self, result: PlanResult) -> None:
        summary = plan_summary(result)
        lines = decision_lines(summary.decision, result.currency)
        verdict = [line for line in lines if not line.startswith(ASSUMPTION)]
        assumed = [line.removeprefix(ASSUMPTION) for line in lines if line.startswith(ASSUMPTION)]
        top = verdict[:1]
        if self.notes:
            heads = "; ".join(note.split(":", 1)[0] for note in self.notes)
            top.append(f"Chosen for you, check them: {heads} (see the Decision tab).")
        self.decision.setText("\n".join(top))
        pairs = [
            f"Break-even, {b.onprem} against {b.alternative}: "
            f"{breakeven_sentence(b, result.currency)}."
            for b in result.breakeven
        ]
        everything = self.notes + assumed
        sections = ["\n".join(verdict), "\n".join(pairs)]
        if everything:
            sections.append("Assumptions:\n" + "\n".join(f"• {line}" for line in everything))
        self.assumptions.setText("\n\n".join(part for part in sections if part))

    def show_plan(self, result: PlanResult) -> None:
        self._result, self._uncertain = result, None
        self.toggles.set_options(option_peaks(result), result.currency)
        self.show_decision(result)
        self.provenance.show_result(result)
        self._draw_options()

    def show_uncertainty_pending(self) -> None:
        self.monte_carlo.show_pending()

    def show_uncertainty(self, result: PlanResult) -> None:
        self._uncertain = result
        self.show_decision(result)
        self.tornado.show_sensitivity(result.sensitivity, result.currency)
        self.monte_carlo.show_result(result, self.toggles.hidden())

    def _draw_options(self) -> None:
        result = self._result
        if result is None:
            return
        hidden = self.toggles.hidden()
        self.cumulative.show_result(result, hidden)
        self.components.show_result(result)
        self.per_thousand.show_result(result, hidden)
        self.units.show_result(result, hidden)
        self.breakeven_label.setText(breakeven_line(result))

    def _on_toggled(self) -> None:
        self._draw_options()
        if self._uncertain is not None:
            self.monte_carlo.show_result(self._uncertain, self.toggles.hidden())


def breakeven_line(result: PlanResult) -> str:
    """Every on-prem pair in one short paragraph under the chart (details: Decision tab)."""
    by_onprem: dict[str, list[str]] = {}
    for b in result.breakeven:
        by_onprem.setdefault(b.onprem, []).append(f"{b.alternative} {breakeven_text(b.month)}")
    if not by_onprem:
        return "No on-prem option, so no break-even to show."
    return " ".join(
        f"Break-even of {onprem}: against {'; against '.join(pairs)}."
        for onprem, pairs in by_onprem.items()
    )
