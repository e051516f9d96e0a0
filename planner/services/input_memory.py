"""Whether a profile's inputs fit in memory, decided before a value is drawn.

Runs on the caller's thread (the CLI main thread, the GUI thread) from ``prepare_run``.
A batch size multiplies every input: batch 65536 of a 3x128x128 image is 12 GiB, which
would end in a MemoryError deep inside numpy. The worker keeps the inputs of every batch
size of the sweep at once, so their sum is estimated from the resolved shapes
(:func:`~planner.models.inputs.feed_bytes`) and refused when it would take more than
:data:`INPUT_SHARE` of the memory this process could still allocate; the session's
weights and activations need the rest. A MemoryError while drawing them anyway (memory
taken meanwhile, a limit psutil cannot see) becomes the same refusal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from planner.core.errors import ProfilingError
from planner.core.formatting import size
from planner.core.model import ModelInfo
from planner.core.run import RunConfig
from planner.hardware.system import memory_available_bytes
from planner.models.inputs import feed_bytes

#: The share of available memory the inputs may take.
INPUT_SHARE = 0.5


class InputMemoryError(ProfilingError):
    """The inputs of the requested batch sizes would not fit in memory.

    The message ends in a hint that names no control of either front end; the CLI adds
    its flag.
    """


def check_input_memory(config: RunConfig, info: ModelInfo) -> None:
    """Refuse batch sizes whose inputs would not fit comfortably in memory."""
    needed = _needed(config, info)
    available = memory_available_bytes()
    if available is not None and sum(needed.values()) > INPUT_SHARE * available:
        raise _refusal(needed, available)


@contextmanager
def out_of_memory_refused(config: RunConfig, info: ModelInfo) -> Iterator[None]:
    """Turn a MemoryError while drawing the inputs into :class:`InputMemoryError`."""
    try:
        yield
    except MemoryError:
        raise _refusal(_needed(config, info), memory_available_bytes()) from None


def _needed(config: RunConfig, info: ModelInfo) -> dict[int, int]:
    batches = sorted(set(config.batch_sizes))
    return feed_bytes(info, batches, config.dims, config.input_files)


def _refusal(needed: dict[int, int], available: int | None) -> InputMemoryError:
    largest = max(needed)
    sweep = (
        f" ({size(sum(needed.values()))} for all {len(needed)} batch sizes, which a run keeps)"
        if len(needed) > 1
        else ""
    )
    room = (
        f"only {size(available)} of memory is available and the model needs room of its own"
        if available is not None
        else "they could not be allocated"
    )
    return InputMemoryError(
        f"batch size {largest} needs {size(needed[largest])} of input data{sweep}, but "
        f"{room}: choose a smaller batch size"
    )
