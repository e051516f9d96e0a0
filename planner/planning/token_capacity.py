"""Capacity of a generative model's server: requests per second at TTFT and TPOT targets.

Pure functions; any thread. The points of a generative run are token sweeps over the
number of sequences decoded together. Capacity is the output token rate of the largest
sequence count that, with every smaller count, meets the time-to-first-token and
time-per-output-token targets at the demand's percentile (the monotone envelope of
MLPerf's goodput), divided by the tokens each request generates. Points measured at
other prompt or output lengths than the demand's are used only when no exact match
exists, and the capacity is then labelled an estimate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from planner.core.errors import ScenarioError
from planner.core.plan import MeasuredPoint, TokenDemand, TokenFigures
from planner.planning.capacity import CapacityEstimate


def _figures(point: MeasuredPoint) -> TokenFigures:
    assert point.tokens is not None
    return point.tokens


def _distance(figures: TokenFigures, demand: TokenDemand) -> tuple[float, float]:
    """How far a point's lengths are from the demand's (output first, it sets the rate)."""
    return (
        abs(math.log(figures.output_tokens / demand.output_tokens)),
        abs(math.log(figures.prompt_tokens / demand.input_tokens)),
    )


def _miss(figures: TokenFigures, demand: TokenDemand, percentile: str) -> str | None:
    """Why a point misses the targets at ``percentile``; None when it meets them."""
    for name, measured, target in (
        ("TTFT", figures.ttft_ms, demand.ttft_target_ms),
        ("TPOT", figures.tpot_ms, demand.tpot_target_ms),
    ):
        if target is None:
            continue
        value = measured.get(percentile)
        if value is None:
            return (
                f"{name} {percentile} not measured (too few requests: profile with a longer "
                "--point-cap, or plan at a lower latency_percentile)"
            )
        if value > target:
            return f"{name} {percentile} {value:.3g} ms > {target:g} ms"
    return None


def _fits_context(points: Sequence[MeasuredPoint], demand: TokenDemand) -> None:
    """A request's prompt and output must fit the measured decoder's context."""
    asked = demand.input_tokens + demand.output_tokens
    limits = [p.context_length for p in points if p.context_length is not None]
    if limits and asked > min(limits):
        raise ScenarioError(
            f"the demand asks {demand.input_tokens:g}+{demand.output_tokens:g} = "
            f"{asked:,.0f} tokens per request, but the measured model holds at most "
            f"{min(limits):,} tokens per sequence (its context length); lower "
            "input_tokens_per_request or output_tokens_per_request, or measure a model with a "
            "longer context"
        )


def token_capacity(
    points: Sequence[MeasuredPoint], demand: TokenDemand, percentile: str
) -> CapacityEstimate:
    """Requests per second one measured set-up serves within the demand's targets."""
    generative = [p for p in points if p.tokens is not None]
    if not generative:
        raise ScenarioError(
            "the demand counts tokens but the option's runs are not generative; "
            "profile the model's ONNX Runtime GenAI folder"
        )
    _fits_context(generative, demand)
    nearest = min(_distance(_figures(p), demand) for p in generative)
    chosen = sorted(
        (p for p in generative if _distance(_figures(p), demand) == nearest),
        key=lambda p: _figures(p).sequences,
    )
    misses = [_miss(_figures(p), demand, percentile) for p in chosen]
    first_miss = next((i for i, miss in enumerate(misses) if miss is not None), len(chosen))
    defended = chosen[:first_miss]
    shape = _figures(chosen[0])
    measured_at = f"{shape.prompt_tokens}+{shape.output_tokens} tokens"
    if not defended:
        raise ScenarioError(
            f"no generative point meets the targets at {measured_at}: with "
            f"{_figures(chosen[0]).sequences} sequence(s), {misses[0]}; relax ttft_target_ms "
            "or tpot_target_ms, or measure fewer sequences"
        )
    best = max(defended, key=lambda p: _figures(p).output_tokens_per_s)
    figures = _figures(best)
    requests = figures.output_tokens_per_s / demand.output_tokens
    exact = nearest == (0.0, 0.0)
    method = (
        f"generative, measured at {measured_at}: {figures.sequences} sequence(s), the most "
        f"meeting the {percentile} targets at every smaller count, "
        f"{figures.output_tokens_per_s:.4g} output tokens/s = {requests:.4g} requests/s of "
        f"{demand.output_tokens:g} output tokens"
    )
    warnings: list[str] = []
    if not exact:
        warnings.append(
            f"measured at {measured_at}, the demand asks {demand.input_tokens:g}+"
            f"{demand.output_tokens:g}; capacity scaled by output tokens (measure the "
            "demand's lengths to confirm)"
        )
    if first_miss == len(chosen):
        method += " (every measured count met them; capacity may be higher)"
    if not best.stable:
        warnings.append(f"capacity rests on an UNSTABLE point (run {best.run_id[:8]})")
    return CapacityEstimate(requests, best, not exact, method, tuple(warnings))
