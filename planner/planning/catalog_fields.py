"""Catalogue cells: CSV text to typed values, and the range each numeric column accepts.

Pure functions; any thread. Each converter takes one cell's text and returns its value or
raises ``ValueError`` with the words that follow the column name in a refusal ("= 'inf'
is not finite; give ..."), so ``planning.catalog`` can say which line and column to fix.
Numbers pass :mod:`planner.core.validation` (finite, and the column's range from
:data:`COLUMN_LIMITS` or, for cost defaults, :data:`DEFAULT_LIMITS` by key: the scenario
file's range for the key a default fills); text passes
:func:`planner.core.text.check_name`, so no control, bidi or zero-width character is stored.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

from planner.core.errors import InputError
from planner.core.text import check_name
from planner.core.units import check_currency
from planner.core.validation import Limits, problem
from planner.planning.scenario_fields import OPTION_KEYS, TOP_KEYS

#: Longest catalogue text (names, sources with their URLs).
MAX_TEXT_CHARS = 500

_PRICE = Limits(low=0, high=1e12, why="no catalogue price reaches 10^12 in any currency")
_WATTS = Limits(low=0, high=1e6, why="a megawatt is beyond any server or rack")
_THREADS = Limits(low=1, high=100_000, whole=True, why="hardware threads; beyond any machine")
_PER_MACHINE = Limits(low=0, low_open=True, high=1e7, why="beyond any single machine")
#: Upper bounds (and whole-number rules) of numeric columns, by column name in any kind.
COLUMN_LIMITS: Mapping[str, Limits] = {
    "price": _PRICE,
    "price_per_hour": _PRICE,
    "power_w": Limits(low=0, low_open=True, high=1e6, why=_WATTS.why),
    "idle_w": _WATTS,
    "gpu_count": Limits(low=0, high=1024, whole=True, why="no machine holds more GPUs"),
    "vcpus": _THREADS,
    "threads": _THREADS,
    "fp16_tflops": _PER_MACHINE,
    "fp32_tflops": _PER_MACHINE,
    "memory_bw_gbs": _PER_MACHINE,
    "g_co2_per_kwh": Limits(
        low=0, high=2000, why="coal, the most carbon-intensive source, emits about 1,000"
    ),
}
_DISCOUNT = Limits(low=0, high=1, high_open=True, why="a fraction off the price; 1 would be free")
#: Catalogue keys that a scenario spells differently (cloud and API staff have their rows).
_SCENARIO_KEY = {
    "support_pct_per_year": "support_pct",
    "staff_fte_cloud": "staff_fte",
    "staff_fte_api": "staff_fte",
}
#: Cost defaults no scenario key holds: they turn an on-demand price into a reserved or spot one.
_CATALOGUE_ONLY = {
    "reserved-1y_discount": _DISCOUNT,
    "reserved-3y_discount": _DISCOUNT,
    "spot_discount": _DISCOUNT,
}


def _scenario_limits(key: str) -> Limits:
    """The range a scenario file gives the key a default fills.

    A default stands in for what the user left out, so it must pass the check the typed
    value would: a wider catalogue range let a 50 discount rate or a 0.001-year life
    through to the plan.
    """
    name = _SCENARIO_KEY.get(key, key)
    for table in (*OPTION_KEYS.values(), TOP_KEYS):
        spec = table.get(name)
        if isinstance(spec, Limits):
            return spec
    raise KeyError(f"no scenario key {name!r} has a numeric range")


#: Every cost default key, with the range of its value, low and high: the scenario range
#: of the key it fills, or its own when no scenario key holds it.
DEFAULT_LIMITS: Mapping[str, Limits] = {
    key: _CATALOGUE_ONLY[key] if key in _CATALOGUE_ONLY else _scenario_limits(key)
    for key in (
        "pue",
        "tariff_per_kwh",
        "colocation_per_kw_month",
        "support_pct_per_year",
        "integration_share",
        "staff_fte",
        "staff_fte_cloud",
        "staff_fte_api",
        "staff_cost_per_year",
        "depreciation_years",
        "target_utilization",
        "redundancy",
        "licence_per_gpu_year",
        "licence_per_gpu_hour",
        "egress_per_gb",
        "egress_free_gb_per_month",
        "reserved-1y_discount",
        "reserved-3y_discount",
        "spot_discount",
        "discount_rate",
    )
}


def text(v: str) -> str:
    try:
        return check_name(v, "", MAX_TEXT_CHARS)
    except InputError as exc:
        raise ValueError(str(exc).strip()) from None


def number(v: str, *, minimum: float = 0.0, optional: bool = False) -> float | None:
    if v == "" and optional:
        return None
    if v == "":
        raise ValueError("is missing; give a number")
    try:
        x = float(v)
    except ValueError:
        raise ValueError(f"{v!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"= {v!r} is not finite; give a number")
    if not x >= minimum:
        raise ValueError(f"{v!r} is below {minimum:g}; give a value >= {minimum:g}")
    return x


def opt_text(v: str) -> str:
    """An optional text column (e.g. a server's CPU): empty, or a usable one-line name."""
    return text(v) if v else ""


def count(v: str) -> int:
    if not (v.isascii() and v.isdigit()):
        raise ValueError(f"{v!r} is not a whole number >= 0")
    return int(v)


def opt_count(v: str) -> int | None:
    """An optional whole number (a cloud instance's vCPUs): empty when not known."""
    return count(v) if v else None


def date(v: str) -> str:
    if v == "unknown":
        return v
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        raise ValueError(f"{v!r} is not a date; use YYYY-MM-DD or 'unknown'") from None
    if len(v) != 10:
        raise ValueError(f"{v!r} is not a date; use YYYY-MM-DD or 'unknown'")
    return v


def currency(v: str) -> str:
    try:
        return check_currency(v)
    except InputError as exc:
        raise ValueError(str(exc)) from None


def boolean(v: str) -> bool:
    if v.lower() in ("yes", "true", "1"):
        return True
    if v.lower() in ("no", "false", "0"):
        return False
    raise ValueError(f"{v!r} is not yes or no")


def choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def check(v: str) -> str:
        if v not in options:
            raise ValueError(f"{v!r} is not one of {', '.join(options)}")
        return v

    return check


def year(v: str) -> int:
    if not (v.isascii() and v.isdigit() and 1990 <= int(v) <= 2100):
        raise ValueError(f"{v!r} is not a year")
    return int(v)


def opt_currency(v: str) -> str | None:
    return currency(v) if v else None


price = number
positive = functools.partial(number, minimum=1e-12)
opt_positive = functools.partial(number, minimum=1e-12, optional=True)
opt_nonneg = functools.partial(number, optional=True)
signed = functools.partial(number, minimum=-math.inf)


def range_problem(kind: str, values: Mapping[str, Any]) -> str | None:
    """The first column of a converted row outside its range, as "column = value ...", or None.

    A cost default's range depends on its key, so the key leads the words.
    """
    for column, value in values.items():
        limits = COLUMN_LIMITS.get(column)
        label = column
        if kind == "defaults" and column in ("value", "low", "high"):
            limits = DEFAULT_LIMITS.get(values["key"], Limits())
            label = f"{values['key']}: {column}"
        if limits is None or value is None or isinstance(value, bool | str):
            continue
        reason = problem(value, limits)
        if reason is not None:
            return f"{label} = {value!r} {reason}"
    return None
