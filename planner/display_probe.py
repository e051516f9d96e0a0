"""Whether a display server answers at the address the environment names. Pure stdlib.

``planner`` with no subcommand opens the desktop app; Qt aborts the process when its
platform plugin cannot reach the display, so the composition root asks here first and
prints the command-line guide instead. A connect to the server's socket is enough to
know someone listens; nothing is sent. Runs on the main thread before Qt is imported,
and each attempt gives up after :data:`CONNECT_TIMEOUT_S`.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from pathlib import Path

CONNECT_TIMEOUT_S = 1.0
X11_SOCKET_DIR = Path("/tmp/.X11-unix")
X11_TCP_BASE_PORT = 6000
_X11_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")


def display_answers(
    environ: Mapping[str, str], kind: str, x11_socket_dir: Path = X11_SOCKET_DIR
) -> bool:
    """Whether the ``kind`` ("x11" or "wayland") display named in ``environ`` answers."""
    if kind == "wayland":
        return _wayland_answers(environ)
    return _x11_answers(environ.get("DISPLAY", ""), x11_socket_dir)


def _x11_answers(display: str, socket_dir: Path) -> bool:
    match = _X11_DISPLAY.match(display.strip())
    if match is None:
        # Another form (a launchd path on macOS, say): let Qt judge it.
        return bool(display.strip())
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        path = socket_dir / f"X{number}"
        # Linux servers listen on the abstract socket too, which has no file to look for.
        return _unix_answers(f"\0{path}") or _unix_answers(str(path))
    return _tcp_answers(host, X11_TCP_BASE_PORT + number)


def _wayland_answers(environ: Mapping[str, str]) -> bool:
    name = environ.get("WAYLAND_DISPLAY", "").strip()
    if not name:
        return False
    path = Path(name)
    if not path.is_absolute():
        runtime = environ.get("XDG_RUNTIME_DIR", "").strip()
        if not runtime:
            return False
        path = Path(runtime) / name
    return _unix_answers(str(path))


def _unix_answers(address: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(CONNECT_TIMEOUT_S)
        try:
            probe.connect(address)
        except OSError:
            return False
    return True


def _tcp_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
            return True
    except OSError:
        return False
