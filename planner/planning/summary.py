"""The headline figures of a plan, one row per option: what every output shows.

Pure (any thread). Computed from the JSON form of a plan (``PlanResult.to_dict()``), so a
stored plan and a fresh one give the same summary; the CLI table, ``--json``, the app
and the reports all read this one function, and therefore agree.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def plan_summary(result: dict[str, Any]) -> dict[str, Any]:
    """Per option: units, capacity, total, cost per 1k/1M, margin, energy, CO2; break-evens."""
    options = []
    for option in result["options"]:
        units = _array(option.get("units"))
        energy = _array(option.get("energy_kwh"))
        co2 = _array(option.get("co2_kg"))
        options.append(
            {
                "name": option["name"],
                "kind": option["kind"],
                "estimated": option["estimated"],
                "units_max": None if units is None else float(units.max()),
                "capacity_per_unit": option["capacity_per_unit"],
                "total_cost": option["total"],
                "cost_per_1k": option["cost_per_1k"],
                "cost_per_1m": option["cost_per_1m"],
                "margin_per_1k": option["margin_per_1k"],
                "energy_kwh": None if energy is None else float(energy.sum()),
                "co2_kg": None if co2 is None else float(co2.sum()),
            }
        )
    monte_carlo = result.get("monte_carlo")
    return {
        "scenario": result["scenario"],
        "currency": result["currency"],
        "months": result["months"],
        "options": options,
        "breakeven": [dict(b) for b in result["breakeven"]],
        "prob_cheapest": dict(monte_carlo["prob_cheapest"]) if monte_carlo else None,
    }


def _array(values: list | None) -> np.ndarray | None:
    if values is None:
        return None
    return np.asarray([np.nan if v is None else v for v in values], dtype=float)
