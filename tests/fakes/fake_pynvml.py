"""FAKE stand-in for the ``pynvml`` module, for testing NVML code on machines without a GPU.

This is a test double, not a driver: nothing here talks to hardware. An instance of
:class:`FakePynvml` is passed where the real ``pynvml`` module would be
(``open_nvml(FakePynvml())``, ``collect_inventory(nvml_module=FakePynvml())``). It implements only
the pynvml functions ``planner.hardware`` calls, with the real module's names, units and return
types (names as ``str``, power in mW, energy in mJ, memory info with ``.total``/``.used``,
utilization with ``.gpu``, MIG mode as ``[current, pending]``).

Failures are configurable: ``init_error`` makes ``nvmlInit`` raise (e.g. library not found),
and ``FakeGpu.unsupported`` names functions that raise ``NVMLError_NotSupported`` for that GPU
(e.g. the total-energy counter on a pre-Volta GPU).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

GIB = 1024**3


class NVMLError(Exception):
    """Base of the fake's NVML errors; ``str()`` gives pynvml's message text."""

    message = "Unknown Error"

    def __str__(self) -> str:
        return self.message


class NVMLError_NotSupported(NVMLError):  # noqa: N801 - pynvml's name
    message = "Not Supported"


class NVMLError_LibraryNotFound(NVMLError):  # noqa: N801
    message = "NVML Shared Library Not Found"


class NVMLError_DriverNotLoaded(NVMLError):  # noqa: N801
    message = "Driver Not Loaded"


class NVMLError_NoPermission(NVMLError):  # noqa: N801
    message = "Insufficient Permissions"


class NVMLError_Uninitialized(NVMLError):  # noqa: N801
    message = "Uninitialized"


class NVMLError_GpuIsLost(NVMLError):  # noqa: N801
    message = "GPU is lost"


@dataclass
class FakeGpu:
    """One fake GPU's readings. Defaults describe an idle-ish H100 SXM."""

    name: str = "NVIDIA H100 80GB HBM3"
    uuid: str = "GPU-00000000-1111-2222-3333-444444444444"
    memory_total: int = 80 * GIB
    memory_used: int = 2 * GIB
    power_limit_mw: int = 700_000
    power_mw: int = 350_000
    energy_mj: int = 123_456_789
    gpu_util: int = 42
    mig_mode: tuple[int, int] = (0, 0)
    pcie_gen: tuple[int, int] = (5, 5)
    pcie_width: tuple[int, int] = (16, 16)
    unsupported: set[str] = field(default_factory=set)
    errors: dict[str, type[NVMLError]] = field(default_factory=dict)


class FakePynvml:
    """FAKE pynvml module for GPU-absent machines; see the module docstring."""

    NVMLError = NVMLError
    NVMLError_NotSupported = NVMLError_NotSupported
    NVMLError_LibraryNotFound = NVMLError_LibraryNotFound
    NVMLError_DriverNotLoaded = NVMLError_DriverNotLoaded
    NVMLError_NoPermission = NVMLError_NoPermission
    NVMLError_Uninitialized = NVMLError_Uninitialized
    NVMLError_GpuIsLost = NVMLError_GpuIsLost
    NVML_DEVICE_MIG_DISABLE = 0
    NVML_DEVICE_MIG_ENABLE = 1

    def __init__(
        self,
        gpus: list[FakeGpu] | None = None,
        init_error: type[NVMLError] | None = None,
        driver_version: str = "550.54.15",
        cuda_driver_version: int = 12040,
        unopenable: dict[int, type[NVMLError]] | None = None,
    ) -> None:
        self.gpus = gpus if gpus is not None else [FakeGpu()]
        self.init_error = init_error
        self.driver_version = driver_version
        self.cuda_driver_version = cuda_driver_version
        self.unopenable = unopenable or {}
        self.initialized = False
        self.calls: list[str] = []

    # -- library -------------------------------------------------------------------------------
    def nvmlInit(self) -> None:
        self.calls.append("nvmlInit")
        if self.init_error is not None:
            raise self.init_error()
        self.initialized = True

    def nvmlShutdown(self) -> None:
        self.calls.append("nvmlShutdown")
        self._require_init()
        self.initialized = False

    def nvmlSystemGetDriverVersion(self) -> str:
        self._require_init()
        return self.driver_version

    def nvmlSystemGetCudaDriverVersion_v2(self) -> int:
        self._require_init()
        return self.cuda_driver_version

    def nvmlSystemGetCudaDriverVersion(self) -> int:
        self._require_init()
        return self.cuda_driver_version

    def nvmlDeviceGetCount(self) -> int:
        self._require_init()
        return len(self.gpus)

    def nvmlDeviceGetHandleByIndex(self, index: int) -> FakeGpu:
        self.calls.append("nvmlDeviceGetHandleByIndex")
        self._require_init()
        if index in self.unopenable:
            raise self.unopenable[index]()
        return self.gpus[index]

    # -- device description --------------------------------------------------------------------
    def nvmlDeviceGetName(self, handle: FakeGpu) -> str:
        return self._answer(handle, "nvmlDeviceGetName", handle.name)

    def nvmlDeviceGetUUID(self, handle: FakeGpu) -> str:
        return self._answer(handle, "nvmlDeviceGetUUID", handle.uuid)

    def nvmlDeviceGetMemoryInfo(self, handle: FakeGpu) -> SimpleNamespace:
        info = SimpleNamespace(
            total=handle.memory_total,
            used=handle.memory_used,
            free=handle.memory_total - handle.memory_used,
        )
        return self._answer(handle, "nvmlDeviceGetMemoryInfo", info)

    def nvmlDeviceGetPowerManagementLimit(self, handle: FakeGpu) -> int:
        return self._answer(handle, "nvmlDeviceGetPowerManagementLimit", handle.power_limit_mw)

    def nvmlDeviceGetMigMode(self, handle: FakeGpu) -> list[int]:
        return self._answer(handle, "nvmlDeviceGetMigMode", list(handle.mig_mode))

    def nvmlDeviceGetCurrPcieLinkGeneration(self, handle: FakeGpu) -> int:
        return self._answer(handle, "nvmlDeviceGetCurrPcieLinkGeneration", handle.pcie_gen[0])

    def nvmlDeviceGetMaxPcieLinkGeneration(self, handle: FakeGpu) -> int:
        return self._answer(handle, "nvmlDeviceGetMaxPcieLinkGeneration", handle.pcie_gen[1])

    def nvmlDeviceGetCurrPcieLinkWidth(self, handle: FakeGpu) -> int:
        return self._answer(handle, "nvmlDeviceGetCurrPcieLinkWidth", handle.pcie_width[0])

    def nvmlDeviceGetMaxPcieLinkWidth(self, handle: FakeGpu) -> int:
        return self._answer(handle, "nvmlDeviceGetMaxPcieLinkWidth", handle.pcie_width[1])

    # -- live telemetry ------------------------------------------------------------------------
    def nvmlDeviceGetPowerUsage(self, handle: FakeGpu) -> int:
        return self._answer(handle, "nvmlDeviceGetPowerUsage", handle.power_mw)

    def nvmlDeviceGetTotalEnergyConsumption(self, handle: FakeGpu) -> int:
        return self._answer(handle, "nvmlDeviceGetTotalEnergyConsumption", handle.energy_mj)

    def nvmlDeviceGetUtilizationRates(self, handle: FakeGpu) -> SimpleNamespace:
        rates = SimpleNamespace(gpu=handle.gpu_util, memory=0)
        return self._answer(handle, "nvmlDeviceGetUtilizationRates", rates)

    # -- helpers -------------------------------------------------------------------------------
    def _require_init(self) -> None:
        if not self.initialized:
            raise NVMLError_Uninitialized()

    def _answer(self, handle: FakeGpu, function_name: str, value):
        """Return ``value`` unless this GPU is configured to fail ``function_name``."""
        self.calls.append(function_name)
        self._require_init()
        if function_name in handle.unsupported:
            raise NVMLError_NotSupported()
        if function_name in handle.errors:
            raise handle.errors[function_name]()
        return value
