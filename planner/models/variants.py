"""Making a variant of an ONNX model: the entry point, its argument checks, and isolation.

:func:`make_variant` runs on the caller's thread (a GUI worker thread or the CLI's main
thread) and blocks while a spawned child process applies the recipe, proves the variant
loads and runs, and measures its fidelity (:mod:`planner.models.variant_maker`).

Why a child process, although it costs about 0.25 s per variant (start-up and imports,
measured here) against 0.01 to 0.2 s for the recipes on the bundled samples:

* the quantizers and ONNX Runtime are native code: a crash (SIGSEGV, abort) or an
  out-of-memory kill in them ends the child, and the caller gets a failed outcome;
* a recipe that hangs is stopped after ``timeout_s``;
* ``onnxruntime.quantization.matmul_nbits_quantizer`` reconfigures the root logger when
  imported, and quantizers print warnings; none of that reaches the caller's process;
* memory the quantizers hold is returned to the system when the child exits.

Bad arguments (unknown kind, share 1.5) raise :class:`~planner.core.errors.InputError`;
everything that depends on the model and its inputs comes back as an outcome.
"""

from __future__ import annotations

import ctypes
import dataclasses
import logging
import math
import multiprocessing as mp
import shutil
import signal
import tempfile
import time
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import onnxruntime as ort

from planner.core.errors import InputError, ModelError
from planner.core.variant import VariantKind, VariantOutcome, VariantRequest, parse_kind
from planner.models.inspect import inspect_model
from planner.models.variant_maker import describe_error, failed_outcome, run_recipe

DEFAULT_TIMEOUT_S = 3600.0
MAX_SAMPLES = 1024
MAX_BATCH = 4096
PARAMETERS: dict[VariantKind, tuple[str, ...]] = {
    VariantKind.INT8_DYNAMIC: ("op_types",),
    VariantKind.INT8_STATIC: ("op_types", "per_channel"),
    VariantKind.FP16: ("block_ops",),
    VariantKind.INT4_WEIGHTS: ("block_size", "symmetric", "accuracy_level"),
    VariantKind.PRUNE: ("share",),
}


def make_variant(
    parent_path: str | Path,
    kind: str | VariantKind,
    out_dir: str | Path,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    **options: Any,
) -> VariantOutcome:
    """Make one variant of ``parent_path`` in ``out_dir`` and check it against the parent.

    ``options`` are those of :func:`variant_request` (``inputs``, ``seed``, ``samples``,
    ``batch``, ``dims`` and the kind's parameters). Blocks until the child process
    reports or ``timeout_s`` passes.
    """
    request = variant_request(parent_path, kind, out_dir, **options)
    return run_isolated(request, _positive("timeout_s", timeout_s))


def variant_request(
    parent_path: str | Path,
    kind: str | VariantKind,
    out_dir: str | Path,
    *,
    inputs: Sequence[str | Path] | None = None,
    seed: int = 0,
    samples: int = 8,
    batch: int = 1,
    dims: Mapping[str, int] | None = None,
    **params: object,
) -> VariantRequest:
    """A checked :class:`VariantRequest`; InputError names the first bad argument.

    ``kind`` is a :class:`VariantKind` or its text (``"prune-0.3"`` sets the share).
    ``inputs`` are input files as for ``--input`` (one feed, used for calibration and
    fidelity); without them ``samples`` feeds of ``batch`` are synthesized from ``seed``
    (and, for int8-static, ``samples`` more for calibration). ``params`` by kind:
    int8-dynamic ``op_types``; int8-static ``op_types``, ``per_channel``; fp16
    ``block_ops``; int4-weights ``block_size``, ``symmetric``, ``accuracy_level``; prune
    ``share``. Creates ``out_dir`` if needed.
    """
    parsed, implied = parse_kind(str(kind))
    for name, value in implied.items():
        if params.setdefault(name, value) != value:
            raise InputError(f"kind '{kind}' sets {name} to {value}, but {name} is {params[name]}")
    allowed = PARAMETERS[parsed]
    for name in params:
        if name not in allowed:
            raise InputError(
                f"parameter '{name}' does not apply to {parsed}; it takes: {', '.join(allowed)}"
            )
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the variant folder {folder}: {error.strerror}") from None
    files = (inputs,) if isinstance(inputs, str | Path) else tuple(inputs or ())
    request = VariantRequest(
        parent_path=str(parent_path),
        kind=parsed,
        out_dir=str(folder.resolve()),
        inputs=tuple(str(item) for item in files),
        seed=_whole("seed", seed, 0, 2**63 - 1),
        samples=_whole("samples", samples, 1, MAX_SAMPLES),
        batch=_whole("batch", batch, 1, MAX_BATCH),
        dims={str(k): _whole(f"dimension '{k}'", v, 1, 2**31 - 1) for k, v in (dims or {}).items()},
    )
    return dataclasses.replace(request, **_checked_params(params))


def run_isolated(request: VariantRequest, timeout_s: float) -> VariantOutcome:
    """Run :func:`~planner.models.variant_maker.run_recipe` in a spawned child process.

    A child that crashes, is killed or outlives ``timeout_s`` gives a failed outcome; its
    scratch folder (inside ``request.out_dir``) is removed in every case.
    """
    scratch = Path(tempfile.mkdtemp(prefix=".variant-", dir=request.out_dir))
    context = mp.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child_main, args=(request, str(scratch), sender), name="variant", daemon=True
    )
    try:
        process.start()
        sender.close()
        return _wait_for_outcome(process, receiver, request, timeout_s)
    finally:
        _stop(process)
        receiver.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _wait_for_outcome(
    process: mp.process.BaseProcess, receiver: Connection, request: VariantRequest, timeout_s: float
) -> VariantOutcome:
    if receiver.poll(timeout_s):
        try:
            return receiver.recv()
        except (EOFError, OSError):
            process.join(5.0)
        reason = f"the variant process {_exit_text(process.exitcode)} before it reported"
    else:
        reason = f"making the variant took longer than {timeout_s:g} s and was stopped"
    try:
        parent = inspect_model(request.parent_path)
    except ModelError:
        parent = None
    return failed_outcome(request, reason, parent)


def _stop(process: mp.process.BaseProcess) -> None:
    process.join(1.0)
    if process.is_alive():
        process.terminate()
        process.join(2.0)
    if process.is_alive():
        process.kill()
        process.join(2.0)


def _exit_text(code: int | None) -> str:
    if code is None or code == 0:
        return "ended"
    if code > 0:
        return f"exited with code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return f"was killed by {name}" + (", most likely out of memory" if name == "SIGKILL" else "")


def _child_main(request: VariantRequest, scratch: str, conn: Connection) -> None:
    """Entry point of the variant child: quiet logging, make the variant, report it."""
    ort.set_default_logger_severity(3)
    logging.getLogger().setLevel(logging.ERROR)
    if request.test_hook == "segfault":
        ctypes.string_at(0)
    if request.test_hook == "hang":
        time.sleep(DEFAULT_TIMEOUT_S)
    try:
        outcome = run_recipe(request, Path(scratch))
    except Exception as error:  # noqa: BLE001 - the caller must hear back whatever happened
        outcome = failed_outcome(request, f"internal error: {describe_error(error)}")
    conn.send(outcome)
    conn.close()


def _checked_params(params: Mapping[str, object]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name, value in params.items():
        if name in ("op_types", "block_ops"):
            checked[name] = _op_types(name, value)
        elif name in ("per_channel", "symmetric"):
            if not isinstance(value, bool):
                raise InputError(f"{name} must be true or false, got {value!r}")
            checked[name] = value
        elif name == "block_size":
            size = _whole(name, value, 16, 2048)
            if size & (size - 1):
                raise InputError(f"block_size must be a power of two from 16 to 2048, got {size}")
            checked[name] = size
        elif name == "accuracy_level":
            checked[name] = _whole(name, value, 0, 4)
        elif name == "share":
            checked[name] = _share(value)
    return checked


def _op_types(name: str, value: object) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, Sequence) or not all(isinstance(i, str) for i in items):
        raise InputError(f"{name} must be op type names such as MatMul,Gemm, got {value!r}")
    types = tuple(item.strip() for item in items if item.strip())
    if not types or not all(t.isidentifier() for t in types):
        raise InputError(f"{name} must be op type names such as MatMul,Gemm, got {value!r}")
    return types


def _share(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"share must be a number between 0 and 1, got {value!r}")
    share = float(value)
    if not (math.isfinite(share) and 0 < share < 1):
        raise InputError(f"share must be between 0 and 1 (exclusive), got {value!r}")
    return share


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{name} must be a number of seconds, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    return float(value)
