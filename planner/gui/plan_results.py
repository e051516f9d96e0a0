"""The Plan page's results: the decision summary, chart tabs, provenance and comparisons.

GUI thread only. ``show_plan`` redraws what the deterministic plan gives (on every
edit); ``show_uncertainty`` redraws the tornado and Monte Carlo (on a longer debounce)
and completes the decision summary with its confidence and what could flip it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.decision import decision_lines
from planner.core.formatting import money
from planner.core.plan_result import PlanResult
from planner.core.text import printable
from planner.gui.plan_bars import CostPerThousandChart, TornadoChart
from planner.gui.plan_charts import ComponentsChart, CumulativeChart, UnitsChart
from planner.gui.plan_risk import MonteCarloChart
from planner.services.plans import plan_summary


class ProvenanceTree(QTreeWidget):
    """Each option's figures and where they come from: kind, detail, source, date."""

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderLabels(["Option / kind", "Detail", "Source", "Date"])
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setAlternatingRowColors(True)

    def show_result(self, result: PlanResult) -> None:
        tops = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        expanded = {item.text(0) for item in tops if item is not None and item.isExpanded()}
        self.clear()
        for option in result.options:
            top = QTreeWidgetItem(
                [printable(option.name), f"{option.kind}, {len(option.provenance)} figures"]
            )
            for p in option.provenance:
                child = QTreeWidgetItem([p.kind, p.detail, p.source or "", p.date or ""])
                child.setToolTip(1, p.detail)
                child.setToolTip(2, p.source or "")
                top.addChild(child)
            self.addTopLevelItem(top)
            top.setExpanded(option.name in expanded or not expanded)


class CompareTable(QTableWidget):
    """Two scenarios' totals and cost per 1k side by side, option by option."""

    def __init__(self) -> None:
        super().__init__(0, 3)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

    def show_comparison(
        self, first: tuple[str, PlanResult], second: tuple[str, PlanResult]
    ) -> None:
        (name_a, a), (name_b, b) = first, second
        self.setHorizontalHeaderLabels(
            [f"{name_a} ({a.currency})", f"{name_b} ({b.currency})", "difference (B − A)"]
        )
        totals_a = {o.name: o for o in a.options}
        totals_b = {o.name: o for o in b.options}
        names = list(dict.fromkeys([*totals_a, *totals_b]))
        rows: list[tuple[str, str, str, str]] = []
        for name in names:
            oa, ob = totals_a.get(name), totals_b.get(name)
            diff = "" if oa is None or ob is None else money(ob.total - oa.total, b.currency)
            rows.append(
                (
                    f"{name}: total",
                    "—" if oa is None else money(oa.total, a.currency),
                    "—" if ob is None else money(ob.total, b.currency),
                    diff,
                )
            )
            rows.append(
                (
                    f"{name}: per 1k",
                    "—" if oa is None else money(oa.cost_per_1k, a.currency),
                    "—" if ob is None else money(ob.cost_per_1k, b.currency),
                    ""
                    if oa is None or ob is None
                    else money(ob.cost_per_1k - oa.cost_per_1k, b.currency),
                )
            )
        self.setRowCount(len(rows))
        self.setVerticalHeaderLabels([r[0] for r in rows])
        for r, row in enumerate(rows):
            for c, text in enumerate(row[1:]):
                self.setItem(r, c, QTableWidgetItem(text))


class PlanResults(QWidget):
    """The decision summary on top, and all result views of the Plan page, one tab each."""

    def __init__(self) -> None:
        super().__init__()
        self.decision = QLabel()
        self.decision.setWordWrap(True)
        self.decision.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.decision)
        layout.addWidget(self.tabs, 1)
        self.cumulative = CumulativeChart()
        self.components = ComponentsChart()
        self.per_thousand = CostPerThousandChart()
        self.units = UnitsChart()
        self.tornado = TornadoChart()
        self.monte_carlo = MonteCarloChart()
        self.provenance = ProvenanceTree()
        self.compare = CompareTable()
        self.tabs.addTab(self.cumulative, "Cumulative cost")
        self.tabs.addTab(self.components, "Monthly by component")
        self.tabs.addTab(self.per_thousand, "Cost per 1k && margin")
        self.tabs.addTab(self.units, "Units needed")
        self.tabs.addTab(self.tornado, "Sensitivity")
        self.tabs.addTab(self.monte_carlo, "Monte Carlo")
        self.tabs.addTab(self.provenance, "Provenance")
        self.tabs.addTab(self.compare, "Compare")

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        self.tabs.setCurrentWidget(widget)

    def show_decision(self, result: PlanResult) -> None:
        summary = plan_summary(result)
        self.decision.setText("\n".join(decision_lines(summary.decision, result.currency)))

    def show_plan(self, result: PlanResult) -> None:
        self.show_decision(result)
        self.cumulative.show_result(result)
        self.components.show_result(result)
        self.per_thousand.show_result(result)
        self.units.show_result(result)
        self.provenance.show_result(result)

    def show_uncertainty_pending(self) -> None:
        self.monte_carlo.show_pending()

    def show_uncertainty(self, result: PlanResult) -> None:
        self.show_decision(result)
        self.tornado.show_sensitivity(result.sensitivity, result.currency)
        self.monte_carlo.show_result(result)
