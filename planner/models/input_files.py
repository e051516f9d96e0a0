"""Reading user-supplied input tensors from ``.npz`` and ``.npy`` files.

Runs on the caller's thread before anything is timed. Accepted forms for each item of
``input_files`` (the CLI's repeated ``--input``):

* ``PATH.npz``: every key is an input name; keys that are not model inputs are an error;
* ``NAME=PATH.npy``: one array for the input ``NAME`` (split at the first ``=``);
* ``PATH.npy`` without a name: only when the model has exactly one input.

Arrays must have exactly the model's element type and rank, and the model's size on every
fixed axis. Sizes of dynamic axes are read back as dimension values by
:func:`dims_from_arrays`. Files are loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from planner.core.errors import ModelError
from planner.core.files import check_input_file
from planner.core.model import TensorSpec


def load_input_files(
    input_files: Sequence[str | Path], specs: Sequence[TensorSpec]
) -> dict[str, np.ndarray]:
    """Load and check every file in ``input_files`` against the model's input ``specs``."""
    by_name = {spec.name: spec for spec in specs}
    arrays: dict[str, np.ndarray] = {}
    for item in input_files:
        for name, array in _read_item(str(item), specs).items():
            if name not in by_name:
                raise ModelError(
                    f"input file gives '{name}', which is not a model input; the inputs are: "
                    + ", ".join(by_name)
                )
            if name in arrays:
                raise ModelError(f"input '{name}' is given by more than one input file")
            arrays[name] = _checked(array, by_name[name])
    return arrays


def dims_from_arrays(
    arrays: Mapping[str, np.ndarray], specs: Sequence[TensorSpec]
) -> dict[str, int]:
    """Dynamic dim values implied by the arrays; ModelError when two arrays disagree."""
    found: dict[str, tuple[int, str]] = {}
    for spec in specs:
        if spec.name not in arrays or not spec.rank_known:
            continue
        for key, size in zip(spec.dim_keys(), arrays[spec.name].shape, strict=True):
            if key is None:
                continue
            if key in found and found[key][0] != size:
                other_size, other = found[key]
                raise ModelError(
                    f"input files disagree on dimension '{key}': '{other}' has {other_size}, "
                    f"'{spec.name}' has {size}; make them match"
                )
            found.setdefault(key, (int(size), spec.name))
    return {key: size for key, (size, _) in found.items()}


def _read_item(item: str, specs: Sequence[TensorSpec]) -> dict[str, np.ndarray]:
    if item.lower().endswith(".npz") and not _named(item, specs):
        path = _existing(Path(item))
        try:
            with np.load(path, allow_pickle=False) as archive:
                return {key: archive[key] for key in archive.files}
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot read input file {path}: {error}") from error
    if _named(item, specs):
        name, raw_path = item.split("=", 1)
    elif len(specs) == 1:
        name, raw_path = specs[0].name, item
    else:
        raise ModelError(
            f"cannot tell which input {item} is for; give it as NAME=PATH.npy, NAME one of: "
            + ", ".join(spec.name for spec in specs)
        )
    path = _existing(Path(raw_path))
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read input file {path} as .npy: {error}") from error
    if not isinstance(array, np.ndarray):
        raise ModelError(f"input file {path} is an .npz archive; give it without NAME=")
    return {name: array}


def _named(item: str, specs: Sequence[TensorSpec]) -> bool:
    return "=" in item and item.split("=", 1)[0] in {spec.name for spec in specs}


def _existing(path: Path) -> Path:
    return check_input_file(path, "input", ModelError)


def _checked(array: np.ndarray, spec: TensorSpec) -> np.ndarray:
    expected = np.dtype(spec.elem_type)
    if array.dtype != expected:
        raise ModelError(
            f"input file for '{spec.name}' holds {array.dtype} but the model expects "
            f"{expected}; convert it with numpy's astype('{expected}')"
        )
    if not spec.rank_known:
        return array
    if array.ndim != len(spec.shape):
        raise ModelError(
            f"input file for '{spec.name}' has shape {array.shape} ({array.ndim} axes) but the "
            f"model expects {len(spec.shape)} axes {_shape_text(spec)}"
        )
    for axis, dim in enumerate(spec.shape):
        if isinstance(dim, int) and array.shape[axis] != dim:
            raise ModelError(
                f"input file for '{spec.name}' has shape {array.shape} but the model expects "
                f"{_shape_text(spec)}; axis {axis} must be {dim}"
            )
    return array


def _shape_text(spec: TensorSpec) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in spec.shape) + "]"
