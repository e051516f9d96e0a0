"""Model variants (quantized, float16, pruned copies of a model) and how close they stay.

Pure data, safe on any thread or process: :class:`VariantRequest` travels to the child
process that makes a variant, :class:`VariantOutcome` travels back and is what storage
persists (``to_dict``/``from_dict`` give JSON-ready dicts). Every float is finite or
``None``; a NaN or infinity here is a programming error and raises ``ValueError``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from planner.core.errors import InputError
from planner.core.fidelity import Fidelity

DEFAULT_PRUNE_SHARE = 0.5
TEST_HOOKS = ("segfault", "hang")


class VariantKind(StrEnum):
    """The recipes planner can apply to an ONNX model."""

    INT8_DYNAMIC = "int8-dynamic"
    INT8_STATIC = "int8-static"
    FP16 = "fp16"
    INT4_WEIGHTS = "int4-weights"
    PRUNE = "prune"


class VariantStatus(StrEnum):
    """``made``: the variant file exists, loads and runs; ``failed``: see the reason."""

    MADE = "made"
    FAILED = "failed"


def parse_kind(text: str) -> tuple[VariantKind, dict[str, float]]:
    """A kind as written on a command line: a :class:`VariantKind` value, or ``prune-SHARE``.

    ``SHARE`` is a fraction (``prune-0.3``) or a percentage (``prune-30%``); the second
    item holds the parameters the text implies (``{"share": 0.3}``).
    """
    name = text.strip().lower()
    if name.startswith(f"{VariantKind.PRUNE}-"):
        return VariantKind.PRUNE, {"share": _prune_share(name.split("-", 1)[1])}
    try:
        return VariantKind(name), {}
    except ValueError:
        known = ", ".join(kind.value for kind in VariantKind)
        raise InputError(
            f"unknown variant kind '{text}'; use one of {known}, or prune-SHARE (prune-0.5)"
        ) from None


def _prune_share(text: str) -> float:
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        share = math.nan
    if not 0 < share < 1:
        raise InputError(
            f"prune share '{text}' must be a fraction between 0 and 1 (prune-0.5) or a "
            "percentage between 0% and 100% (prune-50%)"
        )
    return share


@dataclass(frozen=True)
class VariantRequest:
    """What to make: the parent, the recipe and its parameters, and the inputs to use.

    ``inputs`` are input files in the form of the CLI's ``--input`` (one feed); when empty,
    ``samples`` feeds of batch ``batch`` are synthesized from ``seed``. Parameters a kind
    does not use keep their defaults. ``test_hook`` ("segfault", "hang") makes the child
    process fail on purpose before the recipe runs (tests only).
    """

    parent_path: str
    kind: VariantKind
    out_dir: str
    inputs: tuple[str, ...] = ()
    seed: int = 0
    samples: int = 8
    batch: int = 1
    dims: dict[str, int] = field(default_factory=dict)
    op_types: tuple[str, ...] | None = None
    per_channel: bool = True
    block_ops: tuple[str, ...] = ()
    block_size: int = 32
    symmetric: bool = True
    accuracy_level: int = 4
    share: float = DEFAULT_PRUNE_SHARE
    test_hook: str | None = None

    def __post_init__(self) -> None:
        if self.test_hook not in (None, *TEST_HOOKS):
            raise ValueError(f"unknown test hook {self.test_hook!r}; known: {TEST_HOOKS}")


@dataclass(frozen=True)
class VariantRecipe:
    """How a variant was made, in enough detail to make it again.

    ``target_op_types`` are the op types the recipe was allowed to change and
    ``changed_ops`` counts, per op type, the nodes it actually changed (quantized,
    computed in float16, or pruned). Fields a kind does not use are ``None``/empty.
    """

    kind: VariantKind
    onnxruntime_version: str
    target_op_types: tuple[str, ...] = ()
    changed_ops: dict[str, int] = field(default_factory=dict)
    per_channel: bool | None = None
    calibration: str | None = None
    calibration_samples: int | None = None
    block_size: int | None = None
    symmetric: bool | None = None
    accuracy_level: int | None = None
    fp16_block_list: tuple[str, ...] = ()
    prune_share: float | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_finite(self, ("prune_share",))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VariantRecipe:
        return cls(
            kind=VariantKind(data["kind"]),
            onnxruntime_version=str(data["onnxruntime_version"]),
            target_op_types=tuple(str(t) for t in data.get("target_op_types", ())),
            changed_ops={str(k): int(v) for k, v in data.get("changed_ops", {}).items()},
            per_channel=_opt(bool, data.get("per_channel")),
            calibration=_opt(str, data.get("calibration")),
            calibration_samples=_opt(int, data.get("calibration_samples")),
            block_size=_opt(int, data.get("block_size")),
            symmetric=_opt(bool, data.get("symmetric")),
            accuracy_level=_opt(int, data.get("accuracy_level")),
            fp16_block_list=tuple(str(t) for t in data.get("fp16_block_list", ())),
            prune_share=_opt(float, data.get("prune_share")),
            notes=tuple(str(n) for n in data.get("notes", ())),
        )


@dataclass(frozen=True)
class VariantOutcome:
    """The result of one attempt to make a variant: made (with its file) or failed (why).

    ``path`` and ``sha256`` describe the variant file and are ``None`` when it failed (no
    file is kept). ``size_bytes`` (with external data, if any) is also given for a
    variant that was written but then failed to load, run or stay finite. ``compressed_*`` are
    deflate sizes of the variant and its parent, recorded for pruning, where only the
    compressed size can shrink. ``recipe_seconds`` is the time the recipe took,
    ``check_seconds`` the time to load and run parent and variant for the fidelity check.
    """

    status: VariantStatus
    reason: str | None
    parent_path: str
    parent_sha256: str | None
    parent_size_bytes: int | None
    recipe: VariantRecipe
    path: str | None = None
    sha256: str | None = None
    size_bytes: int | None = None
    compressed_size_bytes: int | None = None
    parent_compressed_size_bytes: int | None = None
    fidelity: Fidelity | None = None
    recipe_seconds: float | None = None
    check_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.status == VariantStatus.FAILED and not self.reason:
            raise ValueError("a failed variant needs a reason")
        _check_finite(self, ("recipe_seconds", "check_seconds"))

    @property
    def kind(self) -> VariantKind:
        return self.recipe.kind

    @property
    def made(self) -> bool:
        return self.status == VariantStatus.MADE

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VariantOutcome:
        fidelity = data.get("fidelity")
        return cls(
            status=VariantStatus(data["status"]),
            reason=_opt(str, data.get("reason")),
            parent_path=str(data["parent_path"]),
            parent_sha256=_opt(str, data.get("parent_sha256")),
            parent_size_bytes=_opt(int, data.get("parent_size_bytes")),
            recipe=VariantRecipe.from_dict(data["recipe"]),
            path=_opt(str, data.get("path")),
            sha256=_opt(str, data.get("sha256")),
            size_bytes=_opt(int, data.get("size_bytes")),
            compressed_size_bytes=_opt(int, data.get("compressed_size_bytes")),
            parent_compressed_size_bytes=_opt(int, data.get("parent_compressed_size_bytes")),
            fidelity=None if fidelity is None else Fidelity.from_dict(fidelity),
            recipe_seconds=_opt(float, data.get("recipe_seconds")),
            check_seconds=_opt(float, data.get("check_seconds")),
        )


def _opt(kind: type, value: Any) -> Any:
    return None if value is None else kind(value)


def _check_finite(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{type(obj).__name__}.{name} must be finite or None, got {value}")
