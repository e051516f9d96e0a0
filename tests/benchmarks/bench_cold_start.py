"""Benchmark: cold start to the first painted main window, and where the time goes.

Each round spawns a fresh interpreter that runs the real entry (``planner.app.main`` with
``--db``), with the main window's ``show`` wrapped to quit at the window's first paint;
the time counts from just before the spawn, so interpreter start-up is included. A second
pass times the stages of the same path (imports, database, window) in one child.
Goal <= 1 s. Run: ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_cold_start.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REAL_ENTRY = r"""
import sys, time
import planner.gui.main_window as main_window

original_show = main_window.MainWindow.show

def show_then_quit_at_first_paint(window):
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
                self.seen = time.time()
                print(self.seen, flush=True)
                QApplication.quit()
            return False

    window._first_paint = FirstPaint()
    window.installEventFilter(window._first_paint)
    original_show(window)

main_window.MainWindow.show = show_then_quit_at_first_paint
from planner.app import main
sys.exit(main(["--db", sys.argv[1]]))
"""

STAGES = r"""
import json, sys, time
T0 = float(sys.argv[2])
stages = {}
def mark(name):
    stages[name] = time.time() - T0
mark("interpreter up")
import PySide6.QtWidgets
mark("import PySide6")
import numpy
mark("import numpy")
import pyqtgraph
mark("import pyqtgraph")
import onnx
mark("import onnx")
import onnxruntime
mark("import onnxruntime")
from planner.app import main
from planner.gui.application import create_application
from planner.gui.main_window import MainWindow
mark("import planner")
from pathlib import Path
from planner.services.seeding import seed_database
from planner.storage.database import open_database
app = create_application()
opened = open_database(Path(sys.argv[1]))
seed_database(opened)
mark("open + seed database")
window = MainWindow(opened)
mark("MainWindow()")
window.close()  # waits for the inventory probe the Machine page started
print(json.dumps(stages))
"""


def _child(code: str, *args: str) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args, repr(started)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return started, out.strip().splitlines()[-1]


def first_paint(db: Path) -> float:
    started, line = _child(REAL_ENTRY, str(db))
    return float(line) - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-start-"))
    new = first_paint(folder / "new.db")
    warm = sorted(first_paint(folder / "seeded.db") for _ in range(args.rounds))
    print(f"first paint: {new:.2f} s on a new database (seeding included)")
    median, best, worst = warm[len(warm) // 2], warm[0], warm[-1]
    print(
        f"first paint on a seeded database, {args.rounds} rounds: median {median:.2f} s, "
        f"best {best:.2f} s, worst {worst:.2f} s"
    )
    _started, line = _child(STAGES, str(folder / "seeded.db"))
    previous = 0.0
    for stage, at in json.loads(line).items():
        print(f"  {stage:<24} +{(at - previous) * 1000:6.0f} ms  (at {at:.2f} s)")
        previous = at


if __name__ == "__main__":
    main()
