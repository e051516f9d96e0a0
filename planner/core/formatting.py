"""One way to show each kind of figure, shared by the CLI, the app, the PDF and CSV notes.

Pure functions; any thread. A number read in the PDF matches the CLI table and the app
character for character because all of them call these functions. Money keeps small
unit costs readable (three significant digits below 1, cents below 1,000, whole units
above), axis ticks are compact ("1.4 M USD"), and a missing or non-finite value shows
as an em dash. CSV files keep full precision and do not come through here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

MISSING = "—"
_SCALES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


def _finite(value: float | int | None) -> bool:
    return value is not None and math.isfinite(value)


def significant(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` significant digits, never in exponent form (0.0123)."""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    rounded = round(value, digits - 1 - exponent)
    if rounded != 0:
        exponent = math.floor(math.log10(abs(rounded)))
    return f"{rounded:,.{max(digits - 1 - exponent, 0)}f}"


def amount(value: float | int | None) -> str:
    """A money figure without its currency: 94,813 / 12.50 / 0.0152 / 0."""
    if not _finite(value):
        return MISSING
    assert value is not None
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.2f}"
    return significant(float(value), 3)


def given(value: object) -> str:
    """A value as the user gave it, numbers without exponent or a float's stray ".0":
    200000.0 → 200,000; 0.35 → 0.35; 1234567.891 → 1,234,567.891; text as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if not math.isfinite(value):
        return MISSING
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    text = significant(float(value), 10)
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: float | int | None, currency: str) -> str:
    """An amount with its currency code, e.g. ``94,813 USD`` or ``0.0152 USD``."""
    text = amount(value)
    return text if text == MISSING else f"{text} {currency}"


def compact(value: float | int | None) -> str:
    """A short figure for axis ticks and tight cells: 1.4 M, 250 k, 12, 0.05."""
    if not _finite(value):
        return MISSING
    assert value is not None
    for scale, suffix in _SCALES:
        if abs(value) >= scale:
            return f"{_trim(value / scale)} {suffix}"
    return _trim(value)


def _trim(value: float) -> str:
    """Three significant digits at most, trailing zeros dropped (1.40 → 1.4, 250.0 → 250)."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = significant(value, 3 if abs(value) >= 1 else 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_tick(value: float | int | None, currency: str) -> str:
    """An axis tick for money: ``1.4 M USD``, ``250 k USD``, ``0 USD``."""
    text = compact(value)
    return text if text == MISSING else f"{text} {currency}"


def watts(value: float | int | None) -> str:
    """A power figure: 0.85 W, 1.18 W, 45.5 W, 1,400 W."""
    if not _finite(value):
        return MISSING
    assert value is not None
    return f"{_trim(float(value))} W"


def duration_ms(value: float | None) -> str:
    """A latency: 0.011 ms, 3.30 ms, 152 ms, 2.31 s."""
    if not _finite(value):
        return MISSING
    assert value is not None
    if value >= 1000:
        return f"{value / 1000:,.2f} s"
    return f"{significant(value, 3)} ms" if value < 100 else f"{value:,.0f} ms"


def duration_s(value: float | None) -> str:
    """A span of time for people: 45 s, 2 min 5 s, 1 h 3 min."""
    if not _finite(value):
        return MISSING
    assert value is not None
    if value < 60:
        return f"{value:.0f} s" if value >= 10 else f"{significant(value, 2)} s"
    minutes, seconds = divmod(round(value), 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def size(value: int | float | None) -> str:
    """A size in bytes: 512 B, 402.6 KiB, 1.3 MiB, 12.0 GiB."""
    if not _finite(value):
        return MISSING
    assert value is not None
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if abs(value) >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value:.0f} B"


def rate(value: float | None, unit: str = "/s") -> str:
    """A throughput or arrival rate: 1,957/s, 150.7/s, 0.53/s."""
    if not _finite(value):
        return MISSING
    assert value is not None
    text = (
        f"{value:,.0f}" if abs(value) >= 1000 else significant(value, 4 if abs(value) >= 1 else 3)
    )
    return f"{text}{unit}"


def percent(fraction: float | None, decimals: int = 0) -> str:
    """A share as a percentage: 0.37 → 37%."""
    if not _finite(fraction):
        return MISSING
    assert fraction is not None
    return f"{fraction * 100:.{decimals}f}%"


def flops(value: float | None) -> str:
    """A FLOP count: 1.23 GFLOP, 512 kFLOP."""
    if not _finite(value):
        return MISSING
    assert value is not None
    for unit, scale in (("TFLOP", 1e12), ("GFLOP", 1e9), ("MFLOP", 1e6), ("kFLOP", 1e3)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value:.0f} FLOP"


def shape(dims: tuple[Any, ...] | list[Any]) -> str:
    """A tensor shape for people: ``batch × 3 × 128 × 128`` (``?`` for an unnamed axis)."""
    return " × ".join("?" if d is None else str(d) for d in dims) or "scalar"


def dims_text(dims_used: Mapping[str, int], assumed: Mapping[str, str]) -> str:
    """A run's dims, ``batch=1, height=640*``, each one planner assumed starred; "fixed" if none.

    The star keeps a convention's size from reading as one the user gave; the reasons
    come from :func:`assumption_texts`, shown as the star's footnote.
    """
    shown = ", ".join(f"{k}={v}" + ("*" if k in assumed else "") for k, v in dims_used.items())
    return shown or "fixed"


def assumption_texts(assumed: Mapping[str, str]) -> list[str]:
    """Each value planner assumed with its reason: ``width=640: image width, ...``."""
    return [f"{key}={reason}" for key, reason in assumed.items()]


def _fixed(spec: str) -> Callable[[float | int], str]:
    return lambda value: format(value, spec)


#: How each kind of figure in a table is shown, by name (the CLI table, the PDF and the app
#: use the same kinds).
FORMATS: Mapping[str, Callable[[float | int], str]] = {
    "money": amount,
    "per_1k": amount,
    "per_1m": amount,
    "margin_per_1k": amount,
    "units": _fixed(".0f"),
    "capacity": _fixed(",.1f"),
    "energy_kwh": _fixed(",.0f"),
    "co2_kg": _fixed(",.0f"),
    "probability": _fixed(".0%"),
    "latency_ms": _fixed(",.3f"),
    "throughput": _fixed(",.1f"),
    "millijoules": lambda joules: f"{joules * 1000:,.3f}",  # energy per inference or token
    "power_w": _fixed(",.1f"),
    "rate": _fixed(",.2f"),
    "percent": _fixed(".1f"),
}
#: Which format each field of a plan summary's option rows uses.
SUMMARY_FIELDS: Mapping[str, str] = {
    "units_max": "units",
    "capacity_per_unit": "capacity",
    "total_cost": "money",
    "npv": "money",
    "residual_value": "money",
    "cost_per_1k": "per_1k",
    "cost_per_1m": "per_1m",
    "margin_per_1k": "margin_per_1k",
    "energy_kwh": "energy_kwh",
    "co2_kg": "co2_kg",
}


def fmt(value: float | int | None, kind: str) -> str:
    """``value`` shown as figures of ``kind`` are shown everywhere (``—`` when missing)."""
    if not _finite(value):
        return MISSING
    assert value is not None
    return FORMATS[kind](value)


def latency_cell(value_ms: float | None) -> str:
    """A latency in a column headed in ms: 0.011, 3.305, 1,027.290 (— when not measured)."""
    return fmt(value_ms, "latency_ms")


def energy_cell(joules: float | None) -> str:
    """Energy per inference (or token) in a column headed in mJ: 0.422, 1,225.140."""
    return fmt(joules, "millijoules")


def per_1k(value: float | None, currency: str) -> str:
    """A cost per 1,000 inferences with its currency."""
    return money(value, currency)


def summary_cell(option: Any, field: str) -> str:
    """One cell of the option table: ``field`` of a summary row (object or mapping)."""
    value = option.get(field) if isinstance(option, Mapping) else getattr(option, field)
    return fmt(value, SUMMARY_FIELDS[field])


def when(iso: str) -> str:
    """A stored ISO 8601 time to the minute, as people read it: ``2026-11-29 03:26 UTC``.

    Seconds and fractions are measurement detail (the CSV keeps them); cut, the date and
    the time are two short tokens a table can show whole.
    """
    zone = " UTC" if iso.endswith(("+00:00", "Z")) else ""
    return f"{iso[:10]} {iso[11:16]}".strip() + zone


def breakeven_text(month: int | None) -> str:
    return f"month {month}" if month else "not within the horizon"


def probability(value: float | None) -> str:
    return fmt(value, "probability")


def confidence_level(odds: float) -> str:
    """How sure a recommendation is from its Monte Carlo odds of being cheapest."""
    return "high" if odds >= 0.8 else "moderate" if odds >= 0.6 else "low"
