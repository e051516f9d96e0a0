"""A token demand given in tokens a day: converted to requests at the tokens per request,
stated in the plan's provenance, and checked like average_rate."""

from __future__ import annotations

import pytest
from planning.plan_builders import shipped_catalog

from planner.cli.plan_cmd import format_summary
from planner.core.errors import ScenarioError
from planner.planning.engine import compute_plan
from planner.planning.resolve import resolve_scenario
from planner.planning.scenario_file import parse_scenario
from planner.planning.summary import plan_summary

_FILE = """
name = "tokens a day"
[demand]
{rate}
input_tokens_per_request = 1500
output_tokens_per_request = 500
ttft_target_ms = 2000
horizon_months = 12
[[options]]
kind = "api"
name = "api"
price_per_1m_input_tokens = 0.15
price_per_1m_output_tokens = 0.60
"""
# 172,800,000 tokens a day at 1,500 + 500 tokens a request: 86,400 requests a day, 1/s.
_DAY = "tokens_per_day = 172_800_000"
_LINE = (
    "average rate 1.000 requests/s = tokens_per_day 172,800,000 (prompt + output) "
    "/ (1500 + 500 tokens per request) / 86,400 s"
)


def test_tokens_a_day_become_requests_a_second_and_say_so_in_the_plan() -> None:
    spec = parse_scenario(_FILE.format(rate=_DAY))
    assert spec.demand.avg_rate == pytest.approx(172_800_000 / (1500 + 500) / 86_400)
    scenario = resolve_scenario(spec, shipped_catalog(), {})
    plan = compute_plan(scenario, sensitivity=False, monte_carlo=False)
    assert [(p.kind, p.detail) for p in plan.assumptions][0] == ("user", _LINE)
    # Each request: 1,500 x 0.15 + 500 x 0.60 per 1M tokens; 1 request/s for 365/12 days.
    per_request = (1500 * 0.15 + 500 * 0.60) / 1e6
    fees = plan.options[0].components["api_fees"]
    assert fees == pytest.approx([per_request * 365 / 12 * 86_400] * 12)
    assert f"  plan: user: {_LINE}" in format_summary(plan_summary(plan), plan)


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        (
            _DAY + "\naverage_rate = 1.0",
            "give exactly one of average_rate (req/s), daily_volume (req/day) or "
            "tokens_per_day (prompt + output tokens a day)",
        ),
        ("", "give exactly one of average_rate"),
        ("tokens_per_day = inf", "tokens_per_day = inf is not finite"),
        ("tokens_per_day = nan", "tokens_per_day = nan is not finite"),
        ("tokens_per_day = 0", "tokens_per_day = 0 is out of range"),
        ("tokens_per_day = -5", "tokens_per_day = -5 is out of range"),
        ("tokens_per_day = true", "tokens_per_day = True is not a number"),
        # 2e18 tokens a day / 2,000 a request / 86,400 s = 1.16e10 requests/s > 1e7.
        (
            "tokens_per_day = 2e18",
            "tokens_per_day = 2e+18 is 1.16e+10 requests/s at 2000 tokens per request; "
            "at most 1e+07 requests/s, as average_rate",
        ),
    ],
)
def test_tokens_per_day_is_refused_in_one_line_naming_the_key(rate: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(_FILE.format(rate=rate))
    text = str(caught.value)
    assert text.startswith("[demand]: ") and message in text and "\n" not in text


def test_tokens_per_day_needs_the_tokens_of_a_request() -> None:
    text = _FILE.format(rate=_DAY)
    for line in ("input_tokens_per_request = 1500\n", "output_tokens_per_request = 500\n"):
        text = text.replace(line, "")
    text = text.replace("ttft_target_ms = 2000", "latency_target_ms = 100")
    text = text.replace("price_per_1m_input_tokens = 0.15\nprice_per_1m_output_tokens = 0.60", "")
    with pytest.raises(ScenarioError, match="tokens_per_day needs input_tokens_per_request"):
        parse_scenario(text + "price_per_1k_requests = 1.0\n")
