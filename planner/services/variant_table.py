"""The one column definition of a family comparison, shared by the CLI, the app and the PDF.

Pure formatting over a :class:`~planner.services.variant_comparison.Comparison`, except
:func:`family_table`, which reads the family on the thread that owns the connection it
is given, and :func:`family_table_from_file`, which opens a read-only connection of its
own. Each surface renders the :class:`~planner.core.variant_table.FamilyTable` built here
and adds nothing of its own, so a column added here appears everywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.core.errors import PlannerError
from planner.core.formatting import MISSING, energy_cell, money, rate, size
from planner.core.text import printable
from planner.core.variant import VariantKind
from planner.core.variant_table import FamilyTable
from planner.services.scenarios import stored_scenario_text
from planner.services.variant_comparison import (
    PER_1K,
    Comparison,
    ComparisonRow,
    compare_family,
    headline,
)
from planner.storage.database import OpenedDatabase, open_database_read_only

READING = "Latency and energy at the lowest concurrency point; peak over the sweep."
READING_TOKENS = (
    "Generative models: latency and energy are per output token, peak is output tokens/s, "
    "and tokens agree is the share of greedy steps matching the original (teacher forced)."
)


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[ComparisonRow], str]


def columns(comparison: Comparison) -> tuple[Column, ...]:
    """The comparison's columns: the CLI's table, which the app and the PDF show as well."""
    tokens = comparison.generative
    chosen = [
        Column("model", _name),
        Column("status", _status),
        Column("size", lambda r: MISSING if r.size_bytes is None else size(r.size_bytes)),
        Column("p50 ms", lambda r: _figure(r.best_point_value("p50"), ".3f")),
        Column("p99 ms", lambda r: _figure(r.best_point_value("p99"), ".3f")),
        Column(
            "peak tok/s" if tokens else "peak/s",
            lambda r: rate(r.best_point_value("throughput"), ""),
        ),
        Column("mJ/out tok" if tokens else "mJ/inf", _millijoules),
        Column("cosine", lambda r: _figure(_fidelity(r, "cosine"), ".5f")),
        Column("top-1", lambda r: _figure(_fidelity(r, "top1_agreement"), ".0%")),
    ]
    if tokens:
        chosen.append(
            Column("tokens agree", lambda r: _figure(_fidelity(r, "token_agreement"), ".0%"))
        )
    currency = comparison.currency
    if currency is not None:
        unit = "per 1k" if comparison.cost_unit == PER_1K else "per 1M out tok"
        chosen.append(Column(f"{unit} ({currency})", lambda r: money(r.cost, currency)))
    return tuple(chosen)


def comparison_table(comparison: Comparison) -> FamilyTable:
    """The comparison as text, with the headline, how to read it and per-member notes."""
    chosen = columns(comparison)
    reading = [READING] + ([READING_TOKENS] if comparison.generative else [])
    if comparison.priced_with is not None:
        reading.append(
            f"Cost per {comparison.cost_unit} from {comparison.priced_with}, sized from each "
            "model's own run."
        )
    parent = comparison.parent.model
    return FamilyTable(
        parent=printable(parent.info.name) if parent is not None else comparison.parent.label,
        headline=headline(comparison),
        header=tuple(c.header for c in chosen),
        rows=tuple(tuple(c.cell(row) for c in chosen) for row in comparison.rows),
        details=tuple(_details(row) for row in comparison.rows),
        reading=tuple(reading),
        notes=tuple(_notes(comparison)),
        unprofiled=tuple(
            r.label for r in comparison.variants if r.model is not None and r.run is None
        ),
    )


def family_table(
    opened: OpenedDatabase, parent_id: str, scenario_text: str | None = None
) -> FamilyTable:
    """The family of ``parent_id``, priced with ``scenario_text`` when it can be; a
    scenario that cannot price it leaves the cost out and says why in the notes."""
    try:
        return comparison_table(compare_family(opened, parent_id, scenario_text))
    except PlannerError as exc:
        if scenario_text is None:
            raise
        table = comparison_table(compare_family(opened, parent_id))
        return dataclasses.replace(
            table, notes=(*table.notes, f"not priced: {printable(str(exc))}")
        )


def family_table_from_file(
    db_path: Path, parent_id: str, scenario_id: str | None = None
) -> FamilyTable:
    """:func:`family_table` priced with the stored scenario ``scenario_id``, read through a
    read-only connection of its own: for a worker thread beside the connection's owner
    (SQLite's write-ahead log lets it read while the owner writes)."""
    opened = open_database_read_only(db_path)
    try:
        text = None if scenario_id is None else stored_scenario_text(opened, scenario_id)
        return family_table(opened, parent_id, text)
    finally:
        opened.close()


def _name(row: ComparisonRow) -> str:
    return printable(row.label if row.model is None else f"{row.label} ({row.model.info.name})")


def _status(row: ComparisonRow) -> str:
    return "parent" if row.variant is None else row.variant.outcome.status.value


def _figure(value: float | None, spec: str) -> str:
    return MISSING if value is None else format(value, spec)


def _millijoules(row: ComparisonRow) -> str:
    joules = row.best_point_value("joules")
    return energy_cell(joules)


def _fidelity(row: ComparisonRow, name: str) -> float | None:
    fidelity = None if row.variant is None else row.variant.outcome.fidelity
    value: float | None = None if fidelity is None else getattr(fidelity, name)
    return value


def _notes(comparison: Comparison) -> list[str]:
    notes = []
    for row in comparison.variants:
        assert row.variant is not None
        outcome = row.variant.outcome
        if not outcome.made:
            notes.append(f"{row.label}: {printable(outcome.reason or '')}")
        elif outcome.kind == VariantKind.PRUNE:
            notes.append(f"{row.label}: {_pruned_sizes(row)}; dense kernels are not faster")
    notes += [
        f"{r.label}: not priced ({printable(r.cost_note)})" for r in comparison.rows if r.cost_note
    ]
    return notes


def _pruned_sizes(row: ComparisonRow) -> str:
    assert row.variant is not None
    outcome = row.variant.outcome
    packed, parent = outcome.compressed_size_bytes, outcome.parent_compressed_size_bytes
    if packed is None or parent is None:
        return "smaller only when compressed"
    return f"{size(packed)} compressed against the parent's {size(parent)}"


def _details(row: ComparisonRow) -> str:
    """How a member was made and checked, in one line (the app's tooltip)."""
    if row.variant is None:
        return "the original model"
    outcome = row.variant.outcome
    if not outcome.made:
        return f"failed: {printable(outcome.reason or '')}"
    parts = list(outcome.recipe.notes)
    fidelity = outcome.fidelity
    if fidelity is not None:
        parts.append(
            f"checked against the parent on {fidelity.inputs_label}: max abs error "
            f"{_figure(fidelity.max_abs_error, '.3g')}, mean abs error "
            f"{_figure(fidelity.mean_abs_error, '.3g')}"
        )
    return printable("; ".join(parts))
