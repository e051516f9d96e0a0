"""Choosing concrete sizes for the dynamic dimensions of a model's inputs.

Pure functions over :class:`~planner.core.model.TensorSpec` and the input roles of
:mod:`planner.models.input_roles`; safe on any thread.

Rules, in order, for each dynamic dim key (see :mod:`planner.core.model`):

1. a *batch* key, one that is the first axis of some input (not of a 1-D token or audio
   input, whose only axis is its length), whose name contains "batch", or the free
   second axis of a recurrent state ``[layers, ?, hidden]``, takes the batch size;
   naming it in ``dims`` with another value is an error;
2. a key given in ``dims`` takes that value;
3. otherwise a convention, recorded in :attr:`ResolvedDims.defaulted` with its reason:
   image sides from the model's metadata, else 224 for a classifier and 640 for a
   detector or dense prediction (text detection, segmentation), the other side of an
   image with one fixed side (320 wide for a text line up to 64 high, else square);
   :data:`SEQUENCE_DEFAULT` tokens; one second of 16 kHz audio, or a 512-sample chunk when
   a recurrent state shows the model streams; :data:`SEQUENCE_DEFAULT` for a name that
   contains one of :data:`SEQUENCE_HINTS`;
4. otherwise the key is *unresolved*: :func:`require_resolved` refuses it, naming the
   exact ``--dim`` options to give.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

from planner.core.errors import ModelError
from planner.core.model import ResolvedDims, TensorSpec
from planner.models.input_roles import (
    TEXT_LINE_MAX_HEIGHT,
    GraphHints,
    ImageTask,
    Role,
    image_layout,
)

SEQUENCE_HINTS: tuple[str, ...] = ("seq", "len", "token", "time")
SEQUENCE_DEFAULT = 128
AUDIO_RATE_HZ = 16_000
AUDIO_CHUNK = 512
TEXT_LINE_WIDTH = 320
IMAGE_SIDES = {ImageTask.CLASSIFIER: 224, ImageTask.DETECTOR: 640, ImageTask.DENSE: 640}
#: A text-line recogniser's (height, width), as PaddleOCR feeds its recognition models.
TEXT_LINE_SIZE = (48, TEXT_LINE_WIDTH)

Choice = tuple[int, str]


def dynamic_dim_keys(specs: Sequence[TensorSpec]) -> tuple[str, ...]:
    """Every dynamic dim key of ``specs``, in order of first appearance."""
    keys: dict[str, None] = {}
    for spec in specs:
        for key in spec.dim_keys():
            if key is not None:
                keys.setdefault(key)
    return tuple(keys)


def resolve_input_dims(
    specs: Sequence[TensorSpec],
    batch: int,
    dims: Mapping[str, int] | None = None,
    hints: GraphHints | None = None,
) -> ResolvedDims:
    """Resolve every dynamic dim of ``specs`` from the batch size, ``dims`` and conventions."""
    dims = dict(dims or {})
    hints = hints or GraphHints.none()
    _check_size("batch size", batch)
    keys = dynamic_dim_keys(specs)
    unknown = [name for name in dims if name not in keys]
    if unknown:
        listed = ", ".join(keys) if keys else "(none: every input has a fixed shape)"
        raise ModelError(
            f"model has no dynamic dimension '{unknown[0]}'; its dynamic dimensions are: {listed}"
        )
    batch_keys = batch_dim_keys(specs, hints)
    values: dict[str, int] = {}
    defaulted: dict[str, int] = {}
    reasons: dict[str, str] = {}
    unresolved: list[str] = []
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
        elif (choice := _convention(key, specs, hints, dims)) is not None:
            values[key] = defaulted[key] = choice[0]
            reasons[key] = choice[1]
        else:
            unresolved.append(key)
    return ResolvedDims(
        values=values,
        defaulted=defaulted,
        batch_keys=tuple(sorted(batch_keys)),
        reasons=reasons,
        unresolved=tuple(unresolved),
    )


def require_resolved(resolved: ResolvedDims, specs: Sequence[TensorSpec]) -> None:
    """ModelError naming every unresolved dim, where it is and the flags that size it."""
    if not resolved.unresolved:
        return
    where = [
        f"'{spec.name}' [{', '.join(_axis_text(d) for d in spec.shape)}]"
        for spec in specs
        if any(key in resolved.unresolved for key in spec.dim_keys())
    ]
    flags = " ".join(f"--dim {key}=N" for key in resolved.unresolved)
    names = ", ".join(resolved.unresolved)
    raise ModelError(
        f"planner cannot tell what size to give dynamic dimension(s) {names} of input(s) "
        f"{', '.join(where)}: give them with {flags}, or give real inputs with "
        "--input NAME=FILE.npy"
    )


def batch_dim_keys(specs: Sequence[TensorSpec], hints: GraphHints | None = None) -> set[str]:
    """Keys set from the batch size (rule 1 of the module docstring)."""
    hints = hints or GraphHints.none()
    found: set[str] = set()
    for spec in specs:
        role = hints.role(spec.name)
        length_only = len(spec.shape) == 1 and role in (Role.TOKENS, Role.AUDIO)
        for axis, key in enumerate(spec.dim_keys()):
            if key is None:
                continue
            first = axis == 0 and not length_only
            state_batch = role is Role.STATE and axis == 1 and isinstance(spec.shape[0], int)
            if first or state_batch or "batch" in key.lower():
                found.add(key)
    return found


def _convention(
    key: str,
    specs: Sequence[TensorSpec],
    hints: GraphHints,
    given: Mapping[str, int] | None = None,
) -> Choice | None:
    for spec in specs:
        keys = spec.dim_keys()
        if key not in keys:
            continue
        choice = _by_role(spec, keys.index(key), hints, given or {})
        if choice is not None:
            return choice
    lowered = key.lower()
    if any(hint in lowered for hint in SEQUENCE_HINTS):
        return SEQUENCE_DEFAULT, "named like a sequence length, a common default"
    return None


def _by_role(
    spec: TensorSpec, axis: int, hints: GraphHints, given: Mapping[str, int]
) -> Choice | None:
    role = hints.role(spec.name)
    if role is Role.IMAGE:
        return _image_side(spec, axis, hints, given)
    if role is Role.TOKENS:
        return SEQUENCE_DEFAULT, "sequence length in tokens, a common default"
    if role is Role.AUDIO and axis == len(spec.shape) - 1:
        if hints.streaming:
            return AUDIO_CHUNK, "audio chunk of 32 ms at 16 kHz, as streaming models take"
        return AUDIO_RATE_HZ, "1 s of 16 kHz audio"
    return None


def _image_side(
    spec: TensorSpec, axis: int, hints: GraphHints, given: Mapping[str, int]
) -> Choice | None:
    layout = image_layout(spec)
    if layout is None or axis not in layout:
        return None
    height_axis, width_axis = layout
    other = width_axis if axis == height_axis else height_axis
    other_size = _known_size(spec, other, given)
    side = "height" if axis == height_axis else "width"
    if other_size is not None:
        if axis == width_axis and other_size <= TEXT_LINE_MAX_HEIGHT:
            return TEXT_LINE_WIDTH, f"width of a {other_size}-pixel text line, OCR convention"
        return other_size, f"image {side}, square like the other side ({other_size} pixels)"
    if hints.metadata_image_size is not None:
        height, width = hints.metadata_image_size
        return (height if axis == height_axis else width), f"image {side} from model metadata"
    if hints.image_task is ImageTask.TEXT_LINE:
        size = TEXT_LINE_SIZE[0] if axis == height_axis else TEXT_LINE_SIZE[1]
        return size, f"text-line {side}, OCR recognition convention"
    size = IMAGE_SIDES[hints.image_task]
    return size, f"image {side}, {hints.image_task.value} convention"


def _known_size(spec: TensorSpec, axis: int, given: Mapping[str, int]) -> int | None:
    dim = spec.shape[axis]
    if isinstance(dim, int):
        return dim
    key = spec.dim_keys()[axis]
    return int(given[key]) if key is not None and key in given else None


def _axis_text(dim: int | str | None) -> str:
    return "?" if dim is None else str(dim)


def _check_size(what: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise ModelError(f"{what} must be a whole number of at least 1, got {value!r}")
