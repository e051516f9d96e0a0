"""What the scenario form shows for each option field: label, unit, and the default taken.

GUI thread (no Qt here, but used only by the form). A field left empty is left out of the
scenario, so resolution fills it with ``planning.defaults.field_default``; the hint next
to the field shows that same value with its source and date, marked when unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.planning.defaults import DefaultContext, field_default

_C = "{cur}"
LABELS: dict[str, tuple[str, str]] = {
    "currency": ("Option currency", "ISO 4217"),
    "hardware": ("Hardware", "hardware catalogue"),
    "unit_price": ("Unit price", f"{_C} per unit"),
    "unit_power_w": ("Provisioned power", "W per unit"),
    "gpus_per_unit": ("GPUs per unit", "GPUs"),
    "replicas_per_unit": ("Replicas per unit", "copies of the measured set-up"),
    "host_w": ("Host power", "W per unit beyond the device"),
    "idle_w": ("Idle power", "W per unit"),
    "measured_on": ("Measured on", "hardware catalogue; makes an estimate"),
    "representative": ("Run is representative", "true: the measured machine stands for this"),
    "scale_by": ("Scale by", "catalogue figure"),
    "redundancy": ("Redundancy", "spare units (N+k)"),
    "target_utilization": ("Target utilisation", "fraction of capacity, (0, 1]"),
    "pue": ("PUE", "ratio"),
    "country": ("Country", "carbon-intensity code"),
    "integration_share": ("Integration", "fraction of hardware price"),
    "depreciation_years": ("Service life", "years"),
    "capex": ("Capex", "accounting"),
    "residual_share": ("Residual value", "share of book value at horizon end"),
    "support_pct": ("Support", "fraction of hardware price per year"),
    "staff_fte": ("Staff", "FTE"),
    "staff_cost_per_year": ("Staff cost", f"{_C} per FTE per year"),
    "licence_per_gpu_year": ("Licence", f"{_C} per GPU per year"),
    "licence_fixed_per_year": ("Fixed licence", f"{_C} per year"),
    "tariff_per_kwh": ("Electricity tariff", f"{_C} per kWh"),
    "facility": ("Facility", "how space and power are paid"),
    "colocation_per_kw_month": ("Colocation", f"{_C} per kW per month"),
    "facility_per_month": ("Facility cost", f"{_C} per month"),
    "provider": ("Provider", "catalogue provider"),
    "instance": ("Instance", "cloud catalogue"),
    "region": ("Region", "cloud region"),
    "pricing": ("Pricing", "billing model"),
    "price_per_hour": ("Price", f"{_C} per instance-hour"),
    "scaling": ("Scaling", "hourly follows load; fixed bills all hours"),
    "egress_kb_per_request": ("Response size", "KB per request"),
    "egress_per_gb": ("Egress price", f"{_C} per GB"),
    "egress_free_gb_per_month": ("Free egress", "GB per month"),
    "licence_per_gpu_hour": ("Licence", f"{_C} per GPU-hour"),
    "product": ("Product", "API catalogue"),
    "price_per_1k_requests": ("Price", f"{_C} per 1k requests"),
    "price_per_1m_input_tokens": ("Input tokens price", f"{_C} per 1M tokens"),
    "price_per_1m_output_tokens": ("Output tokens price", f"{_C} per 1M tokens"),
    "input_tokens_per_request": ("Input tokens", "tokens per request"),
    "output_tokens_per_request": ("Output tokens", "tokens per request"),
}

_REQUIRED: dict[tuple[str, str], str] = {
    ("on-prem", "unit_price"): "from the hardware catalogue; pick hardware or set it",
    ("on-prem", "unit_power_w"): "from the hardware catalogue or the run's measured power; "
    "pick hardware or set it",
    ("cloud", "price_per_hour"): "from the cloud catalogue; pick an instance or set it",
}


@dataclass(frozen=True)
class Hint:
    """The default a left-out field takes, where it comes from, and whether it is verified."""

    text: str
    source: str = ""
    unverified: bool = False


#: A unit longer than this is an explanation: it goes to the field's placeholder, so the
#: label column (and with it the form) stays narrow enough for a 1100-pixel window.
SHORT_UNIT = 16


def label(key: str, currency: str) -> str:
    """'Electricity tariff (USD per kWh)' for a key; a long unit is left to :func:`unit`."""
    name, text = LABELS.get(key, (key, ""))
    text = text.replace(_C, currency)
    return f"{name} ({text})" if text and len(text) <= SHORT_UNIT else name


def unit(key: str, currency: str) -> str:
    """The unit or meaning of a key's value ('copies of the measured set-up')."""
    return LABELS.get(key, (key, ""))[1].replace(_C, currency)


def default_hint(kind: str, key: str, values: Mapping[str, Any], context: DefaultContext) -> Hint:
    """What ``key`` of a ``kind`` option resolves to when the option leaves it out.

    The value comes from :func:`planner.planning.defaults.field_default`, the function
    scenario resolution uses, so the hint is the figure the plan will use.
    """
    found = field_default(kind, key, values, context)
    if found is None:
        fallback = "required" if kind == "api" else "no default: set it"
        return Hint(_REQUIRED.get((kind, key), fallback))
    where = found.provenance
    if where.source is None:
        return Hint(f"default {found.text}")
    note = ", unverified" if found.unverified else ""
    return Hint(
        f"default {found.text} — {where.source} ({where.date}{note})",
        where.source,
        found.unverified,
    )


def parse_field(text: str) -> Any:
    """Form text to a scenario value: '' is None (left out), numbers become int or float,
    true/false become booleans."""
    text = text.strip()
    if not text:
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def show_field(value: Any) -> str:
    """A scenario value as form text (the inverse of parse_field)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
