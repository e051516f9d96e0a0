"""How far a variant's outputs drift from its parent's on the same inputs.

Pure data, safe on any thread or process; computed by :mod:`planner.models.fidelity`,
stored with the variant through ``to_dict``/``from_dict``. Errors, cosine and top-1
agreement cover only elements that are finite in both parent and variant; values that
became NaN or infinite in the variant (where the parent is finite) are counted apart,
so one overflow does not turn every figure into NaN. Every float is finite or ``None``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

_FLOATS = ("max_abs_error", "mean_abs_error", "cosine", "top1_agreement")
_COUNTS = ("nan_count", "inf_count", "parent_nonfinite")


@dataclass(frozen=True, kw_only=True)
class FidelityFigures:
    """The figures shared by a whole model and by each of its outputs.

    ``top1_note`` says why ``top1_agreement`` is ``None`` (no output shaped [batch,
    classes]). ``nan_count`` and ``inf_count`` count values that are NaN or infinite in
    the variant but finite in the parent; ``parent_nonfinite`` those already NaN or
    infinite in the parent.
    """

    max_abs_error: float | None
    mean_abs_error: float | None
    cosine: float | None
    top1_agreement: float | None
    top1_note: str | None
    nan_count: int
    inf_count: int
    parent_nonfinite: int

    def __post_init__(self) -> None:
        for name in _FLOATS:
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{type(self).__name__}.{name} must be finite or None: {value}")

    @property
    def finite(self) -> bool:
        """True when the variant produced no NaN or infinity where the parent did not."""
        return self.nan_count == 0 and self.inf_count == 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _figures(data: dict[str, Any]) -> dict[str, Any]:
    """The shared figures of a stored dict, typed."""
    note = data.get("top1_note")
    return {
        **{name: None if data.get(name) is None else float(data[name]) for name in _FLOATS},
        **{name: int(data[name]) for name in _COUNTS},
        "top1_note": None if note is None else str(note),
    }


@dataclass(frozen=True, kw_only=True)
class OutputFidelity(FidelityFigures):
    """Fidelity figures for one model output over every sample; ``shape`` is its shape in
    the first sample, ``compared`` the elements finite in both models."""

    name: str
    shape: tuple[int, ...]
    compared: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutputFidelity:
        return cls(
            name=str(data["name"]),
            shape=tuple(int(d) for d in data["shape"]),
            compared=int(data["compared"]),
            **_figures(data),
        )


@dataclass(frozen=True, kw_only=True)
class Fidelity(FidelityFigures):
    """Variant against parent over ``samples`` feeds described by ``inputs_label``.

    ``max_abs_error`` is the largest over all outputs, ``mean_abs_error`` the mean over
    every compared element, ``cosine`` the mean over samples of the cosine similarity of
    all outputs of a sample flattened together, ``top1_agreement`` the share of rows of
    classifier-shaped outputs whose arg-max agrees. ``provider`` is the ONNX Runtime
    execution provider both models ran on.

    For a generative model, ``token_agreement`` is the share of decoding steps at which
    the variant's greedy choice equals the parent's, with both fed the parent's tokens
    (teacher forcing, so one early difference does not count for every later step), and
    ``logprob_gap`` the mean of parent minus variant log-probability of the parent's token,
    over ``token_prompts`` fixed prompts.
    """

    inputs_label: str
    samples: int
    provider: str
    outputs: tuple[OutputFidelity, ...]
    token_agreement: float | None = None
    logprob_gap: float | None = None
    token_prompts: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fidelity:
        return cls(
            inputs_label=str(data["inputs_label"]),
            samples=int(data["samples"]),
            provider=str(data["provider"]),
            outputs=tuple(OutputFidelity.from_dict(d) for d in data["outputs"]),
            token_agreement=_optional(data.get("token_agreement")),
            logprob_gap=_optional(data.get("logprob_gap")),
            token_prompts=int(data.get("token_prompts", 0)),
            **_figures(data),
        )


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)
