"""Whether onnxruntime-genai can be imported here, found out without risking this process.

When the native library of ``onnxruntime_genai`` cannot load (a mismatched onnxruntime, a
missing system library), importing it terminates the process instead of raising. So the
import is tried in a short-lived child interpreter, and only a clean exit that prints the
version counts as available. The answer is cached for the life of the process. Runs on the
caller's thread; the first call blocks for the child's start-up (a fraction of a second).
"""

from __future__ import annotations

import functools
import signal
import subprocess
import sys

from planner.core.machine import Availability

PROBE_TIMEOUT_S = 60.0
_PROBE = "import onnxruntime_genai as og; print(og.__version__)"
_INSTALL = "install it with pip install onnxruntime-genai"


@functools.cache
def probe_genai() -> Availability:
    """Availability of onnxruntime-genai; when available, ``reason`` names the version found.

    When unavailable, ``reason`` says why in one line (not installed, the import failed or
    killed the interpreter, or it did not finish within :data:`PROBE_TIMEOUT_S`).
    """
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Availability(
            False, f"importing onnxruntime_genai did not finish within {PROBE_TIMEOUT_S:g} s"
        )
    except OSError as error:
        return Availability(False, f"could not start a Python interpreter to probe it: {error}")
    return _judge(done.returncode, done.stdout, done.stderr)


def _judge(returncode: int, stdout: str, stderr: str) -> Availability:
    version = stdout.strip()
    if returncode == 0 and version:
        return Availability(True, f"onnxruntime-genai {version}")
    if "ModuleNotFoundError" in stderr:
        return Availability(False, f"onnxruntime-genai is not installed; {_INSTALL}")
    if returncode < 0:
        return Availability(
            False,
            f"importing onnxruntime_genai killed the interpreter ({_signal_name(-returncode)}); "
            "its native library does not load here (check that onnxruntime >= 1.31 is installed)",
        )
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    detail = lines[-1] if lines else f"exit status {returncode}"
    return Availability(False, f"importing onnxruntime_genai failed: {detail}")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
