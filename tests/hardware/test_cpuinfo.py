"""Parsing canned /proc/cpuinfo text (x86 and Arm) and fake /sys/devices/system/cpu trees."""

from __future__ import annotations

from pathlib import Path

from planner.hardware.cpu import (
    collect_cpu_info,
    parse_cache_size,
    read_cache_sizes,
    read_sysfs_topology,
)
from planner.hardware.cpuinfo import (
    base_freq_from_model_name,
    inference_features,
    parse_cpuinfo,
)

_X86_FLAGS = (
    "fpu sse sse2 avx f16c fma avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni "
    "avx512_bf16 avx512_fp16 avx_vnni amx_bf16 amx_tile amx_int8 hypervisor"
)


def _x86_block(processor: int, package: int, core: int) -> str:
    return (
        f"processor\t: {processor}\n"
        "vendor_id\t: GenuineIntel\n"
        "model name\t: Intel(R) Xeon(R) Platinum 8480+ CPU @ 2.00GHz\n"
        "cpu MHz\t\t: 2000.000\n"
        f"physical id\t: {package}\n"
        f"core id\t\t: {core}\n"
        f"flags\t\t: {_X86_FLAGS}\n"
    )


# Two sockets, two cores each, two hyperthreads per core: 8 logical CPUs.
X86_CPUINFO = "\n".join(
    _x86_block(index, package, core)
    for index, (package, core) in enumerate(
        (p, c) for p in (0, 1) for c in (0, 1) for _thread in (0, 1)
    )
)

ARM_CPUINFO = "\n".join(
    f"processor\t: {index}\n"
    "BogoMIPS\t: 50.00\n"
    "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid "
    "asimdrdm lrcpc dcpop asimddp sve sve2 bf16 i8mm svebf16 svei8mm\n"
    "CPU implementer\t: 0x41\n"
    "CPU architecture: 8\n"
    "CPU variant\t: 0x0\n"
    "CPU part\t: 0xd4f\n"
    "CPU revision\t: 0\n"
    for index in range(4)
)


def test_x86_cpuinfo_gives_vendor_model_topology_and_features() -> None:
    parsed = parse_cpuinfo(X86_CPUINFO)
    assert parsed.vendor == "Intel"
    assert parsed.model_name == "Intel(R) Xeon(R) Platinum 8480+ CPU @ 2.00GHz"
    assert parsed.logical_cores == 8
    assert parsed.physical_cores == 4
    assert parsed.sockets == 2
    assert inference_features(parsed.flags) == (
        "amx_bf16", "amx_int8", "amx_tile", "avx", "avx2", "avx512_bf16", "avx512_fp16",
        "avx512_vnni", "avx512bw", "avx512dq", "avx512f", "avx512vl", "avx_vnni", "f16c", "fma",
    )  # fmt: skip


def test_arm_cpuinfo_names_the_core_from_implementer_and_part() -> None:
    parsed = parse_cpuinfo(ARM_CPUINFO)
    assert parsed.vendor == "ARM"
    assert parsed.model_name == "ARM Neoverse-V2"
    assert parsed.logical_cores == 4
    assert parsed.physical_cores is None  # Arm cpuinfo has no topology; sysfs supplies it
    assert parsed.sockets is None
    assert inference_features(parsed.flags) == (
        "bf16", "dotprod", "fp16", "i8mm", "neon", "sve", "sve2", "sve_bf16", "sve_i8mm",
    )  # fmt: skip


def test_unknown_arm_part_is_named_by_its_code() -> None:
    text = "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0xc0\nCPU part\t: 0xac3\n"
    parsed = parse_cpuinfo(text)
    assert parsed.vendor == "Ampere"
    assert parsed.model_name == "Ampere part 0xac3"


def test_empty_cpuinfo_gives_nothing_rather_than_raising() -> None:
    parsed = parse_cpuinfo("")
    assert (parsed.vendor, parsed.model_name, parsed.logical_cores) == (None, None, None)
    assert parsed.flags == frozenset()


def test_base_frequency_from_intel_model_name() -> None:
    assert base_freq_from_model_name("Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz") == 2400.0
    assert base_freq_from_model_name("AMD EPYC 7763 64-Core Processor") is None
    assert base_freq_from_model_name(None) is None


def test_cache_size_text_to_bytes() -> None:
    assert parse_cache_size("32K") == 32 * 1024
    assert parse_cache_size("32M") == 32 * 1024**2
    assert parse_cache_size("512") == 512
    assert parse_cache_size("lots") is None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")


def _fake_sysfs_cpu(root: Path, topology: list[tuple[int, int]]) -> None:
    for index, (package, core) in enumerate(topology):
        _write(root / f"cpu{index}/topology/physical_package_id", str(package))
        _write(root / f"cpu{index}/topology/core_id", str(core))
    caches = [("1", "Data", "48K"), ("1", "Instruction", "32K"), ("2", "Unified", "2048K")]
    for index, (level, kind, size) in enumerate(caches):
        _write(root / f"cpu0/cache/index{index}/level", level)
        _write(root / f"cpu0/cache/index{index}/type", kind)
        _write(root / f"cpu0/cache/index{index}/size", size)
    _write(root / "cpu0/cpufreq/base_frequency", "2000000")
    _write(root / "cpu0/cpufreq/cpuinfo_max_freq", "3800000")
    (root / "cpufreq").mkdir()  # a non-cpuN entry that must be ignored


def test_sysfs_topology_and_caches(tmp_path: Path) -> None:
    _fake_sysfs_cpu(tmp_path, [(0, 0), (0, 0), (0, 1), (0, 1), (1, 0), (1, 0)])
    assert read_sysfs_topology(tmp_path) == (3, 2)
    assert read_cache_sizes(tmp_path / "cpu0") == {
        "l1d_bytes": 48 * 1024,
        "l1i_bytes": 32 * 1024,
        "l2_bytes": 2048 * 1024,
    }


def test_collect_cpu_info_from_fake_files_notes_what_is_missing(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(ARM_CPUINFO)
    sysfs = tmp_path / "cpu"
    _fake_sysfs_cpu(sysfs, [(0, 0), (0, 1), (0, 2), (0, 3)])
    info = collect_cpu_info(cpuinfo, sysfs)
    assert info.model_name == "ARM Neoverse-V2"
    assert (info.logical_cores, info.physical_cores, info.sockets) == (4, 4, 1)
    assert (info.base_freq_mhz, info.max_freq_mhz) == (2000.0, 3800.0)
    assert info.l1d_bytes == 48 * 1024
    assert info.l3_bytes is None
    assert any(note.startswith("l3_bytes:") for note in info.notes)
    assert "sve2" in info.features


def test_unreadable_cpuinfo_is_noted_not_raised(tmp_path: Path) -> None:
    info = collect_cpu_info(tmp_path / "missing", tmp_path / "no-sysfs")
    assert info.model_name is None
    assert any("missing not readable" in note for note in info.notes)
    assert info.logical_cores is not None and info.logical_cores >= 1  # os.cpu_count fallback
