"""``planner`` without a command: the app on a desktop, a short CLI guide without a display."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from planner import display_probe
from planner.app import NO_DISPLAY_EXIT, has_display
from planner.display_probe import display_answers


def _bare_planner(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``planner`` with no command, as a user starts it, in ``env`` only."""
    return subprocess.run(
        [sys.executable, "-m", "planner"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_display_prints_how_to_use_the_cli_instead_of_a_qt_abort(tmp_path: Path) -> None:
    # ONNX Runtime's own telemetry files are switched off: this checks what planner writes.
    env = {"PATH": os.defpath, "HOME": str(tmp_path), "ORT_DISABLE_TELEMETRY": "1"}
    done = _bare_planner(env)
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
    """Which variables count, with every named server answering."""
    assert has_display(environ, "linux", lambda _env, _kind: True) is expected


def test_a_display_variable_naming_a_server_nobody_answers_at_is_no_display() -> None:
    assert not has_display({"DISPLAY": ":0"}, "linux", lambda _env, _kind: False)
    wayland_only = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert has_display(wayland_only, "linux", lambda _env, kind: kind == "wayland")
    assert has_display({"QT_QPA_PLATFORM": "offscreen"}, "linux", lambda _env, _kind: False)


def _listening_unix(path: str) -> socket.socket:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    return server


def test_x11_local_display_answers_only_with_a_server_on_its_socket(tmp_path: Path) -> None:
    assert not display_answers({"DISPLAY": ":7"}, "x11", tmp_path)
    with _listening_unix(str(tmp_path / "X7")):
        assert display_answers({"DISPLAY": ":7"}, "x11", tmp_path)
        assert display_answers({"DISPLAY": "unix:7.0"}, "x11", tmp_path)
        assert not display_answers({"DISPLAY": ":8"}, "x11", tmp_path)


def test_x11_remote_display_answers_only_with_a_server_on_its_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        monkeypatch.setattr(display_probe, "X11_TCP_BASE_PORT", port - 10)
        assert display_answers({"DISPLAY": "127.0.0.1:10.0"}, "x11")
    assert not display_answers({"DISPLAY": "127.0.0.1:10.0"}, "x11")


def test_wayland_display_answers_only_with_a_compositor_on_its_socket(tmp_path: Path) -> None:
    environ = {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert not display_answers(environ, "wayland")
    with _listening_unix(str(tmp_path / "wayland-9")):
        assert display_answers(environ, "wayland")
        assert not display_answers({"WAYLAND_DISPLAY": "wayland-9"}, "wayland")
        absolute = {"WAYLAND_DISPLAY": str(tmp_path / "wayland-9")}
        assert display_answers(absolute, "wayland")


def test_a_dead_display_prints_the_guide_naming_it(tmp_path: Path) -> None:
    env = {"PATH": os.defpath, "HOME": str(tmp_path), "DISPLAY": ":4321"}
    done = _bare_planner(env)
    assert done.returncode == NO_DISPLAY_EXIT
    assert "nothing answers at DISPLAY=:4321" in done.stderr
    assert "Traceback" not in done.stderr and "xcb" not in done.stderr


def test_other_systems_always_have_a_display() -> None:
    assert has_display({}, "darwin") and has_display({}, "win32")
