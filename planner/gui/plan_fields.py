"""What the scenario form shows for each option field: label, unit, and the default taken.

GUI thread (no Qt here, but used only by the form). A field left empty is left out of the
scenario, so resolution fills it from the cost-defaults catalogue or a fixed rule; the
hint next to the field names that value and its source and date, marked when unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.planning.catalog import Catalog

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
    "scale_by": ("Scale by", "catalogue figure"),
    "redundancy": ("Redundancy", "spare units (N+k)"),
    "target_utilization": ("Target utilisation", "fraction of capacity, (0, 1]"),
    "pue": ("PUE", "ratio"),
    "country": ("Country", "carbon-intensity code"),
    "integration_share": ("Integration", "fraction of hardware price"),
    "depreciation_years": ("Service life", "years"),
    "capex": ("Capex", "accounting"),
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

_CATALOGUE_KEY = {"support_pct": "support_pct_per_year"}
_RULES: dict[str, str] = {
    "currency": "the scenario currency",
    "replicas_per_unit": "1",
    "host_w": "0 W",
    "idle_w": "load watts (conservative)",
    "capex": "cash",
    "facility": "colocation",
    "licence_fixed_per_year": "0",
    "egress_kb_per_request": "0 KB",
    "measured_on": "none: capacity as measured",
    "facility_per_month": "0 (only with facility = owned)",
    "region": "any region",
    "provider": "any provider",
}
_ZERO_IN_RESOLVE = {"licence_per_gpu_year", "licence_per_gpu_hour"}


@dataclass(frozen=True)
class Hint:
    """The default a left-out field takes, where it comes from, and whether it is verified."""

    text: str
    source: str = ""
    unverified: bool = False


def label(key: str, currency: str) -> str:
    """'Electricity tariff (USD per kWh)' for a key."""
    name, unit = LABELS.get(key, (key, ""))
    unit = unit.replace(_C, currency)
    return f"{name} ({unit})" if unit else name


def default_hint(
    kind: str, key: str, values: Mapping[str, Any], catalog: Catalog, country: str | None
) -> Hint:
    """What ``key`` of a ``kind`` option resolves to when the option leaves it out."""
    if key in _ZERO_IN_RESOLVE:
        row = catalog.default(key)
        note = f"; typical {row.value:g} {row.unit} ({row.source})" if row else ""
        return Hint(f"default 0{note}", "" if row is None else row.source)
    if key == "country":
        return Hint(f"default {country or 'none (no carbon figures)'} (scenario)")
    if key == "scaling":
        fixed = str(values.get("pricing", "")).startswith("reserved")
        return Hint(f"default {'fixed' if fixed else 'hourly'}")
    if key == "pricing":
        return Hint("default on-demand")
    if kind == "on-prem" and key in ("unit_price", "unit_power_w", "gpus_per_unit"):
        return _hardware_hint(key, values, catalog)
    if kind == "cloud" and key in ("price_per_hour", "gpus_per_unit"):
        return _cloud_hint(key, values, catalog)
    if kind == "cloud" and key == "pue":
        row = catalog.default("pue")
        if row is not None:
            return _row_hint(f"default {row.low:g} (low end of the PUE range)", row)
    if key in _RULES:
        return Hint(f"default {_RULES[key]}")
    row = catalog.default(_CATALOGUE_KEY.get(key, key))
    if row is None:
        return Hint("required" if kind == "api" else "no default: set it")
    unit = f" {row.currency}" if row.currency else ""
    return _row_hint(f"default {row.value:g}{unit} {row.unit}", row)


def _row_hint(text: str, row: Any) -> Hint:
    unverified = not row.verified
    note = ", unverified" if unverified else ""
    return Hint(f"{text} — {row.source} ({row.date}{note})", row.source, unverified)


def _hardware_hint(key: str, values: Mapping[str, Any], catalog: Catalog) -> Hint:
    row = catalog.hardware_row(str(values.get("hardware", "")))
    if row is None:
        return Hint("from the hardware catalogue; pick hardware or set it")
    figure = {
        "unit_price": f"{row.price:g} {row.currency}",
        "unit_power_w": f"{row.power_w:g} W",
        "gpus_per_unit": f"{row.gpu_count}",
    }[key]
    return _row_hint(f"default {figure} ({row.name})", row)


def _cloud_hint(key: str, values: Mapping[str, Any], catalog: Catalog) -> Hint:
    instance = str(values.get("instance", ""))
    pricing = str(values.get("pricing", "on-demand"))
    provider, region = values.get("provider"), values.get("region")
    row = catalog.cloud_row(instance, pricing, provider, region)
    if row is None:
        row = catalog.cloud_row(instance, "on-demand", provider, region)
        if row is None:
            return Hint("from the cloud catalogue; pick an instance or set it")
        if key == "price_per_hour":
            return _row_hint(f"estimated from on-demand {row.price_per_hour:g} {row.currency}", row)
    if key == "gpus_per_unit":
        return _row_hint(f"default {row.gpu_count} ({row.gpu})", row)
    return _row_hint(f"default {row.price_per_hour:g} {row.currency}/h", row)


def parse_field(text: str) -> Any:
    """Form text to a scenario value: '' is None (left out), numbers become int or float."""
    text = text.strip()
    if not text:
        return None
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
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
