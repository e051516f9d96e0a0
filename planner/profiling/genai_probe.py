"""Whether onnxruntime-genai can be imported here, found out without risking this process.

When the native library of ``onnxruntime_genai`` cannot load (a mismatched onnxruntime, a
missing system library), importing it terminates the process instead of raising. So the
import is tried in a short-lived child process, started the way the profiling workers are
(multiprocessing's spawn), which also works inside a frozen build where
``sys.executable`` is planner itself and not a Python interpreter. Only a child that sends
back the version counts as available. The answer is cached for the life of the process.
Runs on the caller's thread; the first call blocks for the child's start-up (a fraction of
a second).
"""

from __future__ import annotations

import functools
import importlib
import multiprocessing as mp
import signal
import threading
from multiprocessing.connection import Connection

from planner.core.machine import Availability

PROBE_TIMEOUT_S = 60.0
_MODULE = "onnxruntime_genai"
_INSTALL = "install it with pip install onnxruntime-genai"
_MISSING, _FAILED, _FOUND = "missing", "failed", "found"


_LOCK = threading.Lock()


def probe_genai() -> Availability:
    """Availability of onnxruntime-genai; when available, ``reason`` names the version found.

    When unavailable, ``reason`` says why in one line (not installed, the import failed or
    killed the child, or it did not finish within :data:`PROBE_TIMEOUT_S`). A caller that
    arrives while another thread probes waits for that answer instead of probing again.
    """
    with _LOCK:
        return _probe_once()


def forget_probe() -> None:
    """Drop the cached answer, so the next :func:`probe_genai` probes again (tests)."""
    with _LOCK:
        _probe_once.cache_clear()


def probe_genai_in_background() -> None:
    """Start the probe on a daemon thread, so that a later :func:`probe_genai` on a GUI
    thread finds the answer ready instead of waiting for the child's start-up."""
    threading.Thread(target=probe_genai, name="genai-probe", daemon=True).start()


@functools.cache
def _probe_once() -> Availability:
    context = mp.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_import_in_child, args=(_MODULE, sender), daemon=True)
    try:
        child.start()
    except OSError as error:
        return Availability(False, f"could not start a child process to probe it: {error}")
    finally:
        sender.close()
    try:
        answer = receiver.recv() if receiver.poll(PROBE_TIMEOUT_S) else None
    except EOFError:  # the child ended without a word: killed while importing
        answer = None
    finally:
        receiver.close()
    child.join(PROBE_TIMEOUT_S if answer is not None else 5.0)
    if child.is_alive():
        child.kill()
        child.join()
        if answer is None:
            return Availability(
                False, f"importing onnxruntime_genai did not finish within {PROBE_TIMEOUT_S:g} s"
            )
    return _judge(answer, child.exitcode)


def _import_in_child(module: str, sender: Connection) -> None:
    """Child process: import ``module`` and send back what happened."""
    try:
        imported = importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = error.name == module
        sender.send((_MISSING if missing else _FAILED, f"{type(error).__name__}: {error}"))
    except Exception as error:  # noqa: BLE001 - any import failure is the answer
        sender.send((_FAILED, f"{type(error).__name__}: {error}"))
    else:
        sender.send((_FOUND, str(getattr(imported, "__version__", "") or "unknown version")))
    finally:
        sender.close()


def _judge(answer: tuple[str, str] | None, exitcode: int | None) -> Availability:
    if answer is None:
        if exitcode is not None and exitcode < 0:
            return Availability(
                False,
                "importing onnxruntime_genai killed the child process "
                f"({_signal_name(-exitcode)}); its native library does not load here (check "
                "that onnxruntime >= 1.31 is installed)",
            )
        return Availability(
            False, f"importing onnxruntime_genai ended the child process (exit status {exitcode})"
        )
    kind, detail = answer
    if kind == _FOUND:
        return Availability(True, f"onnxruntime-genai {detail}")
    if kind == _MISSING:
        return Availability(False, f"onnxruntime-genai is not installed; {_INSTALL}")
    return Availability(False, f"importing onnxruntime_genai failed: {detail}")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
