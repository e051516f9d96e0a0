"""CSV report: NPV and residual value per option, discounted costs per month."""

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
