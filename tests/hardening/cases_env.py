"""Hostile surroundings: paths that are not regular files, names with control characters,
two writers at once, and an import interrupted by ``kill -9`` (databases: ``cases_db``).

Trials as in ``cases``: each builds its input in a fresh folder from the kit, runs planner
and returns a verdict. Inputs that could hang (pipes, devices) run in a child process with
a time limit, so a hang is reported as ``hung`` instead of stopping the campaign.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from hardening import tools
from hardening.cases import HOSTILE_CHARS, Runner, Trial, csv_of, named, shipped_row
from hardening.tools import ACCEPTED, LOST, ODD, REFUSED, Kit

# --- files that are not regular files ---------------------------------------------------


def _fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def _path_run(build: Callable[[Kit, Path], list[str]], needle: str) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        return named(tools.run_child(build(kit, folder)), needle)

    return run


def _db(kit: Kit, folder: Path) -> list[str]:
    return ["--db", str(tools.copy_database(kit, folder))]


def _csv_into_fifo(kit: Kit, folder: Path) -> list[str]:
    """``--out r.csv`` where r_runs.csv, one of the files it writes, is a FIFO."""
    _fifo(folder, "r_runs.csv")
    return [*_db(kit, folder), "report", "--format", "csv", "--out", str(folder / "r.csv")]


PATH_CASES: dict[str, tuple[Callable[[Kit, Path], list[str]], str]] = {
    "--db is a FIFO": (lambda k, f: ["--db", str(_fifo(f, "p.db")), "runs"], "not a regular"),
    "--db is /dev/zero": (lambda k, f: ["--db", "/dev/zero", "runs"], "not a regular"),
    "--db is /dev/null": (lambda k, f: ["--db", "/dev/null", "runs"], "not a regular"),
    "--db is a folder": (lambda k, f: ["--db", str(f), "runs"], "is a folder"),
    "catalogue is a FIFO": (
        lambda k, f: [*_db(k, f), "catalog", "import", str(_fifo(f, "c.csv"))],
        "not a regular",
    ),
    "catalogue is /dev/zero": (
        lambda k, f: [*_db(k, f), "catalog", "import", "/dev/zero"],
        "not a regular",
    ),
    "bundle is a FIFO": (
        lambda k, f: [*_db(k, f), "import", str(_fifo(f, "b.plannerbundle"))],
        "not a regular",
    ),
    "bundle is /dev/zero": (lambda k, f: [*_db(k, f), "import", "/dev/zero"], "not a regular"),
    "bundle is a folder": (lambda k, f: [*_db(k, f), "import", str(f)], "is a folder"),
    "PDF --out is a FIFO": (
        lambda k, f: [*_db(k, f), "report", "--format", "pdf", "--out", str(_fifo(f, "r.pdf"))],
        "pipe, device or socket",
    ),
    "CSV --out is a FIFO": (_csv_into_fifo, "pipe, device or socket"),
    "PDF --out in a missing folder": (
        lambda k, f: [*_db(k, f), "report", "--format", "pdf", "--out", str(f / "no" / "r.pdf")],
        "does not exist",
    ),
    "catalogue export to a FIFO": (
        lambda k, f: [*_db(k, f), "catalog", "export", str(_fifo(f, "e.csv")), "--kind", "api"],
        "pipe, device or socket",
    ),
    "catalogue export to /dev/full": (
        lambda k, f: [*_db(k, f), "catalog", "export", "/dev/full", "--kind", "api"],
        "pipe, device or socket",
    ),
    "catalogue export into a missing folder": (
        lambda k, f: [*_db(k, f), "catalog", "export", str(f / "no" / "e.csv"), "--kind", "api"],
        "does not exist",
    ),
}


def path_trials() -> list[Trial]:
    return [
        Trial("non-regular files", name, _path_run(build, needle), frozenset({REFUSED}))
        for name, (build, needle) in PATH_CASES.items()
    ]


# --- names with control, bidi and zero-width characters ---------------------------------

_UNSAFE = {chr(c) for c in range(32) if chr(c) != "\n"} | {"\x7f"}
_UNSAFE |= {"\u202e", "\u200b", "\u2066", "\ufeff", "\u061c", "\u00ad", "\U000e0001"}


def _display_run(text: str, command: str) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        database = tools.copy_database(kit, folder)
        name = f"evil{text}name"
        conn = sqlite3.connect(database)
        with conn:
            conn.execute("UPDATE models SET name = ?", (name,))
            conn.execute(
                "UPDATE runs SET summary_json = json_set(summary_json, '$.model_name', ?)", (name,)
            )
            conn.execute(
                "UPDATE catalog_rows SET row_json = json_set(row_json, '$.source', ?)", (name,)
            )
        conn.close()
        argv = {"runs": ["runs"], "show": ["show", kit.run_id], "catalog list": ["catalog", "list"]}
        outcome = tools.run_cli(["--db", str(database), *argv[command]])
        if outcome.verdict == ACCEPTED and _UNSAFE & set(outcome.out):
            return ODD  # a raw control or bidi character reached the terminal
        return outcome.verdict

    return run


def _name_input_run(argv_of: Callable[[Path, str], list[str]], flag: str, text: str) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        database = tools.copy_database(kit, folder)
        return named(tools.run_cli(["--db", str(database), *argv_of(folder, text)]), flag)

    return run


NAME_INPUTS: dict[str, tuple[Callable[[Path, str], list[str]], str]] = {
    "report --author": (
        lambda f, t: ["report", "--format", "pdf", "--out", str(f / "r.pdf"), "--author", t],
        "--author",
    ),
    "report --site": (
        lambda f, t: ["report", "--format", "csv", "--out", str(f), "--site", f"x{t}y"],
        "--site",
    ),
    "assess --site": (
        lambda f, t: ["assess", "--site", f"x{t}y", "--out", str(f / "a.bundle")],
        "--site",
    ),
}


def _bundle_site_run(text: str) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        bundle = tools.copy_bundle(kit, folder)
        conn = sqlite3.connect(bundle)
        with conn:
            conn.execute("UPDATE bundle_meta SET value = ? WHERE key = 'site'", (f"Lab{text}",))
        conn.close()
        tools.tamper(bundle)
        database = tools.copy_database(kit, folder)
        before = tools.dump(database)
        verdict = named(tools.run_cli(["--db", str(database), "import", str(bundle)]), "site")
        return LOST if verdict == REFUSED and tools.dump(database) != before else verdict

    return run


def text_trials() -> list[Trial]:
    shown = frozenset({ACCEPTED})
    refused = frozenset({REFUSED})
    trials = [
        Trial("names and display", f"{cmd} shows {text!r}", _display_run(text, cmd), shown)
        for cmd in ("runs", "show", "catalog list")
        for text in HOSTILE_CHARS
    ]
    trials += [
        Trial("names and display", f"{name} {text!r}", _name_input_run(argv, flag, text), refused)
        for name, (argv, flag) in NAME_INPUTS.items()
        for text in HOSTILE_CHARS
    ]
    trials += [
        Trial("names and display", f"bundle site {text!r}", _bundle_site_run(text), refused)
        for text in HOSTILE_CHARS
    ]
    return trials


# --- kill -9 during an import -----------------------------------------------------------


def kill_import_trial(
    big_bundle: Path,
    runs_in_bundle: int,
    folder: Path,
    delay_s: float,
    landed: list[str] | None = None,
) -> str:
    """Start ``planner import``, SIGKILL it after ``delay_s``; all or nothing must remain.

    Then the import is run again to the end: it must complete and hold every run once.
    ``landed`` gets where the kill fell: before the database existed, before the import
    committed (a write-ahead log left behind shows it was inside the transaction), or
    after it committed.
    """
    database = folder / "planner.db"
    argv = [sys.executable, "-m", "planner", "--db", str(database), "import", str(big_bundle)]
    with subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as child:
        time.sleep(delay_s)
        child.send_signal(signal.SIGKILL)
    if landed is not None:
        landed.append(_where_killed(database, runs_in_bundle))
    if database.exists() and not _whole(database, runs_in_bundle, allow_empty=True):
        return LOST
    again = tools.run_cli(["--db", str(database), "import", str(big_bundle)])
    if again.verdict != ACCEPTED:
        return again.verdict
    return ACCEPTED if _whole(database, runs_in_bundle, allow_empty=False) else LOST


def _where_killed(database: Path, runs: int) -> str:
    if not database.exists():
        return "before the database existed"
    if _whole(database, runs, allow_empty=False):
        return "after the import committed"
    wal = database.with_name(database.name + "-wal")
    if wal.exists() and wal.stat().st_size > 1_000_000:
        return "inside the import transaction"
    return "before the import wrote"


def _whole(database: Path, runs: int, allow_empty: bool) -> bool:
    """Integrity ok, and the import either absent (runs 0) or complete (every run)."""
    try:
        if tools.integrity(database) != "ok":
            return False
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "imports" not in tables:
                return allow_empty
            imports = conn.execute("SELECT count(*) FROM imports").fetchone()[0]
            stored = conn.execute("SELECT count(*) FROM runs WHERE import_id IS NOT NULL")
            count = stored.fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    if imports == 0:
        return allow_empty and count == 0
    return imports == 1 and count == runs


# --- two writers ------------------------------------------------------------------------


def two_writers_trial(kit: Kit, folder: Path) -> str:
    """A write meets another process's write lock for longer than the busy timeout.

    The holder keeps ``BEGIN IMMEDIATE`` open until planner says it is waiting; then it
    commits and planner's write must go through. The busy timeout is cut to 0.1 s so the
    trial is quick; the mechanism (wait, say so, try again) is what is asserted, not speed.
    """
    import planner.cli.dispatch as cli_dispatch
    from planner.storage import database as storage_database

    target = tools.copy_database(kit, folder)
    header, row = shipped_row("api")
    (folder / "api.csv").write_text(csv_of(header, row), encoding="utf-8")
    holding, release = threading.Event(), threading.Event()
    notices: list[float] = []

    def hold() -> None:
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE planner_meta SET value = value WHERE key = 'app'")
        holding.set()
        release.wait(timeout=120)
        conn.execute("COMMIT")
        conn.close()

    original_notice = cli_dispatch._print_wait

    def notice(prog: str, waited_s: float) -> None:
        original_notice(prog, waited_s)
        notices.append(waited_s)
        release.set()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(timeout=60)
    saved_timeout = storage_database.BUSY_TIMEOUT_MS
    storage_database.BUSY_TIMEOUT_MS = 100
    cli_dispatch._print_wait = notice
    try:
        outcome = tools.run_here(
            ["--db", str(target), "catalog", "import", str(folder / "api.csv")]
        )
    finally:
        storage_database.BUSY_TIMEOUT_MS = saved_timeout
        if original_notice is not None:
            cli_dispatch._print_wait = original_notice
        release.set()
        holder.join(timeout=120)
    if outcome.verdict == ACCEPTED and not notices:
        return ODD
    return outcome.verdict
