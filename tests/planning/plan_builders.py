"""Builders of resolved planning objects for tests (no catalogue, no files)."""

from __future__ import annotations

import dataclasses
import pathlib

from planner.core.plan import (
    ApiOption,
    CloudOption,
    Demand,
    Finance,
    MeasuredPoint,
    OnPremOption,
    Performance,
    Provenance,
    Scenario,
    Uncertainty,
)
from planner.planning.catalog import CATALOG_FILES, Catalog
from planner.planning.montecarlo import DEFAULT_MONTE_CARLO
from planner.planning.sensitivity import DEFAULT_SENSITIVITY

ROOT = pathlib.Path(__file__).resolve().parents[2]


def shipped_catalog() -> Catalog:
    return Catalog.from_texts(
        {k: (ROOT / "resources" / p).read_text() for k, p in CATALOG_FILES.items()}
    )


def powered_point(run_id: str, power_w: float | None, estimated: bool) -> MeasuredPoint:
    """A concurrency-1 point (50/s, p99 20 ms) that drew ``power_w``: a TDP estimate when
    ``estimated``, else a RAPL reading."""
    return MeasuredPoint(
        run_id=run_id,
        scenario="concurrency",
        concurrency=1,
        batch=1,
        target_rate=None,
        throughput=50.0,
        latency_ms={"p50": 10.0, "p99": 20.0},
        latency_cv=0.2,
        power_w=power_w,
        energy_method="TDP estimate" if estimated else "RAPL counter",
        machine="test machine",
        device="CPU: Test CPU",
        energy_estimated=estimated,
        energy_detail="estimate: CPU TDP x CPU utilisation" if estimated else "",
    )


def perf(
    capacity: float, load_w: float | None = 300.0, idle_w: float | None = 100.0
) -> Performance:
    return Performance(capacity, load_w, idle_w, 0.5, False, "test", (Provenance("user", "test"),))


def demand(**kw: object) -> Demand:
    base = dict(
        avg_rate=100.0,
        peak_factor=1.0,
        growth_per_year=0.0,
        horizon_months=12,
        latency_percentile="p99",
        latency_target_ms=100.0,
    )
    base.update(kw)
    return Demand(**base)  # type: ignore[arg-type]


def onprem(**kw: object) -> OnPremOption:
    base = dict(
        name="onprem",
        performance=perf(100.0),
        unit_price=10_000.0,
        unit_power_w=500.0,
        gpus_per_unit=1,
        integration_share=0.0,
        depreciation_years=4.0,
        capex_mode="cash",
        support_pct=0.0,
        staff_fte=0.0,
        staff_cost_per_year=0.0,
        licence_per_gpu_year=0.0,
        licence_fixed_per_year=0.0,
        pue=1.0,
        tariff_per_kwh=0.0,
        facility="owned",
        colocation_per_kw_month=0.0,
        facility_per_month=0.0,
        redundancy=0,
        target_utilization=1.0,
        carbon_g_per_kwh=None,
    )
    base.update(kw)
    return OnPremOption(**base)  # type: ignore[arg-type]


def cloud(**kw: object) -> CloudOption:
    base = dict(
        name="cloud",
        performance=perf(100.0),
        pricing="on-demand",
        price_per_hour=1.0,
        gpus_per_unit=1,
        scaling="fixed",
        egress_kb_per_request=0.0,
        egress_per_gb=0.0,
        egress_free_gb_per_month=0.0,
        licence_per_gpu_hour=0.0,
        redundancy=0,
        target_utilization=1.0,
        pue=1.0,
        carbon_g_per_kwh=None,
    )
    base.update(kw)
    return CloudOption(**base)  # type: ignore[arg-type]


def api(price_per_request: float = 0.001, name: str = "api", **kw: object) -> ApiOption:
    return ApiOption(name, price_per_request, **kw)  # type: ignore[arg-type]


def scenario(
    *options: object,
    draws: int = 2000,
    seed: int = 1,
    finance: Finance | None = None,
    **demand_kw: object,
) -> Scenario:
    """A resolved scenario; nominal view without discounting unless ``finance`` says otherwise."""
    u = Uncertainty(seed, draws, dict(DEFAULT_MONTE_CARLO), dict(DEFAULT_SENSITIVITY))
    return Scenario(
        "test",
        "USD",
        demand(**demand_kw),
        tuple(options),  # type: ignore[arg-type]
        u,
        finance=finance or Finance(),
    )


def npv(rate: float) -> Finance:
    """The net-present-value view at a yearly discount ``rate``."""
    return Finance("npv", rate)


def with_uncertainty(s: Scenario, **kw: object) -> Scenario:
    return dataclasses.replace(s, uncertainty=dataclasses.replace(s.uncertainty, **kw))
