"""FAKE time for the load-generation loops: tests of counting, not of the machine's speed.

A test double, not a clock: ``planner.profiling.loops`` reads ``perf_counter_ns`` and calls
``sleep``; :meth:`VirtualClock.install` puts this object's :meth:`now` and :meth:`sleep` in
their place, and a fake ``session.run`` calls :meth:`spend` instead of sleeping. Time then
moves only when a thread works (``spend``) or waits (``sleep``), so a window of 50 ms with
2 ms requests holds exactly 25 of them however loaded the machine is, and the assertions
test what the loops do with time, never how fast this machine runs them.

Each thread keeps its own time, as parallel streams do on separate cores: a driver thread
starts at the time the test's thread last read, and the test's thread, reading after it
joined its drivers, sees the latest time any of them reached.
"""

from __future__ import annotations

import threading

import pytest


class VirtualClock:
    def __init__(self, start_ns: int = 1_000_000_000) -> None:
        self._owner = threading.get_ident()
        self._lock = threading.Lock()
        self._base = start_ns
        self._own = start_ns
        self._latest = start_ns
        self._local = threading.local()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> VirtualClock:
        """Make the loops read and wait on this clock for the rest of the test."""
        from planner.profiling import loops

        monkeypatch.setattr(loops, "perf_counter_ns", self.now)
        monkeypatch.setattr(loops, "sleep", self.sleep)
        return self

    def now(self) -> int:
        if threading.get_ident() == self._owner:
            with self._lock:
                self._own = max(self._own, self._latest)
                self._base = self._own
                return self._own
        return self._thread_time()

    def spend(self, seconds: float) -> None:
        """Work for ``seconds`` on the calling thread (a fake ``session.run``)."""
        self._advance(int(seconds * 1e9))

    def sleep(self, seconds: float) -> None:
        self._advance(max(0, int(seconds * 1e9)))

    def _thread_time(self) -> int:
        if not hasattr(self._local, "now"):
            with self._lock:
                self._local.now = self._base
        return int(self._local.now)

    def _advance(self, ns: int) -> None:
        if threading.get_ident() == self._owner:
            with self._lock:
                self._own = max(self._own, self._latest) + ns
                self._latest = max(self._latest, self._own)
            return
        self._local.now = self._thread_time() + ns
        with self._lock:
            self._latest = max(self._latest, self._local.now)
