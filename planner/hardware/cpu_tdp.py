"""CPU thermal design power from the shipped table, for energy estimates without a meter.

Any thread; reads one small CSV (``resources/catalog/cpu_tdp.csv``). The estimate it
serves is labelled as such wherever it appears: ``TDP / threads`` is the power of one busy
hardware thread at full load, and a run that keeps ``k`` threads busy is charged ``k`` of
them. Per thread rather than per socket, because a cloud VM sees a few threads of a big
socket and must not be charged the whole socket. When the exact model is hidden (a
hypervisor reports only "AMD EPYC"), the median per thread of the catalogued models of
that family is used, and the estimate says so.
"""

from __future__ import annotations

import csv
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import HardwareError, InputError
from planner.core.resources import resources_dir
from planner.core.validation import Limits, check_number

TABLE = "catalog/cpu_tdp.csv"
_TDP_LIMITS = Limits(1.0, 2000.0, why="a CPU package's TDP in W")
_THREAD_LIMITS = Limits(1, 4096, whole=True, why="hardware threads of one CPU package")
_NOISE = re.compile(r"\((r|tm)\)|\b(cpu|processor)\b|@.*$|\d+-core", re.IGNORECASE)


@dataclass(frozen=True)
class CpuTdp:
    """Watts per busy hardware thread, and where that figure comes from."""

    watts_per_thread: float
    basis: str
    source: str
    date: str

    def describe(self) -> str:
        return f"{self.basis}; {self.source}, {self.date}"


@dataclass(frozen=True)
class _Row:
    model: str
    family: str
    tdp_w: float
    threads: int
    source: str
    date: str


def normalise(name: str) -> str:
    """Lower case, trademarks, 'CPU', clock speed and core counts removed, spaces single."""
    return " ".join(_NOISE.sub(" ", name).lower().split())


def lookup_cpu_tdp(model_name: str | None, table: Path | None = None) -> CpuTdp | None:
    """The TDP basis for ``model_name`` (exact model, else family median), or None."""
    if not model_name:
        return None
    rows = _load(table or resources_dir() / TABLE)
    name = normalise(model_name)
    exact = [r for r in rows if _contains(name, normalise(r.model))]
    if exact:
        row = max(exact, key=lambda r: len(r.model))
        return CpuTdp(
            row.tdp_w / row.threads,
            f"{row.model}: {row.tdp_w:g} W TDP / {row.threads} threads",
            row.source,
            row.date,
        )
    families = [r for r in rows if _contains(name, normalise(r.family))]
    if not families:
        return None
    family = max((r.family for r in families), key=len)
    members = [r for r in families if r.family == family]
    median = statistics.median(r.tdp_w / r.threads for r in members)
    return CpuTdp(
        median,
        f"{family} family median of {len(members)} models; '{model_name}' not identified",
        "CPU TDP table (vendors' product pages)",
        max(r.date for r in members),
    )


def _contains(name: str, part: str) -> bool:
    return re.search(rf"(^|\W){re.escape(part)}($|\W)", name) is not None


def _load(path: Path) -> list[_Row]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HardwareError(f"cannot read the CPU TDP table {path}: {exc.strerror}") from exc
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = []
    try:
        for record in csv.DictReader(lines):
            rows.append(
                _Row(
                    model=record["model"].strip(),
                    family=record["family"].strip(),
                    tdp_w=check_number(float(record["tdp_w"]), "cpu_tdp tdp_w", _TDP_LIMITS),
                    threads=int(
                        check_number(float(record["threads"]), "cpu_tdp threads", _THREAD_LIMITS)
                    ),
                    source=record["source"].strip(),
                    date=record["date"].strip(),
                )
            )
    except (KeyError, ValueError, InputError) as exc:
        raise HardwareError(f"CPU TDP table {path} is malformed: {exc}") from exc
    return rows
