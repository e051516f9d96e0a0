"""Opening the energy meters and telemetry sampler for a run, once, in the worker.

Runs in the profiling worker before the first point. NVML and RAPL problems never fail a
run: a CPU run without RAPL gets a labelled TDP estimate when the CPU's TDP is known, any
other run without a meter gets ``unavailable`` with the reason, and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType

from planner.core.errors import HardwareError
from planner.core.run import EnergyResult, RunConfig, TelemetrySeries
from planner.hardware.cpu import collect_cpu_info
from planner.hardware.cpu_tdp import CpuTdp, lookup_cpu_tdp
from planner.hardware.energy import UNAVAILABLE
from planner.hardware.nvml import NvmlSession, open_nvml
from planner.hardware.rapl import RaplCounter, discover_rapl
from planner.profiling.energy import GPU_PROVIDERS, derive_energy, tdp_estimate
from planner.profiling.telemetry import TelemetrySampler, measure_counter_period


@dataclass
class Instruments:
    """The run's telemetry sampler and what energy derivation needs to know."""

    sampler: TelemetrySampler
    provider: str
    nvml: NvmlSession | None = None
    nvml_reason: str = ""
    rapl_reason: str = ""
    counter_period_s: float | None = None
    notes: list[str] = field(default_factory=list)
    cpu_tdp: CpuTdp | None = None
    cpu_tdp_reason: str = ""

    def energy(
        self, telemetry: tuple[TelemetrySeries, ...], inferences: int, duration_s: float
    ) -> EnergyResult:
        """Energy of one point, by the best method this host allows."""
        if self.provider in GPU_PROVIDERS and self.nvml is None:
            return EnergyResult(UNAVAILABLE, reason=f"NVML unavailable: {self.nvml_reason}")
        if self.provider not in GPU_PROVIDERS and self.rapl_reason:
            no_meter = f"RAPL unavailable: {self.rapl_reason}"
            if self.cpu_tdp is None:
                return EnergyResult(UNAVAILABLE, reason=f"{no_meter}; {self.cpu_tdp_reason}")
            return tdp_estimate(telemetry, inferences, duration_s, self.cpu_tdp, no_meter)
        return derive_energy(
            telemetry,
            self.provider,
            inferences,
            duration_s,
            self.counter_period_s,
            f"RAPL unavailable: {self.rapl_reason}" if self.rapl_reason else "",
        )

    def close(self) -> None:
        if self.nvml is not None:
            self.nvml.close()


def _open_nvml(module: ModuleType | None) -> tuple[NvmlSession | None, str]:
    try:
        return open_nvml(module), ""
    except HardwareError as exc:
        return None, str(exc)


def _rapl_counters() -> tuple[tuple[RaplCounter, ...], str]:
    domains, availability = discover_rapl()
    counters: list[RaplCounter] = []
    for domain in domains:
        if domain.readable and "/" not in domain.name:
            try:
                counters.append(RaplCounter(domain))
            except HardwareError as exc:
                return (), str(exc)
    reason = "" if counters else (availability.reason or "no readable RAPL package domain")
    return tuple(counters), reason


def _cpu_tdp() -> tuple[CpuTdp | None, str]:
    """This CPU's TDP basis, or None with the reason no estimate is possible."""
    model = collect_cpu_info().model_name
    try:
        tdp = lookup_cpu_tdp(model)
    except HardwareError as exc:
        return None, f"no TDP estimate: {exc}"
    if tdp is None:
        return None, f"no TDP estimate: CPU '{model or 'unknown'}' is not in the CPU TDP table"
    return tdp, ""


def open_instruments(config: RunConfig, nvml_module: ModuleType | None = None) -> Instruments:
    """Open NVML (``nvml_module`` lets tests pass a fake) and RAPL, and build the sampler."""
    nvml, nvml_reason = _open_nvml(nvml_module)
    rapl, rapl_reason = _rapl_counters()
    gpus = tuple(range(nvml.device_count)) if nvml is not None else ()
    sampler = TelemetrySampler(nvml, gpus, rapl, config.telemetry_period_s, config.gpu_period_s)
    instruments = Instruments(sampler, config.provider, nvml, nvml_reason, rapl_reason)
    if rapl_reason and config.provider not in GPU_PROVIDERS:
        instruments.cpu_tdp, instruments.cpu_tdp_reason = _cpu_tdp()
        if instruments.cpu_tdp is not None:
            instruments.notes.append(
                f"energy is a TDP estimate (no RAPL): {instruments.cpu_tdp.describe()}"
            )
    if nvml is not None and gpus and config.provider in GPU_PROVIDERS:
        try:
            instruments.counter_period_s = measure_counter_period(nvml, 0)
        except HardwareError as exc:
            instruments.notes.append(f"energy counter period not measured: {exc}")
        if instruments.counter_period_s is not None:
            period_ms = 1000 * instruments.counter_period_s
            instruments.notes.append(f"NVML energy counter updates every {period_ms:.0f} ms")
    return instruments
