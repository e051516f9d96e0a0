"""A model family's comparison as text: the table every front end shows, cell for cell.

Pure data, any thread. ``planner.services.variant_table`` builds it from one column
definition; the CLI prints it, the app lists it and the PDF lays it out, so the three
show the same columns and the same figures and cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyTable:
    """The parent and its variants side by side.

    ``rows`` hold one cell per ``header`` entry, the parent first; ``details`` one line
    per row (how the variant was made and checked) for a tooltip. ``reading`` says how to
    read the figures (where they were measured, their units, what priced them);
    ``notes`` are remarks on single members (failures, honest limits, rows not priced);
    ``unprofiled`` names the made variants that have no run to show yet.
    """

    parent: str
    headline: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    details: tuple[str, ...]
    reading: tuple[str, ...]
    notes: tuple[str, ...]
    unprofiled: tuple[str, ...] = ()
