"""The Profile page's settings form: which models, and how to measure them.

GUI thread only. Reads the models table for its list; :meth:`ProfileForm.configs` turns the
fields into one :class:`~planner.core.run.RunConfig` per chosen model, raising a one-line
:class:`~planner.core.errors.InputError` for a value it cannot use. Everything deeper
(provider, dims, inputs) is validated by ``prepare_run`` when the run starts.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from planner.core.errors import InputError
from planner.core.model import ModelInfo
from planner.core.parsing import parse_dims, parse_positive_floats, parse_positive_ints
from planner.core.run import SCENARIOS, RunConfig, lacks_server_load
from planner.core.text import printable
from planner.hardware.providers import usable_providers
from planner.models.dims import default_for
from planner.storage.models import ModelRepository

MODEL_ROLE = Qt.ItemDataRole.UserRole


class ProfileForm(QWidget):
    """Model list and run settings; emits ``selection_changed`` when the models change."""

    selection_changed = Signal()

    def __init__(self, models: ModelRepository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._models = models
        self.model_list = QListWidget()
        self.model_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.model_list.setMaximumHeight(110)
        self.model_list.itemSelectionChanged.connect(self._on_selection_changed)
        self.provider_combo = QComboBox()
        self.provider_combo.addItems(list(usable_providers()))
        self.scenario_combo = QComboBox()
        self.scenario_combo.addItems(list(SCENARIOS))
        self.batch_edit = QLineEdit("1")
        self.batch_edit.setPlaceholderText("e.g. 1,2,4,8")
        self.concurrency_edit = QLineEdit("1")
        self.concurrency_edit.setPlaceholderText("e.g. 1,2,4 (concurrency scenario)")
        self.rates_edit = QLineEdit()
        self.rates_edit.setPlaceholderText("arrival rates per second, e.g. 50,100 (server)")
        self.slo_spin = QDoubleSpinBox()
        self.slo_spin.setRange(0.0, 1e6)
        self.slo_spin.setDecimals(2)
        self.slo_spin.setSuffix(" ms")
        self.slo_spin.setSpecialValueText("no search")
        self.slo_spin.setToolTip(
            "server scenario: search the highest arrival rate whose p99 meets this target"
        )
        self.intra_spin = _thread_spin()
        self.inter_spin = _thread_spin()
        self.dims_edit = QLineEdit()
        self.budget_spin = _seconds_spin(60.0, 0.5, 24 * 3600.0)
        self.point_cap_spin = _seconds_spin(10.0, 0.2, 3600.0)
        layout = QFormLayout(self)
        layout.addRow("Models", self.model_list)
        layout.addRow("Execution provider", self.provider_combo)
        layout.addRow("Scenario", self.scenario_combo)
        layout.addRow("Batch sizes", self.batch_edit)
        layout.addRow("Concurrency", self.concurrency_edit)
        layout.addRow("Server rates (/s)", self.rates_edit)
        layout.addRow("Server p99 target", self.slo_spin)
        layout.addRow("Intra-op threads", self.intra_spin)
        layout.addRow("Inter-op threads", self.inter_spin)
        layout.addRow("Dynamic dims", self.dims_edit)
        layout.addRow("Time budget (s)", self.budget_spin)
        layout.addRow("Point cap (s)", self.point_cap_spin)
        self.refresh()

    def refresh(self) -> None:
        """Reload the model list, keeping the selection where the models still exist."""
        chosen = {info.sha256 for info in self.selected_models()}
        self.model_list.clear()
        for stored in self._models.all():
            item = QListWidgetItem(printable(f"{stored.info.name}  ({stored.info.path})"))
            item.setData(MODEL_ROLE, stored.info)
            self.model_list.addItem(item)
            item.setSelected(stored.info.sha256 in chosen)
        if self.model_list.count() and not self.model_list.selectedItems():
            self.model_list.item(0).setSelected(True)

    def select_model(self, path: str) -> None:
        """Select only the model stored with ``path``."""
        for row in range(self.model_list.count()):
            item = self.model_list.item(row)
            item.setSelected(item.data(MODEL_ROLE).path == path)

    def selected_models(self) -> list[ModelInfo]:
        return [item.data(MODEL_ROLE) for item in self.model_list.selectedItems()]

    def configs(self) -> list[RunConfig]:
        """One run configuration per selected model; InputError for a bad field."""
        models = self.selected_models()
        if not models:
            raise InputError("choose at least one model in the list")
        scenario = self.scenario_combo.currentText()
        rates_text = self.rates_edit.text().strip()
        rates = parse_positive_floats(rates_text, "server rates") if rates_text else ()
        slo_ms = self.slo_spin.value() or None
        if lacks_server_load(scenario, rates, slo_ms):
            raise InputError(
                "the server scenario needs arrival rates (e.g. 50,100) or a p99 target to search"
            )
        dims_text = self.dims_edit.text().replace(";", ",")
        common = RunConfig(
            model_path="",
            scenario=scenario,
            provider=self.provider_combo.currentText(),
            batch_sizes=parse_positive_ints(self.batch_edit.text(), "batch sizes"),
            concurrency=parse_positive_ints(self.concurrency_edit.text(), "concurrency"),
            target_rates=rates,
            slo_ms=slo_ms,
            intra_op_threads=self.intra_spin.value() or None,
            inter_op_threads=self.inter_spin.value() or None,
            dims=parse_dims([p for p in dims_text.split(",") if p.strip()]),
            time_budget_s=self.budget_spin.value(),
            point_cap_s=self.point_cap_spin.value(),
        )
        return [replace(common, model_path=info.path) for info in models]

    def _on_selection_changed(self) -> None:
        keys = {
            key: default_for(key)
            for info in self.selected_models()
            for key in info.dynamic_dims
            if "batch" not in key.lower() and not _is_first_axis(info, key)
        }
        if keys:
            example = ", ".join(f"{k}={v}" for k, v in keys.items())
            self.dims_edit.setPlaceholderText(f"defaults: {example}")
        else:
            self.dims_edit.setPlaceholderText("none to fill: only the batch axis is dynamic")
        self.selection_changed.emit()


def _is_first_axis(info: ModelInfo, key: str) -> bool:
    return any(spec.dim_keys()[:1] == (key,) for spec in info.inputs)


def _thread_spin() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 512)
    spin.setSpecialValueText("runtime default")
    return spin


def _seconds_spin(value: float, low: float, high: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(1)
    spin.setValue(value)
    return spin
