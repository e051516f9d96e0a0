"""Fidelity metrics: how far a variant's outputs are from its parent's on the same inputs.

Pure numpy over lists of output arrays, safe on any thread or process (the variant child
process calls it after running both models). Each *sample* is one run of a model on one
feed; ``parent[i][j]`` is output ``j`` of sample ``i``. All arithmetic is float64 so that
float16 and float32 outputs compare without rounding of their own. Elements that are NaN
or infinite in either model are left out of the errors and cosine and counted instead
(see :class:`planner.core.fidelity.Fidelity`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.core.fidelity import Fidelity, OutputFidelity

Outputs = Sequence[Sequence[np.ndarray]]


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of ``a`` and ``b`` flattened; finite inputs of the same size.

    Defined for zero vectors: 1.0 when both are all zeros (they agree exactly), 0.0 when
    only one is. Both are first divided by their largest magnitude, which leaves the
    cosine unchanged and keeps the sums of squares from overflowing.
    """
    x = np.asarray(a, dtype=np.float64).ravel()
    y = np.asarray(b, dtype=np.float64).ravel()
    scale = max(float(np.max(np.abs(x), initial=0.0)), float(np.max(np.abs(y), initial=0.0)))
    if scale == 0.0:
        return 1.0
    x, y = x / scale, y / scale
    norm_x, norm_y = float(np.linalg.norm(x)), float(np.linalg.norm(y))
    if norm_x == 0.0 or norm_y == 0.0:
        return 0.0
    return float(np.clip(np.dot(x, y) / (norm_x * norm_y), -1.0, 1.0))


def classifier_shape_note(shape: tuple[int, ...], dtype: np.dtype) -> str | None:
    """``None`` when an output looks like class scores [batch, classes >= 2]; else why not."""
    text = "[" + ", ".join(str(d) for d in shape) + "]"
    if not np.issubdtype(dtype, np.floating):
        return f"holds {dtype}, not class scores"
    if len(shape) != 2:
        return f"has shape {text}, not [batch, classes]"
    if shape[1] < 2:
        return f"has shape {text}: fewer than 2 classes"
    return None


def top1_matches(parent: np.ndarray, variant: np.ndarray) -> tuple[int, int]:
    """(rows whose arg-max agrees, rows compared) for [batch, classes] score arrays.

    Rows with a NaN or infinity in the parent are not compared; rows where only the
    variant has one count as disagreeing.
    """
    parent_ok = np.isfinite(parent).all(axis=1)
    variant_ok = np.isfinite(variant).all(axis=1)
    same = np.argmax(parent, axis=1) == np.argmax(variant, axis=1)
    return int(np.sum(same & variant_ok & parent_ok)), int(np.sum(parent_ok))


def compare_outputs(
    names: Sequence[str],
    parent: Outputs,
    variant: Outputs,
    *,
    inputs_label: str,
    provider: str,
) -> Fidelity:
    """Fidelity of ``variant`` against ``parent``; ValueError when their outputs differ in
    count, shape or kind (a variant that changed its interface)."""
    if len(parent) != len(variant) or not parent:
        raise ValueError(f"got {len(parent)} parent and {len(variant)} variant samples")
    tallies = [_Tally(name) for name in names]
    cosines: list[float] = []
    for sample_parent, sample_variant in zip(parent, variant, strict=True):
        if not len(sample_parent) == len(sample_variant) == len(names):
            raise ValueError(
                f"the parent has {len(sample_parent)} outputs and the variant "
                f"{len(sample_variant)}, expected {len(names)}"
            )
        flat_p, flat_v = [], []
        for tally, p, v in zip(tallies, sample_parent, sample_variant, strict=True):
            kept_p, kept_v = tally.add(np.asarray(p), np.asarray(v))
            flat_p.append(kept_p)
            flat_v.append(kept_v)
        if sum(len(x) for x in flat_p):
            cosines.append(cosine_similarity(np.concatenate(flat_p), np.concatenate(flat_v)))
    outputs = tuple(tally.result() for tally in tallies)
    return _overall(outputs, tallies, cosines, inputs_label, len(parent), provider)


def _overall(
    outputs: tuple[OutputFidelity, ...],
    tallies: list[_Tally],
    cosines: list[float],
    inputs_label: str,
    samples: int,
    provider: str,
) -> Fidelity:
    compared = sum(t.compared for t in tallies)
    maxima = [o.max_abs_error for o in outputs if o.max_abs_error is not None]
    agree, rows = sum(t.top1_agree for t in tallies), sum(t.top1_rows for t in tallies)
    notes = [f"'{t.name}' {t.top1_note}" for t in tallies if t.top1_note]
    return Fidelity(
        inputs_label=inputs_label,
        samples=samples,
        provider=provider,
        max_abs_error=max(maxima) if maxima else None,
        mean_abs_error=_finite(sum(t.error_sum for t in tallies) / compared) if compared else None,
        cosine=float(np.mean(cosines)) if cosines else None,
        top1_agreement=agree / rows if rows else None,
        top1_note=None if rows else ("; ".join(notes) or "no rows with finite parent scores"),
        nan_count=sum(o.nan_count for o in outputs),
        inf_count=sum(o.inf_count for o in outputs),
        parent_nonfinite=sum(o.parent_nonfinite for o in outputs),
        outputs=outputs,
    )


@dataclass
class _Tally:
    """Running sums for one output across samples."""

    name: str
    shape: tuple[int, ...] | None = None
    compared: int = 0
    error_sum: float = 0.0
    error_max: float | None = None
    nan: int = 0
    inf: int = 0
    parent_nonfinite: int = 0
    top1_agree: int = 0
    top1_rows: int = 0
    top1_note: str | None = None
    cosines: list[float] = field(default_factory=list)

    def add(self, parent: np.ndarray, variant: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Add one sample; return the elements finite in both, flattened, as float64."""
        if parent.shape != variant.shape:
            raise ValueError(
                f"output '{self.name}' has shape {list(variant.shape)} in the variant but "
                f"{list(parent.shape)} in the parent"
            )
        for which, array in (("parent", parent), ("variant", variant)):
            if array.dtype.kind not in "biuf":
                raise ValueError(f"output '{self.name}' of the {which} is not numeric")
        self.shape = self.shape or tuple(parent.shape)
        p, v = parent.astype(np.float64), variant.astype(np.float64)
        parent_ok, variant_ok = np.isfinite(p), np.isfinite(v)
        self.nan += int(np.sum(np.isnan(v) & parent_ok))
        self.inf += int(np.sum(np.isinf(v) & parent_ok))
        self.parent_nonfinite += int(np.sum(~parent_ok))
        both = parent_ok & variant_ok
        kept_p, kept_v = p[both], v[both]
        if kept_p.size:
            errors = np.abs(kept_p - kept_v)
            self.error_sum += float(errors.sum())
            self.error_max = max(self.error_max or 0.0, float(errors.max()))
            self.compared += int(kept_p.size)
            self.cosines.append(cosine_similarity(kept_p, kept_v))
        self._add_top1(p, v, parent.dtype)
        return kept_p, kept_v

    def _add_top1(self, parent: np.ndarray, variant: np.ndarray, dtype: np.dtype) -> None:
        note = classifier_shape_note(tuple(parent.shape), dtype)
        if note is not None:
            self.top1_note = self.top1_note or note
            return
        agree, rows = top1_matches(parent, variant)
        self.top1_agree += agree
        self.top1_rows += rows

    def result(self) -> OutputFidelity:
        classifier = self.top1_note is None and self.top1_rows > 0
        return OutputFidelity(
            name=self.name,
            shape=self.shape or (),
            compared=self.compared,
            max_abs_error=_finite(self.error_max),
            mean_abs_error=_finite(self.error_sum / self.compared) if self.compared else None,
            cosine=float(np.mean(self.cosines)) if self.cosines else None,
            top1_agreement=self.top1_agree / self.top1_rows if classifier else None,
            top1_note=None if classifier else (self.top1_note or "no finite parent rows"),
            nan_count=self.nan,
            inf_count=self.inf,
            parent_nonfinite=self.parent_nonfinite,
        )


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
