"""Who records a running run, and marking runs whose recording process died as interrupted.

Runs on the thread that owns the connection. A run is ``running`` only while the process
that records it (the CLI, or the GUI) lives; that process is identified by pid, its start
time (so a reused pid is not mistaken for it) and the host name (a database on a shared
disk cannot judge another machine's processes, so those runs are left alone).
"""

from __future__ import annotations

import os
import socket
import sqlite3
from dataclasses import dataclass

import psutil

from planner.core.run import RunStatus
from planner.storage.transaction import write_transaction

#: A live process whose start time differs by more than this is another process (pid reuse).
_START_TOLERANCE_S = 1.0


@dataclass(frozen=True)
class RunOwner:
    """The process recording a run: pid, its start time (epoch s) and host name."""

    pid: int
    started: float
    host: str

    @classmethod
    def current(cls) -> RunOwner:
        return cls(os.getpid(), float(psutil.Process().create_time()), socket.gethostname())

    def alive(self) -> bool:
        """Whether this process still runs (a process on another host counts as alive)."""
        if self.host != socket.gethostname():
            return True
        try:
            started = float(psutil.Process(self.pid).create_time())
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return False
        except psutil.Error:
            return True
        return abs(started - self.started) <= _START_TOLERANCE_S


def mark_orphans_interrupted(conn: sqlite3.Connection) -> list[str]:
    """Mark every ``running`` run whose recording process is gone; their ids."""
    rows = conn.execute(
        "SELECT id, owner_pid, owner_started, owner_host, "
        "(SELECT count(*) FROM points WHERE points.run_id = runs.id) "
        "FROM runs WHERE status = ?",
        [RunStatus.RUNNING.value],
    ).fetchall()
    gone = [
        (run_id, pid, points)
        for run_id, pid, started, host, points in rows
        if pid is None or not RunOwner(int(pid), float(started or 0), str(host)).alive()
    ]
    if not gone:
        return []
    with write_transaction(conn):
        for run_id, pid, points in gone:
            owner = f"pid {pid}" if pid is not None else "an older planner"
            conn.execute(
                "UPDATE runs SET status = ?, failure_reason = ? WHERE id = ? AND status = ?",
                (
                    RunStatus.INTERRUPTED.value,
                    f"the process recording it ({owner}) ended before the run did; "
                    f"the {points} point(s) it finished are kept",
                    run_id,
                    RunStatus.RUNNING.value,
                ),
            )
    return [run_id for run_id, _pid, _points in gone]
