"""Where a run executes: a spawned child process, or a thread of this process (tests).

Used by :class:`planner.profiling.runner.ProfileRunner` on the parent's listening thread.
Both backends expose the same small interface: start, receive a message, stop politely,
stop forcibly, and describe how the worker ended.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import signal
import threading
from types import ModuleType

from planner.core.run import RunConfig
from planner.profiling.messages import Message
from planner.profiling.procedures import procedure_for
from planner.profiling.worker import worker_main

_SIGNAL_REASONS = {
    signal.SIGSEGV: "crashed with a segmentation fault (SIGSEGV)",
    signal.SIGABRT: "aborted (SIGABRT)",
    signal.SIGKILL: "was killed (SIGKILL), most likely out of memory",
    signal.SIGBUS: "crashed with a bus error (SIGBUS)",
    signal.SIGFPE: "crashed with a floating-point exception (SIGFPE)",
    signal.SIGILL: "crashed with an illegal instruction (SIGILL)",
}


def describe_exit(code: int | None) -> str:
    """One-line reason for a worker that ended without reporting its result."""
    if code is None:
        return "worker is still running"
    if code < 0:
        try:
            sig = signal.Signals(-code)
        except ValueError:
            return f"worker was killed by signal {-code}"
        return f"worker {_SIGNAL_REASONS.get(sig, f'was killed by {sig.name}')}"
    if code == 0:
        return "worker exited without reporting a result"
    return f"worker exited unexpectedly with code {code}"


class ProcessBackend:
    """The run in a spawned child process; messages arrive through a one-way pipe."""

    def __init__(self, config: RunConfig, run_id: str) -> None:
        ctx = mp.get_context("spawn")
        self._recv, send = ctx.Pipe(duplex=False)
        self._cancel = ctx.Event()
        self._process = ctx.Process(
            target=worker_main,
            args=(config, run_id, send, self._cancel),
            name=f"planner-profile-{run_id[:8]}",
            daemon=True,
        )
        self._send = send

    def start(self) -> None:
        self._process.start()
        self._send.close()

    def receive(self, timeout: float) -> Message | None:
        try:
            if self._recv.poll(timeout):
                return self._recv.recv()
        except (EOFError, OSError):
            self._process.join(timeout)
        return None

    def alive(self) -> bool:
        return self._process.is_alive()

    def exit_reason(self) -> str:
        self._process.join(1.0)
        return describe_exit(self._process.exitcode)

    def request_stop(self) -> None:
        self._cancel.set()

    def force_stop(self) -> None:
        self._process.terminate()
        self._process.join(2.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(2.0)

    def close(self) -> None:
        self._recv.close()


class InProcessBackend:
    """The run on a daemon thread of this process: same messages, no isolation (tests)."""

    def __init__(self, config: RunConfig, run_id: str, nvml_module: ModuleType | None = None):
        self._queue: queue.Queue[Message] = queue.Queue()
        self._cancel = threading.Event()
        self._procedure = procedure_for(
            config, self._queue.put, self._cancel.is_set, run_id, nvml_module
        )
        self._thread = threading.Thread(target=self._procedure.execute, daemon=True)
        self._error = ""

    def start(self) -> None:
        self._thread.start()

    def receive(self, timeout: float) -> Message | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def alive(self) -> bool:
        return self._thread.is_alive()

    def exit_reason(self) -> str:
        return "in-process worker thread ended without reporting a result"

    def request_stop(self) -> None:
        self._cancel.set()

    def force_stop(self) -> None:
        self._cancel.set()

    def close(self) -> None:
        return None
