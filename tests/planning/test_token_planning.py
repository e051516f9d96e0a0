"""Plans for a generative model: capacity at TTFT/TPOT targets, cost per 1M tokens by hand."""

from __future__ import annotations

import pytest
from planning.plan_builders import shipped_catalog

from planner.core.errors import ScenarioError
from planner.core.plan import MeasuredPoint, TokenDemand, TokenFigures
from planner.planning.engine import compute_plan
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario
from planner.planning.token_capacity import token_capacity

DEMAND = TokenDemand(input_tokens=512, output_tokens=256, ttft_target_ms=100, tpot_target_ms=5)


def _point(sequences: int, ttft: float, tpot: float, tokens_per_s: float, **kw) -> MeasuredPoint:
    figures = TokenFigures(
        prompt_tokens=kw.get("prompt", 512),
        output_tokens=kw.get("output", 256),
        sequences=sequences,
        ttft_ms={"p90": ttft},
        tpot_ms={"p90": tpot},
        output_tokens_per_s=tokens_per_s,
        input_tokens_per_s=tokens_per_s * 2,
    )
    return MeasuredPoint(
        run_id="r1",
        scenario="generative",
        concurrency=sequences,
        batch=1,
        target_rate=None,
        throughput=tokens_per_s,
        latency_ms={"p90": tpot},
        latency_cv=0.1,
        power_w=None,
        energy_method="unavailable",
        machine="m",
        device="CPU: test",
        tokens=figures,
        model_note=kw.get("model_note", ""),
        context_length=kw.get("context"),
    )


def test_capacity_is_the_monotone_envelope_of_sequences_meeting_both_targets() -> None:
    points = [
        _point(1, 20, 1.0, 1000),
        _point(2, 40, 2.0, 1800),
        _point(4, 90, 4.5, 2600),
        _point(8, 180, 6.0, 3000),  # misses TTFT and TPOT
        _point(16, 90, 4.0, 3500),  # meets again after a miss: not defended
    ]
    est = token_capacity(points, DEMAND, "p90")
    assert est.point.concurrency == 4 and not est.estimated
    assert est.throughput == pytest.approx(2600 / 256)  # requests/s of 256 output tokens


def test_other_lengths_are_scaled_by_output_tokens_and_labelled_an_estimate() -> None:
    points = [_point(1, 20, 1.0, 1000, prompt=128, output=128)]
    est = token_capacity(points, DEMAND, "p90")
    assert est.estimated and est.throughput == pytest.approx(1000 / 256)
    assert "scaled by output tokens" in est.warnings[0]


def test_an_unmeasured_percentile_is_a_miss_with_the_fix() -> None:
    point = _point(1, 20, 1.0, 1000)
    missing = type(point.tokens)(**{**point.tokens.__dict__, "ttft_ms": {}})
    with pytest.raises(ScenarioError, match="TTFT p90 not measured .* --point-cap"):
        token_capacity([type(point)(**{**point.__dict__, "tokens": missing})], DEMAND, "p90")


SCENARIO = """
name = "llm"
currency = "USD"
[demand]
average_rate = 2.0
horizon_months = 12
input_tokens_per_request = 512
output_tokens_per_request = 256
latency_percentile = "p90"
ttft_target_ms = 100.0
tpot_target_ms = 5.0
price_per_1m_tokens = 10.0
[[options]]
kind = "cloud"
name = "rented"
runs = ["r1"]
price_per_hour = 1.0
redundancy = 0
target_utilization = 1.0
staff_fte = 0
[[options]]
kind = "api"
name = "per token"
price_per_1m_input_tokens = 0.15
price_per_1m_output_tokens = 0.60
staff_fte = 0
[uncertainty]
draws = 10
"""


def test_cost_per_million_output_tokens_by_hand() -> None:
    spec = parse_scenario(SCENARIO)
    points = {"r1": [_point(1, 20, 1.0, 1024)]}  # 4 requests/s per instance
    plan = compute_plan(
        resolve_scenario(spec, shipped_catalog(), points), sensitivity=False, monte_carlo=False
    )
    requests = float(plan.inferences.sum())
    output_tokens = requests * 256
    api = plan.option("per token")
    # The API's price per request: 512 input and 256 output tokens at its token prices.
    per_request = 512 * 0.15 / 1e6 + 256 * 0.60 / 1e6
    assert api.total == pytest.approx(requests * per_request)
    assert api.cost_per_1m_output_tokens == pytest.approx(api.total / output_tokens * 1e6)
    assert api.margin_per_1m_tokens == pytest.approx(10.0 - api.cost_per_1m_output_tokens)
    # By hand: 0.2304 USD per 1k requests is 0.90 per 1M output and 0.30 per 1M tokens in all.
    assert api.cost_per_1m_output_tokens == pytest.approx(0.90)
    assert api.cost_per_1m_tokens == pytest.approx(0.30)
    rented = plan.option("rented")
    # 2 requests/s at most 4 per instance: one instance, every hour of the year.
    assert rented.cost_per_1m_output_tokens == pytest.approx(rented.total / output_tokens * 1e6)
    assert rented.cost_per_1m_tokens == pytest.approx(rented.total / (requests * 768) * 1e6)
    assert plan.output_tokens_per_request == 256
    assert plan.input_tokens_per_request == 512


def test_a_token_demand_needs_a_latency_target_and_generative_runs() -> None:
    no_target = SCENARIO.replace("ttft_target_ms = 100.0\n", "").replace(
        "tpot_target_ms = 5.0\n", ""
    )
    with pytest.raises(ScenarioError, match="needs ttft_target_ms or tpot_target_ms"):
        parse_scenario(no_target)
    classic = {"r1": [type(_point(1, 1, 1, 1))(**{**_point(1, 1, 1, 1).__dict__, "tokens": None})]}
    with pytest.raises(ScenarioError, match="runs are not generative"):
        resolve_scenario(parse_scenario(SCENARIO), shipped_catalog(), classic)


def test_the_plan_table_prints_both_token_costs() -> None:
    """The CLI's table for a plan in tokens: per 1M output tokens and per 1M tokens in all."""
    from planner.cli.plan_cmd import format_summary
    from planner.planning.summary import plan_summary

    spec = parse_scenario(SCENARIO)
    plan = compute_plan(
        resolve_scenario(spec, shipped_catalog(), {"r1": [_point(1, 20, 1.0, 1024)]}),
        sensitivity=False,
        monte_carlo=False,
    )
    text = format_summary(plan_summary(plan), plan)
    header = next(line for line in text.splitlines() if line.startswith("option"))
    assert header.split()[4:9] == ["1M", "in+out", "1M", "out", "tok"]
    row = next(line for line in text.splitlines() if line.startswith("per token"))
    assert row.split()[5:7] == ["0.300", "0.900"]  # the by-hand figures above
    assert "(512 prompt tokens + 256 output each)" in text


def test_a_model_that_warns_about_itself_passes_the_warning_to_the_plan() -> None:
    spec = parse_scenario(SCENARIO)
    note = "random weights: for timing only; its generated text is meaningless"
    points = {"r1": [_point(1, 20, 1.0, 1024, model_note=note)]}
    plan = compute_plan(
        resolve_scenario(spec, shipped_catalog(), points), sensitivity=False, monte_carlo=False
    )
    assert f"the measured model says of itself: {note}" in plan.option("rented").warnings
    plain = {"r1": [_point(1, 20, 1.0, 1024)]}
    plain_plan = compute_plan(
        resolve_scenario(spec, shipped_catalog(), plain), sensitivity=False, monte_carlo=False
    )
    assert not any("says of itself" in w for w in plain_plan.option("rented").warnings)


def test_a_demand_longer_than_the_models_context_is_refused() -> None:
    spec = parse_scenario(SCENARIO)  # 512 + 256 tokens a request
    fits = {"r1": [_point(1, 20, 1.0, 1024, context=768)]}
    assert compute_plan(resolve_scenario(spec, shipped_catalog(), fits), monte_carlo=False)
    too_short = {"r1": [_point(1, 20, 1.0, 1024, context=767)]}
    with pytest.raises(ScenarioError, match=r"512\+256 = 768 tokens .* at most 767 tokens"):
        resolve_scenario(spec, shipped_catalog(), too_short)
