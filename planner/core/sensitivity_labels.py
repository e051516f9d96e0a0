"""Sensitivity inputs as people read them: names and the ends of their ranges. Pure.

The planning engine keys its tornado inputs by short names (``cloud_drift``, ``pue``)
and stores their ends as multipliers of the base value, or as additions for rates;
the app, the PDF and the decision summary show them through these two functions, so
``cloud_drift`` at ``-0.1`` reads as "cloud price change per year −10 pts" everywhere.
"""

from __future__ import annotations

#: Each input's name for people, and whether its ends multiply the base ("x") or add
#: percentage points to a yearly rate ("pts").
INPUTS: dict[str, tuple[str, str]] = {
    "utilization": ("target utilisation", "x"),
    "tariff": ("electricity tariff", "x"),
    "pue": ("data-centre PUE", "x"),
    "growth": ("demand growth per year", "pts"),
    "cloud_drift": ("cloud price change per year", "pts"),
    "cloud_price": ("cloud instance price", "x"),
    "api_price": ("managed API price", "x"),
    "hardware_price": ("server price", "x"),
    "support": ("hardware support", "x"),
    "staff_onprem": ("on-prem staff cost", "x"),
    "staff_rented": ("cloud and API staff cost", "x"),
    "staff": ("staff cost", "x"),  # plans stored before on-prem and rented staff were apart
    "lifetime": ("hardware service life", "x"),
    "peak": ("peak-to-average factor", "x"),
    "capacity": ("measured capacity per server", "x"),
    "discount_rate": ("cost of capital", "pts"),
}


def input_label(key: str) -> str:
    """'staff cost' for ``staff``; an unknown key with underscores read as spaces."""
    return INPUTS.get(key, (key.replace("_", " "), "x"))[0]


def input_end(key: str, value: float) -> str:
    """One end of an input's range: ``×0.75`` for a multiplier, ``−10 pts`` for a rate."""
    kind = INPUTS.get(key, ("", "x"))[1]
    if kind == "pts":
        points = value * 100
        sign = "+" if points > 0 else "−" if points < 0 else "±"
        return f"{sign}{abs(points):g} pts"
    return f"×{value:.3g}"


def input_range(key: str, low: float, high: float) -> str:
    """'staff cost ×0.75 to ×1.25'."""
    return f"{input_label(key)} {input_end(key, low)} to {input_end(key, high)}"
