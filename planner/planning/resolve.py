"""Scenario resolution: a parsed ScenarioSpec plus catalogue and measured points to a Scenario.

Pure functions; any thread. Fills every input an option leaves out from the cost-defaults
catalogue, converts money into the scenario currency, turns measured points into
per-unit performance (or a labelled estimate), and records each figure's provenance.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from planner.core.errors import InputError, ScenarioError
from planner.core.plan import (
    ApiOption,
    CloudOption,
    MeasuredPoint,
    OnPremOption,
    Performance,
    Provenance,
    Scenario,
    Uncertainty,
    row_provenance,
)
from planner.core.units import convert
from planner.planning.capacity import measured_performance, scale_performance
from planner.planning.carbon import intensity
from planner.planning.catalog import Catalog
from planner.planning.defaults import DefaultContext, field_default
from planner.planning.scenario_file import OptionSpec, ScenarioSpec


class _Inputs:
    """One option's values: user-given first, else the field's default, with provenance."""

    def __init__(self, spec: ScenarioSpec, option: OptionSpec, catalog: Catalog) -> None:
        self.spec, self.option, self.catalog = spec, option, catalog
        self.where = f"option {option.name!r}"
        self.provenance: dict[str, Provenance] = {}
        self.context = DefaultContext(catalog, spec.currency, spec.country)

    def money(self, amount: float, currency: str | None) -> float:
        source = currency or self.spec.currency
        try:
            return convert(amount, source, self.spec.currency, self.spec.exchange_rates)
        except InputError as exc:
            raise ScenarioError(f"{self.where}: {exc}") from None

    def user(self, key: str, money: bool = False) -> Any:
        value = self.option.values[key]
        self.provenance[key] = Provenance("user", f"{key} = {value} from the scenario file")
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
        self.provenance[key] = found.provenance
        if money and found.value is not None:
            return self.money(found.value, found.currency)
        return found.value

    def carbon(self) -> float | None:
        country = self.option.values.get("country", self.spec.country)
        if country is None:
            return None
        g, self.provenance["carbon"] = intensity(self.catalog, country)
        return g


def _performance(
    inp: _Inputs, points: Mapping[str, Sequence[MeasuredPoint]], target_name: str | None
) -> Performance:
    values, demand = inp.option.values, inp.spec.demand
    missing = [r for r in inp.option.runs if r not in points]
    if missing:
        raise ScenarioError(f"{inp.where}: run {missing[0]!r} not found; check the run id")
    measured = [p for r in inp.option.runs for p in points[r]]
    replicas = max(int(inp.get("replicas_per_unit")), 1)
    try:
        perf = measured_performance(
            measured,
            demand.latency_percentile,
            demand.latency_target_ms,
            replicas,
            float(inp.get("host_w")),
            inp.get("idle_w"),
        )
        if "measured_on" not in values:
            return perf
        rows = [inp.catalog.hardware_row(n or "") for n in (values["measured_on"], target_name)]
        if rows[0] is None or rows[1] is None:
            name = (
                values["measured_on"] if rows[0] is None else (target_name or "(no hardware set)")
            )
            raise ScenarioError(f"hardware {name!r} not in the hardware catalogue; add it")
        perf = scale_performance(perf, rows[0], rows[1], values["scale_by"])
    except ScenarioError as exc:
        raise ScenarioError(f"{inp.where}: {exc}") from None
    target = rows[1]
    idle = None if target.idle_w is None else target.idle_w * replicas
    tdp = Provenance(
        "estimated",
        f"power: TDP estimate {target.power_w:g} W per replica",
        target.source,
        target.date,
    )
    return Performance(
        perf.capacity,
        target.power_w * replicas,
        idle,
        perf.latency_cv,
        True,
        perf.method,
        (*perf.provenance, tdp),
    )


def _onprem(inp: _Inputs, points: Mapping[str, Sequence[MeasuredPoint]]) -> OnPremOption:
    v = inp.option.values
    row = None
    if "hardware" in v:
        row = inp.catalog.hardware_row(v["hardware"])
        if row is None:
            raise ScenarioError(f"{inp.where}: hardware {v['hardware']!r} not in the catalogue")
    perf = _performance(inp, points, None if row is None else row.name)
    inp.context = dataclasses.replace(inp.context, measured_load_w=perf.load_w)
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
        depreciation_years=max(inp.get("depreciation_years"), 1 / 12),
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
        provenance=inp.provenance,
    )


def _cloud_gpu(inp: _Inputs) -> str | None:
    """The GPU model of the option's instance (on-demand row), for hardware scaling."""
    v = inp.option.values
    if "instance" not in v:
        return None
    args = (v.get("provider"), v.get("region"))
    pricing = v.get("pricing", "on-demand")
    row = inp.catalog.cloud_row(v["instance"], pricing, *args) or inp.catalog.cloud_row(
        v["instance"], "on-demand", *args
    )
    return None if row is None else row.gpu


def _cloud(inp: _Inputs, points: Mapping[str, Sequence[MeasuredPoint]]) -> CloudOption:
    v = inp.option.values
    pricing = inp.get("pricing")
    if "price_per_hour" not in v and "instance" in v and _cloud_gpu(inp) is None:
        raise ScenarioError(f"{inp.where}: instance {v['instance']!r} not in the cloud catalogue")
    price = inp.get(
        "price_per_hour", money=True, missing="set instance (catalogue) or price_per_hour"
    )
    scaling = inp.get("scaling")
    if pricing.startswith("reserved") and scaling == "hourly":
        raise ScenarioError(
            f'{inp.where}: reserved instances bill every hour; use scaling = "fixed"'
        )
    return CloudOption(
        name=inp.option.name,
        performance=_performance(inp, points, _cloud_gpu(inp)),
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
        carbon_g_per_kwh=inp.carbon(),
        provenance=inp.provenance,
    )


def _api(inp: _Inputs) -> ApiOption:
    v = inp.option.values
    tokens_in = v.get("input_tokens_per_request", 0.0)
    tokens_out = v.get("output_tokens_per_request", 0.0)
    if "price_per_1k_requests" in v:
        per_request = inp.user("price_per_1k_requests", money=True) / 1000.0
    elif "price_per_1m_input_tokens" in v or "price_per_1m_output_tokens" in v:
        per_request = sum(
            inp.user(k, money=True) * n / 1e6
            for k, n in (
                ("price_per_1m_input_tokens", tokens_in),
                ("price_per_1m_output_tokens", tokens_out),
            )
            if k in v
        )
    else:
        rows = inp.catalog.api_rows(v.get("provider", ""), v.get("product", ""))
        if not rows:
            raise ScenarioError(
                f"{inp.where}: set provider and product from the API catalogue, or a price"
            )
        scale = {
            "1k_requests": 1 / 1000,
            "1m_input_tokens": tokens_in / 1e6,
            "1m_output_tokens": tokens_out / 1e6,
        }
        units = ["1k_requests"] if "1k_requests" in rows else list(rows)
        per_request = 0.0
        for unit in units:
            r = rows[unit]
            per_request += inp.money(r.price, r.currency) * scale[unit]
            inp.provenance[unit] = row_provenance(r, f"{r.provider} {r.product} per {unit}")
        if per_request == 0:
            raise ScenarioError(f"{inp.where}: token prices need input_tokens_per_request")
    return ApiOption(inp.option.name, per_request, inp.provenance)


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
    )
