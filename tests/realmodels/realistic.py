"""Translate a corpus model's realistic inputs into the options planner accepts today.

Runs on the caller's thread (a test or the survey script). The manifest states what the
package feeds the model as plain shapes, ranges and constants; this module maps them
onto planner's dim keys and writes ``.npy`` files where options cannot say it:

* a dynamic axis becomes ``--dim KEY=VALUE``, unless it is a batch key (set by the batch
  size) or its key is shared by axes that need different sizes;
* an input whose shape no ``--dim`` can express (a shared key, or a fixed axis such as
  a ``-1`` that the real shape contradicts) is given as a file of that shape;
* an input with a constant (``values``) is given as a file holding that constant;
* integer ranges become ``--range NAME=LO:HI``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from realmodels.fetch import CorpusModel

from planner.core.model import ModelInfo, TensorSpec
from planner.models.dims import resolve_input_dims

BATCH = 1


@dataclass(frozen=True)
class RealisticOptions:
    """planner options that feed a model the way its package does, with their reasons."""

    dims: dict[str, int]
    int_ranges: dict[str, tuple[int, int]]
    input_files: tuple[str, ...]
    file_reasons: dict[str, str]

    def cli_args(self, short: bool = False) -> list[str]:
        """The same options as ``planner profile`` flags (``short``: file names only)."""
        args: list[str] = []
        for key, value in self.dims.items():
            args += ["--dim", f"{key}={value}"]
        for name, (low, high) in self.int_ranges.items():
            args += ["--range", f"{name}={low}:{high}"]
        for item in self.input_files:
            name, _, path = item.partition("=")
            shown = Path(path).name if short else path
            args += ["--input", f"{name}={shown}"]
        return args


def realistic_options(model: CorpusModel, info: ModelInfo, folder: Path) -> RealisticOptions:
    """Options for ``info`` (the inspected model), writing any input files into ``folder``."""
    batch_keys = set(resolve_input_dims(info.inputs, BATCH).batch_keys)
    dims: dict[str, int] = {}
    reasons: dict[str, str] = {}
    for name, shape in model.shapes.items():
        spec = info.input(name)
        why = _unexpressible(spec, shape, batch_keys, dims)
        if why:
            reasons[name] = why
    for name in model.values:
        reasons.setdefault(name, "a constant")
    files = tuple(f"{name}={_write_input(model, info.input(name), folder)}" for name in reasons)
    return RealisticOptions(dims, dict(model.ranges), files, reasons)


def _unexpressible(
    spec: TensorSpec, shape: tuple[int, ...], batch_keys: set[str], dims: dict[str, int]
) -> str:
    """Why ``shape`` cannot be set with --dim (empty when it can; fills ``dims``)."""
    if len(shape) != len(spec.shape):
        return f"rank {len(spec.shape)} declared, {len(shape)} real"
    wanted: dict[str, int] = {}
    axes = zip(spec.shape, spec.dim_keys(), shape, strict=True)
    for axis, (declared, key, size) in enumerate(axes):
        if key is None:
            if declared != size:
                return f"axis {axis} is declared {declared}, real size {size}"
        elif key in batch_keys:
            if size != BATCH:
                return f"axis {axis} is the batch dim '{key}', real size {size}"
        elif wanted.get(key, dims.get(key, size)) != size:
            return f"dim '{key}' names axes of different real sizes"
        else:
            wanted[key] = size
    dims.update(wanted)
    return ""


def _write_input(model: CorpusModel, spec: TensorSpec, folder: Path) -> Path:
    dtype = np.dtype(spec.elem_type)
    shape = model.shapes.get(spec.name, ())
    rng = np.random.default_rng(0)
    if spec.name in model.values:
        array = np.full(shape, model.values[spec.name], dtype=dtype)
    elif np.issubdtype(dtype, np.integer):
        low, high = model.ranges.get(spec.name, (0, 2))
        array = rng.integers(low, high, size=shape, dtype=dtype)
    else:
        array = rng.standard_normal(shape).astype(dtype)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_file_stem(spec.name)}.npy"
    np.save(path, array)
    return path


def _file_stem(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
