"""Catalogue CSV validation: shipped files, round trip, rejections with line numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planning.plan_builders import ROOT

from planner.core.errors import CatalogError
from planner.core.plan import HardwareRow
from planner.planning.catalog import CATALOG_FILES, Catalog, catalog_to_csv, parse_catalog_csv
from planner.planning.catalog_fields import COLUMN_LIMITS

HEADER = (
    "provider,instance,region,gpu,gpu_count,pricing,price_per_hour,currency,source,date,verified"
)
ROW = "aws,g6.xlarge,us-east-1,NVIDIA L4,1,on-demand,0.805,USD,list price,2026-01-21,yes"


@pytest.mark.parametrize("kind", sorted(CATALOG_FILES))
def test_shipped_catalogues_parse_and_round_trip(kind: str) -> None:
    rows = parse_catalog_csv(kind, (ROOT / "resources" / CATALOG_FILES[kind]).read_text())
    assert rows
    assert all(r.source and r.date for r in rows)
    assert parse_catalog_csv(kind, catalog_to_csv(rows, kind)) == rows


def test_unverified_rows_are_marked() -> None:
    text = (ROOT / "resources" / CATALOG_FILES["api"]).read_text()
    assert not any(r.verified for r in parse_catalog_csv("api", text))


def test_carbon_table_has_attribution() -> None:
    text = (ROOT / "resources" / CATALOG_FILES["carbon"]).read_text()
    assert "CC BY 4.0" in text and "Our World in Data" in text
    cat = Catalog(carbon=parse_catalog_csv("carbon", text))
    assert cat.carbon_row("FRA").g_co2_per_kwh == 56 and cat.carbon_row("FRA").date == "2023"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (HEADER + ",colour\n" + ROW + ",red", r"line 1: unknown column 'colour'"),
        (HEADER.replace(",verified", "") + "\n" + ROW, r"line 1: missing"),
        (HEADER + "\n" + ROW.replace("0.805", "-1"), r"line 2: price_per_hour .* below 0"),
        (HEADER + "\n" + ROW.replace("0.805", ""), r"line 2: price_per_hour is missing"),
        (HEADER + "\n" + ROW.replace("2026-01-21", "21/01/2026"), r"line 2: date .* not a date"),
        (HEADER + "\n" + ROW.replace("USD", "USX"), r"line 2: currency unknown currency"),
        (HEADER + "\n" + ROW.replace("on-demand", "hourly"), r"line 2: pricing"),
        (HEADER + "\n" + ROW + "\n" + ROW, r"line 3: duplicate of line 2"),
        (HEADER + "\n" + ROW + ",extra", r"line 2: 12 fields, expected 11"),
    ],
)
def test_rejections_name_the_line(text: str, match: str) -> None:
    with pytest.raises(CatalogError, match=match):
        parse_catalog_csv("cloud", text)


def test_nothing_half_imported_and_comment_lines_keep_numbering() -> None:
    bad_last = (
        "# note\n" + HEADER + "\n" + ROW + "\n\n" + ROW.replace("g6.", "g5.").replace("USD", "usd")
    )
    with pytest.raises(CatalogError, match="line 5"):
        parse_catalog_csv("cloud", bad_last)


def test_unknown_date_allowed_and_lookups() -> None:
    rows = parse_catalog_csv("cloud", HEADER + "\n" + ROW.replace("2026-01-21", "unknown"))
    cat = Catalog(cloud=rows)
    assert cat.cloud_row("G6.XLARGE", "on-demand", "aws", None).date == "unknown"
    assert cat.cloud_row("g6.xlarge", "spot", None, None) is None
    with pytest.raises(CatalogError, match="unknown catalogue kind"):
        parse_catalog_csv("shoes", HEADER)


# Within the ranges a catalogue accepts (prices to 1e12, watts to 1e6; see catalog_fields).
_prices = st.floats(
    min_value=0.0, max_value=COLUMN_LIMITS["price"].high, allow_nan=False, allow_infinity=False
)
_watts = st.floats(
    min_value=1e-9, max_value=COLUMN_LIMITS["power_w"].high, allow_nan=False, allow_infinity=False
)
_idle = st.floats(
    min_value=0.0, max_value=COLUMN_LIMITS["idle_w"].high, allow_nan=False, allow_infinity=False
)


@settings(max_examples=200, deadline=None)
@given(price=_prices, power=_watts, idle=st.none() | _idle, tflops=st.none() | _watts)
def test_hardware_export_and_import_are_exact(
    price: float, power: float, idle: float | None, tflops: float | None
) -> None:
    row = HardwareRow(
        name="Box",
        kind="server",
        price=price,
        currency="USD",
        power_w=power,
        idle_w=idle,
        gpu_count=8,
        fp16_tflops=tflops,
        fp32_tflops=None,
        memory_bw_gbs=None,
        source="test",
        date="2026-01-21",
        verified=True,
    )
    assert parse_catalog_csv("hardware", catalog_to_csv((row,), "hardware")) == (row,)


def test_a_seven_digit_price_survives_export() -> None:
    text = "name,kind,price,currency,power_w,idle_w,gpu_count,fp16_tflops,fp32_tflops,"
    text += "memory_bw_gbs,source,date,verified\nBox,server,1234567.0,USD,700,,8,,,,s,unknown,yes\n"
    (row,) = parse_catalog_csv("hardware", text)
    (again,) = parse_catalog_csv("hardware", catalog_to_csv((row,), "hardware"))
    assert again.price == 1234567.0


def test_vcpus_is_an_optional_whole_number_that_round_trips() -> None:
    """A cloud row's vCPUs: absent from files written before the column, empty when not
    known, else a whole number of at least 1 (refused naming the line otherwise)."""
    (old,) = parse_catalog_csv("cloud", HEADER + "\n" + ROW)
    assert old.vcpus is None
    text = HEADER + ",vcpus\n" + ROW + ",4"
    (row,) = parse_catalog_csv("cloud", text)
    assert row.vcpus == 4
    assert parse_catalog_csv("cloud", catalog_to_csv((row,), "cloud")) == (row,)
    for bad in ("0", "2.5", "-4", "x"):
        with pytest.raises(CatalogError, match="line 2: vcpus"):
            parse_catalog_csv("cloud", HEADER + ",vcpus\n" + ROW + "," + bad)


def test_shipped_instances_state_their_vcpus_and_cpu_servers_their_threads() -> None:
    cloud = parse_catalog_csv("cloud", (ROOT / "resources" / CATALOG_FILES["cloud"]).read_text())
    by_name = {r.instance: r.vcpus for r in cloud}
    # From the providers' instance specifications (an Azure size name states its vCPUs).
    assert by_name["c7i.2xlarge"] == 8 and by_name["g6e.xlarge"] == 4
    assert by_name["p5.48xlarge"] == 192 and by_name["ND96isr_H100_v5"] == 96
    assert all(r.vcpus for r in cloud if r.provider == "aws")
    text = (ROOT / "resources" / CATALOG_FILES["hardware"]).read_text()
    hardware = {r.name: r for r in parse_catalog_csv("hardware", text)}
    assert hardware["Generic 2-socket CPU server"].threads == 2 * 32 * 2  # sockets x cores x SMT


def test_a_default_target_utilization_below_one_percent_is_refused_as_in_a_scenario() -> None:
    header = "key,value,low,high,unit,currency,source,date,verified\n"
    ok = "target_utilization,0.7,0.01,0.8,fraction,,SRE practice,2026-01-21,no"
    assert parse_catalog_csv("defaults", header + ok)[0].low == 0.01
    refusal = "line 2: target_utilization: low = 0.001 is out of range"
    with pytest.raises(CatalogError, match=refusal):
        parse_catalog_csv("defaults", header + ok.replace("0.01", "0.001"))
