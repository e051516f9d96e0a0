"""Typed description of an ONNX model as planner sees it: tensors, size, FLOPs, dynamic dims.

Pure data, shared by every layer and safe on any thread or process: the profiling worker
receives a :class:`ModelInfo`, storage persists it through :meth:`ModelInfo.to_dict`.

Dynamic dimensions are identified by a *dim key*: the dimension's name when the model names
it (``"batch"``, ``"seq"``), otherwise ``"<tensor name>:<axis>"`` (for example
``"input:1"``). Split an unnamed key with ``key.rsplit(":", 1)``, since tensor names may
themselves contain colons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.core.generative import GenerativeModelInfo

Dim = int | str | None


def dim_key(tensor_name: str, axis: int, dim: Dim) -> str | None:
    """Return the dim key of one axis, or ``None`` when the axis has a fixed size."""
    if isinstance(dim, int):
        return None
    if isinstance(dim, str):
        return dim
    return f"{tensor_name}:{axis}"


@dataclass(frozen=True)
class TensorSpec:
    """A model input or output: its name, numpy-style element type and shape.

    ``shape`` holds an ``int`` for a fixed axis, a ``str`` for a named dynamic axis and
    ``None`` for an unnamed dynamic axis. ``rank_known`` is false when the model does not
    declare a shape at all (``shape`` is then empty).
    """

    name: str
    elem_type: str
    shape: tuple[Dim, ...]
    rank_known: bool = True

    def dim_keys(self) -> tuple[str | None, ...]:
        """Dim key of every axis (``None`` for fixed axes)."""
        return tuple(dim_key(self.name, axis, dim) for axis, dim in enumerate(self.shape))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "elem_type": self.elem_type,
            "shape": list(self.shape),
            "rank_known": self.rank_known,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TensorSpec:
        return cls(
            name=str(data["name"]),
            elem_type=str(data["elem_type"]),
            shape=tuple(data["shape"]),
            rank_known=bool(data.get("rank_known", True)),
        )


@dataclass(frozen=True)
class ResolvedDims:
    """Concrete values for every dynamic dimension of a model.

    ``values`` maps every dim key to its size. ``defaulted`` is the subset that took a
    default because neither the batch size nor the caller gave it, so output can say so;
    ``reasons`` says for each of those why that value (e.g. "image side, detector
    convention"). ``batch_keys`` are the keys that were set from the batch size.
    ``unresolved`` are the keys no rule could size: they have no value, and a run must
    refuse to start until the user gives them.
    """

    values: dict[str, int]
    defaulted: dict[str, int] = field(default_factory=dict)
    batch_keys: tuple[str, ...] = ()
    reasons: dict[str, str] = field(default_factory=dict)
    unresolved: tuple[str, ...] = ()

    def assumed(self) -> dict[str, str]:
        """Every defaulted key with its value and reason, e.g. ``{"h": "640: image side"}``."""
        return {
            key: f"{value}: {self.reasons.get(key, 'default')}"
            for key, value in self.defaulted.items()
        }

    def shape_of(self, spec: TensorSpec) -> tuple[int, ...]:
        """The concrete shape of ``spec``; ``KeyError`` names a dim key with no value."""
        return tuple(
            dim if isinstance(dim, int) else self.values[dim_key(spec.name, axis, dim) or ""]
            for axis, dim in enumerate(spec.shape)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": dict(self.values),
            "defaulted": dict(self.defaulted),
            "batch_keys": list(self.batch_keys),
            "reasons": dict(self.reasons),
            "unresolved": list(self.unresolved),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResolvedDims:
        return cls(
            values={str(k): int(v) for k, v in data["values"].items()},
            defaulted={str(k): int(v) for k, v in data.get("defaulted", {}).items()},
            batch_keys=tuple(data.get("batch_keys", ())),
            reasons={str(k): str(v) for k, v in data.get("reasons", {}).items()},
            unresolved=tuple(str(k) for k in data.get("unresolved", ())),
        )


@dataclass(frozen=True)
class ModelInfo:
    """What inspection learned about one ONNX file.

    ``sha256`` and ``size_bytes`` cover the ``.onnx`` file itself (external data files are
    added to ``size_bytes`` but not hashed). ``flops`` counts one inference at
    ``dims_used``, a multiply-add being two FLOPs; it is ``None`` when no operator could be
    counted, and a lower bound when ``uncounted_ops`` is not empty. ``parameters`` counts
    the elements of floating-point and 8/4-bit weight tensors (not int32/int64 shape or
    index constants). ``dims_assumed`` gives each dim planner chose by convention its
    value and reason; ``unresolved_dims`` are those it could not choose (FLOPs then leave
    out what depends on them, and profiling refuses until they are given). For an ONNX
    Runtime GenAI folder (a decoder), ``path`` is the folder, the rest describes its
    graph, and ``generative`` holds its layers, heads, vocabulary and KV bytes per token.
    """

    path: str
    name: str
    sha256: str
    size_bytes: int
    opset: int
    producer: str
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    parameters: int
    flops: int | None
    flops_by_op: dict[str, int]
    uncounted_ops: tuple[str, ...]
    dynamic_dims: tuple[str, ...]
    dims_used: dict[str, int]
    dims_assumed: dict[str, str] = field(default_factory=dict)
    unresolved_dims: tuple[str, ...] = ()
    generative: GenerativeModelInfo | None = None

    def input(self, name: str) -> TensorSpec:
        """The input called ``name``; ``KeyError`` when there is none."""
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "opset": self.opset,
            "producer": self.producer,
            "inputs": [spec.to_dict() for spec in self.inputs],
            "outputs": [spec.to_dict() for spec in self.outputs],
            "parameters": self.parameters,
            "flops": self.flops,
            "flops_by_op": dict(self.flops_by_op),
            "uncounted_ops": list(self.uncounted_ops),
            "dynamic_dims": list(self.dynamic_dims),
            "dims_used": dict(self.dims_used),
            "dims_assumed": dict(self.dims_assumed),
            "unresolved_dims": list(self.unresolved_dims),
            "generative": None if self.generative is None else self.generative.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelInfo:
        flops = data.get("flops")
        return cls(
            path=str(data["path"]),
            name=str(data["name"]),
            sha256=str(data["sha256"]),
            size_bytes=int(data["size_bytes"]),
            opset=int(data["opset"]),
            producer=str(data["producer"]),
            inputs=tuple(TensorSpec.from_dict(d) for d in data["inputs"]),
            outputs=tuple(TensorSpec.from_dict(d) for d in data["outputs"]),
            parameters=int(data["parameters"]),
            flops=None if flops is None else int(flops),
            flops_by_op={str(k): int(v) for k, v in data["flops_by_op"].items()},
            uncounted_ops=tuple(data["uncounted_ops"]),
            dynamic_dims=tuple(data["dynamic_dims"]),
            dims_used={str(k): int(v) for k, v in data["dims_used"].items()},
            dims_assumed={str(k): str(v) for k, v in data.get("dims_assumed", {}).items()},
            unresolved_dims=tuple(str(k) for k in data.get("unresolved_dims", ())),
            generative=(
                GenerativeModelInfo.from_dict(data["generative"])
                if data.get("generative") is not None
                else None
            ),
        )


@dataclass(frozen=True)
class InputSettings:
    """How a user wants one model fed, saved once and reused by every front end.

    Keyed by the model's sha256 in storage. ``dims`` and ``int_ranges`` are as the CLI's
    ``--dim`` and ``--range``; ``input_files`` as ``--input`` (paths as given).
    """

    dims: dict[str, int] = field(default_factory=dict)
    int_ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    input_files: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.dims or self.int_ranges or self.input_files)

    def describe(self) -> str:
        """One line, e.g. ``dims h=640, w=640; ranges ids=0:30522; inputs a.npz``."""
        parts = []
        if self.dims:
            parts.append("dims " + ", ".join(f"{k}={v}" for k, v in self.dims.items()))
        if self.int_ranges:
            shown = ", ".join(f"{k}={lo}:{hi}" for k, (lo, hi) in self.int_ranges.items())
            parts.append(f"ranges {shown}")
        if self.input_files:
            parts.append("inputs " + ", ".join(self.input_files))
        return "; ".join(parts) or "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "dims": dict(self.dims),
            "int_ranges": {k: [lo, hi] for k, (lo, hi) in self.int_ranges.items()},
            "input_files": list(self.input_files),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InputSettings:
        return cls(
            dims={str(k): int(v) for k, v in data.get("dims", {}).items()},
            int_ranges={
                str(k): (int(v[0]), int(v[1])) for k, v in data.get("int_ranges", {}).items()
            },
            input_files=tuple(str(f) for f in data.get("input_files", ())),
        )
