"""CPU TDP lookup for energy estimates: exact models, family medians, nothing invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.core.errors import HardwareError
from planner.hardware.cpu_tdp import lookup_cpu_tdp, normalise


def test_exact_models_from_proc_cpuinfo_names() -> None:
    epyc = lookup_cpu_tdp("AMD EPYC 7763 64-Core Processor")
    assert epyc is not None and epyc.watts_per_thread == pytest.approx(280 / 128)
    assert epyc.basis == "AMD EPYC 7763: 280 W TDP / 128 threads"
    xeon = lookup_cpu_tdp("Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz")
    assert xeon is not None and xeon.watts_per_thread == pytest.approx(150 / 40)
    plus = lookup_cpu_tdp("Intel(R) Xeon(R) Platinum 8480+")
    assert plus is not None and "8480+" in plus.basis


def test_hidden_model_uses_the_family_median_and_says_so() -> None:
    hidden = lookup_cpu_tdp("AMD EPYC")
    assert hidden is not None and "family median" in hidden.basis
    assert "'AMD EPYC' not identified" in hidden.basis
    assert 1.0 < hidden.watts_per_thread < 4.0
    near_miss = lookup_cpu_tdp("AMD EPYC 77630")
    assert near_miss is not None and "family median" in near_miss.basis


def test_unknown_cpus_get_no_figure() -> None:
    assert lookup_cpu_tdp("Apple M2") is None
    assert lookup_cpu_tdp(None) is None and lookup_cpu_tdp("") is None


def test_malformed_table_is_a_hardware_error(tmp_path: Path) -> None:
    table = tmp_path / "cpu_tdp.csv"
    table.write_text("model,family,tdp_w,cores,threads,source,date\nX 1,X,nan,1,2,s,d\n")
    with pytest.raises(HardwareError, match="malformed"):
        lookup_cpu_tdp("X 1", table)


def test_normalise_drops_marks_clock_and_core_counts() -> None:
    assert normalise("Intel(R) Core(TM) i7-1165G7 CPU @ 2.80GHz") == "intel core i7-1165g7"
    assert normalise("AMD EPYC 9654 96-Core Processor") == "amd epyc 9654"
