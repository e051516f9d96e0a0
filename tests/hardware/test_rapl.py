"""RAPL discovery and counters on fake /sys/class/powercap trees built in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.core.errors import HardwareError
from planner.hardware.rapl import RaplCounter, discover_rapl, read_sysfs

MAX_RANGE_UJ = 262_143_328_850


def _domain(root: Path, dirname: str, name: str, energy_uj: int) -> Path:
    directory = root / dirname
    directory.mkdir(parents=True)
    (directory / "name").write_text(name + "\n")
    (directory / "energy_uj").write_text(f"{energy_uj}\n")
    (directory / "max_energy_range_uj").write_text(f"{MAX_RANGE_UJ}\n")
    return directory


@pytest.fixture
def powercap(tmp_path: Path) -> Path:
    """Two packages, the first with a dram sub-domain, plus the non-domain control dir."""
    (tmp_path / "intel-rapl").mkdir()
    _domain(tmp_path, "intel-rapl:0", "package-0", 1_000_000)
    _domain(tmp_path, "intel-rapl:0:0", "dram", 5_000)
    _domain(tmp_path, "intel-rapl:1", "package-1", 2_000_000)
    return tmp_path


def test_readable_domains_are_found_and_named(powercap: Path) -> None:
    domains, availability = discover_rapl(powercap)
    assert availability.available and availability.reason is None
    assert [d.name for d in domains] == ["package-0", "package-0/dram", "package-1"]
    assert all(d.readable and d.reason is None for d in domains)
    assert all(d.max_energy_range_uj == MAX_RANGE_UJ for d in domains)
    assert domains[1].path == str(powercap / "intel-rapl:0:0")


def test_absent_powercap_says_so(tmp_path: Path) -> None:
    domains, availability = discover_rapl(tmp_path / "powercap")
    assert domains == ()
    assert not availability.available
    assert availability.reason == f"absent: {tmp_path / 'powercap'} has no RAPL domains"


def test_permission_denied_is_reported_with_the_fix(powercap: Path) -> None:
    # The suite may run as root, which reads any file; so fail reads as a non-root user would.
    def non_root_reader(path: Path) -> str:
        if path.name == "energy_uj":
            raise PermissionError(13, "Permission denied", str(path))
        return read_sysfs(path)

    domains, availability = discover_rapl(powercap, reader=non_root_reader)
    assert len(domains) == 3 and not any(d.readable for d in domains)
    assert not availability.available
    expected = f"permission denied: {powercap / 'intel-rapl:0' / 'energy_uj'}"
    assert availability.reason is not None and availability.reason.startswith(expected)
    assert "run as root or chmod" in availability.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_counter_is_unreadable_for_non_root(powercap: Path) -> None:
    (powercap / "intel-rapl:1" / "energy_uj").chmod(0)
    domains, _availability = discover_rapl(powercap)
    assert not domains[2].readable
    assert domains[2].reason is not None and domains[2].reason.startswith("permission denied")


def test_a_counter_that_is_not_a_file_is_unreadable_with_the_os_reason(powercap: Path) -> None:
    energy = powercap / "intel-rapl:1" / "energy_uj"
    energy.unlink()
    energy.mkdir()
    domains, availability = discover_rapl(powercap)
    assert availability.available  # the other domains still work
    assert not domains[2].readable
    assert domains[2].reason == f"unreadable: {energy}: Is a directory"


def _set_energy(directory: Path, energy_uj: int) -> None:
    (directory / "energy_uj").write_text(f"{energy_uj}\n")


def test_counter_accumulates_since_creation(powercap: Path) -> None:
    domains, _ = discover_rapl(powercap)
    counter = RaplCounter(domains[0])
    assert counter.read_joules() == 0.0
    _set_energy(powercap / "intel-rapl:0", 4_000_000)
    assert counter.read_joules() == pytest.approx(3.0)
    _set_energy(powercap / "intel-rapl:0", 6_500_000)
    assert counter.read_joules() == pytest.approx(5.5)


def test_counter_handles_wraparound(powercap: Path) -> None:
    directory = powercap / "intel-rapl:0"
    _set_energy(directory, MAX_RANGE_UJ - 2_000_000)
    counter = RaplCounter(discover_rapl(powercap)[0][0])
    _set_energy(directory, MAX_RANGE_UJ - 500_000)
    assert counter.read_joules() == pytest.approx(1.5)
    _set_energy(directory, 1_500_000)  # wrapped past MAX_RANGE_UJ
    assert counter.read_joules() == pytest.approx(3.5)
    _set_energy(directory, 2_500_000)
    assert counter.read_joules() == pytest.approx(4.5)


def test_wraparound_without_a_known_range_raises(powercap: Path) -> None:
    directory = powercap / "intel-rapl:0"
    (directory / "max_energy_range_uj").unlink()
    domain = discover_rapl(powercap)[0][0]
    assert domain.max_energy_range_uj is None
    counter = RaplCounter(domain)
    _set_energy(directory, 10)
    with pytest.raises(HardwareError, match="max_energy_range_uj is unknown"):
        counter.read_joules()


def test_counter_refuses_an_unreadable_domain(powercap: Path) -> None:
    def deny(path: Path) -> str:
        raise PermissionError(13, "Permission denied", str(path))

    domain = discover_rapl(powercap, reader=deny)[0][0]
    with pytest.raises(HardwareError, match="permission denied"):
        RaplCounter(domain)
