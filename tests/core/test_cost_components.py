"""Every cost component the engine produces has a reader's name and a colour of its own."""

from __future__ import annotations

from planning.plan_builders import api, cloud, onprem, scenario

from planner.core.cost_components import (
    COMPONENTS,
    component_colour,
    component_label,
    ordered_components,
)
from planner.planning.engine import compute_plan


def test_each_component_the_engine_makes_is_named_for_people_and_coloured_apart() -> None:
    options = (
        onprem(support_pct=0.1, staff_fte=0.5, staff_cost_per_year=1e5, tariff_per_kwh=0.1),
        cloud(egress_kb_per_request=100.0, egress_per_gb=0.09, licence_per_gpu_hour=0.5),
        cloud(name="reserved", pricing="reserved-1y", term_months=12),
        api(),
    )
    plan = compute_plan(scenario(*options), sensitivity=False, monte_carlo=False)
    made = {c for option in plan.options for c in option.components}
    assert made == set(COMPONENTS), made ^ set(COMPONENTS)
    labels = [component_label(c) for c in COMPONENTS]
    assert all("_" not in label for label in labels) and len(set(labels)) == len(labels)
    colours = [component_colour(c) for c in COMPONENTS]
    assert len(set(colours)) == len(COMPONENTS)
    assert component_label("cloud_compute") == "cloud instances"
    assert component_label("api_fees") == "API fees"


def test_components_stack_in_one_order_whatever_order_they_come_in() -> None:
    assert ordered_components(["staff", "api_fees", "staff", "capex"]) == [
        "capex",
        "staff",
        "api_fees",
    ]
    assert ordered_components(["new_thing", "power", "other"]) == ["power", "new_thing", "other"]
