"""Typed description of the machine a measurement ran on, and live GPU samples.

Pure data: frozen dataclasses with JSON-ready ``to_dict``/``from_dict`` round trips, used by
every layer on any thread. ``planner.hardware`` fills them in; storage keeps them; reports and
the GUI show them. A field that could not be read is ``None``, and the reason sits next to it
(``CpuInfo.notes``, ``GpuInfo.errors``, ``Availability.reason``, ``RaplDomain.reason``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from typing import Any, Self

#: Keys of ``Inventory.to_dict()`` whose values change between two probes of one machine
#: without the machine changing: the probe time, the host name (containers get a new one per
#: start), free memory, and the PCIe link state that GPUs lower while idle.
_VOLATILE_TOP_LEVEL = ("collected_at", "hostname")
_VOLATILE_MEMORY = ("available_bytes",)
_VOLATILE_GPU = ("pcie_gen_current", "pcie_width_current")


def _flat_from_dict(cls: type[Any], data: dict[str, Any]) -> Any:
    """Build a dataclass whose fields are scalars or tuples of scalars from its dict form."""
    values = {}
    for field in fields(cls):
        value = data[field.name]
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)


class _FlatDict:
    """``to_dict``/``from_dict`` for dataclasses whose fields are scalars or scalar tuples."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        built: Self = _flat_from_dict(cls, data)
        return built


@dataclass(frozen=True, slots=True)
class Availability(_FlatDict):
    """Whether a facility (NVML, RAPL) can be used here, and if not, why not."""

    available: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class CpuInfo(_FlatDict):
    """The processor. Cache sizes are per instance as seen by CPU 0, in bytes.

    ``features`` lists the inference-relevant instruction-set extensions present, by canonical
    name (``avx2``, ``avx512_vnni``, ``amx_int8``, ``neon``, ``sve2``, ``dotprod`` ...).
    ``notes`` holds one line per field that could not be read, saying why.
    """

    vendor: str | None
    model_name: str | None
    architecture: str
    physical_cores: int | None
    logical_cores: int | None
    sockets: int | None
    base_freq_mhz: float | None
    max_freq_mhz: float | None
    l1d_bytes: int | None
    l1i_bytes: int | None
    l2_bytes: int | None
    l3_bytes: int | None
    features: tuple[str, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["features"] = list(self.features)
        data["notes"] = list(self.notes)
        return data


@dataclass(frozen=True, slots=True)
class MemoryInfo(_FlatDict):
    """Main memory in bytes; ``available_bytes`` is a snapshot and not part of identity."""

    total_bytes: int | None
    available_bytes: int | None


@dataclass(frozen=True, slots=True)
class SoftwareInfo(_FlatDict):
    """Operating system and the versions of the software that shapes a measurement.

    ``os_release`` is the distribution (e.g. "Ubuntu 22.04.4 LTS"), ``kernel`` the kernel
    release. NVML versions are ``None`` when NVML is unusable; ``cuda_driver_version`` is
    "major.minor" (the highest CUDA version the driver supports).
    """

    os_name: str
    os_release: str | None
    kernel: str
    python_version: str
    onnxruntime_version: str | None
    onnx_version: str | None
    numpy_version: str | None
    nvml_driver_version: str | None
    cuda_driver_version: str | None


@dataclass(frozen=True, slots=True)
class GpuInfo:
    """One NVIDIA GPU as NVML describes it.

    ``mig_mode`` is "enabled", "disabled" or "unsupported". ``errors`` pairs each field that
    NVML could not report (and is therefore ``None``) with NVML's error text.
    """

    index: int
    name: str | None
    uuid: str | None
    memory_total_bytes: int | None
    power_limit_w: float | None
    driver_version: str | None
    cuda_driver_version: str | None
    mig_mode: str | None
    pcie_gen_current: int | None
    pcie_gen_max: int | None
    pcie_width_current: int | None
    pcie_width_max: int | None
    power_reading_supported: bool
    energy_counter_supported: bool
    errors: tuple[tuple[str, str], ...]

    def error_for(self, field_name: str) -> str | None:
        """NVML's error text for ``field_name``, or ``None`` if it was read."""
        return dict(self.errors).get(field_name)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = dict(self.errors)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        flat = dict(data)
        flat["errors"] = tuple((str(k), str(v)) for k, v in data["errors"].items())
        return cls(**{field.name: flat[field.name] for field in fields(cls)})


@dataclass(frozen=True, slots=True)
class RaplDomain(_FlatDict):
    """One RAPL energy domain under /sys/class/powercap (e.g. "package-0", "package-0/dram").

    ``path`` is the domain's sysfs directory; its ``energy_uj`` file is the counter.
    """

    name: str
    path: str
    readable: bool
    reason: str | None
    max_energy_range_uj: int | None


@dataclass(frozen=True, slots=True)
class GpuSample:
    """One reading of a GPU's live telemetry; any value NVML did not give is ``None``.

    ``t`` is ``time.monotonic()`` at the reading; ``energy_j`` is the GPU's total-energy
    counter (meaningful only as a difference between two samples).
    """

    t: float
    power_w: float | None
    energy_j: float | None
    gpu_util_pct: float | None
    mem_used_bytes: int | None


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything known about one machine at one moment.

    ``fingerprint`` identifies the machine (stable across probes and reboots);
    ``content_hash()`` changes only when the machine or its software changes in substance.
    """

    fingerprint: str
    collected_at: str
    hostname: str
    cpu: CpuInfo
    memory: MemoryInfo
    software: SoftwareInfo
    providers: tuple[str, ...]
    gpus: tuple[GpuInfo, ...]
    nvml: Availability
    rapl: Availability
    rapl_domains: tuple[RaplDomain, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (only str, int, float, bool, None, list and dict)."""
        return {
            "fingerprint": self.fingerprint,
            "collected_at": self.collected_at,
            "hostname": self.hostname,
            "cpu": self.cpu.to_dict(),
            "memory": self.memory.to_dict(),
            "software": self.software.to_dict(),
            "providers": list(self.providers),
            "gpus": [gpu.to_dict() for gpu in self.gpus],
            "nvml": self.nvml.to_dict(),
            "rapl": self.rapl.to_dict(),
            "rapl_domains": [domain.to_dict() for domain in self.rapl_domains],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Inverse of :meth:`to_dict`: ``Inventory.from_dict(inv.to_dict()) == inv``."""
        return cls(
            fingerprint=data["fingerprint"],
            collected_at=data["collected_at"],
            hostname=data["hostname"],
            cpu=CpuInfo.from_dict(data["cpu"]),
            memory=MemoryInfo.from_dict(data["memory"]),
            software=SoftwareInfo.from_dict(data["software"]),
            providers=tuple(data["providers"]),
            gpus=tuple(GpuInfo.from_dict(gpu) for gpu in data["gpus"]),
            nvml=Availability.from_dict(data["nvml"]),
            rapl=Availability.from_dict(data["rapl"]),
            rapl_domains=tuple(RaplDomain.from_dict(d) for d in data["rapl_domains"]),
        )

    def content_hash(self) -> str:
        """sha256 hex of everything but volatile values (time, host name, free memory, link state).

        Two inventories of one machine with the same hash describe the same hardware and
        software; a different hash means something in substance changed.
        """
        data = self.to_dict()
        for key in _VOLATILE_TOP_LEVEL:
            data.pop(key)
        for key in _VOLATILE_MEMORY:
            data["memory"].pop(key)
        for gpu in data["gpus"]:
            for key in _VOLATILE_GPU:
                gpu.pop(key)
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
