"""``planner hardware [--json]``: probe this machine, store the inventory, print it.

Main thread of the CLI process. The inventory is saved before printing so that every
later run can refer to the machine it measured on; an unchanged machine adds no row.
The site kit prints the same text without a database (:func:`render_inventory`).
"""

from __future__ import annotations

import argparse
import json

from planner.cli.context import open_for
from planner.cli.inventory_text import format_inventory
from planner.core.machine import Inventory
from planner.core.text import printable_lines
from planner.hardware.inventory import collect_inventory
from planner.storage.machines import MachineRepository


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_hardware_parser(subparsers, "show and record this machine's inventory")
    parser.set_defaults(handler=_hardware)


def add_hardware_parser(
    subparsers: argparse._SubParsersAction, summary: str
) -> argparse.ArgumentParser:
    """The ``hardware`` subcommand and its ``--json`` flag (shared with the site kit)."""
    parser = subparsers.add_parser("hardware", help=summary)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def render_inventory(inventory: Inventory, machine_id: str | None, as_json: bool) -> str:
    """The table or JSON text; ``machine_id`` is None where no database recorded the machine.

    The table is escaped as stored text is: names reported by drivers and the system
    (host, CPU, GPU, OS) are not planner's to trust. JSON escapes them itself.
    """
    if not as_json:
        return printable_lines(format_inventory(inventory, machine_id))
    recorded = {"machine_id": machine_id} if machine_id is not None else {}
    return json.dumps({**recorded, **inventory.to_dict()}, indent=2)


def _hardware(args: argparse.Namespace) -> int:
    inventory = collect_inventory()
    opened = open_for(args)
    try:
        machine_id = MachineRepository(opened.db).save_inventory(inventory)
    finally:
        opened.close()
    print(render_inventory(inventory, machine_id, args.json))
    return 0
