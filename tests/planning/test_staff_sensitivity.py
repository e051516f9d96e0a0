"""On-prem staff and cloud/API staff vary apart in the tornado, so staff can show as what
flips a decision; scenario files that set the older ``staff`` range set both."""

from __future__ import annotations

import pytest
from planning.plan_builders import cloud, onprem, scenario, with_uncertainty

from planner.core.errors import ScenarioError
from planner.core.sensitivity_labels import input_label, input_range
from planner.core.units import HOURS_PER_MONTH
from planner.planning.decision import decide
from planner.planning.engine import compute_plan
from planner.planning.scenario_file import parse_scenario


def _plan() -> object:
    # On-prem: 12,000 in month 1 (a 1-year life: nothing left at month 12) and 1 FTE at
    # 12,000 a year = 24,000. Cloud: 1,400 a month for one instance plus 0.25 FTE at
    # 12,000 a year = 16,800 + 3,000 = 19,800. The cloud is cheaper by 4,200.
    box = onprem(
        unit_price=12_000.0, depreciation_years=1.0, staff_fte=1.0, staff_cost_per_year=12_000.0
    )
    rented = cloud(
        price_per_hour=1_400.0 / HOURS_PER_MONTH, staff_fte=0.25, staff_cost_per_year=12_000.0
    )
    ranges = {
        "staff_onprem": (0.75, 1.25),
        "staff_rented": (0.75, 1.25),
        "cloud_price": (0.8, 1.1),
    }
    return compute_plan(with_uncertainty(scenario(box, rented, draws=200), sensitivity=ranges))


def test_on_prem_and_rented_staff_move_the_comparison_apart_by_hand() -> None:
    p = _plan()
    sens = p.sensitivity
    assert (sens.option_a, sens.option_b) == ("cloud", "onprem")  # cheapest first
    assert sens.base_diff == pytest.approx(19_800 - 24_000)
    items = {i.input: i for i in sens.items}
    # staff_onprem x0.75 / x1.25 changes on-prem by -/+ 3,000: cloud - onprem rises / falls.
    assert items["staff_onprem"].diff_low == pytest.approx(-4_200 + 3_000)
    assert items["staff_onprem"].diff_high == pytest.approx(-4_200 - 3_000)
    # staff_rented x0.75 / x1.25 changes the cloud by -/+ 750.
    assert items["staff_rented"].diff_low == pytest.approx(-4_200 - 750)
    assert items["staff_rented"].diff_high == pytest.approx(-4_200 + 750)
    assert "staff" not in items


def test_the_decision_names_on_prem_staff_when_it_is_nearest_to_flipping() -> None:
    d = decide(_plan())
    assert d.recommended == "cloud" and d.advantage == pytest.approx(4_200)
    # Advantage left at each end: on-prem staff x0.75 leaves 1,200; the cloud price x1.1
    # (16,800 x 0.1 more) leaves 2,520; rented staff x1.25 leaves 3,450.
    first, second = d.flip_inputs
    assert first.input == "staff_onprem"
    assert first.advantage_low == pytest.approx(4_200 - 3_000)
    assert second.input == "cloud_price"
    assert second.advantage_high == pytest.approx(4_200 - 1_680)
    assert input_label("staff_onprem") == "on-prem staff cost"
    assert input_range("staff_rented", 0.75, 1.25) == "cloud and API staff cost ×0.75 to ×1.25"


_FILE = """
[demand]
average_rate = 10.0
latency_target_ms = 100.0
horizon_months = 12
[[options]]
kind = "api"
name = "api"
price_per_1k_requests = 0.5
[uncertainty.{table}]
{ranges}
"""


@pytest.mark.parametrize("table", ["sensitivity", "monte_carlo"])
def test_an_older_files_staff_range_sets_both_staff_ranges(table: str) -> None:
    spec = parse_scenario(_FILE.format(table=table, ranges="staff = [0.5, 1.5]"))
    ranges = spec.sensitivity if table == "sensitivity" else spec.monte_carlo
    assert ranges["staff_onprem"] == ranges["staff_rented"] == (0.5, 1.5)
    assert "staff" not in ranges


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        (
            "staff = [0.5, 1.5]\nstaff_onprem = [0.9, 1.1]",
            "staff sets staff_onprem and staff_rented; give those keys, not staff with "
            "staff_onprem",
        ),
        ("staff = [1.5, 2.0]", "staff must be [low, high] around 1, got [1.5, 2.0]"),
    ],
)
def test_staff_ranges_are_refused_in_one_line_naming_the_keys(ranges: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(_FILE.format(table="sensitivity", ranges=ranges))
    assert str(caught.value) == f"[uncertainty.sensitivity]: {message}"
