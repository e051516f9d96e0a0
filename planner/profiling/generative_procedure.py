"""The profiling procedure for a generative (decoder) model: a sweep of token points.

Runs on one thread of the worker process (or of the parent, for the in-process backend),
like :class:`~planner.profiling.procedure.Procedure`, whose ending (result, failure
sorting, messages) it shares. It loads the ONNX Runtime GenAI folder once, then measures
every prompt length × output length × sequence count (``RunConfig.concurrency``) with
:func:`~planner.profiling.token_measure.measure_token_point`, within the run's budget.

A token point is stored as a point whose samples are the inter-token gaps (one per
decode step), whose throughput is output tokens per second and whose ``tokens`` field
holds TTFT, TPOT, ITL, E2E and token rates; its energy per "inference" is energy per
output token. ``onnxruntime_genai`` is imported only here, in the worker: its native
library can end a process that fails to load it.
"""

from __future__ import annotations

from time import perf_counter

import numpy as np
import psutil

from planner.core.generative import GenerativeModelInfo, GenerativeSettings
from planner.core.run import FailureKind, PointResult, Scenario, TelemetrySeries
from planner.core.token_stats import target_verdict
from planner.models.genai_inspect import inspect_genai_folder
from planner.models.genai_runtime import (
    LoadedDecoder,
    genai_version,
    load_decoder,
    prompt_token_ids,
)
from planner.profiling.failures import RunFailure
from planner.profiling.instruments import Instruments, open_instruments
from planner.profiling.messages import PointFinished, PointStarted, Progress, RunStarted
from planner.profiling.procedure import Procedure, utc_now
from planner.profiling.session import versions
from planner.profiling.stability import StabilityRule
from planner.profiling.stats import min_samples_for
from planner.profiling.token_loop import generate_one
from planner.profiling.token_measure import TokenMeasurement, TokenPointSpec, measure_token_point


def token_points(settings: GenerativeSettings, sequences: tuple[int, ...]) -> list[TokenPointSpec]:
    """Every point of the sweep: prompt lengths, then output lengths, then sequences."""
    return [
        TokenPointSpec(prompt, output, count)
        for prompt in settings.prompt_tokens
        for output in settings.output_tokens
        for count in sequences
    ]


class GenerativeProcedure(Procedure):
    """One generative run; :meth:`execute` is the classic procedure's."""

    _decoder: LoadedDecoder | None = None
    _specs: list[TokenPointSpec]
    _model: GenerativeModelInfo | None = None

    def _start(self) -> None:
        cfg = self.config
        settings = self._settings()
        self._model = inspect_genai_folder(cfg.model_path)
        loaded_at = perf_counter()
        self._decoder = load_decoder(self._model, cfg.intra_op_threads)
        load_ms = (perf_counter() - loaded_at) * 1000.0
        self._specs = token_points(settings, cfg.concurrency)
        first = self._specs[0]
        first_ms = self._first_generation_ms(first)
        self._latency_s = first_ms / 1000.0
        self._setup_s = perf_counter() - self._t0
        if self._setup_s >= cfg.time_budget_s:
            raise RunFailure(
                f"slower than the budget: loading and one generation took {self._setup_s:.3g} s "
                f"of the {cfg.time_budget_s:.3g} s budget; give a larger --budget",
                FailureKind.BUDGET,
            )
        self._started = RunStarted(
            run_id=self.run_id,
            model_name=self._model.name,
            model_sha256=self._model.sha256,
            started_at=utc_now(),
            session_create_ms=load_ms,
            first_inference_ms=first_ms,
            versions={**versions(), "onnxruntime-genai": genai_version()},
            dims_used={},
            planned_points=tuple(spec.label for spec in self._specs),
        )
        self._instruments = open_instruments(cfg, self._nvml_module)
        if self._model.note:
            self._notes.append(f"model: {self._model.note}")
        self._emit(self._started)

    def _settings(self) -> GenerativeSettings:
        settings = self.config.generative
        if settings is None:
            raise RunFailure("a generative run needs prompt and output lengths", FailureKind.SETUP)
        return settings

    def _first_generation_ms(self, spec: TokenPointSpec) -> float:
        """Time one short generation: the run's first inference (prefill and one token)."""
        assert self._decoder is not None
        prompt = prompt_token_ids(self._decoder.info, spec.prompt_tokens, self.config.seed)
        return generate_one(self._decoder, prompt[0], 1).e2e_s * 1000.0

    def _measure_all(self) -> None:
        assert self._instruments is not None and self._decoder is not None
        deadline = self._t0 + self.config.time_budget_s
        for spec in self._specs:
            if self._should_stop():
                return
            remaining = deadline - perf_counter()
            if remaining < 2 * self._latency_s:
                if self._points:
                    self._notes.append(f"time budget {self.config.time_budget_s:.3g} s reached")
                return
            cap = min(self.config.point_cap_s, remaining)
            point = self._measure_token(spec, self._instruments, cap)
            if point is None:
                return
            self._points.append(point)
            self._emit(PointFinished(len(self._points) - 1, point))
        self._goodput_note()

    def _measure_token(
        self, spec: TokenPointSpec, instruments: Instruments, cap_s: float
    ) -> PointResult | None:
        assert self._decoder is not None
        index = len(self._points)
        self._emit(PointStarted(index, spec.label))
        cfg = self.config
        rule = StabilityRule(
            cfg.min_windows, cfg.min_samples, cfg.ci_tolerance, cfg.throughput_tolerance
        )
        instruments.sampler.start()
        measured = measure_token_point(
            self._decoder,
            spec,
            rule,
            cap_s,
            self._should_stop,
            cfg.seed,
            on_generation=lambda count, elapsed: self._token_progress(spec, count, elapsed, cap_s),
            min_requests=self._min_requests(),
        )
        telemetry = instruments.sampler.stop()
        if measured.generations == 0:
            return None
        self._latency_s = measured.duration_s / measured.generations
        return self._point(spec, measured, instruments, telemetry)

    def _point(
        self,
        spec: TokenPointSpec,
        measured: TokenMeasurement,
        instruments: Instruments,
        telemetry: tuple[TelemetrySeries, ...],
    ) -> PointResult:
        stats = measured.stats
        output_tokens = stats.requests * spec.output_tokens
        return PointResult(
            scenario=Scenario.GENERATIVE.value,
            batch=1,
            concurrency=spec.sequences,
            target_rate=None,
            stats=stats.itl,
            throughput_ips=stats.output_tokens_per_s,
            samples_ms=measured.itl_samples_ms.astype(np.float32),
            stable=measured.stable,
            stop_reason=measured.stop_reason,
            windows=measured.generations,
            duration_s=measured.duration_s,
            loadgen_cpu_pct=0.0,
            loadgen_saturated=False,
            peak_rss_bytes=max(
                instruments.sampler.peak_rss_bytes, psutil.Process().memory_info().rss
            ),
            telemetry=telemetry,
            energy=instruments.energy(telemetry, output_tokens, measured.duration_s),
            tokens=stats,
        )

    def _min_requests(self) -> int:
        """Requests a point needs before its TTFT/TPOT percentile can be reported.

        Plans size servers at a percentile of TTFT and TPOT (p90 by default), one sample
        per request, so a point keeps generating until it has them or reaches its cap.
        """
        return min_samples_for(self._settings().target_percentile)

    def _token_progress(
        self, spec: TokenPointSpec, generations: int, elapsed: float, cap_s: float
    ) -> None:
        done = len(self._points) + min(1.0, elapsed / cap_s)
        planned = max(len(self._specs), done)
        spent = perf_counter() - self._t0
        left = max(0.0, self.config.time_budget_s - spent)
        self._emit(
            Progress(
                fraction=min(1.0, max(done / planned, spent / self.config.time_budget_s)),
                eta_s=min(left, spent / done * (planned - done)) if done else left,
                label=spec.label,
                samples=generations,
                p50_ms=None,
                throughput_ips=0.0,
                median_ci_pct=None,
            )
        )

    def _goodput_note(self) -> None:
        """With TTFT/TPOT targets, the highest request rate that meets them (goodput)."""
        settings = self._settings()
        if not settings.has_targets:
            return
        meeting = [
            p
            for p in self._points
            if p.tokens is not None
            and target_verdict(
                p.tokens,
                settings.ttft_target_ms,
                settings.tpot_target_ms,
                settings.target_percentile,
            )
            is None
        ]
        if not meeting:
            self._notes.append("no point met the TTFT/TPOT targets: goodput 0")
            return
        best = max(meeting, key=lambda p: p.tokens.requests_per_s if p.tokens else 0.0)
        assert best.tokens is not None
        self._notes.append(
            f"goodput: {best.tokens.requests_per_s:.3g} requests/s "
            f"({best.tokens.output_tokens_per_s:.4g} output tokens/s) at {best.label}, "
            f"the most of any point meeting TTFT and TPOT p{settings.target_percentile:g} targets"
        )
