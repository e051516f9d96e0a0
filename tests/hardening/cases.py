"""The hostile inputs of the campaign, as trials: each builds its input in a fresh folder
from the kit, runs planner on it and returns a verdict (see ``tools``).

The tests run these trials (all, or a sample where they are slow) and assert the allowed
verdicts; ``campaign.py`` runs all of them and more random ones and prints the table.
Every refusal must name what was wrong (the column, flag, field or path) on one line.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hardening import tools
from hardening.tools import ACCEPTED, LOST, ODD, REFUSED, Kit, Outcome

from planner.core.run import RunConfig
from planner.planning.catalog import CATALOG_FILES, parse_catalog_csv

#: Texts that a number field may hold in a CSV file or on a command line.
HOSTILE_NUMBERS = (
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "1e308",
    "-1",
    "-0.5",
    "0",
    "1" + "0" * 30,
    "1e23",
    "0x10",
)
#: Those that are never a finite number: always refused.
NON_FINITE = frozenset({"nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400"})
#: Raw JSON tokens for a number inside a bundle's JSON.
HOSTILE_JSON = ("1e400", "-1e400", "NaN", "Infinity", "1e308", "-1", "0", "1" + "0" * 25, "true")
NON_FINITE_JSON = frozenset({"1e400", "-1e400", "NaN", "Infinity", "1" + "0" * 25})
#: Characters a name must never carry into a terminal or a stored row: controls, and format
#: characters (bidi override and isolate, zero-width space, BOM, Arabic letter mark, soft
#: hyphen, language tag).
HOSTILE_CHARS = (
    "\x00",
    "\x1b[2J",
    "\x07",
    "\x7f",
    "\u202e",
    "\u200b",
    "\u2066",
    "\ufeff",
    "\u061c",
    "\u00ad",
    "\U000e0001",
)

Runner = Callable[[Kit, Path], str]


@dataclass(frozen=True)
class Trial:
    category: str
    name: str
    run: Runner
    allowed: frozenset[str]


def named(outcome: Outcome, *needles: str) -> str:
    """The verdict, with a refusal that names none of ``needles`` counted as odd."""
    verdict = outcome.verdict
    if verdict == REFUSED and not any(n in outcome.err for n in needles):
        return ODD
    return verdict


# --- catalogue CSV numbers -------------------------------------------------------------

NUMERIC_COLUMNS = {
    "hardware": ("price", "power_w", "idle_w", "gpu_count", "fp16_tflops", "memory_bw_gbs"),
    "cloud": ("gpu_count", "price_per_hour"),
    "api": ("price",),
    "carbon": ("g_co2_per_kwh", "year"),
}
DEFAULT_KEYS = ("pue", "tariff_per_kwh", "target_utilization", "depreciation_years", "redundancy")


def shipped_row(kind: str, key: str | None = None) -> tuple[list[str], list[str]]:
    """Header and the first data row (or the cost default ``key``) of a shipped catalogue."""
    from planner.core.resources import resources_dir

    text = (resources_dir() / CATALOG_FILES[kind]).read_text(encoding="utf-8")
    parse_catalog_csv(kind, text)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    rows = list(csv.reader(lines))
    header, body = rows[0], rows[1:]
    if key is not None:
        return header, next(r for r in body if r[0] == key)
    return header, body[0]


def csv_of(header: list[str], row: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, row])
    return out.getvalue()


def _catalogue_run(kind: str, columns: tuple[str, ...], token: str, key: str | None) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        header, row = shipped_row(kind, key)
        for column in columns:
            row[header.index(column)] = token
        path = folder / f"{kind}.csv"
        path.write_text(csv_of(header, row), encoding="utf-8")
        database = tools.copy_database(kit, folder)
        argv = ["--db", str(database), "catalog", "import", str(path)]
        before = tools.dump(database)
        outcome = tools.run_cli(argv)
        verdict = named(outcome, *columns)
        if verdict == REFUSED and tools.dump(database) != before:
            return LOST
        if verdict == ACCEPTED:
            listing = tools.run_cli(["--db", str(database), "catalog", "list", "--json"])
            return listing.verdict
        return verdict

    return run


def catalogue_number_trials(tokens: tuple[str, ...] = HOSTILE_NUMBERS) -> list[Trial]:
    trials = []
    for token in tokens:
        allowed = frozenset({REFUSED} if token in NON_FINITE else {REFUSED, ACCEPTED})
        for kind, columns in NUMERIC_COLUMNS.items():
            for column in columns:
                run = _catalogue_run(kind, (column,), token, None)
                trials.append(
                    Trial("catalogue CSV numbers", f"{kind}.{column}={token}", run, allowed)
                )
        for key in DEFAULT_KEYS:
            run = _catalogue_run("defaults", ("value", "low", "high"), token, key)
            trials.append(Trial("catalogue CSV numbers", f"defaults.{key}={token}", run, allowed))
    return trials


# --- catalogue CSV text and structure ---------------------------------------------------

TEXT_COLUMNS = {"hardware": ("name", "source"), "cloud": ("provider",), "carbon": ("country",)}


def _text_run(kind: str, column: str, text: str) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        header, row = shipped_row(kind)
        row[header.index(column)] = f"a{text}b"
        path = folder / f"{kind}.csv"
        path.write_text(csv_of(header, row), encoding="utf-8", newline="")
        database = tools.copy_database(kit, folder)
        before = tools.dump(database)
        outcome = tools.run_cli(["--db", str(database), "catalog", "import", str(path)])
        verdict = named(outcome, "line ")
        return LOST if verdict == REFUSED and tools.dump(database) != before else verdict

    return run


def catalogue_text_trials() -> list[Trial]:
    trials = []
    for kind, columns in TEXT_COLUMNS.items():
        for column in columns:
            for text in (*HOSTILE_CHARS, "\n", "\r", "\r\n", "\u2028"):
                name = f"{kind}.{column} holds {text!r}"
                trials.append(
                    Trial(
                        "catalogue CSV text",
                        name,
                        _text_run(kind, column, text),
                        frozenset({REFUSED}),
                    )
                )
    return trials


# --- bundle JSON numbers ----------------------------------------------------------------

LIST_KEYS = ("batch_sizes", "concurrency", "target_rates")
#: The numeric fields of a run configuration (lists of numbers included).
CONFIG_KEYS = tuple(
    f.name
    for f in dataclasses.fields(RunConfig)
    if f.name in LIST_KEYS or f.type in ("int", "float", "int | None", "float | None")
)
BUNDLE_FIELDS: dict[str, tuple[str, str, tuple[str | int, ...]]] = {
    **{
        f"config.{key}": ("runs", "config_json", (key, 0) if key in LIST_KEYS else (key,))
        for key in CONFIG_KEYS
    },
    "config.dims": ("runs", "config_json", ("dims", "seq")),
    "summary.dims_used": ("runs", "summary_json", ("dims_used", "batch")),
    "summary.session_create_ms": ("runs", "summary_json", ("session_create_ms",)),
    "point.batch": ("points", "point_json", ("batch",)),
    "point.concurrency": ("points", "point_json", ("concurrency",)),
    "point.stats.p99": ("points", "point_json", ("stats", "p99")),
}


def _bundle_run(field: str, token: str) -> Runner:
    table, column, path = BUNDLE_FIELDS[field]

    def run(kit: Kit, folder: Path) -> str:
        bundle = tools.set_json(tools.copy_bundle(kit, folder), table, column, path, token)
        database = tools.copy_database(kit, folder)
        before = tools.dump(database)
        outcome = tools.run_cli(["--db", str(database), "import", str(bundle)])
        verdict = named(outcome, "rejected")
        if verdict == REFUSED:
            return LOST if tools.dump(database) != before else REFUSED
        if verdict != ACCEPTED:
            return verdict
        for argv in (["runs", "--json"], ["report", "--format", "csv", "--out", str(folder)]):
            shown = tools.run_cli(["--db", str(database), *argv]).verdict
            if shown != ACCEPTED:
                return shown
        return ACCEPTED

    return run


def bundle_number_trials(tokens: tuple[str, ...] = HOSTILE_JSON) -> list[Trial]:
    return [
        Trial(
            "bundle JSON numbers",
            f"{field}={token}",
            _bundle_run(field, token),
            frozenset({REFUSED} if token in NON_FINITE_JSON else {REFUSED, ACCEPTED}),
        )
        for field in BUNDLE_FIELDS
        for token in tokens
    ]


# --- command-line flags -----------------------------------------------------------------

#: Flag -> how it is written; the tokens a flag may accept are never tried on ``profile``.
PROFILE_FLAGS = {
    "--rate": ("--scenario", "server", "--rate", "{}"),
    "--slo": ("--scenario", "server", "--slo", "{}"),
    "--slo-percentile": ("--scenario", "server", "--slo", "50", "--slo-percentile", "{}"),
    "--budget": ("--budget", "{}"),
    "--point-cap": ("--point-cap", "{}"),
    "--batch": ("--batch", "{}"),
    "--concurrency": ("--scenario", "concurrency", "--concurrency", "{}"),
    "--intra-op": ("--intra-op", "{}"),
    "--inter-op": ("--inter-op", "{}"),
    "--seed": ("--seed", "{}"),
    "--dim": ("--dim", "seq={}"),
    "--range": ("--range", "ids=0:{}"),
}
#: Settings before the flag under test (which overrides them): should a planner accept a
#: hostile value, the profile it starts ends in seconds.
FAST_PROFILE = ("--budget", "3s", "--point-cap", "0.3s", "--intra-op", "1")
#: Tokens a flag accepts: never tried on ``profile``, which would then measure for a minute.
VALID_FOR = {"--intra-op": {"0"}, "--inter-op": {"0"}, "--seed": {"0"}}


def flag_trials(tokens: tuple[str, ...] = HOSTILE_NUMBERS) -> list[Trial]:
    trials = [
        Trial(
            "command-line flags",
            f"profile {flag} {token}",
            _flag_run(["profile", "MODEL", *FAST_PROFILE], flag, words, token),
            frozenset({REFUSED}),
        )
        for flag, words in PROFILE_FLAGS.items()
        for token in tokens
        if token not in VALID_FOR.get(flag, ())
    ]
    for token in tokens:
        trials.append(
            Trial(
                "command-line flags",
                f"assess --budget {token}",
                _flag_run(["assess", "--site", "S"], "--budget", ("--budget", "{}"), token),
                frozenset({REFUSED}),
            )
        )
        for flag, words in (("--batch", ("--batch", "{}")), ("--dim", ("--dim", "batch={}"))):
            trials.append(
                Trial(
                    "command-line flags",
                    f"inspect {flag} {token}",
                    _flag_run(["inspect", "MODEL"], flag, words, token),
                    frozenset({REFUSED} if token in NON_FINITE else {REFUSED, ACCEPTED}),
                )
            )
    return trials


def _flag_run(command: list[str], flag: str, words: tuple[str, ...], token: str) -> Runner:
    def run(kit: Kit, folder: Path) -> str:
        database = tools.copy_database(kit, folder)
        words_in = [str(kit.model) if w == "MODEL" else w for w in command]
        argv = ["--db", str(database), *words_in, *(w.format(token) for w in words)]
        if command[0] == "assess":
            argv += ["--out", str(folder / "a.bundle")]
        return named(tools.run_cli(argv), flag)

    return run
