"""One way to show each kind of figure, shared by the PDF, the CSV notes, the CLI and the app.

Pure functions; any thread. ``FORMATS`` fixes the displayed precision of every figure
kind (the same specs ``planner plan`` prints its table with), so a number read in the
PDF matches the CLI table and the app digit for digit. Missing values show as an em dash.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

MISSING = "—"
FORMATS: Mapping[str, str] = {
    "money": ",.0f",
    "per_1k": ".4f",
    "per_1m": ",.2f",
    "margin_per_1k": ".4f",
    "units": ".0f",
    "capacity": ",.1f",
    "energy_kwh": ",.0f",
    "co2_kg": ",.0f",
    "probability": ".0%",
    "latency_ms": ".3f",
    "throughput": ",.1f",
    "joules": ".4f",
    "power_w": ",.1f",
    "rate": ",.2f",
    "percent": ".1f",
}
#: Which format each field of ``plan_summary()``'s option rows uses.
SUMMARY_FIELDS: Mapping[str, str] = {
    "units_max": "units",
    "capacity_per_unit": "capacity",
    "total_cost": "money",
    "cost_per_1k": "per_1k",
    "cost_per_1m": "per_1m",
    "margin_per_1k": "margin_per_1k",
    "energy_kwh": "energy_kwh",
    "co2_kg": "co2_kg",
}


def fmt(value: float | int | None, kind: str) -> str:
    """``value`` shown as figures of ``kind`` are shown everywhere (``—`` when missing)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    return format(value, FORMATS[kind])


def money(value: float | None, currency: str) -> str:
    """An amount with its currency code, e.g. ``94,813 USD``."""
    text = fmt(value, "money")
    return text if text == MISSING else f"{text} {currency}"


def per_1k(value: float | None, currency: str) -> str:
    text = fmt(value, "per_1k")
    return text if text == MISSING else f"{text} {currency}"


def summary_cell(option: Mapping[str, Any], field: str) -> str:
    """One cell of the option table: the field of a ``plan_summary()`` option row."""
    return fmt(option.get(field), SUMMARY_FIELDS[field])


def breakeven_text(month: int | None) -> str:
    return f"month {month}" if month else "not within the horizon"


def probability(value: float | None) -> str:
    return fmt(value, "probability")


def confidence_level(odds: float) -> str:
    """How sure a recommendation is from its Monte Carlo odds of being cheapest."""
    return "high" if odds >= 0.8 else "moderate" if odds >= 0.6 else "low"
