"""The Profile page's fields for a generative model, and what each scenario measures.

GUI thread only. A decoder folder (ONNX Runtime GenAI) is measured per token: prompt and
output lengths, how many sequences decode together, and optional time-to-first-token and
time-per-output-token targets that decide which points count as goodput. The classic
fields (batch sizes, dims, input files) do not apply to it, so the form shows these
instead. :data:`SCENARIO_HELP` is the one-line explanation the form shows under the
scenario choice, so a planner can pick one without the README.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLineEdit, QWidget

from planner.core.generative import GenerativeSettings
from planner.core.model import ModelInfo
from planner.core.parsing import parse_positive_ints
from planner.core.run import RunConfig, Scenario
from planner.hardware.providers import CPU

SCENARIO_HELP = {
    "single-stream": "One request at a time, as a lone user sees it: the latency of each "
    "batch size. Plans can use it.",
    "offline": "Everything queued at once: the most inferences per second each batch size "
    "reaches. Throughput only; a plan needs a scenario with latency under load.",
    "concurrency": "Several requests in flight together: latency and throughput as the load "
    "grows. The usual run to plan from.",
    "server": "Requests arrive at random at the given rates, or planner searches the highest "
    "rate whose p99 meets the target: the closest to production.",
}
GENERATIVE_HELP = (
    "A generative model (decoder folder): each point decodes the given prompt and output "
    "lengths with that many sequences at once, timing the first token (TTFT) and every "
    "token after it (TPOT)."
)
TARGET_PERCENTILES = ("90", "50", "95", "99", "99.9")


def generative_help(models: list[ModelInfo]) -> str:
    """What a generative run measures, then what each chosen folder says of itself (the
    bundled sample: random weights, for timing only)."""
    notes = [
        f"{info.name}: {info.generative.note}"
        for info in models
        if info.generative is not None and info.generative.note
    ]
    return " ".join([GENERATIVE_HELP, *notes])


def _target_spin(tooltip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0.0, 1e6)
    spin.setDecimals(1)
    spin.setSuffix(" ms")
    spin.setSpecialValueText("none")
    spin.setToolTip(tooltip)
    return spin


class GenerativeFields(QWidget):
    """Token lengths, sequences and the optional TTFT/TPOT targets of a generative run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt_edit = QLineEdit("128")
        self.prompt_edit.setToolTip("prompt lengths in tokens, e.g. 128,512")
        self.output_edit = QLineEdit("128")
        self.output_edit.setToolTip("tokens generated per request (fixed length), e.g. 128")
        self.sequences_edit = QLineEdit("1,2,4")
        self.sequences_edit.setToolTip("how many sequences decode together, e.g. 1,2,4")
        self.ttft_spin = _target_spin("goodput: time to first token at the percentile")
        self.tpot_spin = _target_spin("goodput: time per output token at the percentile")
        self.percentile_combo = QComboBox()
        self.percentile_combo.addItems([f"p{p}" for p in TARGET_PERCENTILES])
        self.percentile_combo.setToolTip("the targets hold for this share of requests")
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow("Prompt tokens", self.prompt_edit)
        layout.addRow("Output tokens", self.output_edit)
        layout.addRow("Sequences at once", self.sequences_edit)
        layout.addRow("TTFT target", self.ttft_spin)
        layout.addRow("TPOT target", self.tpot_spin)
        layout.addRow("Target percentile", self.percentile_combo)

    def settings(self) -> GenerativeSettings:
        """The run's token settings; InputError for a malformed field."""
        return GenerativeSettings(
            prompt_tokens=parse_positive_ints(self.prompt_edit.text(), "prompt tokens"),
            output_tokens=parse_positive_ints(self.output_edit.text(), "output tokens"),
            ttft_target_ms=self.ttft_spin.value() or None,
            tpot_target_ms=self.tpot_spin.value() or None,
            target_percentile=float(self.percentile_combo.currentText().removeprefix("p")),
        )

    def sequences(self) -> tuple[int, ...]:
        return parse_positive_ints(self.sequences_edit.text(), "sequences")

    def config(
        self, *, intra_op_threads: int | None, time_budget_s: float, point_cap_s: float
    ) -> RunConfig:
        """A generative run of these settings (model path to fill); on the CPU, which is
        the provider onnxruntime-genai's CPU build runs."""
        return RunConfig(
            model_path="",
            scenario=Scenario.GENERATIVE.value,
            provider=CPU,
            concurrency=self.sequences(),
            intra_op_threads=intra_op_threads,
            time_budget_s=time_budget_s,
            point_cap_s=point_cap_s,
            generative=self.settings(),
        )
