"""Collect the full machine inventory: CPU, memory, software, providers, GPUs, energy meters.

Runs on whichever thread asks (the CLI's main thread, a GUI worker thread, or the profiling
worker process at the start of a run); it takes well under a second. It never raises for a
missing facility: each one is reported with the reason it is unavailable.
"""

from __future__ import annotations

import hashlib
import json
import socket
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from planner.core.errors import HardwareError
from planner.core.machine import Availability, CpuInfo, GpuInfo, Inventory, MemoryInfo
from planner.hardware.cpu import collect_cpu_info
from planner.hardware.nvml import open_nvml
from planner.hardware.providers import usable_providers
from planner.hardware.rapl import discover_rapl
from planner.hardware.system import collect_memory_info, collect_software_info

_MACHINE_ID_PATHS = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))
_GIB = 1024**3


def read_machine_id(paths: tuple[Path, ...] = _MACHINE_ID_PATHS) -> str | None:
    """The OS installation's machine id (systemd/D-Bus), or None where there is none."""
    for path in paths:
        try:
            machine_id = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if machine_id:
            return machine_id
    return None


def machine_fingerprint(
    machine_id: str | None, cpu: CpuInfo, memory: MemoryInfo, gpus: tuple[GpuInfo, ...]
) -> str:
    """sha256 hex identifying a machine from stable facts only.

    Memory is rounded to whole GiB because the kernel's MemTotal shifts by a few MiB between
    kernel versions. Without a machine id (some containers) two identical servers share a
    fingerprint.
    """
    total_gib = round(memory.total_bytes / _GIB) if memory.total_bytes is not None else None
    facts = {
        "machine_id": machine_id,
        "cpu_model": cpu.model_name,
        "logical_cores": cpu.logical_cores,
        "sockets": cpu.sockets,
        "memory_gib": total_gib,
        "gpu_uuids": sorted(gpu.uuid or f"index {gpu.index}" for gpu in gpus),
    }
    canonical = json.dumps(facts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _probe_gpus(
    nvml_module: ModuleType | None,
) -> tuple[tuple[GpuInfo, ...], Availability, str | None, str | None]:
    """(GPUs, NVML availability, driver version, CUDA driver version)."""
    try:
        session = open_nvml(nvml_module)
    except HardwareError as error:
        return (), Availability(False, str(error)), None, None
    with session:
        gpus = session.devices()
        driver, cuda = session.driver_version, session.cuda_driver_version
    if not gpus:
        reason = "NVML works but lists no GPUs (in a container, check the GPU device mapping)"
        return (), Availability(False, reason), driver, cuda
    return gpus, Availability(True, None), driver, cuda


def collect_inventory(
    nvml_module: ModuleType | None = None,
    powercap_root: Path = Path("/sys/class/powercap"),
) -> Inventory:
    """Describe this machine now. ``nvml_module`` defaults to pynvml (tests pass a fake)."""
    cpu = collect_cpu_info()
    memory = collect_memory_info()
    gpus, nvml, driver, cuda = _probe_gpus(nvml_module)
    rapl_domains, rapl = discover_rapl(powercap_root)
    return Inventory(
        fingerprint=machine_fingerprint(read_machine_id(), cpu, memory, gpus),
        collected_at=datetime.now(UTC).isoformat(timespec="seconds"),
        hostname=socket.gethostname(),
        cpu=cpu,
        memory=memory,
        software=collect_software_info(driver, cuda),
        providers=usable_providers(),
        gpus=gpus,
        nvml=nvml,
        rapl=rapl,
        rapl_domains=rapl_domains,
    )
