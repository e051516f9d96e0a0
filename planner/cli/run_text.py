"""Readable text for runs and points (``planner profile``, ``planner show``). Pure."""

from __future__ import annotations

from planner.core.run import PointResult, RunResult


def format_point_line(point: PointResult) -> str:
    s = point.stats
    parts = [
        f"{point.label:<16}",
        f"n={s.count:<7}",
        f"p50 {_ms(s.p50)}",
        f"p90 {_ms(s.p90)}",
        f"p99 {_ms(s.p99)}",
        f"{point.throughput_ips:>10,.1f}/s",
        "stable" if point.stable else "UNSTABLE",
    ]
    energy = point.energy
    if energy.joules_per_inference is not None:
        parts.append(f"{energy.joules_per_inference * 1000:.3f} mJ/inf ({energy.method})")
    if point.loadgen_saturated:
        parts.append(f"load generator saturated ({point.loadgen_cpu_pct:.0f}% CPU)")
    return "  ".join(parts)


def format_run(run: RunResult) -> str:
    config = run.config
    lines = [
        f"Run {run.id}  [{run.status}]" + (f": {run.failure_reason}" if run.failure_reason else ""),
        f"Model      {run.model_name}  sha256 {run.model_sha256[:16]}…  ({run.model_path})",
        f"Scenario   {config.scenario} on {config.provider}; threads intra "
        f"{config.intra_op_threads or 'default'}, inter {config.inter_op_threads or 'default'}; "
        f"optimization {config.graph_optimization}",
        f"Dims       {', '.join(f'{k}={v}' for k, v in run.dims_used.items()) or 'fixed'}",
        f"Started    {run.started_at}  finished {run.finished_at or '—'}",
        f"Session    created in {_ms(run.session_create_ms)} ms, first inference "
        f"{_ms(run.first_inference_ms)} ms",
        "",
        "Points (latency in ms; percentiles shown only with enough samples)",
    ]
    lines += [f"  {format_point_line(p)}" for p in run.points] or ["  none"]
    for point in run.points:
        missing = "; ".join(f"{k}: {v}" for k, v in point.stats.unavailable.items())
        detail = f"  {point.label}: {point.stop_reason}"
        if missing:
            detail += f" ({missing})"
        if point.energy.joules_per_inference is None:
            detail += f"; energy unavailable: {point.energy.reason or point.energy.method}"
        lines.append(detail)
    if run.max_rate_within_slo is not None:
        lines.append(
            f"Highest rate within p{config.slo_percentile:g} <= {config.slo_ms:g} ms: "
            f"{run.max_rate_within_slo:,.1f}/s"
        )
    lines += [f"Note: {note}" for note in run.notes]
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
