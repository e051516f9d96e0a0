"""Defaults that weigh on a plan's verdict though the scenario never set them. GUI thread.

A starter plan leaves staff to the catalogue: half a person for the server, a quarter for
the cloud fleet, a tenth for the API, at a loaded yearly cost. Those figures can decide
between options, so the Plan page names them beside the starter's own choices, with the
source of each, instead of leaving them in the provenance tree.
"""

from __future__ import annotations

from typing import Any

from planner.planning.catalog import Catalog
from planner.planning.defaults import DefaultContext, field_default


def staff_note(scenario: dict[str, Any], catalog: Catalog) -> str | None:
    """'Staff from catalogue defaults: …', or None when every option sets its staff."""
    currency = str(scenario.get("currency") or "USD")
    context = DefaultContext(catalog, currency, scenario.get("country"))
    parts: list[str] = []
    cost_text = ""
    for option in scenario.get("options", []):
        if "staff_fte" in option:
            continue
        kind = str(option.get("kind", ""))
        found = field_default(kind, "staff_fte", option, context)
        if found is None:
            continue
        source = str(found.provenance.source or "catalogue").split(":", 1)[0]
        parts.append(f"{option.get('name', kind)} {found.text} ({source})")
        if not cost_text and "staff_cost_per_year" not in option:
            cost = field_default(kind, "staff_cost_per_year", option, context)
            cost_text = "" if cost is None else f", each at {cost.text}"
    if not parts:
        return None
    return (
        "Staff from catalogue defaults: "
        + "; ".join(parts)
        + cost_text
        + ". Not set in this scenario, and it can decide between close options: set Staff "
        "on each option."
    )
