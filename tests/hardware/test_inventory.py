"""The inventory of this (GPU-less) machine, and of a faked GPU machine."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from fakes.fake_pynvml import FakeGpu, FakePynvml, NVMLError_LibraryNotFound

from planner.core.machine import Inventory, MemoryInfo
from planner.hardware.inventory import collect_inventory, machine_fingerprint
from planner.hardware.providers import usable_providers


@pytest.fixture(scope="module")
def real() -> Inventory:
    return collect_inventory()


def test_this_machine_has_cpu_fields(real: Inventory) -> None:
    assert real.cpu.model_name
    assert real.cpu.logical_cores is not None and real.cpu.logical_cores >= 1
    assert real.cpu.architecture
    assert real.memory.total_bytes is not None and real.memory.total_bytes > 0
    assert real.software.python_version and real.software.numpy_version
    assert real.hostname


def test_nvml_unavailability_names_its_reason(real: Inventory) -> None:
    if real.nvml.available:
        pytest.skip("this machine has a working NVIDIA driver")
    assert real.nvml.reason is not None and "library" in real.nvml.reason.lower()
    assert real.gpus == ()
    assert real.software.nvml_driver_version is None


def test_rapl_availability_always_has_a_reason_when_unavailable(real: Inventory) -> None:
    assert real.rapl.available or real.rapl.reason


def test_providers_are_usable_ones(real: Inventory) -> None:
    assert "CPUExecutionProvider" in real.providers
    assert "AzureExecutionProvider" not in real.providers
    assert real.providers == usable_providers()


def test_round_trip_through_json(real: Inventory) -> None:
    text = json.dumps(real.to_dict())
    assert Inventory.from_dict(json.loads(text)) == real


def test_fingerprint_and_content_hash_are_stable(real: Inventory) -> None:
    again = collect_inventory()
    assert again.fingerprint == real.fingerprint
    assert again.content_hash() == real.content_hash()
    assert len(real.fingerprint) == 64 and int(real.fingerprint, 16) >= 0


def test_content_hash_ignores_volatile_fields_only(real: Inventory) -> None:
    later = dataclasses.replace(
        real,
        collected_at="2099-01-01T00:00:00+00:00",
        memory=MemoryInfo(real.memory.total_bytes, 1),
    )
    assert later.content_hash() == real.content_hash()
    upgraded = dataclasses.replace(
        real, software=dataclasses.replace(real.software, onnxruntime_version="99.0")
    )
    assert upgraded.content_hash() != real.content_hash()


def test_fingerprint_ignores_memory_drift_but_not_gpus(real: Inventory) -> None:
    drifted = MemoryInfo((real.memory.total_bytes or 0) + 8 * 1024**2, 0)
    fingerprint = machine_fingerprint("id", real.cpu, real.memory, ())
    assert machine_fingerprint("id", real.cpu, drifted, ()) == fingerprint
    gpu_machine = collect_inventory(nvml_module=FakePynvml())
    assert machine_fingerprint("id", real.cpu, real.memory, gpu_machine.gpus) != fingerprint


def test_fake_gpu_machine_inventory_round_trips(tmp_path: Path) -> None:
    fake = FakePynvml([FakeGpu(), FakeGpu(uuid="GPU-b", unsupported={"nvmlDeviceGetMigMode"})])
    inventory = collect_inventory(nvml_module=fake, powercap_root=tmp_path)
    assert inventory.nvml.available
    assert [gpu.uuid for gpu in inventory.gpus] == [
        "GPU-00000000-1111-2222-3333-444444444444",
        "GPU-b",
    ]
    assert inventory.software.nvml_driver_version == "550.54.15"
    assert inventory.software.cuda_driver_version == "12.4"
    assert inventory.gpus[1].mig_mode == "unsupported"
    assert not fake.initialized  # the inventory's NVML session was closed
    assert Inventory.from_dict(json.loads(json.dumps(inventory.to_dict()))) == inventory
    idle = dataclasses.replace(
        inventory,
        gpus=(dataclasses.replace(inventory.gpus[0], pcie_gen_current=1),) + inventory.gpus[1:],
    )
    assert idle.content_hash() == inventory.content_hash()


def test_nvml_init_failure_in_inventory_is_a_reason_not_an_exception(tmp_path: Path) -> None:
    inventory = collect_inventory(
        nvml_module=FakePynvml(init_error=NVMLError_LibraryNotFound), powercap_root=tmp_path
    )
    assert not inventory.nvml.available
    assert inventory.nvml.reason == "NVML library not found (no NVIDIA driver installed)"
    assert inventory.rapl.reason == f"absent: {tmp_path} has no RAPL domains"


def test_nvml_without_gpus_is_unavailable_with_reason(tmp_path: Path) -> None:
    inventory = collect_inventory(nvml_module=FakePynvml(gpus=[]), powercap_root=tmp_path)
    assert not inventory.nvml.available
    assert inventory.nvml.reason is not None and "no GPUs" in inventory.nvml.reason
    assert inventory.software.nvml_driver_version == "550.54.15"
