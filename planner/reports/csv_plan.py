"""The plan's CSV tables: one row per option, one row per option and month, the assumptions.

Pure functions over a stored plan; any thread. The plan's computed series are rounded to
what they can mean (money to cents, rates to 0.0001 per second, counts to whole ones, kWh
and kg to three decimals). Money headers end with the plan's currency code. A plan in
tokens counts requests, so its demand columns say requests (``avg_requests_per_s``,
``requests``) and add the output and prompt tokens of each month; a plan in inferences
keeps ``avg_rate_ips`` and ``inferences``. Discounted figures sit beside the nominal ones:
each month's cost as paid (hardware in its purchase month, even under straight-line capex)
discounted to the first month (``discounted_total``) and its running sum
(``cumulative_npv``), whose last value is the option's NPV in the options table.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from planner.core.plan_result import PlanResult
from planner.core.plan_summary import PlanSummary

MONEY_DIGITS = 2
RATE_DIGITS = 4
QUANTITY_DIGITS = 3
Table = tuple[list[str], list[list[Any]]]


def options_table(summary: PlanSummary, result: PlanResult) -> Table:
    """Each option's headline figures, as the PDF's option table shows them.

    Totals are in cents; costs per unit keep full precision, since a cost per 1k
    inferences can be a fraction of a cent.
    """
    cur = summary.currency
    unit = "requests" if summary.output_tokens_per_request is not None else "inferences"
    rate = "rps" if unit == "requests" else "ips"
    header = [
        "option",
        "kind",
        "capacity_estimated",
        "units_max",
        f"capacity_per_unit_{rate}",
        f"total_{cur}",
        f"npv_{cur}",
        "discount_rate_per_year",
        f"residual_value_{cur}",
        f"cost_per_1k_{unit}_{cur}",
        f"margin_per_1k_{unit}_{cur}",
        f"cost_per_1m_output_tokens_{cur}",
        f"cost_per_1m_tokens_{cur}",
        f"margin_per_1m_output_tokens_{cur}",
        "energy_kwh",
        "co2_kg",
        "energy_estimated",
        "prob_cheapest",
        "recommended",
    ]
    odds = summary.prob_cheapest or {}
    best = summary.recommended.name
    rows = [
        [
            o.name,
            o.kind,
            o.estimated,
            o.units_max,
            o.capacity_per_unit,
            _money(o.total_cost),
            _money(o.npv),
            result.discount_rate,
            _money(o.residual_value) if o.kind == "on-prem" else None,
            o.cost_per_1k,
            o.margin_per_1k,
            o.cost_per_1m_output_tokens,
            o.cost_per_1m_tokens,
            o.margin_per_1m_tokens,
            _round(o.energy_kwh, QUANTITY_DIGITS),
            _round(o.co2_kg, QUANTITY_DIGITS),
            o.energy_estimated,
            odds.get(o.name),
            o.name == best,
        ]
        for o in summary.options
    ]
    return header, rows


def monthly_table(result: PlanResult) -> Table:
    components = list(dict.fromkeys(c for o in result.options for c in o.components))
    cur = result.currency
    header = ["month", "option", "kind", *_demand_header(result), "units"]
    header += [f"cost_{c}_{cur}" for c in components]
    header += [
        f"monthly_total_{cur}",
        f"cumulative_{cur}",
        f"discounted_total_{cur}",
        f"cumulative_npv_{cur}",
        "energy_kwh",
        "co2_kg",
        "currency",
    ]
    demand = _demand(result)
    rows = []
    for option in result.options:
        discounted = np.diff(option.cumulative_npv, prepend=0.0)
        for m in range(result.months):
            rows.append(
                [
                    m + 1,
                    option.name,
                    option.kind,
                    *(_at(series, m, digits) for series, digits in demand),
                    _at(option.units, m, QUANTITY_DIGITS),
                    *(_at(option.components.get(c), m, MONEY_DIGITS) for c in components),
                    _at(option.monthly_total, m, MONEY_DIGITS),
                    _at(option.cumulative, m, MONEY_DIGITS),
                    _at(discounted, m, MONEY_DIGITS),
                    _at(option.cumulative_npv, m, MONEY_DIGITS),
                    _at(option.energy_kwh, m, QUANTITY_DIGITS),
                    _at(option.co2_kg, m, QUANTITY_DIGITS),
                    cur,
                ]
            )
    return header, rows


def _demand_header(result: PlanResult) -> list[str]:
    if result.output_tokens_per_request is None:
        return ["avg_rate_ips", "peak_rate_ips", "inferences"]
    return [
        "avg_requests_per_s",
        "peak_requests_per_s",
        "requests",
        "output_tokens",
        "input_tokens",
    ]


def _demand(result: PlanResult) -> list[tuple[np.ndarray | None, int]]:
    """The demand series :func:`_demand_header` names, each with the digits it keeps."""
    series: list[tuple[np.ndarray | None, int]] = [
        (result.avg_rate, RATE_DIGITS),
        (result.peak_rate, RATE_DIGITS),
        (result.inferences, 0),
    ]
    if result.output_tokens_per_request is None:
        return series
    prompt = result.input_tokens_per_request
    return series + [
        (result.inferences * result.output_tokens_per_request, 0),
        (None if prompt is None else result.inferences * prompt, 0),
    ]


def assumptions_table(result: PlanResult) -> Table:
    header = ["option", "provenance", "detail", "source", "date"]
    rows = [["(plan)", p.kind, p.detail, p.source or "", p.date or ""] for p in result.assumptions]
    rows += [
        [option.name, p.kind, p.detail, p.source or "", p.date or ""]
        for option in result.options
        for p in option.provenance
    ]
    return header, rows


def _at(values: np.ndarray | None, index: int, digits: int) -> float | int | None:
    """Month ``index`` of a series rounded to ``digits``; empty when absent or not finite."""
    return None if values is None else _round(float(values[index]), digits)


def _money(value: float | None) -> float | None:
    return _round(value, MONEY_DIGITS)


def _round(value: float | None, digits: int) -> float | int | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value) if digits == 0 else round(value, digits)
