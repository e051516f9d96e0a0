"""The [demand] table of a scenario file: request rate, tokens, targets, to a Demand.

Pure functions; any thread. The rate is given as exactly one of requests a second, requests
a day or (for a token demand) prompt + output tokens a day; a rate derived from tokens says
so in the demand's provenance, which the plan shows with its scenario-wide figures. Errors
are ScenarioError with one line naming the key and the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from planner.core.errors import ScenarioError
from planner.core.formatting import rate as shown
from planner.core.plan import Demand, Provenance, TokenDemand
from planner.core.units import SECONDS_PER_DAY
from planner.planning.demand_caps import check_peak
from planner.planning.scenario_fields import (
    DEMAND_KEYS,
    MAX_RATE,
    PROFILE_WEIGHT,
    check_keys,
    check_value,
    need,
)


def _profile(value: Any, where: str) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) != 24:
        raise ScenarioError(f"{where}: hourly_profile must be 24 numbers >= 0 (relative load)")
    weights = tuple(
        check_value(where, f"hourly_profile[{h}]", v, PROFILE_WEIGHT) for h, v in enumerate(value)
    )
    if sum(weights) <= 0:
        raise ScenarioError(f"{where}: hourly_profile is all zeros; give some hours a load")
    return weights


def parse_demand(t: Mapping[str, Any]) -> Demand:
    """The [demand] table ``t`` checked and converted; ScenarioError otherwise."""
    w = "[demand]"
    check_keys(t, DEMAND_KEYS, w)
    if sum(key in t for key in _RATE_KEYS) != 1:
        raise ScenarioError(
            f"{w}: give exactly one of average_rate (req/s), daily_volume (req/day) or "
            "tokens_per_day (prompt + output tokens a day)"
        )

    def get(key: str, default: Any = None) -> Any:
        value = t.get(key, default)
        return None if value is None else check_value(w, key, value, DEMAND_KEYS[key])

    tokens = _token_demand(t, get, w)
    rate, provenance = _rate(t, get, tokens, w)
    profile = None if "hourly_profile" not in t else _profile(t["hourly_profile"], w)
    if tokens is not None and "latency_target_ms" not in t:
        t = {**t, "latency_target_ms": tokens.ttft_target_ms or tokens.tpot_target_ms}
    demand = Demand(
        avg_rate=rate,
        peak_factor=get("peak_factor", 1.0),
        growth_per_year=get("growth_per_year", 0.0),
        horizon_months=check_value(
            w, "horizon_months", need(t, "horizon_months", w), DEMAND_KEYS["horizon_months"]
        ),
        latency_percentile=get("latency_percentile", "p99"),
        latency_target_ms=check_value(
            w,
            "latency_target_ms",
            need(t, "latency_target_ms", w),
            DEMAND_KEYS["latency_target_ms"],
        ),
        hourly_profile=profile,
        price_per_1k=get("price_per_1k"),
        tokens=tokens,
        provenance=provenance,
    )
    check_peak(demand, w)
    return demand


_RATE_KEYS = ("average_rate", "daily_volume", "tokens_per_day")


def _rate(
    t: Mapping[str, Any], get: Callable[[str], Any], tokens: TokenDemand | None, where: str
) -> tuple[float, tuple[Provenance, ...]]:
    """Average requests/s, and how it was derived when the file gives tokens a day.

    A day's tokens (prompt and output) become requests at the demand's tokens per request,
    and are held to average_rate's cap, so no unit of demand sizes a bigger fleet.
    """
    if "average_rate" in t:
        return get("average_rate"), ()
    if "daily_volume" in t:
        return get("daily_volume") / SECONDS_PER_DAY, ()
    if tokens is None:
        raise ScenarioError(
            f"{where}: tokens_per_day needs input_tokens_per_request and "
            "output_tokens_per_request, the tokens of one request"
        )
    per_day = get("tokens_per_day")
    per_request = tokens.input_tokens + tokens.output_tokens
    rate = per_day / per_request / SECONDS_PER_DAY
    if rate > MAX_RATE:
        raise ScenarioError(
            f"{where}: tokens_per_day = {per_day:g} is {rate:.3g} requests/s at {per_request:g} "
            f"tokens per request; at most {MAX_RATE:g} requests/s, as average_rate"
        )
    detail = (
        f"average rate {shown(rate, ' requests/s')} = tokens_per_day {shown(per_day, '')} "
        f"(prompt + output) / ({tokens.input_tokens:g} + {tokens.output_tokens:g} tokens per "
        "request) / 86,400 s"
    )
    return rate, (Provenance("user", detail),)


_TOKEN_KEYS = (
    "input_tokens_per_request",
    "output_tokens_per_request",
    "ttft_target_ms",
    "tpot_target_ms",
    "price_per_1m_tokens",
)


def _token_demand(
    t: Mapping[str, Any], get: Callable[[str], Any], where: str
) -> TokenDemand | None:
    """The requests of a generative model, when the demand counts tokens."""
    if not any(key in t for key in _TOKEN_KEYS):
        return None
    for key in ("input_tokens_per_request", "output_tokens_per_request"):
        need(t, key, where)
    if "ttft_target_ms" not in t and "tpot_target_ms" not in t:
        raise ScenarioError(
            f"{where}: a demand in tokens needs ttft_target_ms or tpot_target_ms (or both): "
            "the latency its users are promised"
        )
    return TokenDemand(
        input_tokens=get("input_tokens_per_request"),
        output_tokens=get("output_tokens_per_request"),
        ttft_target_ms=get("ttft_target_ms"),
        tpot_target_ms=get("tpot_target_ms"),
        price_per_1m_tokens=get("price_per_1m_tokens"),
    )
