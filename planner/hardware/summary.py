"""Turn an :class:`Inventory` into titled sections of labelled rows for people to read.

Pure presentation data shared by the CLI table and the GUI Machine page, so both say the
same thing. Items that could not be read are rows with ``unavailable=True`` and the
reason as their value, never left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.machine import CpuInfo, GpuInfo, Inventory

GIB = 1024**3


@dataclass(frozen=True)
class InfoRow:
    label: str
    value: str
    unavailable: bool = False


@dataclass(frozen=True)
class InfoSection:
    title: str
    rows: tuple[InfoRow, ...]


def inventory_sections(inventory: Inventory, machine_id: str | None = None) -> list[InfoSection]:
    """Sections in reading order: machine, CPU, memory, software, providers, GPUs, meters."""
    sw = inventory.software
    nvml_reason = inventory.nvml.reason
    sections = [
        _section(
            "Machine",
            ("Host", inventory.hostname),
            ("Machine id", machine_id),
            ("Fingerprint", inventory.fingerprint[:16]),
            ("Collected", inventory.collected_at),
        ),
        InfoSection("CPU", _cpu_rows(inventory.cpu)),
        _section(
            "Memory",
            ("Total", _gib(inventory.memory.total_bytes)),
            ("Available", _gib(inventory.memory.available_bytes)),
        ),
        InfoSection(
            "Software",
            (
                _row("OS", " ".join(x for x in (sw.os_name, sw.os_release) if x)),
                _row("Kernel", sw.kernel),
                _row("Python", sw.python_version),
                _row("ONNX Runtime", sw.onnxruntime_version),
                _row("onnx", sw.onnx_version),
                _row("numpy", sw.numpy_version),
                _row_or_reason("NVIDIA driver", sw.nvml_driver_version, nvml_reason),
                _row_or_reason("CUDA (driver)", sw.cuda_driver_version, nvml_reason),
            ),
        ),
        _section("Execution providers", ("Usable", ", ".join(inventory.providers) or None)),
    ]
    if inventory.gpus:
        sections.extend(InfoSection(f"GPU {gpu.index}", _gpu_rows(gpu)) for gpu in inventory.gpus)
    else:
        reason = nvml_reason or "NVML reports no NVIDIA GPU"
        sections.append(InfoSection("GPUs", (InfoRow("NVIDIA (NVML)", reason, True),)))
    sections.append(InfoSection("Energy meters", _meter_rows(inventory)))
    return sections


def _cpu_rows(cpu: CpuInfo) -> tuple[InfoRow, ...]:
    freq = " – ".join(f"{f:.0f} MHz" for f in (cpu.base_freq_mhz, cpu.max_freq_mhz) if f)
    caches = ", ".join(
        f"{name} {size // 1024} KiB"
        for name, size in (
            ("L1d", cpu.l1d_bytes),
            ("L1i", cpu.l1i_bytes),
            ("L2", cpu.l2_bytes),
            ("L3", cpu.l3_bytes),
        )
        if size
    )
    rows = [
        _row("Model", cpu.model_name),
        _row("Vendor", cpu.vendor),
        _row("Architecture", cpu.architecture),
        _row("Cores", f"{cpu.physical_cores} physical, {cpu.logical_cores} logical"),
        _row("Sockets", cpu.sockets),
        _row("Frequency", freq or None),
        _row("Caches", caches or None),
        _row("Features", ", ".join(cpu.features) or "none of the tracked extensions"),
    ]
    rows.extend(InfoRow("Note", note, True) for note in cpu.notes)
    return tuple(rows)


def _gpu_rows(gpu: GpuInfo) -> tuple[InfoRow, ...]:
    def pcie(gen: int | None, width: int | None) -> str:
        return f"Gen{gen} x{width}" if gen and width else "unknown"

    rows = [
        _row("Name", gpu.name),
        _row("UUID", gpu.uuid),
        _row("Memory", _gib(gpu.memory_total_bytes)),
        _row("Power limit", f"{gpu.power_limit_w:.0f} W" if gpu.power_limit_w else None),
        _row("Driver / CUDA", f"{gpu.driver_version} / {gpu.cuda_driver_version}"),
        _row("MIG", gpu.mig_mode),
        _row(
            "PCIe now / max",
            f"{pcie(gpu.pcie_gen_current, gpu.pcie_width_current)} / "
            f"{pcie(gpu.pcie_gen_max, gpu.pcie_width_max)}",
        ),
        InfoRow(
            "Power reading",
            "supported" if gpu.power_reading_supported else "not supported",
            not gpu.power_reading_supported,
        ),
        InfoRow(
            "Energy counter",
            "supported" if gpu.energy_counter_supported else "not supported",
            not gpu.energy_counter_supported,
        ),
    ]
    rows.extend(InfoRow(f"Unreadable {name}", error, True) for name, error in gpu.errors)
    return tuple(rows)


def _meter_rows(inventory: Inventory) -> tuple[InfoRow, ...]:
    rows = [
        InfoRow(d.name, "readable (RAPL counter)" if d.readable else str(d.reason), not d.readable)
        for d in inventory.rapl_domains
    ]
    if not inventory.rapl.available:
        rows.append(InfoRow("RAPL", str(inventory.rapl.reason), True))
    gpu_meters = [g for g in inventory.gpus if g.energy_counter_supported]
    if gpu_meters:
        rows.append(_row("NVML energy counter", ", ".join(f"GPU {g.index}" for g in gpu_meters)))
    return tuple(rows)


def _section(title: str, *pairs: tuple[str, object]) -> InfoSection:
    return InfoSection(title, tuple(_row(label, value) for label, value in pairs))


def _row(label: str, value: object) -> InfoRow:
    if value is None or value == "":
        return InfoRow(label, "unknown", True)
    return InfoRow(label, str(value))


def _row_or_reason(label: str, value: str | None, reason: str | None) -> InfoRow:
    if value:
        return InfoRow(label, value)
    return InfoRow(label, f"unavailable: {reason}" if reason else "unknown", True)


def _gib(value: int | None) -> str | None:
    return f"{value / GIB:.1f} GiB" if value else None
