"""What each scenario option field is called for people, and its unit.

Pure. The scenario form labels its fields with these; plans name a field the same way
wherever they say where its value came from ("Service life (depreciation_years): 4
years"), so the provenance a reader sees matches the form they edit.
"""

from __future__ import annotations

import dataclasses

from planner.core.plan import Provenance

#: Stands for the scenario's currency in a unit ("{cur} per kWh").
CURRENCY = "{cur}"

#: Field key: (name, unit or meaning).
LABELS: dict[str, tuple[str, str]] = {
    "view": ("Decision view", "npv or nominal"),
    "discount_rate": ("Discount rate", "per year"),
    "currency": ("Option currency", "ISO 4217"),
    "hardware": ("Hardware", "hardware catalogue"),
    "unit_price": ("Unit price", f"{CURRENCY} per unit"),
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
    "staff_cost_per_year": ("Staff cost", f"{CURRENCY} per FTE per year"),
    "licence_per_gpu_year": ("Licence", f"{CURRENCY} per GPU per year"),
    "licence_fixed_per_year": ("Fixed licence", f"{CURRENCY} per year"),
    "tariff_per_kwh": ("Electricity tariff", f"{CURRENCY} per kWh"),
    "facility": ("Facility", "how space and power are paid"),
    "colocation_per_kw_month": ("Colocation", f"{CURRENCY} per kW per month"),
    "facility_per_month": ("Facility cost", f"{CURRENCY} per month"),
    "provider": ("Provider", "catalogue provider"),
    "instance": ("Instance", "cloud catalogue"),
    "region": ("Region", "cloud region"),
    "pricing": ("Pricing", "billing model"),
    "price_per_hour": ("Price", f"{CURRENCY} per instance-hour"),
    "scaling": ("Scaling", "hourly follows load; fixed bills all hours"),
    "egress_kb_per_request": ("Response size", "KB per request"),
    "egress_per_gb": ("Egress price", f"{CURRENCY} per GB"),
    "egress_free_gb_per_month": ("Free egress", "GB per month"),
    "licence_per_gpu_hour": ("Licence", f"{CURRENCY} per GPU-hour"),
    "product": ("Product", "API catalogue"),
    "price_per_1k_requests": ("Price", f"{CURRENCY} per 1k requests"),
    "price_per_1m_input_tokens": ("Input tokens price", f"{CURRENCY} per 1M tokens"),
    "price_per_1m_output_tokens": ("Output tokens price", f"{CURRENCY} per 1M tokens"),
    "input_tokens_per_request": ("Input tokens", "tokens per request"),
    "output_tokens_per_request": ("Output tokens", "tokens per request"),
}


def labelled(key: str, provenance: Provenance) -> Provenance:
    """``provenance`` of field ``key``, its detail led by the field's name.

    "unit_price = 8000 from the scenario file" reads "Unit price (unit_price) = 8000 ..."
    and a catalogue "4 years" reads "Service life (depreciation_years): 4 years"; the key
    stays in brackets, as the scenario file spells it, unless the name is the key.
    """
    if key not in LABELS:
        return provenance
    name = LABELS[key][0]
    if name.lower() != key.replace("_", " ").lower():
        name = f"{name} ({key})"
    detail = provenance.detail
    if detail.startswith(f"{key} "):
        detail = f"{name} {detail[len(key) + 1 :]}"
    else:
        detail = f"{name}: {detail}"
    return dataclasses.replace(provenance, detail=detail)
