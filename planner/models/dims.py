"""Choosing concrete sizes for the dynamic dimensions of a model's inputs.

Pure functions over :class:`~planner.core.model.TensorSpec`; safe on any thread.

Rules, in order, for each dynamic dim key (see :mod:`planner.core.model`):

1. a *batch* key, one that is the first axis of some input or whose name contains
   "batch", takes the batch size; naming it in ``dims`` with another value is an error;
2. a key given in ``dims`` takes that value;
3. otherwise a default, recorded in :attr:`ResolvedDims.defaulted`:
   :data:`SEQUENCE_DEFAULT` (128) when the name contains one of :data:`SEQUENCE_HINTS`
   ("seq", "len", "token", "time"), else :data:`OTHER_DEFAULT` (1).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

from planner.core.errors import ModelError
from planner.core.model import ResolvedDims, TensorSpec

SEQUENCE_HINTS: tuple[str, ...] = ("seq", "len", "token", "time")
SEQUENCE_DEFAULT = 128
OTHER_DEFAULT = 1


def dynamic_dim_keys(specs: Sequence[TensorSpec]) -> tuple[str, ...]:
    """Every dynamic dim key of ``specs``, in order of first appearance."""
    keys: dict[str, None] = {}
    for spec in specs:
        for key in spec.dim_keys():
            if key is not None:
                keys.setdefault(key)
    return tuple(keys)


def default_for(key: str) -> int:
    """The documented default size of a dim key that nobody gave a value."""
    lowered = key.lower()
    return SEQUENCE_DEFAULT if any(hint in lowered for hint in SEQUENCE_HINTS) else OTHER_DEFAULT


def resolve_input_dims(
    specs: Sequence[TensorSpec], batch: int, dims: Mapping[str, int] | None = None
) -> ResolvedDims:
    """Resolve every dynamic dim of ``specs`` from the batch size, ``dims`` and defaults."""
    dims = dict(dims or {})
    _check_size("batch size", batch)
    keys = dynamic_dim_keys(specs)
    unknown = [name for name in dims if name not in keys]
    if unknown:
        listed = ", ".join(keys) if keys else "(none: every input has a fixed shape)"
        raise ModelError(
            f"model has no dynamic dimension '{unknown[0]}'; its dynamic dimensions are: {listed}"
        )
    batch_keys = _batch_keys(specs)
    values: dict[str, int] = {}
    defaulted: dict[str, int] = {}
    for key in keys:
        if key in batch_keys:
            if key in dims and int(dims[key]) != batch:
                raise ModelError(
                    f"dimension '{key}' is the batch dimension; set it with the batch size "
                    f"(got {dims[key]} as a dimension and {batch} as the batch size)"
                )
            values[key] = batch
        elif key in dims:
            _check_size(f"dimension '{key}'", dims[key])
            values[key] = int(dims[key])
        else:
            values[key] = defaulted[key] = default_for(key)
    return ResolvedDims(values=values, defaulted=defaulted, batch_keys=tuple(sorted(batch_keys)))


def _batch_keys(specs: Sequence[TensorSpec]) -> set[str]:
    found: set[str] = set()
    for spec in specs:
        for axis, key in enumerate(spec.dim_keys()):
            if key is not None and (axis == 0 or "batch" in key.lower()):
                found.add(key)
    return found


def _check_size(what: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise ModelError(f"{what} must be a whole number of at least 1, got {value!r}")
