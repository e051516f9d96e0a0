"""Editor for one scenario option (on-prem, cloud or API): every field with unit and default.

GUI thread only. Fields come from the scenario format (``OPTION_KEYS``); an empty field
is left out of the scenario and its hint shows the default it takes and where that comes
from. An on-prem option without hardware provisions its runs' load power; ``load_of``
(the page's cached resolver) finds it, so that hint names the watts the plan uses.
Values are not validated here: the page recomputes and shows the parser's message.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.core.plan import MeasuredLoad
from planner.core.text import printable
from planner.gui.plan_fields import default_hint, label, parse_field, show_field, unit
from planner.planning.catalog import Catalog
from planner.planning.defaults import DefaultContext
from planner.planning.scenario_file import OPTION_KEYS
from planner.storage.runs import RunSummary

_SPECIAL = ("kind", "name", "runs")
DEFAULT_CHOICE = "(default)"
#: The load power of an option (as edited) from its runs, or None.
LoadOf = Callable[[dict[str, Any]], MeasuredLoad | None]


def _narrow(combo: QComboBox) -> QComboBox:
    """A combo sized by a dozen characters, not its longest entry (the popup shows it all),
    so long catalogue names never widen the form past the window."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def _catalogue_names(key: str, catalog: Catalog) -> list[str]:
    if key in ("hardware", "measured_on"):
        return [r.name for r in catalog.hardware]
    if key == "instance":
        return list(dict.fromkeys(r.instance for r in catalog.cloud))
    if key == "region":
        return list(dict.fromkeys(r.region for r in catalog.cloud))
    if key == "product":
        return list(dict.fromkeys(r.product for r in catalog.api))
    if key == "country":
        return [r.code for r in catalog.carbon]
    return []


class OptionEditor(QWidget):
    """Edits a copy of one option dict; emits ``option_edited`` with the new dict."""

    option_edited = Signal(dict)

    def __init__(
        self,
        option: dict[str, Any],
        catalog: Catalog,
        runs: list[RunSummary],
        currency: str,
        country: str | None,
        load_of: LoadOf | None = None,
    ) -> None:
        super().__init__()
        self.option = copy.deepcopy(option)
        self._catalog = catalog
        self._load_of = load_of
        self._country = country
        self._currency = currency
        self.kind = str(option.get("kind", "api"))
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self.hints: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(str(option.get("name", "")))
        self.name_edit.textEdited.connect(self._on_name_edited)
        form.addRow(f"Name ({self.kind})", self.name_edit)
        self.runs_combo: QComboBox | None = None
        if self.kind != "api":
            self.runs_combo = self._runs_combo(runs)
            form.addRow("Measured runs", self.runs_combo)
        option_currency = str(option.get("currency") or currency)
        for key, kind in OPTION_KEYS.get(self.kind, {}).items():
            if key in _SPECIAL:
                continue
            widget = self._field(key, kind)
            hint = QLabel()
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #666; font-size: small;")
            self.hints[key] = hint
            row = QVBoxLayout()
            row.setSpacing(0)
            row.addWidget(widget)
            row.addWidget(hint)
            name = QLabel(label(key, option_currency))
            meaning = unit(key, option_currency)
            name.setToolTip(meaning)
            widget.setToolTip(meaning)
            form.addRow(name, row)
        self.refresh_hints()

    def _field(self, key: str, kind: Any) -> QLineEdit | QComboBox:
        value = self.option.get(key)
        names = _catalogue_names(key, self._catalog)
        if isinstance(kind, tuple):
            combo = _narrow(QComboBox())
            combo.addItems([DEFAULT_CHOICE, *kind])
            combo.setCurrentText(str(value) if value in kind else DEFAULT_CHOICE)
            combo.currentTextChanged.connect(lambda text, k=key: self._on_choice(k, text))
            widget: QLineEdit | QComboBox = combo
        elif names:
            combo = _narrow(QComboBox())
            combo.setEditable(True)
            combo.addItems(["", *names])
            combo.setCurrentText(show_field(value))
            combo.currentTextChanged.connect(lambda text, k=key: self._on_text(k, text, True))
            widget = combo
        else:
            edit = QLineEdit(show_field(value))
            edit.setPlaceholderText("default")
            edit.textEdited.connect(lambda text, k=key, t=kind: self._on_text(k, text, t == "str"))
            widget = edit
        self.fields[key] = widget
        return widget

    def _runs_combo(self, runs: list[RunSummary]) -> QComboBox:
        combo = _narrow(QComboBox())
        combo.addItem("latest completed run", ["latest"])
        for run in runs:
            text = printable(
                f"{run.id[:8]}  {run.model_name}, {run.scenario}, {run.started_at[:16]}"
            )
            combo.addItem(text, [run.id])
        current = [str(r) for r in self.option.get("runs", ["latest"])]
        index = combo.findData(current)
        if index < 0:
            combo.addItem(", ".join(current), current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.currentIndexChanged.connect(self._on_run_chosen)
        return combo

    def set_value(self, key: str, value: Any) -> None:
        """Set (or with None, leave out) ``key`` as if the user had typed it."""
        widget = self.fields[key]
        if isinstance(widget, QComboBox) and not widget.isEditable():
            widget.setCurrentText(DEFAULT_CHOICE if value is None else str(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentText(show_field(value))
        else:
            widget.setText(show_field(value))
            self._on_text(key, widget.text(), False)

    def refresh_hints(self) -> None:
        context = DefaultContext(self._catalog, self._currency, self._country, self._load())
        for key, hint in self.hints.items():
            if self.option.get(key) is not None:
                hint.setText("set in the scenario")
                hint.setToolTip("")
                continue
            found = default_hint(self.kind, key, self.option, context)
            hint.setText(("⚠ " if found.unverified else "") + found.text)
            hint.setToolTip(found.source)
            color = "#b35c00" if found.unverified else "#666"
            hint.setStyleSheet(f"color: {color}; font-size: small;")

    def _load(self) -> MeasuredLoad | None:
        """The runs' load power, looked up only where a hint can show it."""
        wanted = self.kind == "on-prem" and self.option.get("unit_power_w") is None
        return self._load_of(self.option) if wanted and self._load_of is not None else None

    def _store(self, key: str, value: Any) -> None:
        if value is None:
            self.option.pop(key, None)
        else:
            self.option[key] = value
        self.refresh_hints()
        self.option_edited.emit(copy.deepcopy(self.option))

    def _on_name_edited(self, text: str) -> None:
        self.option["name"] = text.strip()
        self.option_edited.emit(copy.deepcopy(self.option))

    def _on_choice(self, key: str, text: str) -> None:
        self._store(key, None if text == DEFAULT_CHOICE else text)

    def _on_text(self, key: str, text: str, is_text: bool) -> None:
        self._store(key, (text.strip() or None) if is_text else parse_field(text))

    def _on_run_chosen(self, index: int) -> None:
        if self.runs_combo is not None:
            self._store("runs", list(self.runs_combo.itemData(index)))
