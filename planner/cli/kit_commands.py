"""The site kit's commands: assess by default, ``hardware``, ``--version``.

Main thread of the kit process (profiling runs in spawned children, as for ``planner
assess``); entered through :mod:`planner.cli.kit_main`, which must run first. Made to be
frozen into one executable and run on a customer's server, so it imports no report or GUI
module (no Qt), opens no planner database and writes nothing but the bundle it is asked
for and a temporary folder it removes: a crash prints its traceback instead of keeping a
log, and ``hardware`` prints the inventory without recording it. The flags and the
assessment itself are those of ``planner assess``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from planner import __version__
from planner.cli.assess_cmd import add_assess_arguments, run_assess
from planner.cli.dispatch import print_crash_traceback, run_command
from planner.cli.hardware_cmd import add_hardware_parser, render_inventory
from planner.hardware.inventory import collect_inventory
from planner.storage.bundle_schema import FORMAT_VERSION

PROG = "planner-assess"
USAGE = (
    f"{PROG} --out BUNDLE [--model PATH ...] [--budget 2m] [--site NAME] [--notes TEXT] "
    f"[--force]\n       {PROG} hardware [--json]\n       {PROG} --version"
)
EPILOG = (
    "Examples: planner-assess --out site.bundle --budget 5m --site 'Plant 2'; "
    "planner-assess hardware --json. Bring the bundle back and load it with "
    "'planner import BUNDLE' or the app's File > Import assessment bundle."
)


def build_kit_parser() -> argparse.ArgumentParser:
    """Assess by default (``--out`` and the assess flags); ``hardware`` as a subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=USAGE,
        description="Measure this server's inference capacity and write a portable bundle.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__} (bundle format {FORMAT_VERSION})",
    )
    add_assess_arguments(parser, out_required=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    hardware = add_hardware_parser(subparsers, "print this machine's inventory (records nothing)")
    hardware.set_defaults(handler=_print_hardware)
    parser.set_defaults(handler=run_assess)
    return parser


def run_kit(argv: Sequence[str] | None = None) -> int:
    """Parse the kit's command line and run it; the exit status."""
    parser = build_kit_parser()
    args = parser.parse_args(argv)
    if args.command is None and args.out is None:
        parser.error("give --out BUNDLE to assess this machine, or the hardware command")
    return run_command(args, report_crash=print_crash_traceback, prog=PROG)


def _print_hardware(args: argparse.Namespace) -> int:
    print(render_inventory(collect_inventory(), None, args.json))
    return 0
