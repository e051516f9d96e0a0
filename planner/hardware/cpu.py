"""Describe the processor from /proc/cpuinfo, /sys/devices/system/cpu and psutil.

Runs on whichever thread collects the inventory (it only reads small files). Every field that
cannot be read becomes ``None`` with a one-line note in ``CpuInfo.notes``; nothing raises.
"""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

import psutil

from planner.core.machine import CpuInfo
from planner.hardware.cpuinfo import (
    ParsedCpuinfo,
    base_freq_from_model_name,
    inference_features,
    parse_cpuinfo,
)

_CACHE_FIELD_BY_LEVEL_TYPE = {
    ("1", "Data"): "l1d_bytes",
    ("1", "Instruction"): "l1i_bytes",
    ("2", "Unified"): "l2_bytes",
    ("3", "Unified"): "l3_bytes",
}
_SIZE_SCALE = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
_CPU_DIR_NAME = re.compile(r"cpu\d+")


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def parse_cache_size(text: str) -> int | None:
    """Bytes from a sysfs cache size such as "32K", "1024K" or "32M"; None if malformed."""
    match = re.fullmatch(r"(\d+)\s*([KMG]?)i?B?", text.strip(), flags=re.IGNORECASE)
    if match is None:
        return None
    return int(match.group(1)) * _SIZE_SCALE[match.group(2).upper()]


def read_cache_sizes(cpu_dir: Path) -> dict[str, int]:
    """Per-instance cache sizes of one CPU (``l1d_bytes`` ...), for the levels sysfs lists."""
    sizes: dict[str, int] = {}
    for index_dir in sorted(cpu_dir.glob("cache/index*")):
        level = _read_text(index_dir / "level")
        kind = _read_text(index_dir / "type")
        size_text = _read_text(index_dir / "size")
        field_name = _CACHE_FIELD_BY_LEVEL_TYPE.get((level or "", kind or ""))
        size = parse_cache_size(size_text) if size_text else None
        if field_name is not None and size is not None:
            sizes[field_name] = size
    return sizes


def read_sysfs_topology(sysfs_cpu_root: Path) -> tuple[int | None, int | None]:
    """(physical cores, sockets) from each CPU's topology directory; None where unreadable."""
    packages: list[str] = []
    cores: set[tuple[str, str]] = set()
    for cpu_dir in sysfs_cpu_root.iterdir() if sysfs_cpu_root.is_dir() else ():
        if not _CPU_DIR_NAME.fullmatch(cpu_dir.name):
            continue
        package = _read_text(cpu_dir / "topology" / "physical_package_id")
        core = _read_text(cpu_dir / "topology" / "core_id")
        if package is None or core is None:
            return None, None
        packages.append(package)
        cores.add((package, core))
    if not packages:
        return None, None
    return len(cores), len(set(packages))


def _khz_file_as_mhz(path: Path) -> float | None:
    text = _read_text(path)
    try:
        return int(text) / 1000.0 if text else None
    except ValueError:
        return None


def _psutil_max_freq_mhz() -> float | None:
    try:
        frequency = psutil.cpu_freq()
    except (OSError, NotImplementedError):
        return None
    return float(frequency.max) if frequency is not None and frequency.max > 0 else None


def _read_frequencies(
    cpu0: Path, model_name: str | None, notes: list[str]
) -> tuple[float | None, float | None]:
    """(base MHz, max MHz), noting why either is missing."""
    cpufreq = cpu0 / "cpufreq"
    base = _khz_file_as_mhz(cpufreq / "base_frequency") or base_freq_from_model_name(model_name)
    maximum = _khz_file_as_mhz(cpufreq / "cpuinfo_max_freq") or _psutil_max_freq_mhz()
    no_driver = f"{cpufreq} not readable (no cpufreq driver; typical in virtual machines)"
    if base is None:
        notes.append(f"base_freq_mhz: {no_driver} and the model name gives none")
    if maximum is None:
        notes.append(f"max_freq_mhz: {no_driver}")
    return base, maximum


def _topology(
    parsed: ParsedCpuinfo, sysfs_cpu_root: Path, notes: list[str]
) -> tuple[int | None, int | None]:
    """(physical cores, sockets): sysfs first, then /proc/cpuinfo, then psutil for cores."""
    physical, sockets = read_sysfs_topology(sysfs_cpu_root)
    physical = physical or parsed.physical_cores or psutil.cpu_count(logical=False)
    sockets = sockets or parsed.sockets
    if physical is None:
        notes.append("physical_cores: neither sysfs topology nor /proc/cpuinfo report cores")
    if sockets is None:
        notes.append("sockets: neither sysfs topology nor /proc/cpuinfo report packages")
    return physical, sockets


def collect_cpu_info(
    cpuinfo_path: Path = Path("/proc/cpuinfo"),
    sysfs_cpu_root: Path = Path("/sys/devices/system/cpu"),
) -> CpuInfo:
    """Describe the processor; fields that cannot be read are None, with a note saying why."""
    notes: list[str] = []
    cpuinfo_text = _read_text(cpuinfo_path)
    if cpuinfo_text is None:
        notes.append(f"{cpuinfo_path} not readable: vendor, model and features unknown")
    parsed = parse_cpuinfo(cpuinfo_text or "")
    if parsed.model_name is None and cpuinfo_text is not None:
        notes.append(f"model_name: {cpuinfo_path} names no model")
    cpu0 = sysfs_cpu_root / "cpu0"
    physical, sockets = _topology(parsed, sysfs_cpu_root, notes)
    base, maximum = _read_frequencies(cpu0, parsed.model_name, notes)
    caches = read_cache_sizes(cpu0)
    for field_name in _CACHE_FIELD_BY_LEVEL_TYPE.values():
        if field_name not in caches:
            notes.append(f"{field_name}: not listed under {cpu0 / 'cache'}")
    return CpuInfo(
        vendor=parsed.vendor,
        model_name=parsed.model_name,
        architecture=platform.machine() or "unknown",
        physical_cores=physical,
        logical_cores=parsed.logical_cores or os.cpu_count(),
        sockets=sockets,
        base_freq_mhz=base,
        max_freq_mhz=maximum,
        l1d_bytes=caches.get("l1d_bytes"),
        l1i_bytes=caches.get("l1i_bytes"),
        l2_bytes=caches.get("l2_bytes"),
        l3_bytes=caches.get("l3_bytes"),
        features=inference_features(parsed.flags),
        notes=tuple(notes),
    )
