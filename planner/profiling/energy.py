"""Energy per point from telemetry series, naming the method used (or why there is none).

Pure functions, called in the worker process after a point's sampler has stopped.

Rules (after Zeus): the NVML energy counter is preferred for GPU providers; a point whose
span is shorter than the counter's measured update period, or over which the counter did
not advance, must not read as 0 J, so its energy is integrated from sampled NVML power
instead. CPU providers use the RAPL package counters when readable. Without RAPL, a CPU point gets
a TDP estimate (as CodeCarbon does, but labelled): watts per busy hardware thread from the
CPU TDP table times the threads this process kept busy (its CPU time over the point). The
result says ``estimated`` and names the basis, so it is never mistaken for a measurement.
"""

from __future__ import annotations

from dataclasses import replace

from planner.core.run import EnergyResult, TelemetrySeries
from planner.hardware.cpu_tdp import CpuTdp
from planner.hardware.energy import (
    NVML_ENERGY_COUNTER,
    NVML_POWER_INTEGRATED,
    RAPL_COUNTER,
    TDP_ESTIMATE,
    UNAVAILABLE,
    integrate_power,
)

GPU_PROVIDERS = frozenset(
    {"CUDAExecutionProvider", "TensorrtExecutionProvider", "NvTensorRTRTXExecutionProvider"}
)


def _series(telemetry: tuple[TelemetrySeries, ...], name: str) -> TelemetrySeries | None:
    for series in telemetry:
        if series.name == name and series.t.size:
            return series
    return None


def _result(method: str, joules: float, inferences: int, duration_s: float) -> EnergyResult:
    return EnergyResult(
        method=method,
        energy_j=joules,
        joules_per_inference=joules / inferences if inferences else None,
        avg_power_w=joules / duration_s if duration_s > 0 else None,
        inferences_per_joule=inferences / joules if joules > 0 else None,
    )


def gpu_energy(
    telemetry: tuple[TelemetrySeries, ...],
    gpu: int,
    inferences: int,
    duration_s: float,
    counter_period_s: float | None,
) -> EnergyResult:
    """Energy of GPU ``gpu``: counter difference, else integrated power, else unavailable."""
    counter = _series(telemetry, f"gpu{gpu}.energy")
    note = ""
    if counter is not None and counter.t.size >= 2:
        joules = float(counter.values[-1] - counter.values[0])
        span = float(counter.t[-1] - counter.t[0])
        if joules > 0 and (counter_period_s is None or span >= counter_period_s):
            return _result(NVML_ENERGY_COUNTER, joules, inferences, duration_s)
        period = f"{counter_period_s:.3f} s" if counter_period_s else "unknown"
        note = f"counter did not advance over {span:.3f} s (update period {period}); "
    power = _series(telemetry, f"gpu{gpu}.power")
    if power is not None and power.t.size >= 2:
        joules = integrate_power(power.t, power.values)
        result = _result(NVML_POWER_INTEGRATED, joules, inferences, duration_s)
        return replace(result, reason=note.rstrip("; "))
    return EnergyResult(UNAVAILABLE, reason=f"{note}no NVML power samples for GPU {gpu}")


def rapl_energy(
    telemetry: tuple[TelemetrySeries, ...], inferences: int, duration_s: float, why_not: str
) -> EnergyResult:
    """Energy of all RAPL package domains sampled, or unavailable with ``why_not``."""
    packages = [s for s in telemetry if s.name.startswith("rapl.") and s.t.size >= 2]
    if not packages:
        return EnergyResult(UNAVAILABLE, reason=why_not or "RAPL counters not sampled")
    joules = sum(float(s.values[-1] - s.values[0]) for s in packages)
    if joules <= 0:
        return EnergyResult(UNAVAILABLE, reason="RAPL counter did not advance during the point")
    return _result(RAPL_COUNTER, joules, inferences, duration_s)


def tdp_estimate(
    telemetry: tuple[TelemetrySeries, ...],
    inferences: int,
    duration_s: float,
    tdp: CpuTdp,
    no_meter: str,
) -> EnergyResult:
    """Estimated energy: busy threads (process CPU %, 100 = one thread) x watts per thread."""
    cpu = _series(telemetry, "process.cpu")
    if cpu is None or cpu.t.size < 2:
        return EnergyResult(UNAVAILABLE, reason=f"{no_meter}; no CPU samples to estimate from")
    busy_threads = float(cpu.values[1:].mean()) / 100.0
    watts = busy_threads * tdp.watts_per_thread
    result = _result(TDP_ESTIMATE, watts * duration_s, inferences, duration_s)
    detail = (
        f"estimate: CPU TDP x CPU utilisation, {busy_threads:.2f} busy threads x "
        f"{tdp.watts_per_thread:.2f} W per thread ({tdp.basis}); {no_meter}"
    )
    return replace(result, estimated=True, detail=detail)


def derive_energy(
    telemetry: tuple[TelemetrySeries, ...],
    provider: str,
    inferences: int,
    duration_s: float,
    counter_period_s: float | None,
    rapl_reason: str,
) -> EnergyResult:
    """Energy for a point measured with ``provider`` (GPU 0 for GPU providers)."""
    if provider in GPU_PROVIDERS:
        return gpu_energy(telemetry, 0, inferences, duration_s, counter_period_s)
    return rapl_energy(telemetry, inferences, duration_s, rapl_reason)
