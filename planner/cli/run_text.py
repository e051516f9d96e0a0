"""Readable text for runs and points (``planner profile``, ``planner show``). Pure.

Every dimension or input value planner assumed is marked ``*`` and explained, and an
estimated energy figure says "estimated", so nothing assumed reads as given or measured.
"""

from __future__ import annotations

from planner.core.formatting import assumption_texts, dims_text, energy_cell
from planner.core.formatting import latency_cell as ms
from planner.core.run import FailureKind, PointResult, RunResult


def format_token_line(point: PointResult) -> str:
    """A generative point: TTFT, TPOT and end-to-end (E2E) percentiles in ms, token rates,
    energy per token. E2E is what a caller waiting for the whole answer sees."""
    t = point.tokens
    assert t is not None
    parts = [
        f"{point.label:<28}",
        f"requests={t.requests:<5}",
        f"TTFT p50 {ms(t.ttft.p50)} p90 {ms(t.ttft.p90)} p99 {ms(t.ttft.p99)}",
        f"TPOT p50 {ms(t.tpot.p50)} p90 {ms(t.tpot.p90)}",
        f"E2E p50 {ms(t.e2e.p50)} p90 {ms(t.e2e.p90)}",
        f"ITL p99 {ms(t.itl.p99)}",
        f"{t.output_tokens_per_s:,.0f} out tok/s, {t.input_tokens_per_s:,.0f} in tok/s",
        "stable" if point.stable else "UNSTABLE",
    ]
    parts += _energy_part(point, "token")
    return "  ".join(parts)


def _energy_part(point: PointResult, per: str) -> list[str]:
    """``["0.422 mJ/inf (TDP estimate)"]``, or nothing when the point has no energy."""
    joules = point.energy.joules_per_inference
    if joules is None:
        return []
    return [f"{energy_cell(joules)} mJ/{per} ({_energy_label(point)})"]


def _energy_label(point: PointResult) -> str:
    """The energy method, saying "estimated" once: "TDP estimate" already does."""
    method = point.energy.method
    if point.energy.estimated and "estimat" not in method.lower():
        return f"{method}, estimated"
    return method


def format_point_line(point: PointResult) -> str:
    if point.tokens is not None:
        return format_token_line(point)
    s = point.stats
    parts = [
        f"{point.label:<16}",
        f"n={s.count:<7}",
        f"p50 {ms(s.p50)}",
        f"p90 {ms(s.p90)}",
        f"p99 {ms(s.p99)}",
        f"{point.throughput_ips:>10,.1f}/s",
        "stable" if point.stable else "UNSTABLE",
    ]
    parts += _energy_part(point, "inf")
    if point.loadgen_saturated:
        parts.append(f"load generator saturated ({point.loadgen_cpu_pct:.0f}% CPU)")
    return "  ".join(parts)


def _inputs_lines(run: RunResult) -> list[str]:
    settings = run.config.generative
    if settings is None:
        return format_dims(run.dims_used, run.assumed)
    return [
        f"Tokens     prompt {', '.join(map(str, settings.prompt_tokens))}; output "
        f"{', '.join(map(str, settings.output_tokens))} (greedy, fixed length); sequences "
        f"{', '.join(map(str, run.config.concurrency))}"
    ]


def format_run(run: RunResult) -> str:
    config = run.config
    lines = [
        f"Run {run.id}  [{run.status}]" + (f": {run.failure_reason}" if run.failure_reason else ""),
        f"Model      {run.model_name}  sha256 {run.model_sha256[:16]}…  ({run.model_path})",
        f"Scenario   {config.scenario} on {config.provider}; threads intra "
        f"{config.intra_op_threads or 'default'}, inter {config.inter_op_threads or 'default'}; "
        f"optimization {config.graph_optimization}",
        *_inputs_lines(run),
        *_provider_lines(run),
        f"Started    {run.started_at}  finished {run.finished_at or '—'}",
        f"Session    created in {ms(run.session_create_ms)} ms, first inference "
        f"{ms(run.first_inference_ms)} ms",
        "",
        "Points (latency in ms; percentiles shown only with enough samples)",
    ]
    lines += [f"  {format_point_line(p)}" for p in run.points] or ["  none"]
    energy = energy_notes(run)
    for point in run.points:
        missing = "; ".join(f"{k}: {v}" for k, v in point.stats.unavailable.items())
        detail = f"  {point.label}: {point.stop_reason}"
        if missing:
            detail += f" ({missing})"
        if len(energy) > 1:
            detail += f"; {_energy_note(point)}"
        lines.append(detail)
    if len(energy) == 1:
        lines.append(f"Energy of every point: {energy[0]}")
    if run.max_rate_within_slo is not None:
        lines.append(
            f"Highest rate within p{config.slo_percentile:g} <= {config.slo_ms:g} ms: "
            f"{run.max_rate_within_slo:,.1f}/s"
        )
    lines += [f"Note: {note}" for note in run.notes]
    if run.failure_kind == FailureKind.RUNTIME and run.failure_detail:
        lines.append(f"ONNX Runtime said: {run.failure_detail.strip().splitlines()[0][:500]}")
    return "\n".join(lines)


def _energy_note(point: PointResult) -> str:
    energy = point.energy
    if energy.joules_per_inference is None:
        return f"energy unavailable: {energy.reason or energy.method}"
    if energy.estimated:
        return f"energy estimated ({energy.method}; how: in the notes and --json)"
    return f"energy measured ({energy.method})"


def energy_notes(run: RunResult) -> list[str]:
    """The distinct energy notes of a run's points: one line serves when they agree."""
    return list(dict.fromkeys(_energy_note(p) for p in run.points))


def format_dims(dims_used: dict[str, int], assumed: dict[str, str]) -> list[str]:
    """``Dims`` line with assumed values starred, then one line per assumption."""
    lines = [f"Dims       {dims_text(dims_used, assumed)}"]
    lines += [f"  * {text} (assumed)" for text in assumption_texts(assumed)]
    return lines


def _provider_lines(run: RunResult) -> list[str]:
    if not run.provider_nodes:
        return []
    counts = ", ".join(f"{p} {n}" for p, n in run.provider_nodes.items())
    return [f"Nodes      {counts}"]
