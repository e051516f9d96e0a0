"""Render an inventory as the readable text of ``planner hardware``. Pure formatting."""

from __future__ import annotations

from planner.core.machine import Inventory
from planner.hardware.summary import inventory_sections


def format_inventory(inventory: Inventory, machine_id: str | None = None) -> str:
    lines: list[str] = []
    for section in inventory_sections(inventory, machine_id):
        lines.append(section.title)
        width = max((len(row.label) for row in section.rows), default=0)
        lines.extend(f"  {row.label:<{width}}  {row.value}" for row in section.rows)
        lines.append("")
    return "\n".join(lines).rstrip()
