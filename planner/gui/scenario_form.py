"""The scenario form: name and currency, demand, and the list of options with their editor.

GUI thread only. The form edits a scenario dict (the TOML structure) and emits
``scenario_edited`` with a copy after every change; keys it has no field for (hourly
profile, uncertainty ranges, exchange rates) are kept as they were.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.core.plan import MeasuredLoad
from planner.gui.plan_fields import parse_field, show_field
from planner.gui.plan_option_editor import OptionEditor
from planner.planning.capacity import PERCENTILES
from planner.planning.catalog import Catalog
from planner.storage.runs import RunSummary

_RATE_KEYS = {
    "average_rate": "average rate (req/s)",
    "daily_volume": "daily volume (req/day)",
    "tokens_per_day": "tokens/day (in + out)",
}
_DEMAND_FIELDS = (
    ("peak_factor", "Peak ÷ average", "busiest hour over the average; default 1"),
    ("growth_per_year", "Growth per year", "0.3 = +30% a year; default 0"),
    ("horizon_months", "Horizon (months)", "required"),
    ("latency_target_ms", "Latency target (ms)", "required"),
    ("price_per_1k", "Price charged ({cur}/1k)", "per 1k inferences; optional: margins"),
)
_TOKEN_FIELDS = (
    ("input_tokens_per_request", "Prompt tokens", "per request, e.g. 512"),
    ("output_tokens_per_request", "Output tokens", "per request, e.g. 256"),
    ("ttft_target_ms", "TTFT target (ms)", "time to first token, at the percentile"),
    ("tpot_target_ms", "TPOT target (ms)", "time per output token after the first"),
    ("price_per_1m_tokens", "Price ({cur}/1M tokens)", "per 1M output tokens; optional"),
)
#: The load power of option ``index`` of a scenario, from its runs (see ScenarioResolver).
LoadsOf = Callable[[dict[str, Any], int], MeasuredLoad | None]
NEW_OPTIONS: dict[str, dict[str, Any]] = {
    "on-prem": {"kind": "on-prem", "runs": ["latest"]},
    "cloud": {"kind": "cloud", "runs": ["latest"], "instance": "g6e.xlarge"},
    "api": {"kind": "api", "price_per_1k_requests": 1.0},
}


class ScenarioForm(QWidget):
    """Form over a scenario dict; ``scenario()`` returns the edited copy."""

    scenario_edited = Signal(dict)

    def __init__(self) -> None:
        super().__init__()
        self._scenario: dict[str, Any] = {}
        self._catalog = Catalog()
        self._runs: list[RunSummary] = []
        self._loads: LoadsOf | None = None
        self.editor: OptionEditor | None = None
        self.name_edit = QLineEdit()
        self.name_edit.textEdited.connect(lambda t: self._set_top("name", t.strip() or None))
        self.currency_edit = QLineEdit()
        self.currency_edit.setPlaceholderText("USD")
        self.currency_edit.textEdited.connect(
            lambda t: self._set_top("currency", t.strip() or None)
        )
        self.country_combo = QComboBox()
        self.country_combo.setEditable(True)
        self.country_combo.currentTextChanged.connect(
            lambda t: self._set_top("country", t.strip() or None)
        )
        self.rate_kind = QComboBox()
        for key, text in _RATE_KEYS.items():
            self.rate_kind.addItem(text, key)
        # As wide as its shortest sensible label, so the value beside it stays on screen
        # at 1100 px; the open list still shows every label whole.
        self.rate_kind.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.rate_kind.setMinimumContentsLength(14)
        self.rate_kind.currentIndexChanged.connect(self._on_rate_kind_changed)
        self.rate_edit = QLineEdit()
        self.rate_edit.textEdited.connect(self._on_rate_edited)
        self.percentile = QComboBox()
        self.percentile.addItems(list(PERCENTILES))
        self.percentile.currentTextChanged.connect(
            lambda t: self._set_demand("latency_percentile", t)
        )
        self.demand_edits: dict[str, QLineEdit] = {}
        self.demand_labels: dict[str, tuple[QLabel, str]] = {}
        self.tokens_box = QGroupBox("Demand in tokens (generative models)")
        self.tokens_box.setCheckable(True)
        self.tokens_box.setChecked(False)
        self.tokens_box.toggled.connect(self._on_tokens_toggled)
        self.option_list = QListWidget()
        self.option_list.currentRowChanged.connect(self._on_option_selected)
        self._editor_area = QScrollArea()
        self._editor_area.setWidgetResizable(True)
        self._build_layout()

    def _build_layout(self) -> None:
        top = QFormLayout()
        top.addRow("Scenario name", self.name_edit)
        top.addRow("Currency (ISO 4217)", self.currency_edit)
        top.addRow("Country (carbon intensity)", self.country_combo)
        demand = QGroupBox("Demand")
        form = QFormLayout(demand)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate_kind)
        rate_row.addWidget(self.rate_edit, 1)
        form.addRow("Load", rate_row)
        for key, text, placeholder in _DEMAND_FIELDS:
            form.addRow(*self._demand_row(key, text, placeholder))
        form.addRow("Latency percentile", self.percentile)
        tokens = QFormLayout(self.tokens_box)
        for key, text, placeholder in _TOKEN_FIELDS:
            tokens.addRow(*self._demand_row(key, text, placeholder))
        form.addRow(self.tokens_box)
        options = QGroupBox("Options")
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add option")
        menu = QMenu(self.add_button)
        for kind in NEW_OPTIONS:
            menu.addAction(f"{kind} option", partial(self.add_option, kind))
        self.add_button.setMenu(menu)
        buttons.addWidget(self.add_button)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.clicked.connect(self.duplicate_option)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_option)
        buttons.addWidget(self.duplicate_button)
        buttons.addWidget(self.remove_button)
        box = QVBoxLayout(options)
        box.addLayout(buttons)
        self.option_list.setMaximumHeight(110)
        box.addWidget(self.option_list)
        box.addWidget(self._editor_area, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(demand)
        layout.addWidget(options, 1)

    def _demand_row(self, key: str, text: str, placeholder: str) -> tuple[QLabel, QLineEdit]:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda t, k=key: self._set_demand(k, parse_field(t)))
        self.demand_edits[key] = edit
        self.demand_labels[key] = (QLabel(text.replace("{cur}", "USD")), text)
        edit.setToolTip(placeholder)
        return self.demand_labels[key][0], edit

    def scenario(self) -> dict[str, Any]:
        return copy.deepcopy(self._scenario)

    def set_context(
        self, catalog: Catalog, runs: list[RunSummary], loads: LoadsOf | None = None
    ) -> None:
        """Catalogue (for defaults and combos), stored runs (for the runs combo) and how to
        find an option's load power from its runs (for the unit_power_w hint)."""
        self._catalog, self._runs, self._loads = catalog, runs, loads
        self.country_combo.blockSignals(True)
        current = self.country_combo.currentText()
        self.country_combo.clear()
        self.country_combo.addItems(["", *(r.code for r in catalog.carbon)])
        self.country_combo.setCurrentText(current)
        self.country_combo.blockSignals(False)
        self._show_option(self.option_list.currentRow())

    def set_scenario(self, scenario: dict[str, Any]) -> None:
        """Show ``scenario`` (a copy is kept); emits nothing."""
        self._scenario = copy.deepcopy(scenario)
        s = self._scenario
        demand = s.setdefault("demand", {})
        s.setdefault("options", [])
        widgets = [
            self.rate_kind,
            self.percentile,
            self.country_combo,
            self.option_list,
            self.tokens_box,
        ]
        for widget in widgets:
            widget.blockSignals(True)
        self.name_edit.setText(str(s.get("name", "")))
        self.name_edit.setCursorPosition(0)
        self.currency_edit.setText(str(s.get("currency", "")))
        self.country_combo.setCurrentText(str(s.get("country") or ""))
        rate_key = next((key for key in _RATE_KEYS if key in demand), "average_rate")
        self.rate_kind.setCurrentIndex(self.rate_kind.findData(rate_key))
        self.rate_edit.setText(show_field(demand.get(rate_key)))
        for key, edit in self.demand_edits.items():
            edit.setText(show_field(demand.get(key)))
        self.percentile.setCurrentText(str(demand.get("latency_percentile", "p99")))
        self.tokens_box.setChecked(any(key in demand for key, _, _ in _TOKEN_FIELDS))
        currency = str(s.get("currency") or "USD")
        for label, template in self.demand_labels.values():
            label.setText(template.replace("{cur}", currency))
        row = max(self.option_list.currentRow(), 0)
        self._fill_option_list(min(row, len(s["options"]) - 1))
        for widget in widgets:
            widget.blockSignals(False)
        self._show_option(self.option_list.currentRow())

    def _fill_option_list(self, row: int) -> None:
        self.option_list.clear()
        for option in self._scenario["options"]:
            self.option_list.addItem(f"{option.get('name', '')}  [{option.get('kind', '?')}]")
        self.option_list.setCurrentRow(row)

    def _show_option(self, row: int) -> None:
        options = self._scenario.get("options", [])
        if self.editor is not None:
            self.editor.option_edited.disconnect(self._on_option_edited)
        self.editor = None
        if not 0 <= row < len(options):
            self._editor_area.setWidget(QWidget())
            return
        currency = str(self._scenario.get("currency") or "USD")
        country = self._scenario.get("country")
        load_of = partial(self._load_of, row)
        self.editor = OptionEditor(
            options[row], self._catalog, self._runs, currency, country, load_of
        )
        self.editor.option_edited.connect(self._on_option_edited)
        self._editor_area.setWidget(self.editor)

    def _load_of(self, row: int, option: dict[str, Any]) -> MeasuredLoad | None:
        """Option ``row``'s load power with ``option`` (as being edited) in its place."""
        if self._loads is None:
            return None
        options = list(self._scenario.get("options", []))
        options[row] = option
        return self._loads({**self._scenario, "options": options}, row)

    def _on_option_selected(self, row: int) -> None:
        self._show_option(row)

    def _on_option_edited(self, option: dict[str, Any]) -> None:
        row = self.option_list.currentRow()
        self._scenario["options"][row] = option
        self.option_list.item(row).setText(f"{option.get('name', '')}  [{option.get('kind')}]")
        self._emit()

    def add_option(self, kind: str) -> None:
        names = {o.get("name") for o in self._scenario["options"]}
        number = 1 + sum(o.get("kind") == kind for o in self._scenario["options"])
        while f"{kind} {number}" in names:
            number += 1
        option = copy.deepcopy(NEW_OPTIONS[kind]) | {"name": f"{kind} {number}"}
        self._scenario["options"].append(option)
        self._fill_option_list(len(self._scenario["options"]) - 1)
        self._emit()

    def duplicate_option(self) -> None:
        row = self.option_list.currentRow()
        if row < 0:
            return
        option = copy.deepcopy(self._scenario["options"][row])
        names = {o.get("name") for o in self._scenario["options"]}
        name = f"{option.get('name', '')} (copy)"
        while name in names:
            name += "+"
        option["name"] = name
        self._scenario["options"].insert(row + 1, option)
        self._fill_option_list(row + 1)
        self._emit()

    def remove_option(self) -> None:
        row = self.option_list.currentRow()
        if row < 0:
            return
        del self._scenario["options"][row]
        self._fill_option_list(min(row, len(self._scenario["options"]) - 1))
        self._emit()

    def _set_top(self, key: str, value: Any) -> None:
        if value is None:
            self._scenario.pop(key, None)
        else:
            self._scenario[key] = value
        self._emit()

    def _set_demand(self, key: str, value: Any) -> None:
        """Set a demand figure; the latency target picks the point whose load power the
        option's hint names, so the hints follow."""
        demand = self._scenario.setdefault("demand", {})
        if value is None:
            demand.pop(key, None)
        else:
            demand[key] = value
        if self.editor is not None:
            self.editor.refresh_hints()
        self._emit()

    def _on_tokens_toggled(self, on: bool) -> None:
        """Unticking drops the token demand: the plan counts requests again."""
        if on:
            return
        demand = self._scenario.setdefault("demand", {})
        for key, _, _ in _TOKEN_FIELDS:
            demand.pop(key, None)
            self.demand_edits[key].clear()
        self._emit()

    def _on_rate_kind_changed(self, _index: int) -> None:
        demand = self._scenario.setdefault("demand", {})
        for key in _RATE_KEYS:
            demand.pop(key, None)
        self._on_rate_edited(self.rate_edit.text())

    def _on_rate_edited(self, text: str) -> None:
        self._set_demand(str(self.rate_kind.currentData()), parse_field(text))

    def _emit(self) -> None:
        self.scenario_edited.emit(copy.deepcopy(self._scenario))
