"""Parse the text of /proc/cpuinfo (x86 and Arm) into vendor, model, topology and features.

Pure functions over text, so they are tested on canned files; called by ``planner.hardware.cpu``
on whichever thread collects the inventory.
"""

from __future__ import annotations

from dataclasses import dataclass

#: /proc/cpuinfo flag -> canonical feature name, for the extensions inference kernels use.
_FEATURE_BY_FLAG: dict[str, str] = {
    # x86
    "avx": "avx",
    "avx2": "avx2",
    "fma": "fma",
    "f16c": "f16c",
    "avx512f": "avx512f",
    "avx512bw": "avx512bw",
    "avx512dq": "avx512dq",
    "avx512vl": "avx512vl",
    "avx512_vnni": "avx512_vnni",
    "avx512_bf16": "avx512_bf16",
    "avx512_fp16": "avx512_fp16",
    "avx_vnni": "avx_vnni",
    "amx_tile": "amx_tile",
    "amx_int8": "amx_int8",
    "amx_bf16": "amx_bf16",
    # Arm (64-bit kernels say "asimd", 32-bit ones "neon")
    "asimd": "neon",
    "neon": "neon",
    "asimdhp": "fp16",
    "asimddp": "dotprod",
    "sve": "sve",
    "sve2": "sve2",
    "bf16": "bf16",
    "i8mm": "i8mm",
    "svebf16": "sve_bf16",
    "svei8mm": "sve_i8mm",
}

_X86_VENDORS = {
    "GenuineIntel": "Intel",
    "AuthenticAMD": "AMD",
    "HygonGenuine": "Hygon",
    "CentaurHauls": "Centaur",
}

#: Arm "CPU implementer" codes (see the Arm ARM, MIDR_EL1) for the vendors seen in servers.
_ARM_IMPLEMENTERS = {
    0x41: "ARM",
    0x42: "Broadcom",
    0x46: "Fujitsu",
    0x48: "HiSilicon",
    0x4E: "NVIDIA",
    0x51: "Qualcomm",
    0x61: "Apple",
    0xC0: "Ampere",
}

#: Arm Ltd. "CPU part" codes for common server and board cores.
_ARM_PARTS = {
    0xD03: "Cortex-A53",
    0xD08: "Cortex-A72",
    0xD0B: "Cortex-A76",
    0xD0C: "Neoverse-N1",
    0xD40: "Neoverse-V1",
    0xD49: "Neoverse-N2",
    0xD4F: "Neoverse-V2",
    0xD8E: "Neoverse-N3",
    0xD84: "Neoverse-V3",
}


@dataclass(frozen=True, slots=True)
class ParsedCpuinfo:
    """What /proc/cpuinfo says; ``None`` where the file does not say it (typical on Arm)."""

    vendor: str | None
    model_name: str | None
    logical_cores: int | None
    physical_cores: int | None
    sockets: int | None
    flags: frozenset[str]


def split_processor_blocks(text: str) -> list[dict[str, str]]:
    """One ``{key: value}`` dict per blank-line-separated block of /proc/cpuinfo."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
            current = {}
            continue
        key, sep, value = line.partition(":")
        if sep:
            current[key.strip()] = value.strip()
    if current:
        blocks.append(current)
    return blocks


def _processor_blocks(blocks: list[dict[str, str]]) -> list[dict[str, str]]:
    return [block for block in blocks if "processor" in block]


def _first_value(blocks: list[dict[str, str]], *keys: str) -> str | None:
    for block in blocks:
        for key in keys:
            if block.get(key):
                return block[key]
    return None


def _parse_int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text, 0)
    except ValueError:
        return None


def arm_vendor_and_model(implementer: str | None, part: str | None) -> tuple[str | None, str]:
    """Name an Arm core from its MIDR implementer and part codes (as lscpu does)."""
    implementer_code = _parse_int(implementer)
    part_code = _parse_int(part)
    vendor = _ARM_IMPLEMENTERS.get(implementer_code) if implementer_code is not None else None
    if vendor is None and implementer is not None:
        vendor = f"implementer {implementer}"
    known_part = _ARM_PARTS.get(part_code) if implementer_code == 0x41 and part_code else None
    model = known_part or f"part {part}"
    return vendor, f"{vendor or 'Arm'} {model}"


def _topology_counts(blocks: list[dict[str, str]]) -> tuple[int | None, int | None]:
    """(physical cores, sockets) from "physical id"/"core id", or ``None`` where absent."""
    package_ids = [block.get("physical id") for block in blocks]
    core_ids = [block.get("core id") for block in blocks]
    if not blocks or any(pid is None for pid in package_ids):
        return None, None
    sockets = len(set(package_ids))
    if any(cid is None for cid in core_ids):
        return None, sockets
    return len(set(zip(package_ids, core_ids, strict=True))), sockets


def parse_cpuinfo(text: str) -> ParsedCpuinfo:
    """Parse /proc/cpuinfo text from an x86 or Arm Linux kernel."""
    all_blocks = split_processor_blocks(text)
    blocks = _processor_blocks(all_blocks)
    flags_text = _first_value(blocks, "flags", "Features") or _first_value(all_blocks, "Features")
    flags = frozenset((flags_text or "").split())
    vendor_id = _first_value(blocks, "vendor_id")
    model_name = _first_value(blocks, "model name")
    if vendor_id is not None:
        vendor: str | None = _X86_VENDORS.get(vendor_id, vendor_id)
    else:
        implementer = _first_value(all_blocks, "CPU implementer")
        part = _first_value(all_blocks, "CPU part")
        vendor, arm_model = (
            arm_vendor_and_model(implementer, part) if implementer or part else (None, None)
        )
        model_name = model_name or arm_model
    physical, sockets = _topology_counts(blocks)
    return ParsedCpuinfo(
        vendor=vendor,
        model_name=model_name,
        logical_cores=len(blocks) or None,
        physical_cores=physical,
        sockets=sockets,
        flags=flags,
    )


def inference_features(flags: frozenset[str]) -> tuple[str, ...]:
    """Canonical names of the inference-relevant extensions among ``flags``, sorted."""
    return tuple(sorted({_FEATURE_BY_FLAG[flag] for flag in flags if flag in _FEATURE_BY_FLAG}))


def base_freq_from_model_name(model_name: str | None) -> float | None:
    """Nominal frequency in MHz from an Intel-style name ("... CPU @ 2.10GHz"), else None."""
    if not model_name or "@" not in model_name:
        return None
    tail = model_name.rsplit("@", 1)[1].strip().lower()
    for unit, scale in (("ghz", 1000.0), ("mhz", 1.0)):
        if tail.endswith(unit):
            try:
                return float(tail.removesuffix(unit)) * scale
            except ValueError:
                return None
    return None
