"""Energy per point from telemetry, with a fake NVML whose counter ticks like a real one."""

from __future__ import annotations

import time

import numpy as np
import pytest
from fakes.fake_pynvml import FakeGpu, FakePynvml

from planner.core.run import RunConfig, TelemetrySeries
from planner.hardware.cpu_tdp import CpuTdp
from planner.hardware.energy import (
    NVML_ENERGY_COUNTER,
    NVML_POWER_INTEGRATED,
    RAPL_COUNTER,
    TDP_ESTIMATE,
    UNAVAILABLE,
)
from planner.hardware.nvml import open_nvml
from planner.profiling.energy import derive_energy, tdp_estimate
from planner.profiling.instruments import Instruments, open_instruments
from planner.profiling.telemetry import TelemetrySampler, measure_counter_period

CUDA = "CUDAExecutionProvider"


class TickingFake(FakePynvml):
    """FAKE NVML whose energy counter advances in steps of ``period_s`` at ``power_w``."""

    def __init__(self, period_s: float = 0.02, power_w: float = 300.0) -> None:
        super().__init__([FakeGpu(power_mw=int(power_w * 1000))])
        self.period_s, self.power_w, self.t0 = period_s, power_w, time.monotonic()

    def nvmlDeviceGetTotalEnergyConsumption(self, handle: FakeGpu) -> int:
        ticks = int((time.monotonic() - self.t0) / self.period_s)
        return int(ticks * self.period_s * self.power_w * 1000)


def _series(name: str, unit: str, t: list[float], v: list[float]) -> TelemetrySeries:
    return TelemetrySeries(name, unit, np.array(t), np.array(v))


def test_counter_difference_is_preferred() -> None:
    telemetry = (
        _series("gpu0.energy", "J", [0.0, 0.5, 1.0], [100.0, 150.0, 200.0]),
        _series("gpu0.power", "W", [0.0, 1.0], [90.0, 90.0]),
    )
    energy = derive_energy(telemetry, CUDA, 1000, 1.0, 0.02, "")
    assert energy.method == NVML_ENERGY_COUNTER
    assert energy.energy_j == 100.0 and energy.joules_per_inference == pytest.approx(0.1)
    assert energy.avg_power_w == 100.0 and energy.inferences_per_joule == pytest.approx(10.0)


def test_window_shorter_than_counter_period_integrates_power() -> None:
    telemetry = (
        _series("gpu0.energy", "J", [0.0, 0.01], [100.0, 100.0]),
        _series("gpu0.power", "W", [0.0, 0.01], [200.0, 200.0]),
    )
    energy = derive_energy(telemetry, CUDA, 10, 0.01, 0.1, "")
    assert energy.method == NVML_POWER_INTEGRATED
    assert energy.energy_j == pytest.approx(2.0) and energy.energy_j > 0
    assert "did not advance" in energy.reason and "0.100 s" in energy.reason


def test_no_gpu_samples_and_rapl_paths() -> None:
    assert derive_energy((), CUDA, 10, 1.0, None, "").method == UNAVAILABLE
    cpu = derive_energy((), "CPUExecutionProvider", 10, 1.0, None, "RAPL unavailable: absent")
    assert cpu.method == UNAVAILABLE and cpu.reason == "RAPL unavailable: absent"
    rapl = (_series("rapl.package-0.energy", "J", [0.0, 1.0], [0.0, 30.0]),)
    measured = derive_energy(rapl, "CPUExecutionProvider", 300, 1.0, None, "")
    assert measured.method == RAPL_COUNTER and measured.joules_per_inference == pytest.approx(0.1)


def test_counter_period_measured_from_fake() -> None:
    nvml = open_nvml(TickingFake(period_s=0.02))
    period = measure_counter_period(nvml, 0, poll_s=0.001, limit_s=0.3)
    assert period == pytest.approx(0.02, rel=0.3)


def test_sampler_and_energy_with_ticking_fake() -> None:
    nvml = open_nvml(TickingFake(period_s=0.02, power_w=300.0))
    sampler = TelemetrySampler(nvml, (0,), (), period_s=0.04, gpu_period_s=0.02)
    instruments = Instruments(sampler, CUDA, nvml, counter_period_s=0.02)
    sampler.start()
    time.sleep(0.3)
    telemetry = sampler.stop()
    names = {s.name for s in telemetry}
    assert {"gpu0.power", "gpu0.energy", "gpu0.util", "gpu0.memory", "process.rss"} <= names
    power = next(s for s in telemetry if s.name == "gpu0.power")
    assert power.t.size >= 10 and np.all(power.values == 300.0)
    energy = instruments.energy(telemetry, 600, 0.3)
    assert energy.method == NVML_ENERGY_COUNTER
    assert energy.avg_power_w == pytest.approx(300.0, rel=0.2)
    assert sampler.peak_rss_bytes > 0


def test_open_instruments_reports_missing_meters(mlp_model_path) -> None:
    config = RunConfig(str(mlp_model_path), provider=CUDA)
    fake = FakePynvml(init_error=FakePynvml.NVMLError_LibraryNotFound)
    instruments = open_instruments(config, fake)
    energy = instruments.energy((), 10, 1.0)
    assert (
        energy.method == UNAVAILABLE and "NVML unavailable: NVML library not found" in energy.reason
    )
    ticking = open_instruments(config, TickingFake(period_s=0.02))
    assert ticking.counter_period_s == pytest.approx(0.02, rel=0.3)
    assert any("updates every" in note for note in ticking.notes)
    ticking.close()


def test_cpu_without_rapl_gets_a_labelled_tdp_estimate() -> None:
    tdp = CpuTdp(2.5, "Test CPU: 250 W TDP / 100 threads", "test table", "2026-11-28")
    cpu = _series("process.cpu", "%", [0.0, 0.1, 0.2, 0.3], [0.0, 150.0, 150.0, 150.0])
    energy = tdp_estimate((cpu,), 300, 2.0, tdp, "RAPL unavailable: absent")
    assert energy.method == TDP_ESTIMATE and energy.estimated
    assert energy.avg_power_w == pytest.approx(1.5 * 2.5)
    assert energy.energy_j == pytest.approx(1.5 * 2.5 * 2.0)
    assert energy.joules_per_inference == pytest.approx(7.5 / 300)
    assert energy.detail.startswith("estimate: CPU TDP x CPU utilisation, 1.50 busy threads")
    assert "Test CPU: 250 W TDP / 100 threads" in energy.detail
    assert "RAPL unavailable" in energy.detail
    missing = tdp_estimate((), 300, 2.0, tdp, "RAPL unavailable: absent")
    assert missing.method == UNAVAILABLE and not missing.estimated


def test_measured_energy_is_never_marked_estimated() -> None:
    rapl = _series("rapl.package-0.energy", "J", [0.0, 1.0], [10.0, 40.0])
    energy = derive_energy((rapl,), "CPUExecutionProvider", 100, 1.0, None, "")
    assert energy.method == RAPL_COUNTER and not energy.estimated and energy.detail == ""


def test_instruments_estimate_cpu_energy_when_rapl_is_unreadable(mlp_model_path) -> None:
    instruments = Instruments(
        TelemetrySampler(None, (), ()),
        "CPUExecutionProvider",
        rapl_reason="absent: /sys/class/powercap has no RAPL domains",
        cpu_tdp=CpuTdp(3.0, "Test CPU", "test table", "2026-11-28"),
    )
    cpu = _series("process.cpu", "%", [0.0, 0.5, 1.0], [0.0, 100.0, 100.0])
    assert instruments.energy((cpu,), 10, 1.0).avg_power_w == pytest.approx(3.0)
    unknown = Instruments(
        TelemetrySampler(None, (), ()),
        "CPUExecutionProvider",
        rapl_reason="absent",
        cpu_tdp_reason="no TDP estimate: CPU 'Mystery' is not in the CPU TDP table",
    )
    energy = unknown.energy((cpu,), 10, 1.0)
    assert energy.method == UNAVAILABLE and "not in the CPU TDP table" in energy.reason
