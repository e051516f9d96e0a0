"""The Profile page's settings form: which models, and how to measure them.

GUI thread only. Reads the models table for its list; :meth:`ProfileForm.configs` turns the
fields into one :class:`~planner.core.run.RunConfig` per chosen model and provider, raising
a one-line :class:`~planner.core.errors.InputError` for a value it cannot use. Everything
deeper (provider, dims, inputs) is validated by ``prepare_run`` when the run starts.

With an accelerator provider usable here, the default is to profile on every usable
accelerator and then on CPU. The dims hint lists what planner would assume (and why) and
what it cannot size; input settings saved for a model are shown and applied by the run.
A line under the scenario says what it measures, and fields the scenario does not use
are disabled. Choosing a generative model (a decoder folder) swaps the classic fields
for the token fields of :class:`~planner.gui.profile_generative.GenerativeFields`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from planner.core.errors import InputError
from planner.core.model import InputSettings, ModelInfo
from planner.core.parsing import (
    parse_dims,
    parse_positive_floats,
    parse_positive_ints,
    parse_ranges,
)
from planner.core.run import SCENARIOS, RunConfig, Scenario, lacks_server_load
from planner.core.text import printable
from planner.gui.profile_generative import SCENARIO_HELP, GenerativeFields, generative_help
from planner.hardware.providers import CPU, accelerator_providers, usable_providers
from planner.storage.models import ModelRepository

MODEL_ROLE = Qt.ItemDataRole.UserRole
ALL_PROVIDERS = "every usable accelerator, then CPU"
CLASSIC_SCENARIOS = tuple(s for s in SCENARIOS if s != Scenario.GENERATIVE)
MIXED = (
    "choose generative models (decoder folders) and ONNX files in separate runs: "
    "they are measured differently"
)
SettingsLookup = Callable[[str], InputSettings | None]


class ProfileForm(QWidget):
    """Model list and run settings; emits ``selection_changed`` when the models change."""

    selection_changed = Signal()

    def __init__(
        self,
        models: ModelRepository,
        saved_settings: SettingsLookup = lambda _sha256: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._models = models
        self._saved_settings = saved_settings
        self._accelerators = accelerator_providers()
        self.model_list = QListWidget()
        self.model_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.model_list.setMaximumHeight(110)
        self.model_list.itemSelectionChanged.connect(self._on_selection_changed)
        self.provider_combo = QComboBox()
        if self._accelerators:
            self.provider_combo.addItem(ALL_PROVIDERS)
        self.provider_combo.addItems(list(usable_providers()))
        self.scenario_combo = QComboBox()
        self.scenario_combo.addItems(list(CLASSIC_SCENARIOS))
        self.scenario_combo.currentTextChanged.connect(self._on_scenario_changed)
        self.scenario_help = QLabel()
        self.scenario_help.setWordWrap(True)
        self.generative = GenerativeFields()
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
        self.batch_edit.setToolTip(
            "single-stream and offline measure each; concurrency and server use the first"
        )
        self.concurrency_edit.setToolTip(
            "requests in flight together (concurrency); worker threads (server)"
        )
        self.intra_spin = _thread_spin()
        self.inter_spin = _thread_spin()
        self.dims_edit = QLineEdit()
        self.ranges_edit = QLineEdit()
        self.ranges_edit.setPlaceholderText("integer inputs, e.g. input_ids=0:30522")
        self.inputs_edit = QLineEdit()
        self.inputs_edit.setPlaceholderText("real inputs: X.npz or NAME=X.npy, comma-separated")
        self.save_inputs_check = QCheckBox("Remember these inputs")
        self.save_inputs_check.setToolTip(
            "Save the dims, ranges and input files for the chosen models: profile, assess "
            "and this page use them next time"
        )
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.budget_spin = _seconds_spin(60.0, 0.5, 24 * 3600.0)
        self.point_cap_spin = _seconds_spin(10.0, 0.2, 3600.0)
        layout = QFormLayout(self)
        self._layout = layout
        layout.addRow("Models", self.model_list)
        layout.addRow("Execution provider", self.provider_combo)
        layout.addRow("Scenario", self.scenario_combo)
        layout.addRow("", self.scenario_help)
        layout.addRow(self.generative)
        layout.addRow("Batch sizes", self.batch_edit)
        layout.addRow("Concurrency", self.concurrency_edit)
        layout.addRow("Server rates (/s)", self.rates_edit)
        layout.addRow("Server p99 target", self.slo_spin)
        layout.addRow("Intra-op threads", self.intra_spin)
        layout.addRow("Inter-op threads", self.inter_spin)
        layout.addRow("Dynamic dims", self.dims_edit)
        layout.addRow("Integer ranges", self.ranges_edit)
        layout.addRow("Input files", self.inputs_edit)
        layout.addRow("", self.save_inputs_check)
        layout.addRow("", self.saved_label)
        layout.addRow("Time budget (s)", self.budget_spin)
        layout.addRow("Point cap (s)", self.point_cap_spin)
        self._classic_fields: tuple[QWidget, ...] = (
            *(self.scenario_combo, self.batch_edit, self.concurrency_edit, self.rates_edit),
            *(self.slo_spin, self.inter_spin, self.dims_edit, self.ranges_edit),
            *(self.inputs_edit, self.save_inputs_check, self.saved_label),
        )
        self.refresh()
        self._on_scenario_changed(self.scenario_combo.currentText())
        self._apply_kind()

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

    def is_generative(self) -> bool:
        """Whether the selection is of generative models (decoder folders)."""
        return any(info.generative is not None for info in self.selected_models())

    def configs(self) -> list[RunConfig]:
        """One run configuration per selected model; InputError for a bad field."""
        models = self.selected_models()
        if not models:
            raise InputError("choose at least one model in the list")
        if self.is_generative():
            return self._generative_configs(models)
        scenario = self.scenario_combo.currentText()
        rates_text = self.rates_edit.text().strip()
        rates = parse_positive_floats(rates_text, "server rates") if rates_text else ()
        slo_ms = self.slo_spin.value() or None
        if lacks_server_load(scenario, rates, slo_ms):
            raise InputError(
                "the server scenario needs arrival rates (e.g. 50,100) or a p99 target to search"
            )
        settings = self.input_settings()
        common = RunConfig(
            model_path="",
            scenario=scenario,
            batch_sizes=parse_positive_ints(self.batch_edit.text(), "batch sizes"),
            concurrency=parse_positive_ints(self.concurrency_edit.text(), "concurrency"),
            target_rates=rates,
            slo_ms=slo_ms,
            intra_op_threads=self.intra_spin.value() or None,
            inter_op_threads=self.inter_spin.value() or None,
            dims=dict(settings.dims),
            int_ranges=dict(settings.int_ranges),
            input_files=settings.input_files,
            time_budget_s=self.budget_spin.value(),
            point_cap_s=self.point_cap_spin.value(),
        )
        return [
            replace(common, model_path=info.path, provider=provider)
            for info in models
            for provider in self.providers()
        ]

    def _generative_configs(self, models: list[ModelInfo]) -> list[RunConfig]:
        if any(info.generative is None for info in models):
            raise InputError(MIXED)
        common = self.generative.config(
            intra_op_threads=self.intra_spin.value() or None,
            time_budget_s=self.budget_spin.value(),
            point_cap_s=self.point_cap_spin.value(),
        )
        return [replace(common, model_path=info.path) for info in models]

    def providers(self) -> tuple[str, ...]:
        """The chosen provider, or every usable accelerator then CPU for the default."""
        chosen = self.provider_combo.currentText()
        return (*self._accelerators, CPU) if chosen == ALL_PROVIDERS else (chosen,)

    def input_settings(self) -> InputSettings:
        """Dims, ranges and input files as typed; InputError for a malformed entry."""
        return InputSettings(
            dims=parse_dims(_items(self.dims_edit.text())),
            int_ranges=parse_ranges(_items(self.ranges_edit.text())),
            input_files=tuple(_items(self.inputs_edit.text())),
        )

    def _on_scenario_changed(self, scenario: str) -> None:
        """Say what the scenario measures; enable only the fields it uses."""
        self.scenario_help.setText(SCENARIO_HELP.get(scenario, ""))
        self.concurrency_edit.setEnabled(scenario in ("concurrency", "server"))
        self.rates_edit.setEnabled(scenario == "server")
        self.slo_spin.setEnabled(scenario == "server")

    def _apply_kind(self) -> None:
        """Token fields for generative models, the classic ones otherwise."""
        generative = self.is_generative()
        self._layout.setRowVisible(self.generative, generative)
        for widget in self._classic_fields:
            self._layout.setRowVisible(widget, not generative)
        self.provider_combo.setEnabled(not generative)
        self.scenario_help.setText(
            generative_help(self.selected_models())
            if generative
            else SCENARIO_HELP.get(self.scenario_combo.currentText(), "")
        )

    def _on_selection_changed(self) -> None:
        self._apply_kind()
        models = self.selected_models()
        assumed = {k: v for info in models for k, v in info.dims_assumed.items()}
        unresolved = [k for info in models for k in info.unresolved_dims]
        hints = [f"{k}={v} (assumed)" for k, v in assumed.items()]
        hints += [f"{k}=? (required)" for k in unresolved]
        self.dims_edit.setPlaceholderText(
            "; ".join(hints) if hints else "none to fill: only the batch axis is dynamic"
        )
        saved = [
            f"{info.name}: {found.describe()}"
            for info in models
            if (found := self._saved_settings(info.sha256)) is not None
        ]
        self.saved_label.setText(
            "Saved input settings (used where a field is empty): " + "; ".join(saved)
            if saved
            else ""
        )
        self.selection_changed.emit()


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


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
