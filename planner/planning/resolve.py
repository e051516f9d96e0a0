"""Scenario resolution: a parsed ScenarioSpec plus catalogue and measured points to a Scenario.

Pure functions; any thread. Fills every input an option leaves out from the cost-defaults
catalogue, converts money into the scenario currency, turns measured points into
per-unit performance (or a labelled estimate) on the option's own hardware, and records
each figure's provenance. The decision view and discount rate are resolved here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from planner.core.errors import InputError, ScenarioError
from planner.core.formatting import given
from planner.core.plan import (
    ApiOption,
    CloudOption,
    CloudPriceRow,
    Finance,
    MeasuredLoad,
    MeasuredPoint,
    OnPremOption,
    Performance,
    Provenance,
    Scenario,
    Uncertainty,
)
from planner.core.units import convert
from planner.planning.api_price import api_price_per_request
from planner.planning.carbon import intensity, region_country
from planner.planning.catalog import Catalog
from planner.planning.defaults import DefaultContext, field_default, scenario_default
from planner.planning.field_labels import labelled
from planner.planning.hardware_match import CPU, Target, match
from planner.planning.instance_power import InstancePower, instance_power
from planner.planning.performance import PowerInputs, unit_performance
from planner.planning.scenario_file import OptionSpec, ScenarioSpec

_TERMS = {"reserved-1y": 12, "reserved-3y": 36}


class _Inputs:
    """One option's values: user-given first, else the field's default, with provenance."""

    def __init__(self, spec: ScenarioSpec, option: OptionSpec, catalog: Catalog) -> None:
        self.spec, self.option, self.catalog = spec, option, catalog
        self.where = f"option {option.name!r}"
        self.provenance: dict[str, Provenance] = {}
        self.context = DefaultContext(catalog, spec.currency, spec.country)

    def converted(self, amount: float, currency: str | None) -> float:
        """``amount`` in the scenario currency; InputError without the option's name (for
        callers that name it themselves)."""
        source = currency or self.spec.currency
        return convert(amount, source, self.spec.currency, self.spec.exchange_rates)

    def money(self, amount: float, currency: str | None) -> float:
        """``converted``, or ScenarioError naming the option when no rate is known."""
        try:
            return self.converted(amount, currency)
        except InputError as exc:
            raise ScenarioError(f"{self.where}: {exc}") from None

    def user(self, key: str, money: bool = False) -> Any:
        value = self.option.values[key]
        currency = self.option.values.get("currency") or self.spec.currency
        shown = f"{given(value)} {currency}" if money else given(value)
        typed = Provenance("user", f"{key} = {shown} from the scenario file")
        self.provenance[key] = labelled(key, typed)
        return self.money(value, self.option.values.get("currency")) if money else value

    def get(self, key: str, money: bool = False, missing: str | None = None) -> Any:
        """The user's value, else the default; ScenarioError (``missing``) when there is none."""
        if key in self.option.values:
            return self.user(key, money)
        found = field_default(self.option.kind, key, self.option.values, self.context)
        if found is None:
            raise ScenarioError(
                f"{self.where}: "
                + (
                    missing
                    or f"{key} is not set and the cost-defaults catalogue lacks it; "
                    "set it in the option or import the defaults"
                )
            )
        self.provenance[key] = labelled(key, found.provenance)
        if money and found.value is not None:
            return self.money(found.value, found.currency)
        return found.value

    def carbon(self, region: str | None = None) -> float | None:
        """Grid intensity: the option's country, its cloud region's, else the scenario's."""
        country = self.option.values.get("country") or region_country(region) or self.spec.country
        if country is None:
            return None
        g, prov = intensity(self.catalog, country)
        if "country" not in self.option.values and region_country(region) is not None:
            prov = dataclasses.replace(
                prov, kind="estimated", detail=f"{prov.detail}; country of region {region}"
            )
        self.provenance["carbon"] = prov
        return g


def _performance(
    inp: _Inputs,
    points: Mapping[str, Sequence[MeasuredPoint]],
    target: Target,
    instance: InstancePower | None = None,
) -> Performance:
    values = inp.option.values
    missing = [r for r in inp.option.runs if r not in points]
    if missing:
        raise ScenarioError(f"{inp.where}: run {missing[0]!r} not found; check the run id")
    measured = [p for r in inp.option.runs for p in points[r]]
    measured_row = None
    if "measured_on" in values:
        measured_row = inp.catalog.hardware_row(values["measured_on"])
    power = PowerInputs(
        replicas=int(inp.get("replicas_per_unit")),
        host_w=float(inp.get("host_w") or 0.0),
        idle_w=inp.get("idle_w"),
        nameplate_w=values.get("unit_power_w"),
        instance=instance,
    )
    try:
        device = measured[0].device if measured else ""
        machine = measured[0].machine if measured else "no run"
        how = match(device, machine, target, values, measured_row)
        return unit_performance(
            measured, inp.spec.demand, target, how, power, values.get("scale_by")
        )
    except ScenarioError as exc:
        raise ScenarioError(f"{inp.where}: {exc}") from None


def _onprem_target(inp: _Inputs, points: Mapping[str, Sequence[MeasuredPoint]]) -> Target:
    """The option's server row, else the measured machine (an assumption it states)."""
    v = inp.option.values
    if "hardware" not in v:
        machine = next((p.machine for r in inp.option.runs for p in points.get(r, ())), "")
        inp.provenance["hardware"] = labelled(
            "hardware",
            Provenance(
                "user",
                f"hardware not set: unit_price buys units of the measured machine ({machine}), "
                "sized by its runs; set hardware to price a catalogue server instead",
            ),
        )
        return Target("the measured machine", None, None)
    row = inp.catalog.hardware_row(v["hardware"])
    if row is None:
        raise ScenarioError(f"{inp.where}: hardware {v['hardware']!r} not in the catalogue")
    if row.kind == "gpu" and "unit_price" not in v:
        raise ScenarioError(
            f"{inp.where}: hardware {row.name!r} is a bare card; price a whole server: choose "
            "a server row of the hardware catalogue, or set unit_price for the server"
        )
    return Target(row.name, row.device, row, 1, row.cpu)


def _onprem(inp: _Inputs, points: Mapping[str, Sequence[MeasuredPoint]]) -> OnPremOption:
    perf = _performance(inp, points, _onprem_target(inp, points))
    inp.context = dataclasses.replace(inp.context, measured_load=perf.measured_load)
    price = inp.get("unit_price", money=True, missing="set hardware (catalogue name) or unit_price")
    power = inp.get("unit_power_w", missing="no power figure; set unit_power_w")
    facility = inp.get("facility")
    return OnPremOption(
        name=inp.option.name,
        performance=perf,
        unit_price=price,
        unit_power_w=float(power),
        gpus_per_unit=int(inp.get("gpus_per_unit")),
        integration_share=inp.get("integration_share"),
        depreciation_years=inp.get("depreciation_years"),
        capex_mode=inp.get("capex"),
        support_pct=inp.get("support_pct"),
        staff_fte=inp.get("staff_fte"),
        staff_cost_per_year=inp.get("staff_cost_per_year", money=True),
        licence_per_gpu_year=inp.get("licence_per_gpu_year", money=True),
        licence_fixed_per_year=inp.get("licence_fixed_per_year", money=True),
        pue=inp.get("pue"),
        tariff_per_kwh=inp.get("tariff_per_kwh", money=True),
        facility=facility,
        colocation_per_kw_month=(
            inp.get("colocation_per_kw_month", money=True) if facility == "colocation" else 0.0
        ),
        facility_per_month=inp.get("facility_per_month", money=True),
        redundancy=int(inp.get("redundancy")),
        target_utilization=inp.get("target_utilization"),
        carbon_g_per_kwh=inp.carbon(),
        residual_share=inp.get("residual_share"),
        provenance=inp.provenance,
    )


def measured_load(
    spec: ScenarioSpec,
    index: int,
    catalog: Catalog,
    points_by_run: Mapping[str, Sequence[MeasuredPoint]],
) -> MeasuredLoad | None:
    """The load power option ``index`` takes from its runs, found as :func:`resolve_scenario`
    finds it; None unless it is on-prem and its runs give power. The scenario form passes
    it to ``field_default`` so the unit_power_w hint names the watts the plan provisions.
    Raises ScenarioError as resolution would."""
    option = spec.options[index]
    if option.kind != "on-prem":
        return None
    inp = _Inputs(spec, option, catalog)
    return _performance(inp, points_by_run, _onprem_target(inp, points_by_run)).measured_load


def _cloud_row(inp: _Inputs) -> CloudPriceRow | None:
    """The instance's catalogue row at the option's pricing, else on demand; None without
    an instance, or for an unlisted instance priced by price_per_hour."""
    v = inp.option.values
    if "instance" not in v:
        return None
    args = (v.get("provider"), v.get("region"))
    pricing = v.get("pricing", "on-demand")
    row = inp.catalog.cloud_row(v["instance"], pricing, *args) or inp.catalog.cloud_row(
        v["instance"], "on-demand", *args
    )
    if row is None and "price_per_hour" not in v:
        raise ScenarioError(f"{inp.where}: instance {v['instance']!r} not in the cloud catalogue")
    return row


def _cloud_target(inp: _Inputs, row: CloudPriceRow | None) -> Target:
    """The instance's hardware: its GPU model (the card row, for scaling) or a CPU instance."""
    if row is None:
        v = inp.option.values
        if "instance" in v:
            return Target(f"instance {v['instance']}", None, None)
        return Target("the measured machine, priced per hour", None, None)
    label = f"{row.provider} {row.instance}"
    if row.gpu_count == 0:
        return Target(f"{label} (CPU instance)", CPU, None)
    card = inp.catalog.hardware_row(row.gpu)
    return Target(f"{label} ({row.gpu_count} x {row.gpu})", row.gpu, card, row.gpu_count)


def _cloud(inp: _Inputs, points: Mapping[str, Sequence[MeasuredPoint]]) -> CloudOption:
    row = _cloud_row(inp)
    target = _cloud_target(inp, row)
    host_w = inp.option.values.get("host_w")
    instance = None if row is None else instance_power(row, inp.catalog, host_w)
    pricing = inp.get("pricing")
    price = inp.get(
        "price_per_hour", money=True, missing="set instance (catalogue) or price_per_hour"
    )
    scaling = inp.get("scaling")
    if pricing.startswith("reserved") and scaling == "hourly":
        raise ScenarioError(
            f'{inp.where}: reserved instances bill every hour; use scaling = "fixed"'
        )
    term = _TERMS.get(pricing, 0)
    if term:
        inp.provenance["term"] = Provenance(
            "user",
            f"{pricing}: each reservation is billed for its full {term} months; the fleet never "
            "shrinks below what is reserved, and months reserved beyond the horizon are "
            "charged in its last month",
        )
    return CloudOption(
        name=inp.option.name,
        performance=_performance(inp, points, target, instance),
        pricing=pricing,
        price_per_hour=price,
        gpus_per_unit=int(inp.get("gpus_per_unit")),
        scaling=scaling,
        egress_kb_per_request=inp.get("egress_kb_per_request"),
        egress_per_gb=inp.get("egress_per_gb", money=True),
        egress_free_gb_per_month=inp.get("egress_free_gb_per_month"),
        licence_per_gpu_hour=inp.get("licence_per_gpu_hour", money=True),
        redundancy=int(inp.get("redundancy")),
        target_utilization=inp.get("target_utilization"),
        pue=inp.get("pue"),
        carbon_g_per_kwh=inp.carbon(inp.option.values.get("region")),
        staff_fte=inp.get("staff_fte"),
        staff_cost_per_year=inp.get("staff_cost_per_year", money=True),
        term_months=term,
        provenance=inp.provenance,
    )


def _api(inp: _Inputs) -> ApiOption:
    try:
        per_request = api_price_per_request(inp.option.values, inp.catalog, inp.converted)
    except InputError as exc:  # ScenarioError included: each is said once, with the option
        raise ScenarioError(f"{inp.where}: {exc}") from None
    inp.provenance.update(per_request.provenance)
    return ApiOption(
        name=inp.option.name,
        price_per_request=per_request.price,
        staff_fte=inp.get("staff_fte"),
        staff_cost_per_year=inp.get("staff_cost_per_year", money=True),
        provenance=inp.provenance,
    )


def _finance(spec: ScenarioSpec, catalog: Catalog) -> Finance:
    """The decision view and discount rate, each from the scenario or its stated default."""
    provenance = []
    values: dict[str, Any] = {}
    for key, value in (("view", spec.view), ("discount_rate", spec.discount_rate)):
        if value is None:
            found = scenario_default(key, catalog)
            values[key], prov = found.value, found.provenance
        else:
            values[key] = value
            prov = Provenance("user", f"{key} = {given(value)} from the scenario file")
        provenance.append(labelled(key, prov))
    return Finance(values["view"], float(values["discount_rate"]), tuple(provenance))


def resolve_scenario(
    spec: ScenarioSpec, catalog: Catalog, points_by_run: Mapping[str, Sequence[MeasuredPoint]]
) -> Scenario:
    """Scenario ready for compute_plan; raises ScenarioError naming the option and the fix."""
    options: list[Any] = []
    for o in spec.options:
        inp = _Inputs(spec, o, catalog)
        if o.kind == "on-prem":
            options.append(_onprem(inp, points_by_run))
        elif o.kind == "cloud":
            options.append(_cloud(inp, points_by_run))
        else:
            options.append(_api(inp))
    uncertainty = Uncertainty(
        spec.seed, spec.draws, spec.monte_carlo, spec.sensitivity, spec.compare
    )
    return Scenario(
        spec.name,
        spec.currency,
        spec.demand,
        tuple(options),
        uncertainty,
        spec.country,
        spec.required_run_ids,
        _finance(spec, catalog),
    )
