"""Composition root: ``planner`` with a subcommand runs headless, without one opens the app.

Main thread. Qt is imported only on the GUI path, so headless commands start fast and
work on machines with no display. Without a display (a server over SSH), ``planner``
alone prints how to use the command line instead of letting Qt abort with a message
about platform plugins.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence

from planner.cli.dispatch import run_command
from planner.cli.main import build_parser
from planner.display_probe import display_answers
from planner.storage.location import resolve_database_path

NO_DISPLAY_EXIT = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        return run_command(args)
    if not has_display(os.environ, sys.platform):
        print(no_display_text(parser.format_help(), os.environ), file=sys.stderr)
        return NO_DISPLAY_EXIT
    from planner.gui.application import run_gui

    return run_gui(resolve_database_path(args.db))


def has_display(
    environ: Mapping[str, str],
    platform: str,
    reachable: Callable[[Mapping[str, str], str], bool] | None = None,
) -> bool:
    """Whether the desktop app can open a window here (only Linux is ever without one).

    A display variable that is set is not enough: over SSH, in a container or after the
    session's X server ended, ``DISPLAY`` often names a server nobody answers at, and Qt
    then aborts. So the named server is tried (``reachable``; a socket connect, see
    :func:`planner.display_probe.display_answers`).
    """
    if not platform.startswith("linux"):
        return True
    answers = reachable or display_answers
    x11 = bool(environ.get("DISPLAY")) and answers(environ, "x11")
    wayland = bool(environ.get("WAYLAND_DISPLAY")) and answers(environ, "wayland")
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if not qpa:
        return x11 or wayland
    if qpa == "xcb":
        return x11
    if qpa.startswith("wayland"):
        return wayland
    # offscreen, minimal, eglfs, linuxfb, vnc ...: drawn without a display server, by choice
    return True


def no_display_text(help_text: str, environ: Mapping[str, str]) -> str:
    named = [f"{k}={environ[k]}" for k in ("DISPLAY", "WAYLAND_DISPLAY") if environ.get(k)]
    why = (
        f"nothing answers at {' or '.join(named)}"
        if named
        else "DISPLAY and WAYLAND_DISPLAY are not set"
    )
    return (
        f"planner: the desktop app needs a display, and this session has none ({why}).\n"
        "Use the command line instead, e.g. 'planner hardware', "
        "'planner assess --out site.bundle', 'planner import site.bundle'.\n\n" + help_text
    )
