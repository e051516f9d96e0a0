"""NVML paths through the FakePynvml stand-in (this machine has no GPU)."""

from __future__ import annotations

import ctypes.util
import threading

import pytest
from fakes.fake_pynvml import (
    GIB,
    FakeGpu,
    FakePynvml,
    NVMLError,
    NVMLError_DriverNotLoaded,
    NVMLError_GpuIsLost,
    NVMLError_LibraryNotFound,
    NVMLError_NoPermission,
)

from planner.core.errors import HardwareError
from planner.hardware.nvml import open_nvml


def test_default_fake_gpu_is_described_fully() -> None:
    with open_nvml(FakePynvml()) as session:
        (gpu,) = session.devices()
    assert gpu.index == 0
    assert gpu.name == "NVIDIA H100 80GB HBM3"
    assert gpu.uuid == "GPU-00000000-1111-2222-3333-444444444444"
    assert gpu.memory_total_bytes == 80 * GIB
    assert gpu.power_limit_w == 700.0
    assert (gpu.driver_version, gpu.cuda_driver_version) == ("550.54.15", "12.4")
    assert gpu.mig_mode == "disabled"
    assert (gpu.pcie_gen_current, gpu.pcie_gen_max) == (5, 5)
    assert (gpu.pcie_width_current, gpu.pcie_width_max) == (16, 16)
    assert gpu.power_reading_supported and gpu.energy_counter_supported
    assert gpu.errors == ()


def test_pre_volta_gpu_has_no_energy_counter_and_no_mig() -> None:
    unsupported = {"nvmlDeviceGetTotalEnergyConsumption", "nvmlDeviceGetMigMode"}
    fake = FakePynvml([FakeGpu(name="Tesla P100-PCIE-16GB", unsupported=unsupported)])
    with open_nvml(fake) as session:
        (gpu,) = session.devices()
        sample = session.sample(0)
    assert not gpu.energy_counter_supported
    assert gpu.power_reading_supported
    assert gpu.mig_mode == "unsupported"
    assert gpu.errors == ()  # "Not Supported" is an answer, not an error
    assert sample.energy_j is None
    assert sample.power_w == 350.0


def test_mig_enabled_is_reported() -> None:
    with open_nvml(FakePynvml([FakeGpu(mig_mode=(1, 1))])) as session:
        assert session.devices()[0].mig_mode == "enabled"


def test_a_failing_field_becomes_none_with_nvml_error_text() -> None:
    gpu = FakeGpu(errors={"nvmlDeviceGetUUID": NVMLError_NoPermission})
    with open_nvml(FakePynvml([gpu])) as session:
        (info,) = session.devices()
    assert info.uuid is None
    assert info.error_for("uuid") == "Insufficient Permissions"
    assert info.name == "NVIDIA H100 80GB HBM3"


def test_gpu_that_cannot_be_opened_is_listed_with_its_error() -> None:
    fake = FakePynvml([FakeGpu(), FakeGpu(uuid="GPU-2")], unopenable={0: NVMLError_GpuIsLost})
    with open_nvml(fake) as session:
        lost, healthy = session.devices()
        with pytest.raises(HardwareError, match="GPU is lost"):
            session.sample(0)
    assert lost.index == 0 and lost.name is None
    assert lost.error_for("handle") == "GPU is lost"
    assert healthy.uuid == "GPU-2"


def test_sample_converts_units_and_uses_cached_handles() -> None:
    fake = FakePynvml()
    with open_nvml(fake) as session:
        handle_lookups = fake.calls.count("nvmlDeviceGetHandleByIndex")
        first = session.sample(0)
        fake.gpus[0].energy_mj += 5_000
        second = session.sample(0)
        assert fake.calls.count("nvmlDeviceGetHandleByIndex") == handle_lookups
    assert first.power_w == 350.0
    assert first.energy_j == pytest.approx(123_456.789)
    assert second.energy_j - first.energy_j == pytest.approx(5.0)
    assert first.gpu_util_pct == 42.0
    assert first.mem_used_bytes == 2 * GIB
    assert second.t >= first.t


def test_unsupported_reading_is_not_asked_again() -> None:
    fake = FakePynvml([FakeGpu(unsupported={"nvmlDeviceGetUtilizationRates"})])
    with open_nvml(fake) as session:
        for _ in range(3):
            assert session.sample(0).gpu_util_pct is None
    assert fake.calls.count("nvmlDeviceGetUtilizationRates") == 1


def test_sampling_from_a_background_thread() -> None:
    samples = []
    with open_nvml(FakePynvml()) as session:
        thread = threading.Thread(
            target=lambda: samples.extend(session.sample(0) for _ in range(5))
        )
        thread.start()
        thread.join()
    assert len(samples) == 5 and all(s.power_w == 350.0 for s in samples)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NVMLError_LibraryNotFound, "NVML library not found (no NVIDIA driver installed)"),
        (NVMLError_DriverNotLoaded, "NVIDIA driver not loaded"),
        (NVMLError_NoPermission, "no permission to open NVIDIA devices"),
        (NVMLError, "NVML initialisation failed: Unknown Error"),
    ],
)
def test_init_failure_raises_hardware_error_with_reason(
    error: type[NVMLError], expected: str
) -> None:
    with pytest.raises(HardwareError) as raised:
        open_nvml(FakePynvml(init_error=error))
    assert str(raised.value).startswith(expected)
    assert "\n" not in str(raised.value)


def test_close_shuts_nvml_down_once_and_blocks_sampling() -> None:
    fake = FakePynvml()
    session = open_nvml(fake)
    session.close()
    session.close()
    assert fake.calls.count("nvmlShutdown") == 1
    assert not fake.initialized
    with pytest.raises(HardwareError, match="closed"):
        session.sample(0)


def test_real_pynvml_opens_exactly_when_the_driver_library_is_present() -> None:
    """The real pynvml, with the outcome predicted independently of planner's code."""
    if ctypes.util.find_library("nvidia-ml") is None:
        with pytest.raises(HardwareError, match="NVML library not found"):
            open_nvml()
        return
    with open_nvml() as session:
        gpus = session.devices()
    assert all(gpu.name for gpu in gpus)


def test_unreadable_driver_version_is_recorded_on_each_gpu() -> None:
    fake = FakePynvml()

    def fail() -> str:
        raise NVMLError_NoPermission()

    fake.nvmlSystemGetDriverVersion = fail
    with open_nvml(fake) as session:
        (gpu,) = session.devices()
    assert gpu.driver_version is None
    assert gpu.error_for("driver_version") == "Insufficient Permissions"
    assert gpu.cuda_driver_version == "12.4"
