"""NVIDIA GPUs through NVML: describing them once, and sampling their live telemetry.

``open_nvml`` and ``NvmlSession.devices`` run on whichever thread collects the inventory;
``NvmlSession.sample`` is called every ~50 ms from the profiling worker's telemetry thread, so it
uses handles cached at open and skips readings the device has said it does not support. NVML
itself is thread-safe; a lock only keeps ``close`` from racing a sample.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from types import ModuleType, TracebackType
from typing import Any, Self, TypeVar

from planner.core.errors import HardwareError
from planner.core.machine import GpuInfo, GpuSample
from planner.hardware.system import format_cuda_version

T = TypeVar("T")

#: NVML error class name -> the reason a user is shown when NVML cannot start.
_INIT_FAILURE_REASONS = {
    "NVMLError_LibraryNotFound": "NVML library not found (no NVIDIA driver installed)",
    "NVMLError_DriverNotLoaded": "NVIDIA driver not loaded (no GPU, or the kernel module failed)",
    "NVMLError_NoPermission": "no permission to open NVIDIA devices (check /dev/nvidia* access)",
    "NVMLError_LibRmVersionMismatch": "NVML and kernel driver versions differ (reboot needed?)",
}


def _is_error(module: Any, error: BaseException, class_name: str) -> bool:
    error_class = getattr(module, class_name, None)
    return isinstance(error_class, type) and isinstance(error, error_class)


def _init_failure_reason(module: Any, error: BaseException) -> str:
    for class_name, reason in _INIT_FAILURE_REASONS.items():
        if _is_error(module, error, class_name):
            return reason
    return f"NVML initialisation failed: {error}"


def _import_pynvml() -> Any:
    try:
        import pynvml
    except ImportError as error:
        raise HardwareError("pynvml (package nvidia-ml-py) is not installed") from error
    return pynvml


def _as_str(value: str | bytes) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


class _FieldReader:
    """Reads NVML fields for one device, turning each NVML error into None plus its text."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self.errors: dict[str, str] = {}

    def read(self, field_name: str, call: Callable[[], T]) -> T | None:
        try:
            return call()
        except self._module.NVMLError as error:
            self.errors[field_name] = str(error) or type(error).__name__
            return None

    def supported(self, field_name: str, call: Callable[[], object]) -> bool:
        """Whether ``call`` works; "Not Supported" is an answer, other errors are recorded."""
        try:
            call()
        except self._module.NVMLError as error:
            if not _is_error(self._module, error, "NVMLError_NotSupported"):
                self.errors[field_name] = str(error) or type(error).__name__
            return False
        return True


class NvmlSession:
    """An initialised NVML; close it (or use ``with``) to shut NVML down."""

    def __init__(self, module: Any) -> None:
        self._nvml = module
        self._lock = threading.Lock()
        self._closed = False
        reader = _FieldReader(module)
        self.driver_version = reader.read(
            "driver_version", lambda: _as_str(module.nvmlSystemGetDriverVersion())
        )
        self.cuda_driver_version = reader.read("cuda_driver_version", self._cuda_version)
        self._system_errors = tuple(reader.errors.items())
        self._handles: dict[int, Any] = {}
        self._handle_errors: dict[int, str] = {}
        for index in range(module.nvmlDeviceGetCount()):
            try:
                self._handles[index] = module.nvmlDeviceGetHandleByIndex(index)
            except module.NVMLError as error:
                self._handle_errors[index] = str(error) or type(error).__name__
        self._unsupported: dict[int, set[str]] = {index: set() for index in self._handles}

    def _cuda_version(self) -> str:
        getter = getattr(self._nvml, "nvmlSystemGetCudaDriverVersion_v2", None)
        getter = getter or self._nvml.nvmlSystemGetCudaDriverVersion
        return format_cuda_version(int(getter()))

    @property
    def device_count(self) -> int:
        return len(self._handles) + len(self._handle_errors)

    def _mig_mode(self, handle: Any, reader: _FieldReader) -> str | None:
        try:
            current, _pending = self._nvml.nvmlDeviceGetMigMode(handle)
        except self._nvml.NVMLError as error:
            if _is_error(self._nvml, error, "NVMLError_NotSupported"):
                return "unsupported"
            reader.errors["mig_mode"] = str(error) or type(error).__name__
            return None
        return (
            "enabled" if current == getattr(self._nvml, "NVML_DEVICE_MIG_ENABLE", 1) else "disabled"
        )

    def _describe(self, index: int, handle: Any) -> GpuInfo:
        nvml, reader = self._nvml, _FieldReader(self._nvml)
        reader.errors.update(self._system_errors)
        limit_mw = reader.read(
            "power_limit_w", lambda: nvml.nvmlDeviceGetPowerManagementLimit(handle)
        )
        return GpuInfo(
            index=index,
            name=reader.read("name", lambda: _as_str(nvml.nvmlDeviceGetName(handle))),
            uuid=reader.read("uuid", lambda: _as_str(nvml.nvmlDeviceGetUUID(handle))),
            memory_total_bytes=reader.read(
                "memory_total_bytes", lambda: int(nvml.nvmlDeviceGetMemoryInfo(handle).total)
            ),
            power_limit_w=limit_mw / 1000.0 if limit_mw is not None else None,
            driver_version=self.driver_version,
            cuda_driver_version=self.cuda_driver_version,
            mig_mode=self._mig_mode(handle, reader),
            pcie_gen_current=reader.read(
                "pcie_gen_current", lambda: nvml.nvmlDeviceGetCurrPcieLinkGeneration(handle)
            ),
            pcie_gen_max=reader.read(
                "pcie_gen_max", lambda: nvml.nvmlDeviceGetMaxPcieLinkGeneration(handle)
            ),
            pcie_width_current=reader.read(
                "pcie_width_current", lambda: nvml.nvmlDeviceGetCurrPcieLinkWidth(handle)
            ),
            pcie_width_max=reader.read(
                "pcie_width_max", lambda: nvml.nvmlDeviceGetMaxPcieLinkWidth(handle)
            ),
            power_reading_supported=reader.supported(
                "power_reading_supported", lambda: nvml.nvmlDeviceGetPowerUsage(handle)
            ),
            energy_counter_supported=reader.supported(
                "energy_counter_supported",
                lambda: nvml.nvmlDeviceGetTotalEnergyConsumption(handle),
            ),
            errors=tuple(reader.errors.items()),
        )

    def _unreachable(self, index: int) -> GpuInfo:
        """A GPU NVML counts but cannot open (e.g. hidden from this container)."""
        return GpuInfo(
            index=index,
            name=None,
            uuid=None,
            memory_total_bytes=None,
            power_limit_w=None,
            driver_version=self.driver_version,
            cuda_driver_version=self.cuda_driver_version,
            mig_mode=None,
            pcie_gen_current=None,
            pcie_gen_max=None,
            pcie_width_current=None,
            pcie_width_max=None,
            power_reading_supported=False,
            energy_counter_supported=False,
            errors=(*self._system_errors, ("handle", self._handle_errors[index])),
        )

    def devices(self) -> tuple[GpuInfo, ...]:
        """Every GPU NVML counts, in index order; unreadable fields are None with their error."""
        self._check_open()
        described = {index: self._describe(index, h) for index, h in self._handles.items()}
        described |= {index: self._unreachable(index) for index in self._handle_errors}
        return tuple(described[index] for index in sorted(described))

    def _read_live(self, index: int, name: str, call: Callable[[], T]) -> T | None:
        """One telemetry reading; a "Not Supported" answer is remembered and not asked again."""
        if name in self._unsupported[index]:
            return None
        try:
            return call()
        except self._nvml.NVMLError as error:
            if _is_error(self._nvml, error, "NVMLError_NotSupported"):
                self._unsupported[index].add(name)
            return None

    def sample(self, index: int) -> GpuSample:
        """Power, energy counter, utilization and memory used of GPU ``index``, right now."""
        handle = self._handles.get(index)
        if handle is None:
            reason = self._handle_errors.get(index, "no such GPU")
            raise HardwareError(f"GPU {index} cannot be sampled: {reason}")
        nvml = self._nvml
        with self._lock:
            self._check_open()
            t = time.monotonic()
            power_mw = self._read_live(index, "power", lambda: nvml.nvmlDeviceGetPowerUsage(handle))
            energy_mj = self._read_live(
                index, "energy", lambda: nvml.nvmlDeviceGetTotalEnergyConsumption(handle)
            )
            util = self._read_live(
                index, "util", lambda: nvml.nvmlDeviceGetUtilizationRates(handle)
            )
            memory = self._read_live(index, "memory", lambda: nvml.nvmlDeviceGetMemoryInfo(handle))
        return GpuSample(
            t=t,
            power_w=power_mw / 1000.0 if power_mw is not None else None,
            energy_j=energy_mj / 1000.0 if energy_mj is not None else None,
            gpu_util_pct=float(util.gpu) if util is not None else None,
            mem_used_bytes=int(memory.used) if memory is not None else None,
        )

    def _check_open(self) -> None:
        if self._closed:
            raise HardwareError("NVML session is closed")

    def close(self) -> None:
        """Shut NVML down; later calls to ``close`` do nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with contextlib.suppress(self._nvml.NVMLError):
                self._nvml.nvmlShutdown()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_nvml(module: ModuleType | None = None) -> NvmlSession:
    """Initialise NVML (``module`` defaults to pynvml; tests pass a fake).

    Raises ``HardwareError`` with a one-line reason when NVML cannot be used here.
    """
    nvml: Any = module if module is not None else _import_pynvml()
    try:
        nvml.nvmlInit()
    except nvml.NVMLError as error:
        raise HardwareError(_init_failure_reason(nvml, error)) from error
    try:
        return NvmlSession(nvml)
    except nvml.NVMLError as error:
        with contextlib.suppress(nvml.NVMLError):
            nvml.nvmlShutdown()
        raise HardwareError(f"NVML started but cannot list GPUs: {error}") from error
