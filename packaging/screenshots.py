"""Screenshots of every page of the desktop app, for the README and for review.

Run under a virtual display: ``bash packaging/screenshots.sh`` (uses xvfb-run), or with
an existing display: ``python packaging/screenshots.py OUT_DIR``. It builds a throw-away
database, profiles the bundled transformer sample (a short concurrency sweep) and the
MLP, computes the starter plan, then shows each page of the real main window in turn and
saves ``OUT_DIR/<page>.png``. GUI thread only; the profile runs in its worker process.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from planner.cli.profile_service import prepare_run, run_profile
from planner.cli.seed import seed_database
from planner.core.run import RunConfig
from planner.gui.application import create_application
from planner.gui.main_window import MainWindow
from planner.models.samples import bundled_sample_paths
from planner.storage.database import OpenedDatabase, open_database

WINDOW_SIZE = (1500, 940)


def _sample(name: str) -> str:
    return str(next(p for p in bundled_sample_paths() if p.name == name))


def _measure(opened: OpenedDatabase) -> str:
    """Two real runs: a concurrency sweep of the transformer block and the MLP single-stream."""
    sweep = RunConfig(
        _sample("transformer_block.onnx"),
        scenario="concurrency",
        concurrency=(1, 2, 4),
        intra_op_threads=1,
        dims={"seq": 64},
        time_budget_s=12,
        point_cap_s=3,
    )
    run_profile(opened, prepare_run(opened, sweep))
    single = RunConfig(_sample("mlp.onnx"), intra_op_threads=1, time_budget_s=5, point_cap_s=3)
    return run_profile(opened, prepare_run(opened, single)).id


def _settle(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "packaging/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="planner-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    app: QApplication = create_application([argv[0]])
    opened = open_database(folder / "planner.db")
    seed_database(opened)
    run_id = _measure(opened)
    window = MainWindow(opened)
    window.resize(*WINDOW_SIZE)
    window.show()
    _settle(3.0)
    window.context.runs_changed.emit()
    window.results_page.select_runs([run_id])
    window.plan_page.start_from_run(run_id)
    _settle(2.0)
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        _settle(1.0)
        name = window.navigation.item(row).text().lower()
        window.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
    window.close()
    opened.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
