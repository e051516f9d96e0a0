"""A terminal progress bar with an ETA for long headless commands.

Main thread of the CLI process. On a terminal it redraws one line in place (at most ten
times a second); when output is piped or logged it prints a plain line per event instead,
so logs stay readable. Every line goes through :func:`printable_lines`: it may quote a
model's file name or a reason from a model, and no such text may drive the terminal.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from planner.core.text import printable, printable_lines

REDRAW_INTERVAL_S = 0.1


class TerminalProgress:
    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._interactive = bool(getattr(self._stream, "isatty", lambda: False)())
        self._last_draw = 0.0
        self._drawn = False

    def update(self, fraction: float, eta_s: float | None, status: str) -> None:
        """Redraw the bar (terminals only; throttled)."""
        if not self._interactive:
            return
        now = time.monotonic()
        if now - self._last_draw < REDRAW_INTERVAL_S and fraction < 1.0:
            return
        self._last_draw = now
        width = shutil.get_terminal_size((100, 20)).columns
        bar = _bar(fraction, 24)
        eta = f"ETA {_clock(eta_s)}" if eta_s is not None else ""
        text = f"{bar} {fraction * 100:5.1f}% {eta}  {printable(status)}"
        self._stream.write("\r" + text[: width - 1].ljust(width - 1))
        self._stream.flush()
        self._drawn = True

    def message(self, text: str) -> None:
        """A line that stays (a finished point, a warning), printed above the bar."""
        if self._drawn:
            blank = " " * (shutil.get_terminal_size((100, 20)).columns - 1)
            self._stream.write("\r" + blank + "\r")
            self._drawn = False
        self._stream.write(printable_lines(text) + "\n")
        self._stream.flush()

    def close(self) -> None:
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()
            self._drawn = False


def _bar(fraction: float, width: int) -> str:
    filled = int(round(max(0.0, min(1.0, fraction)) * width))
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
