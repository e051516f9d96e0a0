"""Tools of the hostile-input campaign: real databases and bundles, the CLI run in-process or
as a child process with a time limit, and the verdict on what a run did.

A verdict is one of: ``accepted`` (exit 0), ``refused`` (exit 2 with one ``planner: error``
line, or argparse's usage error), ``internal`` (exit 70: a traceback went to a crash log),
``hung`` (still running at the time limit), ``lost`` (a refusal that changed the database,
or a database left damaged or half-imported) and ``odd`` (anything else).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from builders import store_run, three_option_scenario

import planner.cli.main as cli_main
from planner.services.plans import plan_from_text
from planner.services.seeding import seed_database
from planner.storage import bundle_schema
from planner.storage.bundles import BundleSite, write_bundle
from planner.storage.database import OpenedDatabase, open_database

ACCEPTED, REFUSED, INTERNAL, HUNG, LOST, ODD = (
    "accepted",
    "refused",
    "internal",
    "hung",
    "lost",
    "odd",
)
SITE = BundleSite("Hardening lab", "campaign", "f" * 64, "0.1.0")


@dataclass(frozen=True)
class Outcome:
    code: int | None
    out: str
    err: str

    @property
    def verdict(self) -> str:
        if self.code is None:
            return HUNG
        if self.code == 70 or "internal error" in self.err or "Traceback" in self.err:
            return INTERNAL
        if self.code == 0:
            return ACCEPTED
        if self.code == 2 and _one_refusal(self.err):
            return REFUSED
        return ODD


def _one_refusal(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    if not lines:
        return False
    if lines[0].startswith("usage:"):  # argparse: usage, then one error line
        return lines[-1].startswith("planner") and ": error: argument " in lines[-1]
    refusals = [line for line in lines if line.startswith("planner: error: ")]
    waits = [line for line in lines if line.startswith("planner: waiting")]
    return len(refusals) >= 1 and len(refusals) + len(waits) == len(lines)


@dataclass(frozen=True)
class Kit:
    """Files every trial starts from, made once: copy them, never change them."""

    database: Path
    bundle: Path
    run_id: str
    model: Path
    large_database: Path


def make_kit(folder: Path, model: Path) -> Kit:
    """A seeded database with one run and one plan, a bundle of its run, and a larger
    database (30 runs) whose tables span interior pages, for damage trials."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "template.db"
    opened = open_database(database)
    seed_database(opened)
    run = store_run(opened, points=3, scenario="concurrency")
    plan_from_text(opened, three_option_scenario(run.id, "hardening"), None)
    bundle = folder / "template.plannerbundle"
    write_bundle(opened, bundle, SITE)
    _close(opened)
    large = folder / "large.db"
    shutil.copyfile(database, large)
    add_runs(large, 30)
    return Kit(database, bundle, run.id, model, large)


def add_runs(database: Path, count: int, points: int = 3) -> None:
    """Store ``count`` more runs (with machine and model) in ``database``."""
    opened = open_database(database)
    for index in range(count):
        store_run(opened, points=points, run_id=f"dddddddd-0000-4000-8000-{index:012d}")
    _close(opened)


def make_big_bundle(folder: Path, runs: int, points: int = 8) -> Path:
    """A bundle of ``runs`` runs, large enough that importing it takes a while."""
    source = folder / "big-source.db"
    open_database(source).close()
    add_runs(source, runs, points)
    opened = open_database(source)
    bundle = folder / "big.plannerbundle"
    write_bundle(opened, bundle, SITE)
    opened.close()
    return bundle


def _close(opened: OpenedDatabase) -> None:
    opened.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    opened.close()


def copy_database(kit: Kit, folder: Path) -> Path:
    target = folder / "planner.db"
    shutil.copyfile(kit.database, target)
    return target


def copy_bundle(kit: Kit, folder: Path, name: str = "site.plannerbundle") -> Path:
    target = folder / name
    shutil.copyfile(kit.bundle, target)
    return target


#: Run every trial's planner in a child process with a time limit (slow, but safe for a
#: planner that might accept a hostile value and then run for ever): campaign --children.
IN_CHILDREN = False
#: How long a child process may run before it counts as hung.
CHILD_TIMEOUT_S = 60.0


def run_cli(argv: Sequence[str]) -> Outcome:
    """``planner ARGV`` in this process (fast); in a child process with ``IN_CHILDREN``."""
    return run_child(argv) if IN_CHILDREN else run_here(argv)


def run_here(argv: Sequence[str]) -> Outcome:
    """``planner ARGV`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main.main(list(argv))
        except SystemExit as exc:  # argparse refusals
            code = exc.code if isinstance(exc.code, int) else 2
    return Outcome(code, out.getvalue(), err.getvalue())


def run_child(argv: Sequence[str], timeout_s: float | None = None) -> Outcome:
    """``planner ARGV`` in a child process, killed at the time limit (for pipes and devices)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [sys.executable, "-m", "planner", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as child:
        try:
            out, err = child.communicate(timeout=timeout_s or CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
            return Outcome(None, out, err)
    return Outcome(child.returncode, out, err)


def dump(database: Path) -> str:
    """The database's content as SQL text (to prove a refusal changed nothing)."""
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def integrity(database: Path) -> str:
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def refused_untouched(argv: Sequence[str], database: Path) -> str:
    """Run ``argv`` in-process; a refusal that changed the database is ``lost``."""
    before = dump(database)
    verdict = run_cli(argv).verdict
    if verdict == REFUSED and dump(database) != before:
        return LOST
    return verdict


def tamper(bundle: Path, *statements: str, reseal: bool = True) -> Path:
    """Run SQL on a bundle and (by default) seal it again, as a careful attacker would."""
    conn = sqlite3.connect(bundle, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
        if reseal:
            checksum = bundle_schema.content_checksum(conn)
            conn.execute("UPDATE bundle_meta SET value = ? WHERE key = 'checksum'", (checksum,))
    finally:
        conn.close()
    return bundle


def set_json(bundle: Path, table: str, column: str, path: Sequence[str | int], token: str) -> Path:
    """Put the raw JSON ``token`` (e.g. ``1e400``, ``NaN``) at ``path`` in every row's column."""
    conn = sqlite3.connect(bundle, isolation_level=None)
    try:
        rows = conn.execute(f"SELECT rowid, {column} FROM {table}").fetchall()
        for rowid, text in rows:
            data = json.loads(text)
            node = data
            for key in path[:-1]:
                node = node[key]
            last = path[-1]
            if isinstance(node, list) and isinstance(last, int) and last >= len(node):
                node.append("@@HOSTILE@@")
            else:
                node[last] = "@@HOSTILE@@"
            raw = json.dumps(data).replace('"@@HOSTILE@@"', token)
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (raw, rowid))
    finally:
        conn.close()
    return tamper(bundle)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or folder) unwritable the way this machine allows.

    As root, permission bits do not stop a write, so the immutable attribute is used;
    otherwise the write bits are cleared. Either way ``os.access`` reports the truth.
    """
    immutable = os.geteuid() == 0 and shutil.which("chattr") is not None
    mode = path.stat().st_mode
    if immutable:
        subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
    else:
        path.chmod(mode & ~0o222)
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True, capture_output=True)
        else:
            path.chmod(mode)


def can_make_read_only(folder: Path) -> bool:
    """Whether :func:`read_only` works here (chattr may be refused in a container)."""
    probe = folder / "probe"
    probe.write_text("x")
    try:
        with read_only(probe):
            return not os.access(probe, os.W_OK)
    except (OSError, subprocess.CalledProcessError):
        return False
    finally:
        probe.unlink(missing_ok=True)
