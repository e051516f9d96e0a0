"""What an option field takes when a scenario leaves it out: the one table of defaults.

Pure functions; any thread. Scenario resolution (``planning.resolve``) asks
:func:`field_default` for every field an option leaves out, and the app's scenario form
asks the same function for the hint beside an empty field, so a hint always names the
value the plan will use, with its source and date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.core.formatting import money, watts
from planner.core.plan import CatalogRow, MeasuredLoad, Provenance, row_provenance
from planner.planning.catalog import Catalog

#: Fields whose default is a fixed rule rather than a catalogue row: (value, wording).
_RULES: Mapping[str, tuple[Any, str]] = {
    "replicas_per_unit": (1, "1 (one copy of the measured set-up per unit)"),
    "host_w": (0.0, "0 W"),
    "capex": ("cash", "cash"),
    "facility": ("colocation", "colocation"),
    "licence_fixed_per_year": (0.0, "0"),
    "egress_kb_per_request": (0.0, "0 KB"),
    "facility_per_month": (0.0, "0 (only with facility = owned)"),
    "residual_share": (1.0, "1 (straight-line book value credited at horizon end)"),
    "representative": (False, "false (the run must have measured this hardware)"),
}
#: Fields that take no value at all when left out, and what that means.
_ABSENT: Mapping[str, str] = {
    "idle_w": "the catalogue's idle figure for the hardware, else load watts (conservative)",
    "measured_on": "none: capacity as measured",
    "region": "any region",
    "provider": "any provider",
}
#: A cloud instance's host power when host_w is left out (``instance_power``).
_CLOUD_HOST = "the instance's estimated host share (see its power)"
#: Fields charged only when the user sets them; the catalogue's typical figure is a hint.
_OPT_IN = ("licence_per_gpu_year", "licence_per_gpu_hour")
#: Catalogue keys whose name differs from the option field.
_CATALOGUE_KEY = {"support_pct": "support_pct_per_year"}
#: Staff of a cloud fleet or a managed API: their own catalogue rows (fewer people).
_STAFF_KEY = {"cloud": "staff_fte_cloud", "api": "staff_fte_api"}
#: Scenario-wide fields (not of an option): the decision view and the discount rate.
SCENARIO_FIELDS = ("view", "discount_rate")


@dataclass(frozen=True)
class FieldDefault:
    """The value a left-out field takes, in ``currency`` when it is money, and its origin.

    ``value`` is None for fields that stay absent (``idle_w``: load watts are used).
    ``text`` reads as the field would be typed ("0.12 USD per kWh").
    """

    value: Any
    currency: str | None
    text: str
    provenance: Provenance

    @property
    def unverified(self) -> bool:
        return "(unverified)" in self.provenance.detail


@dataclass(frozen=True)
class DefaultContext:
    """What a default can depend on beyond the option itself.

    ``measured_load`` is the load power the option's runs give (an on-prem option without
    hardware provisions that much); resolution and the scenario form both pass it.
    """

    catalog: Catalog
    scenario_currency: str
    scenario_country: str | None = None
    measured_load: MeasuredLoad | None = None


def _rule(key: str, value: Any, wording: str) -> FieldDefault:
    return FieldDefault(value, None, wording, Provenance("user", f"{key} not set: {wording}"))


def _from_row(value: Any, currency: str | None, text: str, row: CatalogRow) -> FieldDefault:
    return FieldDefault(value, currency, text, row_provenance(row, text))


def _figure(value: float, currency: str | None) -> str:
    """A catalogue value as text: money through the shared formatter, else as it is."""
    return money(value, currency) if currency else f"{value:g}"


def field_default(
    kind: str, key: str, values: Mapping[str, Any], context: DefaultContext
) -> FieldDefault | None:
    """The default of ``key`` for an option of ``kind`` with ``values``; None when required."""
    catalog = context.catalog
    if key == "currency":
        return _rule(key, context.scenario_currency, "the scenario currency")
    if key == "country":
        country = context.scenario_country
        return _rule(key, country, country or "none (no carbon figures)")
    if key == "pricing":
        return _rule(key, "on-demand", "on-demand")
    if key == "scaling":
        fixed = str(values.get("pricing", "")).startswith("reserved")
        return _rule(key, "fixed" if fixed else "hourly", "fixed" if fixed else "hourly")
    if kind == "cloud" and key == "host_w":
        return _rule(key, None, _CLOUD_HOST)
    if key in _RULES:
        return _rule(key, *_RULES[key])
    if key in _ABSENT:
        return _rule(key, None, _ABSENT[key])
    if key in _OPT_IN:
        row = catalog.default(key)
        typical = (
            f"; typical {_figure(row.value, row.currency)} {row.unit} ({row.source})" if row else ""
        )
        return _rule(key, 0.0, f"0{typical}")
    if kind == "on-prem" and key in ("unit_price", "unit_power_w", "gpus_per_unit"):
        return _hardware_default(key, values, context)
    if kind == "cloud" and key in ("price_per_hour", "gpus_per_unit"):
        return _cloud_default(key, values, context)
    if key == "staff_fte" and kind in _STAFF_KEY:
        return _catalogue(catalog, _STAFF_KEY[kind])
    if kind == "cloud" and key == "pue":
        row = catalog.default("pue")
        if row is not None:
            return _from_row(row.low, None, f"{row.low:g} (low end of the PUE range)", row)
    return _catalogue(catalog, _CATALOGUE_KEY.get(key, key))


def _catalogue(catalog: Catalog, key: str) -> FieldDefault | None:
    row = catalog.default(key)
    if row is None:
        return None
    text = f"{_figure(row.value, row.currency)} {row.unit}"
    return _from_row(row.value, row.currency, text, row)


def scenario_default(key: str, catalog: Catalog) -> FieldDefault:
    """The default of a scenario-wide field (SCENARIO_FIELDS), with its origin.

    The view is net present value; the discount rate is the catalogue's cost of capital,
    or 0 (stated) when the catalogue lacks it, so a plan never discounts silently.
    """
    if key == "view":
        return _rule(key, "npv", "npv (net present value at the discount rate)")
    found = _catalogue(catalog, "discount_rate")
    if found is not None:
        return found
    return _rule(key, 0.0, "0 per year (the catalogue has no discount_rate row)")


def _hardware_default(
    key: str, values: Mapping[str, Any], context: DefaultContext
) -> FieldDefault | None:
    row = context.catalog.hardware_row(str(values.get("hardware", "")))
    if row is None:
        if key == "gpus_per_unit":
            return _rule(key, 1, "1")
        if key == "unit_power_w" and context.measured_load is not None:
            return _load_default(context.measured_load)
        return None
    if key == "unit_price":
        return _from_row(
            row.price, row.currency, f"{money(row.price, row.currency)} ({row.name})", row
        )
    if key == "unit_power_w":
        return _from_row(row.power_w, None, f"{watts(row.power_w)} ({row.name})", row)
    return _from_row(row.gpu_count, None, f"{row.gpu_count} ({row.name})", row)


def _load_default(load: MeasuredLoad) -> FieldDefault:
    """Provisioned power from the runs' load: "measured" only when a meter read it."""
    shown, how = watts(load.watts), f"{load.method} of run {load.run_id[:8]}"
    if load.estimated:
        text = f"{shown} (estimated load power: {how}, not metered)"
        detail = f"unit_power_w not set: load {shown} estimated, not measured ({how})"
        return FieldDefault(load.watts, None, text, Provenance("estimated", detail))
    text = f"{shown} (measured load power: {how})"
    detail = f"unit_power_w not set: measured load {shown} ({how})"
    return FieldDefault(load.watts, None, text, Provenance("measured", detail))


def _cloud_default(
    key: str, values: Mapping[str, Any], context: DefaultContext
) -> FieldDefault | None:
    catalog = context.catalog
    if "instance" not in values:
        return _rule(key, 1, "1") if key == "gpus_per_unit" else None
    instance, pricing = str(values["instance"]), str(values.get("pricing", "on-demand"))
    provider, region = values.get("provider"), values.get("region")
    row = catalog.cloud_row(instance, pricing, provider, region)
    priced = row
    if row is None:
        row = catalog.cloud_row(instance, "on-demand", provider, region)
        if row is None:
            return None
    if key == "gpus_per_unit":
        return _from_row(row.gpu_count, None, f"{row.gpu_count} ({row.gpu})", row)
    if priced is not None:
        text = f"{money(row.price_per_hour, row.currency)}/h"
        return _from_row(row.price_per_hour, row.currency, text, row)
    discount_key = f"{pricing}_discount"
    discount_row = catalog.default(discount_key)
    if discount_key in values:
        discount, origin = float(values[discount_key]), "set in the option"
    elif discount_row is not None:
        discount, origin = discount_row.value, f"catalogue discount: {discount_row.source}"
    else:
        return None
    price = row.price_per_hour * (1 - discount)
    on_demand = f"{money(row.price_per_hour, row.currency)}/h"
    detail = f"{pricing} price = on-demand {on_demand} x (1 - {discount:g}) ({origin})"
    return FieldDefault(
        price,
        row.currency,
        f"{money(price, row.currency)}/h, estimated from on-demand {on_demand}",
        Provenance("estimated", detail, row.source, row.date),
    )
