"""Benchmark: cold start to the first painted main window, and what the time goes to.

Spawns a fresh interpreter per round (so nothing is imported or cached in-process) that
does what ``python -m planner --db TMP`` does on the GUI path, timing each stage from
interpreter start: imports, database open and seed, MainWindow construction, then the
first paint event of the window (an event filter quits there). Goal <= 1 s. Run:
``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_cold_start.py [--rounds N]``.
The "our pages" stage builds the Models, Profile and Results pages, which the main window
will hold once they are wired in.
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

CHILD = r"""
import json, sys, time
from pathlib import Path
T0 = float(sys.argv[1])
stages = {}
def mark(name):
    stages[name] = time.time() - T0
mark("interpreter up")
import PySide6.QtWidgets
mark("import PySide6.QtWidgets")
import numpy
mark("import numpy")
import pyqtgraph
mark("import pyqtgraph")
import onnxruntime
mark("import onnxruntime")
import onnx
mark("import onnx")
from planner.gui.application import create_application
from planner.gui.main_window import MainWindow
from planner.cli.seed import seed_database
from planner.storage.database import open_database
mark("import planner (app, window, storage)")
from PySide6.QtCore import QEvent, QObject
app = create_application()
mark("QApplication")
opened = open_database(Path(sys.argv[2]))
seed_database(opened)
mark("open + seed database")
window = MainWindow(opened)
mark("MainWindow()")
if sys.argv[3] == "pages":
    from planner.gui.models_page import ModelsPage
    from planner.gui.profile_page import ProfilePage
    from planner.gui.results_page import ResultsPage
    for title, page in (("Models", ModelsPage(window.context)),
                        ("Profile", ProfilePage(window.context)),
                        ("Results", ResultsPage(window.context))):
        window.navigation.addItem(title)
        window.pages.addWidget(page)
    mark("our pages")
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "first paint" not in stages:
            mark("first paint")
            app.quit()
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
print(json.dumps(stages))
"""


def one_round(db: Path, pages: bool) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": os.environ.get(
        "QT_QPA_PLATFORM", "offscreen")}  # fmt: skip
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, repr(started), str(db), "pages" if pages else "window"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-start-"))
    for pages in (False, True):
        label = "main window + Models/Profile/Results pages" if pages else "main window as wired"
        first = one_round(folder / f"first-{pages}.db", pages)
        rounds = [one_round(folder / f"warm-{pages}.db", pages) for _ in range(args.rounds)]
        warm = ", ".join(f"{r['first paint']:.2f}" for r in rounds)
        print(f"{label}: first paint {first['first paint']:.2f} s on a new database; "
              f"{warm} s on a seeded one")  # fmt: skip
        best = min(rounds, key=lambda r: r["first paint"])
        previous = 0.0
        for stage, at in best.items():
            print(f"  {stage:<40} +{(at - previous) * 1000:6.0f} ms  (at {at:.2f} s)")
            previous = at


if __name__ == "__main__":
    main()
