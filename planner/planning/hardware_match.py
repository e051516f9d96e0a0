"""Which hardware an option prices, and whether the run measured on another machine may size it.

Pure functions; any thread. An option that names hardware (an on-prem server row, a cloud
instance) is sized from a run only when the run measured that hardware: the same GPU
model, or for CPU-only hardware a catalogue row naming the measured CPU model. Otherwise
the option must say how to translate the measurement (``measured_on`` + ``scale_by``,
a catalogue ratio, labelled an estimate) or accept the measured machine as
representative (``representative = true``, shown as a warning); else ScenarioError.
An option that names no hardware prices the measured machine itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.core.errors import ScenarioError
from planner.core.plan import HardwareRow

CPU = "CPU"
_BRAND_WORDS = frozenset({"nvidia", "tesla", "geforce", "quadro", "amd", "intel", "r", "tm"})
"""Vendor and brand words a GPU's name may carry or leave out ("Tesla T4" is "NVIDIA T4");
"r" and "tm" are what is left of (R) and (TM)."""
_NVML_SPELLINGS = {"h100 80gb hbm3": "h100 sxm"}
"""Names NVML reports that omit the form factor the catalogue names the board by."""


@dataclass(frozen=True)
class Target:
    """The hardware one unit of an option stands for.

    ``device`` is the GPU model that runs the model, "CPU" for CPU-only hardware, or None
    when the option names no hardware (it prices the measured machine). ``row`` is the
    catalogue row for scaling ratios and power, ``count`` how many of it one unit holds
    (a cloud instance with 8 GPUs of a card row), ``cpu`` the CPU model when known.
    """

    label: str
    device: str | None
    row: HardwareRow | None
    count: int = 1
    cpu: str = ""


@dataclass(frozen=True)
class Match:
    """How a run's measurement applies to a target: "measured", "scaled" or "representative"."""

    how: str
    measured_row: HardwareRow | None = None
    warning: str | None = None


def gpu_name(name: str) -> str:
    """A GPU's full model name, normalised: form factor and memory size kept, vendor words,
    case, punctuation and the count and "server" of a server row's name dropped.

    'NVIDIA A100-SXM4-40GB' and 'NVIDIA A100 SXM 40GB' both give 'a100 sxm 40gb' (the SXM
    generation is the model's own); 'NVIDIA H100 PCIe' gives 'h100 pcie', which is not
    'h100 sxm': a run on one form factor or memory size is no measurement of another.
    """
    text = re.sub(r"(\d+)\s*gb\b", r"\1gb", name.lower())
    words = [
        "sxm" if re.fullmatch(r"sxm\d", w) else w
        for w in re.split(r"[^a-z0-9]+", text)
        if w and w not in _BRAND_WORDS and w != "server" and not re.fullmatch(r"\d+x", w)
    ]
    joined = " ".join(words)
    return _NVML_SPELLINGS.get(joined, joined)


def same_gpu(a: str, b: str) -> bool:
    """True when two names are one GPU model: the same words of ``gpu_name``, in any order
    ('A100 80GB PCIe' is 'A100-PCIE-80GB')."""
    return sorted(gpu_name(a).split()) == sorted(gpu_name(b).split())


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def runs_on(run_device: str, target: Target) -> bool:
    """True when the measured device is the target's: the same GPU model (form factor and
    memory size included), or the named CPU."""
    if not run_device or target.device is None:
        return target.device is None
    if target.device == CPU:
        measured_cpu = run_device.removeprefix(f"{CPU}:").strip()
        return (
            run_device.startswith(CPU)
            and bool(target.cpu)
            and (
                _normal(measured_cpu) in _normal(target.cpu)
                or _normal(target.cpu) in _normal(measured_cpu)
            )
        )
    return not run_device.startswith(CPU) and same_gpu(run_device, target.device)


def match(
    run_device: str,
    machine: str,
    target: Target,
    values: Mapping[str, Any],
    measured_row: HardwareRow | None,
) -> Match:
    """How the measurement of ``run_device`` may size ``target``; ScenarioError if it may not."""
    measured = run_device or "an unrecorded device"
    if "scale_by" in values:
        if measured_row is None:
            raise ScenarioError(
                f"measured_on {values['measured_on']!r} is not in the hardware catalogue; add it"
            )
        if target.row is None:
            raise ScenarioError(
                f"scale_by needs the option's hardware in the catalogue ({target.label}); add it"
            )
        row_target = Target(
            measured_row.name, measured_row.device, measured_row, 1, measured_row.cpu
        )
        if not runs_on(run_device, row_target):
            raise ScenarioError(
                f"measured_on says {measured_row.name!r} but the run was measured on {measured} "
                f"({machine}); name the measured hardware"
            )
        return Match("scaled", measured_row)
    if runs_on(run_device, target):
        return Match("measured")
    if values.get("representative") is True:
        warning = (
            f"capacity measured on {measured} ({machine}) is taken as representative of "
            f"{target.label} (representative = true); it is not translated"
        )
        return Match("representative", warning=warning)
    raise ScenarioError(
        f"the run was measured on {measured} ({machine}) but the option prices "
        f"{target.label}; measure on that hardware, set measured_on + scale_by to translate "
        "by a catalogue ratio, or set representative = true to accept the measured machine"
    )
