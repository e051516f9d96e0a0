"""``planner hardware [--json]``: probe this machine, store the inventory, print it.

Main thread of the CLI process. The inventory is saved before printing so that every
later run can refer to the machine it measured on; an unchanged machine adds no row.
"""

from __future__ import annotations

import argparse
import json

from planner.cli.context import open_for
from planner.cli.inventory_text import format_inventory
from planner.hardware.inventory import collect_inventory
from planner.storage.machines import MachineRepository


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("hardware", help="show and record this machine's inventory")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=_hardware)


def _hardware(args: argparse.Namespace) -> int:
    inventory = collect_inventory()
    opened = open_for(args)
    try:
        machine_id = MachineRepository(opened.db).save_inventory(inventory)
    finally:
        opened.close()
    if args.json:
        print(json.dumps({"machine_id": machine_id, **inventory.to_dict()}, indent=2))
    else:
        print(format_inventory(inventory, machine_id))
    return 0
