"""A first scenario for a new user: this machine against a cloud instance and an API.

Pure text generation from a stored run (any thread). The scenario names the measured
run, takes every cost input it does not set from the catalogue defaults (so each shows
its source), and marks the demand figures as the user's to edit. The server and the
cloud instance it prices are not the machine that was measured, so both options say
``representative = true``: the plan then shows that assumption as a warning instead of
refusing the run. It is what the app offers after a first profile, so that a plan
exists within minutes of the first launch.

Every figure the starter chooses for the user is returned as a note, in words, with
why it was chosen: the latency target (five times the worst tail latency measured,
so the measured set-up meets it), and for a generative run the tokens per request
(the run's lengths) and the TTFT/TPOT targets (twice the worst measured at the
highest percentile every point supports).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.formatting import duration_ms
from planner.core.latency import LatencyStats
from planner.core.run import PointResult, RunResult
from planner.core.token_stats import TokenStats

STARTER_ONPREM_HARDWARE = "Generic 1-socket CPU server"
STARTER_CLOUD = ("aws", "c7i.2xlarge", "us-east-1")
STARTER_API = ("generic", "hosted model endpoint")
STARTER_TOKEN_API = ("openai", "gpt-4o-mini")
LATENCY_SLACK = 5.0
TOKEN_SLACK = 2.0
MIN_TARGET_MS = 10.0
DEMAND_NOTE = (
    "Demand placeholders: 20 requests/s on average, peaks twice that, growing 30% a year "
    "over 36 months. Set your own under Demand."
)


@dataclass(frozen=True)
class Starter:
    """The starter scenario's TOML and, in words, every figure it chose for the user."""

    toml: str
    notes: tuple[str, ...]


def starter_for_run(run: RunResult) -> Starter:
    """This machine, a cloud instance and an API, sized from ``run``'s measurements."""
    if any(p.tokens is not None for p in run.points):
        return _generative(run)
    which = tail_percentile(run.points)
    worst = worst_point(run.points, which)
    tail = 0.0 if worst is None else getattr(worst.stats, which) or 0.0
    loose = round(tail * LATENCY_SLACK, 1)
    target = max(MIN_TARGET_MS, loose)
    where = "" if worst is None else f" ({duration_ms(tail)} at {worst.label})"
    floor = f", raised to the {MIN_TARGET_MS:g} ms floor" if loose < MIN_TARGET_MS else ""
    notes = (
        f"Latency target {duration_ms(target)}: {LATENCY_SLACK:g} × the worst {which} this "
        f"run measured{where}{floor}, a loose target the measured set-up meets. Set yours "
        "under Demand → Latency target: a tighter one needs more servers.",
        DEMAND_NOTE,
    )
    toml = starter_scenario_toml(run.id, run.model_name or "model", target, which)
    return Starter(toml, notes)


def starter_scenario_toml(
    run_id: str, model_name: str, latency_target_ms: float, percentile: str = "p99"
) -> str:
    """Scenario TOML comparing the machine of ``run_id`` with a cloud CPU instance and an API.

    The cloud option assumes the instance serves as this machine measured (stated in its
    name); replace it with a run measured on that instance when you have one.
    """
    demand = f"""latency_percentile = "{percentile}"
latency_target_ms = {latency_target_ms:.6g}
price_per_1k = 1.0"""
    return _scenario(run_id, model_name, demand, STARTER_API)


def _scenario(run_id: str, model_name: str, demand: str, api: tuple[str, str]) -> str:
    provider, instance, region = STARTER_CLOUD
    api_provider, api_product = api
    return f"""# First plan for {model_name}: edit the demand to match yours.
# Every cost input not set here comes from the catalogue defaults, with its source.
name = "{model_name}: this machine, cloud and a managed API"
currency = "USD"
country = "OWID_WRL"

[demand]
average_rate = 20.0
peak_factor = 2.0
growth_per_year = 0.3
horizon_months = 36
{demand}

[[options]]
kind = "on-prem"
name = "This machine, bought as a server"
runs = ["{run_id}"]
hardware = "{STARTER_ONPREM_HARDWARE}"
representative = true  # the measured machine stands for this server: measure yours

[[options]]
kind = "cloud"
name = "{instance} on demand (assumed to serve as this machine)"
runs = ["{run_id}"]
provider = "{provider}"
instance = "{instance}"
region = "{region}"
pricing = "on-demand"
scaling = "hourly"
representative = true  # assumed to serve as the measured machine

[[options]]
kind = "api"
name = "Managed endpoint"
provider = "{api_provider}"
product = "{api_product}"
"""


def _generative(run: RunResult) -> Starter:
    """A token demand at the run's first lengths, with targets the run's points meet."""
    token_points = [(p, p.tokens) for p in run.points if p.tokens is not None]
    _, first = token_points[0]
    same = [(p, t) for p, t in token_points if _lengths(t) == _lengths(first)]
    percentile = _shared_percentile([t for _, t in same])
    ttft = _target([t.ttft for _, t in same], percentile)
    tpot = _target([t.tpot for _, t in same], percentile)
    demand = f"""input_tokens_per_request = {first.prompt_tokens}
output_tokens_per_request = {first.output_tokens}
latency_percentile = "p{percentile:g}"
ttft_target_ms = {ttft:.6g}
tpot_target_ms = {tpot:.6g}
price_per_1m_tokens = 2.0"""
    where = ", ".join(p.label for p, _ in same)
    notes = (
        f"Tokens per request: {first.prompt_tokens} in, {first.output_tokens} out, the "
        "lengths this run measured first. Set your traffic's lengths under Demand; other "
        "lengths make the capacity an estimate until you measure them.",
        f"Targets at p{percentile:g}: time to first token {duration_ms(ttft)} and time "
        f"per output token {duration_ms(tpot)}, {TOKEN_SLACK:g} × the worst this run "
        f"measured ({where}), so every measured point meets them. Set your service's "
        "targets: tighter ones leave fewer sequences per server.",
        DEMAND_NOTE,
        "Price placeholder: 2 USD charged per 1M output tokens, for margins.",
    )
    toml = _scenario(run.id, run.model_name or "model", demand, STARTER_TOKEN_API)
    return Starter(toml, notes)


def _lengths(tokens: TokenStats) -> tuple[int, int]:
    return tokens.prompt_tokens, tokens.output_tokens


def _shared_percentile(tokens: list[TokenStats]) -> float:
    """The highest of p99, p90 and p50 that every point reports for TTFT and TPOT."""
    for percentile, field in ((99.0, "p99"), (90.0, "p90")):
        if all(getattr(s, field) is not None for t in tokens for s in (t.ttft, t.tpot)):
            return percentile
    return 50.0


def _target(stats: list[LatencyStats], percentile: float) -> float:
    field = {99.0: "p99", 90.0: "p90", 50.0: "p50"}[percentile]
    worst = max((getattr(s, field) or s.max or 0.0 for s in stats), default=0.0)
    return max(1.0, float(f"{worst * TOKEN_SLACK:.3g}"))


def tail_percentile(points: tuple[PointResult, ...]) -> str:
    """The tail percentile every point measured: p99, else p90 (a short or slow point has
    too few samples for a p99, and capacity can only use points that have the percentile
    the demand names)."""
    return "p99" if all(p.stats.p99 is not None for p in points) else "p90"


def worst_point(points: tuple[PointResult, ...], percentile: str = "p99") -> PointResult | None:
    """The point with the highest ``percentile`` latency, or None for no points."""
    return max(points, key=lambda p: getattr(p.stats, percentile) or 0.0, default=None)
