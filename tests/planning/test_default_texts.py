"""Money and watts in default texts read as the shared formatter writes them: never in
exponent form, with thousands separators and cents."""

from __future__ import annotations

import dataclasses

import pytest
from planning.plan_builders import shipped_catalog

from planner.core.plan import CloudPriceRow, HardwareRow
from planner.planning.catalog import Catalog
from planner.planning.defaults import DefaultContext, field_default


def _hardware(price: float) -> HardwareRow:
    return HardwareRow(
        "Box", "server", price, "USD", 1234.5, None, 0, None, None, None, "vendor", "2026-01", True
    )


def _context(*rows) -> DefaultContext:
    hardware = [r for r in rows if isinstance(r, HardwareRow)]
    cloud = [r for r in rows if isinstance(r, CloudPriceRow)]
    return DefaultContext(Catalog.from_rows({"hardware": hardware, "cloud": cloud}), "USD")


def test_a_hardware_price_reads_as_money_not_in_exponent_form() -> None:
    context = _context(_hardware(1_234_567.0))
    price = field_default("on-prem", "unit_price", {"hardware": "Box"}, context)
    power = field_default("on-prem", "unit_power_w", {"hardware": "Box"}, context)
    assert price is not None and power is not None
    assert price.text == "1,234,567 USD (Box)"
    assert price.provenance.detail == "1,234,567 USD (Box)"
    assert power.text == "1,234 W (Box)"  # rounded to whole watts from 100 W up


def test_cloud_prices_per_hour_read_as_money() -> None:
    row = CloudPriceRow(
        "aws", "big", "us-east-1", "NVIDIA L4", 1, "on-demand", 1.86100, "USD", "p", "d", True
    )
    values = {"instance": "big", "pricing": "reserved-1y", "reserved-1y_discount": 0.37}
    on_demand = field_default("cloud", "price_per_hour", {"instance": "big"}, _context(row))
    reserved = field_default("cloud", "price_per_hour", values, _context(row))
    assert on_demand is not None and reserved is not None
    assert on_demand.text == "1.86 USD/h"
    assert reserved.value == pytest.approx(1.861 * 0.63)
    assert reserved.text == "1.17 USD/h, estimated from on-demand 1.86 USD/h"
    assert reserved.provenance.detail.startswith("reserved-1y price = on-demand 1.86 USD/h x")
    reserved_row = dataclasses.replace(row, pricing="reserved-1y", price_per_hour=1.17243)
    priced = field_default("cloud", "price_per_hour", values, _context(row, reserved_row))
    assert priced is not None and priced.text == "1.17 USD/h"


def test_catalogue_money_defaults_use_thousands_separators() -> None:
    context = DefaultContext(shipped_catalog(), "USD")
    staff = field_default("on-prem", "staff_cost_per_year", {}, context)
    licence = field_default("on-prem", "licence_per_gpu_year", {}, context)
    assert staff is not None and staff.text == "200,000 USD per FTE per year (loaded)"
    assert licence is not None and "typical 4,500 USD per GPU per year" in licence.text
