"""Screenshots of every page of the desktop app, for the README and for review.

Run under a virtual display: ``bash packaging/screenshots.sh`` (uses xvfb-run), or with
an existing display: ``python packaging/screenshots.py OUT_DIR``. It builds a throw-away
database, profiles the bundled transformer sample (a short concurrency sweep) and then
the CNN from the Profile page, computes the starter plan (which the Plan page saves),
then shows each page of the real main window in turn at each size and saves
``OUT_DIR/<page>.png`` (1600x1000, the README's) and ``OUT_DIR/1100x720/<page>.png``
(the smallest window planner is laid out for). Last it profiles the bundled generative
sample (tiny_decoder) from the Profile page and saves its token charts as
``profile-generative.png`` at both sizes. GUI thread only; profiles run in their worker
process.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from planner.core.run import RunConfig
from planner.gui.application import create_application
from planner.gui.main_window import MainWindow
from planner.models.genai_sample import sample_folder
from planner.models.samples import bundled_sample_paths
from planner.services.profiles import prepare_run, run_profile
from planner.services.seeding import seed_database
from planner.storage.database import OpenedDatabase, open_database

SIZES = (((1600, 1000), ""), ((1100, 720), "1100x720"))


def _sample(name: str) -> str:
    return str(next(p for p in bundled_sample_paths() if p.name == name))


def _measure(opened: OpenedDatabase) -> None:
    """A real concurrency sweep of the transformer block, measured before the window opens."""
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


def _profile_in_window(window: MainWindow) -> str:
    """Profile the CNN from the Profile page itself, so its live charts hold data."""
    page = window.profile_page
    window.show_page(page)
    page.form.select_model(str(Path(_sample("cnn.onnx")).resolve()))
    page.form.scenario_combo.setCurrentText("offline")
    page.form.batch_edit.setText("1,2,4,8")
    page.form.intra_spin.setValue(1)
    page.form.budget_spin.setValue(12.0)
    page.form.point_cap_spin.setValue(3.0)
    return _run(window)


def _profile_generative(window: MainWindow) -> str:
    """Profile the bundled decoder from the Profile page: token fields and charts."""
    page = window.profile_page
    window.show_page(page)
    page.form.select_model(str(sample_folder()))
    fields = page.form.generative
    fields.prompt_edit.setText("64")
    fields.output_edit.setText("32")
    fields.sequences_edit.setText("1,2,4")
    page.form.budget_spin.setValue(12.0)
    page.form.point_cap_spin.setValue(3.0)
    return _run(window)


def _run(window: MainWindow) -> str:
    ended: list[str] = []
    page = window.profile_page
    page.run_ended.connect(ended.append)
    page.start_button.click()
    while not ended:
        _settle(0.2)
    page.run_ended.disconnect(ended.append)
    return ended[0]


def _grab(window: MainWindow, path: Path) -> None:
    window.grab().save(str(path))
    print(path)


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
    _measure(opened)
    window = MainWindow(opened)
    window.resize(*SIZES[0][0])
    window.show()
    _settle(3.0)
    run_id = _profile_in_window(window)
    _settle(1.0)
    window.results_page.select_runs([run_id])
    window.plan_page.start_from_run()
    _settle(2.0)
    targets = [(size, out / name if name else out) for size, name in SIZES]
    for size, target in targets:
        target.mkdir(parents=True, exist_ok=True)
        window.resize(*size)
        for row in range(window.navigation.count()):
            window.navigation.setCurrentRow(row)
            _settle(1.0)
            _grab(window, target / f"{window.navigation.item(row).text().lower()}.png")
    _profile_generative(window)
    for size, target in targets:
        window.resize(*size)
        _settle(1.0)
        _grab(window, target / "profile-generative.png")
    window.close()
    opened.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
