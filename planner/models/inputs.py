"""Deterministic input tensors for a model: resolved dims, synthetic values and user files.

Runs on the caller's thread, or in the profiling worker process before timing starts.
For a given model, batch, dims, ranges, files and seed the result is always the same;
each input draws from its own generator (seeded with ``[seed, input index]``), so giving
one input from a file does not change the values of the others.

Synthetic values per element type:

* float16/32/64: standard normal;
* bool: ``True``/``False`` with equal probability, or all ``True`` when the name contains
  "mask";
* integers, first rule that applies: the user's range for that input (``int_ranges``,
  the CLI's ``--range NAME=LO:HI``, ``LO`` inclusive, ``HI`` exclusive); 16000 for a
  sample-rate scalar (``sr``), an assumption that :func:`input_assumptions` reports;
  ``[0, V)`` when the input is directly the indices of a Gather whose data is an
  initializer of shape ``[V, ...]`` (an embedding table); all ones when the name contains
  "mask"; otherwise :data:`DEFAULT_INT_RANGE` ``[0, 100)``.

Dynamic dims come from :mod:`planner.models.dims` with the graph's input roles; a dim no
convention can size makes synthesis refuse with the ``--dim`` options to give.
:func:`feed_bytes` sizes the feeds of several batch sizes from the same decisions without
drawing a value, so a caller can refuse a batch too large for memory before allocating.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx

from planner.core.errors import ModelError
from planner.core.model import ModelInfo, ResolvedDims, TensorSpec
from planner.models.dims import (
    AUDIO_RATE_HZ,
    batch_dim_keys,
    require_resolved,
    resolve_input_dims,
)
from planner.models.input_files import dims_from_arrays, load_input_files
from planner.models.input_roles import GraphHints, Role, graph_hints
from planner.models.inspect import input_specs, load_checked

DEFAULT_INT_RANGE: tuple[int, int] = (0, 100)
IntRange = tuple[int, int]
ModelRef = str | Path | ModelInfo


@dataclass(frozen=True)
class InputPlan:
    """Everything synthesis decides before drawing a value: specs, dims, files, ranges."""

    specs: tuple[TensorSpec, ...]
    resolved: ResolvedDims
    from_files: dict[str, np.ndarray]
    ranges: dict[str, IntRange | None]
    assumed_values: dict[str, str]


def resolve_dims(
    info: ModelInfo, batch: int, dims: Mapping[str, int] | None = None
) -> ResolvedDims:
    """Concrete sizes for every dynamic dim of ``info``; see :mod:`planner.models.dims`."""
    proto = load_checked(info.path)
    return resolve_input_dims(info.inputs, batch, dims, graph_hints(proto, info.inputs))


def plan_inputs(
    model: ModelRef,
    batch: int = 1,
    dims: Mapping[str, int] | None = None,
    int_ranges: Mapping[str, IntRange] | None = None,
    input_files: Sequence[str | Path] = (),
) -> InputPlan:
    """Resolve dims (refusing unresolvable ones), load files and choose integer ranges."""
    proto, specs, hints, from_files = _load(model, input_files)
    resolved = _resolve(specs, hints, from_files, batch, dims)
    given = dict(int_ranges or {})
    ranges = _integer_ranges(proto, specs, given, hints)
    assumed = {
        name: f"{AUDIO_RATE_HZ}: sample rate in Hz, 16 kHz audio convention"
        for name, role in hints.roles.items()
        if role is Role.SAMPLE_RATE and name not in given and name not in from_files
    }
    return InputPlan(specs, resolved, from_files, ranges, assumed)


def dims_with_files(
    model: ModelRef,
    batch: int = 1,
    dims: Mapping[str, int] | None = None,
    input_files: Sequence[str | Path] = (),
) -> dict[str, int]:
    """``dims`` plus the dynamic sizes that ``input_files`` fix: the dims a run really feeds.

    Inspecting a model with these, rather than ``dims`` alone, keeps the dims, assumptions
    and FLOPs recorded for a run true to the arrays fed; otherwise conventions (640 for a
    detector side) would size the dims the files already fix.
    """
    if not input_files:
        return dict(dims or {})
    proto = load_checked(model.path if isinstance(model, ModelInfo) else model)
    specs = input_specs(proto)
    arrays = load_input_files(input_files, specs)
    return _merge_dims(dims or {}, arrays, specs, batch, graph_hints(proto, specs))


def input_assumptions(
    model: ModelRef,
    batch: int = 1,
    dims: Mapping[str, int] | None = None,
    int_ranges: Mapping[str, IntRange] | None = None,
    input_files: Sequence[str | Path] = (),
) -> dict[str, str]:
    """What synthesis assumed, dim key or input name -> "value: reason"."""
    plan = plan_inputs(model, batch, dims, int_ranges, input_files)
    return {**plan.resolved.assumed(), **plan.assumed_values}


def synthesize_inputs(
    model: str | Path | ModelInfo,
    batch: int = 1,
    dims: Mapping[str, int] | None = None,
    int_ranges: Mapping[str, IntRange] | None = None,
    input_files: Sequence[str | Path] = (),
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """One feed dict for ``model`` (a path or its :class:`ModelInfo`), keyed by input name.

    Inputs given in ``input_files`` (see :mod:`planner.models.input_files`) are used as
    they are and fix the dynamic dims they cover; the rest are synthesized.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ModelError(f"seed must be a whole number of at least 0, got {seed!r}")
    plan = plan_inputs(model, batch, dims, int_ranges, input_files)
    resolved, from_files, ranges = plan.resolved, plan.from_files, plan.ranges
    feeds: dict[str, np.ndarray] = {}
    for index, spec in enumerate(plan.specs):
        shape = _shape(spec, resolved, spec.name in from_files)
        if spec.name in from_files:
            if shape is not None and from_files[spec.name].shape != shape:
                raise ModelError(
                    f"input file for '{spec.name}' has shape {from_files[spec.name].shape} but "
                    f"the batch size and dimensions give {shape}; make them match"
                )
            feeds[spec.name] = from_files[spec.name]
            continue
        assert shape is not None
        rng = np.random.default_rng([seed, index])
        feeds[spec.name] = _synthesize(spec, shape, ranges.get(spec.name), rng)
    return feeds


def feed_bytes(
    model: ModelRef,
    batch_sizes: Sequence[int],
    dims: Mapping[str, int] | None = None,
    input_files: Sequence[str | Path] = (),
) -> dict[int, int]:
    """Bytes the feed dict of each batch size will hold, computed from shapes alone.

    Refuses what :func:`synthesize_inputs` would refuse (an unsizable dim, an input of
    unknown shape with no file); inputs from files count at their own size.
    """
    _proto, specs, hints, from_files = _load(model, input_files)
    sizes: dict[int, int] = {}
    for batch in batch_sizes:
        resolved = _resolve(specs, hints, from_files, batch, dims)
        sizes[batch] = sum(_bytes_of(spec, resolved, from_files) for spec in specs)
    return sizes


def integer_ranges(
    model: str | Path | ModelInfo, int_ranges: Mapping[str, IntRange] | None = None
) -> dict[str, IntRange | None]:
    """For each integer input, the ``[lo, hi)`` range it is drawn from, ``None`` for ones."""
    proto = load_checked(model.path if isinstance(model, ModelInfo) else model)
    specs = input_specs(proto)
    return _integer_ranges(proto, specs, dict(int_ranges or {}), graph_hints(proto, specs))


def _load(
    model: ModelRef, input_files: Sequence[str | Path]
) -> tuple[onnx.ModelProto, tuple[TensorSpec, ...], GraphHints, dict[str, np.ndarray]]:
    """The model's graph, its input specs and role hints, and the arrays of input files."""
    proto = load_checked(model.path if isinstance(model, ModelInfo) else model)
    specs = input_specs(proto)
    return proto, specs, graph_hints(proto, specs), load_input_files(input_files, specs)


def _resolve(
    specs: tuple[TensorSpec, ...],
    hints: GraphHints,
    from_files: Mapping[str, np.ndarray],
    batch: int,
    dims: Mapping[str, int] | None,
) -> ResolvedDims:
    """Every dim of the synthesized inputs sized at ``batch``, or ModelError naming --dim."""
    merged = _merge_dims(dims or {}, from_files, specs, batch, hints)
    resolved = resolve_input_dims(specs, batch, merged, hints)
    require_resolved(resolved, [s for s in specs if s.name not in from_files])
    return resolved


def _merge_dims(
    dims: Mapping[str, int],
    arrays: Mapping[str, np.ndarray],
    specs: Sequence[TensorSpec],
    batch: int,
    hints: GraphHints,
) -> dict[str, int]:
    merged = dict(dims)
    for key, size in dims_from_arrays(arrays, specs).items():
        if key in merged and merged[key] != size:
            raise ModelError(
                f"dimension '{key}' is {merged[key]} but the input files have {size}; "
                "drop the dimension option or change the files"
            )
        merged.setdefault(key, size)
    for key in batch_dim_keys(specs, hints):
        if key in merged and merged[key] != batch:
            raise ModelError(
                f"input files have batch dimension '{key}' of {merged[key]} but the batch size "
                f"is {batch}; set the batch size to {merged[key]}"
            )
    return merged


def _shape(spec: TensorSpec, resolved: ResolvedDims, from_file: bool) -> tuple[int, ...] | None:
    if not spec.rank_known:
        if from_file:
            return None
        raise ModelError(
            f"input '{spec.name}' has no declared shape, so planner cannot size it; give its "
            f"values in a file as {spec.name}=PATH.npy"
        )
    return resolved.shape_of(spec)


def _bytes_of(
    spec: TensorSpec, resolved: ResolvedDims, from_files: Mapping[str, np.ndarray]
) -> int:
    if spec.name in from_files:
        return int(from_files[spec.name].nbytes)
    shape = _shape(spec, resolved, False)
    assert shape is not None
    return math.prod(shape) * np.dtype(spec.elem_type).itemsize


def _integer_ranges(
    proto: onnx.ModelProto,
    specs: Sequence[TensorSpec],
    given: dict[str, IntRange],
    hints: GraphHints,
) -> dict[str, IntRange | None]:
    integer = {s.name: s for s in specs if np.issubdtype(np.dtype(s.elem_type), np.integer)}
    for name, bounds in given.items():
        if name not in integer:
            raise ModelError(
                f"--range names '{name}', which is not an integer input; integer inputs: "
                + (", ".join(integer) or "(none)")
            )
        _check_range(integer[name], bounds)
    vocab = _gather_vocab_sizes(proto)
    ranges: dict[str, IntRange | None] = {}
    for name in integer:
        if name in given:
            ranges[name] = (int(given[name][0]), int(given[name][1]))
        elif hints.role(name) is Role.SAMPLE_RATE:
            ranges[name] = (AUDIO_RATE_HZ, AUDIO_RATE_HZ + 1)
        elif name in vocab:
            ranges[name] = (0, vocab[name])
        elif "mask" in name.lower():
            ranges[name] = None
        else:
            ranges[name] = DEFAULT_INT_RANGE
    return ranges


def _check_range(spec: TensorSpec, bounds: IntRange) -> None:
    lo, hi = bounds
    info = np.iinfo(np.dtype(spec.elem_type))
    if not lo < hi or lo < info.min or hi - 1 > info.max:
        raise ModelError(
            f"range {lo}:{hi} for '{spec.name}' is empty or outside {spec.elem_type} "
            f"({info.min}..{info.max}); give LO:HI with LO < HI, HI exclusive"
        )


def _gather_vocab_sizes(proto: onnx.ModelProto) -> dict[str, int]:
    tables = {init.name: list(init.dims) for init in proto.graph.initializer}
    sizes: dict[str, int] = {}
    for node in proto.graph.node:
        if node.op_type != "Gather" or len(node.input) < 2 or node.input[0] not in tables:
            continue
        dims = tables[node.input[0]]
        axis = next((a.i for a in node.attribute if a.name == "axis"), 0)
        if dims and -len(dims) <= axis < len(dims):
            size = int(dims[axis])
            sizes[node.input[1]] = min(size, sizes.get(node.input[1], size))
    return sizes


def _synthesize(
    spec: TensorSpec, shape: tuple[int, ...], bounds: IntRange | None, rng: np.random.Generator
) -> np.ndarray:
    dtype = np.dtype(spec.elem_type)
    is_mask = "mask" in spec.name.lower()
    if dtype == np.bool_:
        return np.ones(shape, dtype=bool) if is_mask else rng.random(shape) < 0.5
    if np.issubdtype(dtype, np.floating):
        draw_type = np.float64 if dtype == np.float64 else np.float32
        return rng.standard_normal(shape, dtype=draw_type).astype(dtype)
    if bounds is None:
        return np.ones(shape, dtype=dtype)
    return rng.integers(bounds[0], bounds[1], size=shape, dtype=dtype)
