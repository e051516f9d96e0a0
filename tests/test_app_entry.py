"""``planner`` without a command: the app on a desktop, a short CLI guide without a display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.app import NO_DISPLAY_EXIT, has_display


def test_no_display_prints_how_to_use_the_cli_instead_of_a_qt_abort(tmp_path: Path) -> None:
    # ONNX Runtime's own telemetry files are switched off: this checks what planner writes.
    env = {"PATH": os.defpath, "HOME": str(tmp_path), "ORT_DISABLE_TELEMETRY": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "planner"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == NO_DISPLAY_EXIT
    assert done.stdout == ""
    assert "needs a display" in done.stderr and "planner assess --out" in done.stderr
    assert "import" in done.stderr and "usage: planner" in done.stderr
    assert "xcb" not in done.stderr and "Traceback" not in done.stderr
    assert not any(tmp_path.iterdir()), "no database or log is created"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"DISPLAY": ":0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"DISPLAY": ""}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, True),
        ({"QT_QPA_PLATFORM": "minimal"}, True),
        ({"QT_QPA_PLATFORM": "offscreen:configfile=x.json"}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, False),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, False),
        ({"QT_QPA_PLATFORM": "wayland-egl", "WAYLAND_DISPLAY": "wayland-0"}, True),
    ],
)
def test_linux_display_detection(environ: dict[str, str], expected: bool) -> None:
    assert has_display(environ, "linux") is expected


def test_other_systems_always_have_a_display() -> None:
    assert has_display({}, "darwin") and has_display({}, "win32")
