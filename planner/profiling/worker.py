"""Entry point of the profiling child process (multiprocessing, spawn context).

Runs in the child: applies the optional address-space limit, runs the procedure, and sends
each message synchronously through a pipe, so a message sent before a crash has already
reached the parent. When the parent dies (killed, crashed), the child stops at the next
window boundary or message instead of measuring for nobody, and exits quietly.
``RunConfig.test_hook`` makes the child fail on purpose right after its first finished
point (tests only: exit, abort, segfault, hang, raise).
"""

from __future__ import annotations

import ctypes
import os
import resource
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

from planner.core.run import RunConfig
from planner.profiling.messages import Message, PointFinished
from planner.profiling.procedures import procedure_for


def limit_memory(limit_bytes: int | None) -> None:
    """Cap the process's address space (RLIMIT_AS) so runaway allocation fails, not the host."""
    if limit_bytes is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit_bytes if hard == resource.RLIM_INFINITY else min(limit_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def fire_test_hook(hook: str) -> None:
    """TEST HOOK: fail the way a broken model or runtime would."""
    if hook == "exit":
        os._exit(3)
    if hook == "abort":
        os.abort()
    if hook == "segfault":
        ctypes.string_at(0)
    if hook == "hang":
        while True:
            time.sleep(3600)
    if hook == "raise":
        raise RuntimeError("test hook raised inside the worker")


def _sender(conn: Connection, hook: str | None) -> Callable[[Message], None]:
    def send(message: Message) -> None:
        try:
            conn.send(message)
        except (BrokenPipeError, ConnectionResetError, EOFError):
            os._exit(0)  # the parent is gone: nobody is left to report to
        if hook is not None and isinstance(message, PointFinished):
            fire_test_hook(hook)

    return send


def _stop_check(cancel: Event) -> Callable[[], bool]:
    """True once a cancel was asked for or the parent process has died (re-parented)."""
    parent = os.getppid()

    def should_stop() -> bool:
        return cancel.is_set() or os.getppid() != parent

    return should_stop


def worker_main(config: RunConfig, run_id: str, conn: Connection, cancel: Event) -> None:
    """Run one profiling run and report it over ``conn``; exit code 0 when it reported."""
    limit_memory(config.memory_limit_bytes)
    try:
        procedure_for(
            config, _sender(conn, config.test_hook), _stop_check(cancel), run_id
        ).execute()
    finally:
        conn.close()
