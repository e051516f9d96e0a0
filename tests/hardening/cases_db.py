"""Damaged and read-only databases: every command on a database with garbled pages, cut
short or zeroed, and on a file or folder planner may not write.

Trials as in ``cases``: each builds its input in a fresh folder from the kit, runs planner
and returns a verdict. A damaged database must end each command in a one-line refusal
that points to ``planner db check`` (or in success, where the damage is elsewhere); a
read-only one must serve the commands that only read and refuse the others in one line.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

from hardening import tools
from hardening.cases import Runner, Trial, csv_of, named, shipped_row
from hardening.tools import ACCEPTED, LOST, REFUSED, Kit

# --- damaged databases ------------------------------------------------------------------

PAGE = 4096


def _pages_of(database: Path, table: str, kind: str) -> list[int]:
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ?", (table, kind)
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


def overflow_pages(database: Path, table: str) -> list[int]:
    """The pages holding the ends of ``table``'s long values, which SQLite's check never reads."""
    return _pages_of(database, table, "overflow")


def garble(database: Path, pages: list[int], seed: int = 0) -> None:
    """Overwrite ``pages`` (1-based) after their 8-byte header with seeded noise."""
    data = bytearray(database.read_bytes())
    noise = random.Random(seed)
    for page in pages:
        start = (page - 1) * PAGE + (100 if page == 1 else 8)
        end = page * PAGE
        data[start:end] = bytes(noise.randrange(256) for _ in range(end - start))
    database.write_bytes(bytes(data))


def zero(database: Path, pages: list[int]) -> None:
    """Zero ``pages`` (1-based) after the 4-byte link to the next overflow page."""
    data = bytearray(database.read_bytes())
    for page in pages:
        data[(page - 1) * PAGE + 4 : page * PAGE] = bytes(PAGE - 4)
    database.write_bytes(bytes(data))


def _damage_pages(table: str, kind: str) -> Callable[[Path, int], None]:
    def damage(database: Path, seed: int) -> None:
        pages = _pages_of(database, table, kind) or _pages_of(database, table, "leaf")
        garble(database, pages[:1], seed)

    return damage


def _random_pages(database: Path, seed: int) -> None:
    count = database.stat().st_size // PAGE
    picker = random.Random(seed)
    garble(database, picker.sample(range(2, count + 1), k=min(3, count - 1)), seed)


DAMAGE: dict[str, Callable[[Path, int], None]] = {
    "points interior page": _damage_pages("points", "internal"),
    "runs interior page": _damage_pages("runs", "internal"),
    "samples leaf page": _damage_pages("samples", "leaf"),
    "catalogue leaf page": _damage_pages("catalog_rows", "leaf"),
    "plans page": _damage_pages("plans", "leaf"),
    "plans overflow page": _damage_pages("plans", "overflow"),
    "plans overflow page zeroed": lambda db, seed: zero(db, overflow_pages(db, "plans")[:1]),
    "schema page": lambda db, seed: garble(db, [1], seed),
    "three random pages": _random_pages,
    "truncated to half": lambda db, seed: db.write_bytes(db.read_bytes()[: db.stat().st_size // 2]),
    "header zeroed": lambda db, seed: db.write_bytes(bytes(100) + db.read_bytes()[100:]),
}


def _commands(kit: Kit, folder: Path) -> dict[str, list[str]]:
    header, row = shipped_row("api")
    (folder / "api.csv").write_text(csv_of(header, row), encoding="utf-8")
    return {
        "db info": ["db", "info"],
        "db check": ["db", "check"],
        "runs": ["runs"],
        "show": ["show", kit.run_id],
        "report": ["report", "--format", "csv", "--out", str(folder)],
        "catalog list": ["catalog", "list"],
        "import": ["import", str(tools.copy_bundle(kit, folder))],
        "catalog import": ["catalog", "import", str(folder / "api.csv")],
    }


def _damaged_run(damage: str, command: str, seed: int) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        database = folder / "planner.db"
        database.write_bytes(kit.large_database.read_bytes())
        DAMAGE[damage](database, seed)
        outcome = tools.run_cli(["--db", str(database), *_commands(kit, folder)[command]])
        if command == "db check" and outcome.code == 1 and "damaged" in outcome.out:
            return REFUSED  # the damage was found and reported, with how to recover
        return outcome.verdict

    return run


def damaged_database_trials(seeds: range = range(1)) -> list[Trial]:
    commands = ("db info", "db check", "runs", "show", "report", "catalog list", "import")
    return [
        Trial(
            "damaged databases",
            f"{damage} (seed {seed}): {command}",
            _damaged_run(damage, command, seed),
            frozenset({REFUSED, ACCEPTED}),
        )
        for damage in DAMAGE
        for command in (*commands, "catalog import")
        for seed in seeds
    ]


# --- read-only databases ----------------------------------------------------------------

READERS = ("db info", "db check", "runs", "show", "report", "catalog list")
WRITERS = ("import", "catalog import")


def _read_only_run(what: str, command: str) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        home = folder / "ro"
        home.mkdir()
        database = tools.copy_database(kit, home)
        argv = ["--db", str(database), *_commands(kit, folder)[command]]
        before = tools.dump(database)
        with tools.read_only(database if what == "file" else home):
            outcome = tools.run_cli(argv)
        verdict = named(outcome, "read-only")
        return LOST if tools.dump(database) != before else verdict

    return run


def read_only_trials() -> list[Trial]:
    return [
        Trial(
            "read-only databases",
            f"read-only {what}: {command}",
            _read_only_run(what, command),
            frozenset({ACCEPTED} if command in READERS else {REFUSED}),
        )
        for what in ("file", "folder")
        for command in (*READERS, *WRITERS)
    ]
