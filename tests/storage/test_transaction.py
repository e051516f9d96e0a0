"""Write transactions wait for another writer past the busy timeout, saying so, then go on."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from planner.core.errors import StorageError
from planner.storage import transaction
from planner.storage.database import open_database
from planner.storage.transaction import set_wait_notice, write_transaction


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    open_database(path).close()
    return path


class Holder:
    """Another process's write lock, held on a thread until ``release``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._holding = threading.Event()
        self.released = threading.Event()
        self._thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        self._holding.set()
        self.released.wait(timeout=120)
        conn.execute("COMMIT")
        conn.close()

    def __enter__(self) -> Holder:
        self._thread.start()
        self._holding.wait(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self._thread.join(timeout=120)


def _writer(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 50")
    return conn


def test_a_writer_waits_past_the_busy_timeout_and_reports_it(database: Path) -> None:
    notices: list[float] = []
    with Holder(database) as holder:

        def notice(waited_s: float) -> None:
            notices.append(waited_s)
            if len(notices) == 3:  # the holder finishes only after three busy timeouts
                holder.released.set()

        set_wait_notice(notice)
        conn = _writer(database)
        try:
            with write_transaction(conn):
                conn.execute("INSERT INTO planner_meta(key, value) VALUES ('k', 'v')")
        finally:
            set_wait_notice(None)
    assert len(notices) == 3 and notices == sorted(notices)
    assert conn.execute("SELECT value FROM planner_meta WHERE key = 'k'").fetchone() == ("v",)
    conn.close()


def test_a_writer_gives_up_after_the_longest_wait(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transaction, "MAX_WAIT_S", 0.0)
    with Holder(database):
        conn = _writer(database)
        with (
            pytest.raises(StorageError, match="try again when it has finished"),
            write_transaction(conn),
        ):
            pass
        conn.close()


def test_other_errors_are_not_waited_on(database: Path) -> None:
    conn = _writer(database)
    conn.execute("BEGIN")
    with (
        pytest.raises(sqlite3.OperationalError, match="within a transaction"),
        write_transaction(conn),
    ):
        pass
    conn.close()
