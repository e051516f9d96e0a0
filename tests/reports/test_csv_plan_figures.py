"""CSV report: NPV and residual value per option, discounted costs per month; token
columns say what a generative point measured, and a plan in tokens counts requests and
tokens per month, never inferences."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from planner.reports.csv_report import write_csv
from planner.reports.report_data import load_report_data
from planner.storage.database import open_database


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(db: Path, out: Path) -> None:
    opened = open_database(db)
    data = load_report_data(opened)
    opened.close()
    write_csv(data, out)


def test_options_carry_npv_and_residual_and_months_their_discounted_cost(
    planned_db, tmp_path: Path
) -> None:
    path, computed = planned_db
    _write(path, tmp_path / "r.csv")
    result = computed.result
    cur = result.currency
    options = {row["option"].lstrip("'"): row for row in _rows(tmp_path / "r_options.csv")}
    assert list(options) == [o.name for o in result.options]
    for option in result.options:
        row = options[option.name]
        assert float(row[f"npv_{cur}"]) == round(option.npv, 2)
        assert float(row[f"total_{cur}"]) == round(option.total, 2)
        assert float(row["discount_rate_per_year"]) == result.discount_rate == 0.08
        residual = row[f"residual_value_{cur}"]
        if option.kind == "on-prem":
            assert option.residual_value > 0 and float(residual) == round(option.residual_value, 2)
        else:
            assert residual == ""
    assert sum(row["recommended"] == "True" for row in options.values()) == 1
    monthly = _rows(tmp_path / "r_monthly.csv")
    for option in result.options:
        months = [r for r in monthly if r["option"].lstrip("'") == option.name]
        discounted = [float(r[f"discounted_total_{cur}"]) for r in months]
        nominal = [float(r[f"monthly_total_{cur}"]) for r in months]
        assert discounted[0] == nominal[0], "month 1 is not discounted"
        assert all(d < n for d, n in zip(discounted[1:], nominal[1:], strict=True) if n > 0)
        assert float(months[-1][f"cumulative_npv_{cur}"]) == round(option.npv, 2)
        assert sum(discounted) == pytest.approx(option.npv, abs=0.01 * len(months))


def test_generative_points_fill_token_columns_and_leave_inference_ones_empty(
    planned_db, token_planned_db, tmp_path: Path
) -> None:
    _write(token_planned_db[0], tmp_path / "t.csv")
    _write(planned_db[0], tmp_path / "c.csv")
    [one, two] = _rows(tmp_path / "t_points.csv")
    assert (one["prompt_tokens"], one["output_tokens"], one["sequences"]) == ("128", "128", "1")
    assert two["sequences"] == "2" and float(two["output_tokens_per_s"]) == 5000.0
    assert float(two["requests_per_s"]) == pytest.approx(5000.0 / 128)
    assert float(two["ttft_p50_ms"]) == 6.0 and float(two["ttft_p90_ms"]) == 9.0
    assert float(two["tpot_p50_ms"]) == 0.5 and float(two["itl_p50_ms"]) == 0.4
    assert float(two["joules_per_output_token"]) == 0.0004
    for name in ("throughput_ips", "p50_ms", "p99_ms", "samples", "joules_per_inference"):
        assert one[name] == two[name] == "", f"{name} would mislabel a token figure"
    classic = _rows(tmp_path / "c_points.csv")
    assert all(float(r["throughput_ips"]) > 0 and float(r["p50_ms"]) > 0 for r in classic)
    assert all(
        r["prompt_tokens"] == r["ttft_p50_ms"] == r["output_tokens_per_s"] == "" for r in classic
    )


def test_the_monthly_table_of_a_token_plan_counts_requests_and_tokens(
    token_planned_db, tmp_path: Path
) -> None:
    path, computed = token_planned_db
    _write(path, tmp_path / "t.csv")
    monthly = _rows(tmp_path / "t_monthly.csv")
    header = set(monthly[0])
    assert {"avg_requests_per_s", "peak_requests_per_s", "requests", "output_tokens"} <= header
    assert not {"avg_rate_ips", "peak_rate_ips", "inferences"} & header
    first = monthly[0]
    requests = computed.result.inferences[0]
    assert int(first["requests"]) == round(requests)
    assert int(first["output_tokens"]) == round(requests * 128)
    assert int(first["input_tokens"]) == round(requests * 128)
    options = _rows(tmp_path / "t_options.csv")
    assert "capacity_per_unit_rps" in options[0] and options[0]["cost_per_1m_output_tokens_USD"]
