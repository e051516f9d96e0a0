"""Why a run failed, in words a user can act on, and never a planner bug dressed as one.

Runs in the profiling worker (process or in-process thread) when a run ends in an error.
Three kinds of error reach the procedure:

* :class:`RunFailure` and other :class:`~planner.core.errors.PlannerError`: the model,
  its inputs, the provider or the budget; the message is already one actionable line;
* exceptions raised by ONNX Runtime (their classes live in ``onnxruntime``): the model
  failed on the inputs planner fed it; :func:`describe_runtime_error` names the node, the
  likely cause and what to try, and keeps ONNX Runtime's own text as the run's detail;
* anything else is a bug in planner: :func:`internal_failure` writes the traceback to a
  crash log and says so, as the CLI does for its own errors.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from planner.core.errors import ProfilingError
from planner.core.run import FailureKind
from planner.profiling import crash_log

_ALLOC_SIZE = re.compile(r"buffer of size (\d+)")
_OOM_MARKERS = ("Failed to allocate memory", "bad_alloc")
MAX_DETAIL_CHARS = 4000
_NODE = re.compile(r"running (\w+) node\. Name:'([^']*)'")
_STATUS = "Status Message:"
_BAD_INPUT = re.compile(r"invalid dimensions for input: (\S+)|invalid rank for input: (\S+)")

#: (pattern in ONNX Runtime's message or operator type, likely cause, what to try)
_CAUSES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"Pad reflect|reflect", re.IGNORECASE),
        "the input is shorter than the model's reflect padding needs",
        "a longer input: a larger --dim for its length, or real data with --input",
    ),
    (
        re.compile(r"^Concat:|concat", re.IGNORECASE),
        "feature maps of different sizes meet, usually because image sides are not a "
        "multiple of the model's stride (32 for YOLO-style detectors)",
        "--dim values that are multiples of 32 (e.g. 640) for the image sides",
    ),
    (
        re.compile(r"^(LSTM|GRU|RNN):"),
        "the input length does not fit the model's framing; streaming models take fixed "
        "chunks (Silero VAD: 512 samples at 16 kHz, 256 at 8 kHz)",
        "--dim with the chunk length the model documents",
    ),
    (
        re.compile(r"out of (data )?bounds|indices element", re.IGNORECASE),
        "an integer input holds an index outside the table it indexes",
        "--range NAME=0:N with N the table size (e.g. the vocabulary size)",
    ),
    (
        re.compile(r"^Reshape:|cannot be reshaped|requested shape", re.IGNORECASE),
        "the model reshapes to sizes the synthesized input does not have",
        "--dim values the model was exported for, or real data with --input",
    ),
    (
        re.compile(r"broadcast|Incompatible dimensions|mismatch", re.IGNORECASE),
        "two tensors whose sizes do not fit together, usually from dimension values the "
        "model was not exported for",
        "other --dim values, or real data with --input",
    ),
    (
        re.compile(r"^(Conv|ConvTranspose|MaxPool|AveragePool):.*(kernel|pad|shape)", re.I),
        "the input is smaller than a convolution or pooling window",
        "larger --dim values for the input's sides",
    ),
)


class RunFailure(ProfilingError):
    """A run-ending problem with its kind and, for runtime failures, the raw text."""

    def __init__(self, message: str, kind: FailureKind, detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.detail = detail


def is_runtime_error(exc: BaseException) -> bool:
    """True for ONNX Runtime's own exception types (pybind11 classes in ``onnxruntime``)."""
    return type(exc).__module__.startswith("onnxruntime")


def describe_runtime_error(
    exc: BaseException, dims_text: str, memory_limit: int | None = None
) -> RunFailure:
    """Node, likely cause and what to try for an ONNX Runtime failure on fed inputs."""
    raw = (str(exc).strip() or type(exc).__name__)[:MAX_DETAIL_CHARS]
    if any(marker in raw for marker in _OOM_MARKERS):
        return out_of_memory(raw, memory_limit)
    nodes = _NODE.findall(raw)
    message = raw.rsplit(_STATUS, 1)[-1].strip().splitlines()[0][:200]
    where = f"in {nodes[-1][0]} node '{nodes[-1][1]}'" if nodes else "before any node ran"
    subject = f"{nodes[-1][0]}: {message}" if nodes else message
    cause, advice = "the model rejects the synthesized inputs", "real data with --input"
    bad_input = _BAD_INPUT.search(raw)
    if bad_input:
        cause = f"input {bad_input.group(1) or bad_input.group(2)} has a shape the model refuses"
        advice = "--dim values matching the model's declared shapes"
    else:
        for pattern, likely, fix in _CAUSES:
            if pattern.search(subject):
                cause, advice = likely, fix
                break
    text = (
        f"ONNX Runtime failed {where} on synthesized inputs ({dims_text}): {message}. "
        f"Likely cause: {cause}; try {advice}"
    )
    return RunFailure(text, FailureKind.RUNTIME, raw)


def out_of_memory(text: str, memory_limit: int | None) -> RunFailure:
    """An allocation failure named as out of memory (with the limit, when one was set)."""
    size = _ALLOC_SIZE.search(text)
    what = f"could not allocate {int(size.group(1)):,} bytes" if size else "ran out of memory"
    limit = f" (memory limit {memory_limit:,} bytes)" if memory_limit else ""
    return RunFailure(f"out of memory: ONNX Runtime {what}{limit}", FailureKind.RUNTIME, text)


def internal_failure(exc: BaseException, run_id: str) -> RunFailure:
    """A planner bug: traceback to a crash log, one line that says so and where the log is."""
    log = write_crash_log(run_id, "".join(traceback.format_exception(exc)))
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    summary = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return RunFailure(
        f"internal error in planner: {summary} (please report it with the log {log})",
        FailureKind.INTERNAL,
        str(log),
    )


def write_crash_log(run_id: str, text: str) -> Path:
    """Write ``text`` to a new crash log tagged with the run (see :mod:`crash_log`)."""
    written = crash_log.write_crash_log(text, f"run-{run_id[:8]}")
    return written if written is not None else Path("(log could not be written)")
