"""Memory size, operating system, and the versions of the software that shapes a measurement.

Runs on whichever thread collects the inventory (or asks how much memory is left); reads
psutil, ``platform``, resource limits and package metadata only (it does not import onnx,
which is slow to import).
"""

from __future__ import annotations

import importlib.metadata
import platform
import resource

import numpy as np
import psutil

from planner.core.machine import MemoryInfo, SoftwareInfo


def collect_memory_info() -> MemoryInfo:
    """Total and currently available main memory in bytes."""
    try:
        memory = psutil.virtual_memory()
    except (OSError, RuntimeError):
        return MemoryInfo(total_bytes=None, available_bytes=None)
    return MemoryInfo(total_bytes=int(memory.total), available_bytes=int(memory.available))


def memory_available_bytes() -> int | None:
    """Bytes this process could still allocate, or None when psutil cannot tell.

    Physical memory available, or less where an address-space limit (``ulimit -v``, which
    the profiling worker inherits) leaves less room above what the process maps already.
    """
    try:
        available = int(psutil.virtual_memory().available)
        mapped = int(psutil.Process().memory_info().vms)
    except (OSError, RuntimeError, psutil.Error):
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        available = min(available, max(0, soft - mapped))
    return available


def os_release_name() -> str | None:
    """The distribution's name and version (PRETTY_NAME of os-release), or None off Linux."""
    try:
        release = platform.freedesktop_os_release()
    except OSError:
        return None
    return release.get("PRETTY_NAME") or release.get("NAME")


def _distribution_version(*names: str) -> str | None:
    """Installed version of the first distribution found among ``names`` (e.g. a GPU build)."""
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def format_cuda_version(encoded: int) -> str:
    """NVML's CUDA driver version (1000 * major + 10 * minor, e.g. 12040) as "12.4"."""
    return f"{encoded // 1000}.{(encoded % 1000) // 10}"


def collect_software_info(
    nvml_driver_version: str | None, cuda_driver_version: str | None
) -> SoftwareInfo:
    """OS, kernel and library versions; NVML versions come from the caller's NVML session."""
    return SoftwareInfo(
        os_name=platform.system() or "unknown",
        os_release=os_release_name(),
        kernel=platform.release(),
        python_version=platform.python_version(),
        onnxruntime_version=_distribution_version(
            "onnxruntime", "onnxruntime-gpu", "onnxruntime-openvino", "onnxruntime-directml"
        ),
        onnx_version=_distribution_version("onnx"),
        numpy_version=np.__version__,
        nvml_driver_version=nvml_driver_version,
        cuda_driver_version=cuda_driver_version,
    )
