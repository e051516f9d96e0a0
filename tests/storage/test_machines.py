"""Machines are stored once per fingerprint; inventories once per distinct content."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from builders import make_inventory

from planner.core.machine import MemoryInfo
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository


def test_unchanged_machine_is_not_duplicated(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "planner.db")
    repo = MachineRepository(opened.db)
    first = make_inventory()
    later = make_inventory(
        collected_at="2026-11-27T10:00:00+00:00",
        memory=MemoryInfo(total_bytes=first.memory.total_bytes, available_bytes=1),
    )
    machine_id = repo.save_inventory(first)
    assert repo.save_inventory(later) == machine_id
    assert repo.inventory_count(machine_id) == 1
    stored = repo.get(machine_id)
    assert stored is not None
    assert stored.inventory == first
    assert stored.last_seen == later.collected_at
    opened.close()


def test_changed_software_adds_an_inventory_and_new_machine_adds_a_machine(
    tmp_path: Path,
) -> None:
    opened = open_database(tmp_path / "planner.db")
    repo = MachineRepository(opened.db)
    base = make_inventory()
    machine_id = repo.save_inventory(base)
    upgraded = make_inventory(
        collected_at="2026-11-28T10:00:00+00:00", providers=("CPUExecutionProvider", "X")
    )
    assert repo.save_inventory(upgraded) == machine_id
    assert repo.inventory_count(machine_id) == 2
    assert repo.get(machine_id).inventory == upgraded
    other = repo.save_inventory(make_inventory(fingerprint="a" * 64))
    assert other != machine_id
    assert len(repo.all()) == 2
    opened.close()


def _save_many(path: str, fingerprint: str, count: int) -> None:
    opened = open_database(Path(path))
    repo = MachineRepository(opened.db)
    for i in range(count):
        repo.save_inventory(
            make_inventory(
                fingerprint=fingerprint,
                collected_at=f"2026-11-26T10:00:{i:02d}+00:00",
                hostname=f"host-{i}",
                providers=("CPUExecutionProvider", f"P{i}"),
            )
        )
    opened.close()


def test_two_processes_write_the_same_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    open_database(path).close()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_save_many, args=(str(path), fp * 64, 30)) for fp in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    opened = open_database(path)
    repo = MachineRepository(opened.db)
    machines = repo.all()
    assert len(machines) == 2
    assert [repo.inventory_count(m.id) for m in machines] == [30, 30]
    opened.close()
