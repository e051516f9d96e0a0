"""How much memory this process could still allocate: physical memory, or a ulimit's room."""

from __future__ import annotations

import resource

import psutil
import pytest

import planner.hardware.system as system


def test_without_a_limit_it_is_the_memory_available() -> None:
    available = system.memory_available_bytes()
    assert available is not None and 0 < available <= psutil.virtual_memory().total


def test_an_address_space_limit_leaves_only_its_room(monkeypatch: pytest.MonkeyPatch) -> None:
    mapped = psutil.Process().memory_info().vms
    room = 256 * 1024**2
    limit = (mapped + room, resource.RLIM_INFINITY)
    monkeypatch.setattr(system.resource, "getrlimit", lambda _which: limit)
    available = system.memory_available_bytes()
    assert available is not None and available <= room
    monkeypatch.setattr(system.resource, "getrlimit", lambda _which: (mapped // 2, limit[1]))
    assert system.memory_available_bytes() == 0
