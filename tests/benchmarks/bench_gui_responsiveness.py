"""Benchmark: GUI responsiveness while a profile runs, while a plan is edited, and pan/zoom
over 1M latency samples.

Part "profile" shows the Profile page (offscreen unless a display is set), starts a real
profile of the bundled mlp in a worker process (~8 s) and measures the gaps between ticks
of a 2 ms QTimer on the GUI thread: the longest gap is the longest event-loop stall (goal
<= 50 ms), and the longest in the first second is the stall at the profile's start.
Part "plan" opens the example scenario over a stored run on the Plan page and types ten
new rates, 0.6 s apart (each one recomputes the plan, the tornado and 10,000 Monte Carlo
draws), measuring the same gaps (goal <= 50 ms), then times Save once the plan has
settled (it stores the worker's plan) and right after an edit (it computes). Part
"panzoom" feeds the live latency chart one point of 1M samples and times frames rendered
after ``setXRange`` pans and zooms. Run:
``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_gui_responsiveness.py
[--budget S] [--parts profile,plan,panzoom]``; run it against another checkout with
``PYTHONPATH=<checkout>`` to compare (the script uses only APIs both sides have).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from builders import make_point, store_run  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from planner.gui.context import AppContext  # noqa: E402
from planner.gui.plan_page import PlanPage  # noqa: E402
from planner.gui.profile_charts import LiveCharts  # noqa: E402
from planner.gui.profile_page import ProfilePage  # noqa: E402
from planner.hardware.inventory import collect_inventory  # noqa: E402
from planner.models.samples import bundled_sample_paths  # noqa: E402
from planner.services.seeding import seed_database  # noqa: E402
from planner.storage.database import open_database  # noqa: E402
from planner.storage.machines import MachineRepository  # noqa: E402


class GapClock:
    """A 2 ms timer on the GUI thread; the gaps between its ticks are event-loop stalls."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(2)
        self._timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> np.ndarray:
        self._timer.stop()
        return np.diff(np.asarray(self.ticks)) * 1000.0

    def report(self, gaps: np.ndarray, what: str) -> None:
        print(f"{what}: event-loop gaps (2 ms timer, {gaps.size} ticks): max {gaps.max():.1f} "
              f"ms, p99 {np.percentile(gaps, 99):.1f} ms, p50 {np.percentile(gaps, 50):.1f} ms "
              f"(goal: max <= 50 ms)")  # fmt: skip


def stalls_while_planning(edits: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-plan-"))
    opened = open_database(folder / "p.db")
    seed_database(opened)
    run = store_run(opened, points=4, scenario="concurrency")
    page = PlanPage(AppContext(opened))
    page.resize(1400, 800)
    page.show()
    doc = tomllib.loads((ROOT / "resources/scenarios/example.toml").read_text())
    for option in doc["options"]:
        if option["kind"] != "api":
            option["runs"] = [run.id]
    page.open_scenario(doc)
    _spin(1.5)
    clock = GapClock()
    clock.start()
    for rate in range(edits):
        page.form.rate_edit.textEdited.emit(str(20 + 5 * rate))
        _spin(0.6)
    gaps = clock.stop()
    clock.report(gaps, f"plan page, {edits} edits 0.6 s apart")
    for when, wait_s in (("0.6 s after the last edit", 0.0), ("right after an edit", None)):
        if wait_s is None:
            page.form.rate_edit.textEdited.emit("99")
        started = time.perf_counter()
        page.save_scenario()
        print(f"Save {when}: {(time.perf_counter() - started) * 1000:.1f} ms on the GUI thread")
    page.shutdown()
    opened.close()


def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.001)


def stalls_during_profile(budget_s: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-gui-"))
    opened = open_database(folder / "p.db")
    seed_database(opened)
    # As in the app, the Machine page has recorded the inventory before a profile starts.
    machine_id = MachineRepository(opened.db).save_inventory(collect_inventory())
    page = ProfilePage(AppContext(opened), lambda: machine_id)
    page.resize(1400, 800)
    page.show()
    mlp = next(p for p in bundled_sample_paths() if p.name == "mlp.onnx")
    form = page.form
    form.select_model(str(mlp.resolve()))
    form.scenario_combo.setCurrentText("offline")
    form.batch_edit.setText("1,2,4,8,16,32,64")
    form.intra_spin.setValue(1)
    form.budget_spin.setValue(budget_s)
    form.point_cap_spin.setValue(budget_s / 4)
    clock = GapClock()
    loop = QEventLoop()
    page.run_ended.connect(lambda _run_id: loop.quit())
    _spin(1.0)  # the page's first paint is not the profile's start
    clock.start()
    _spin(0.2)
    started = time.perf_counter()
    page.start_button.click()
    loop.exec()
    elapsed = time.perf_counter() - started
    gaps = clock.stop()
    ticks = clock.ticks
    print(
        f"profile run: {elapsed:.1f} s, {page.charts.frames_drawn} chart frames drawn, "
        f"{page.charts.buffers.sample_count:,} samples charted, {page.info_label.text()}"
    )
    clock.report(gaps, "profile page")
    first_second = [g for g, t in zip(gaps, ticks[1:], strict=True) if t - started < 1.0]
    print(f"  longest gap in the first second (the profile's start): {max(first_second):.1f} ms")
    worst = np.argsort(gaps)[-3:][::-1]
    when = ", ".join(f"{gaps[i]:.0f} ms at {ticks[i] - started:.2f} s" for i in worst)
    print(f"  longest gaps: {when} (run ended at {elapsed:.2f} s)")
    page.shutdown()
    opened.close()


def pan_zoom(samples: int, frames: int) -> None:
    charts = LiveCharts()
    charts.resize(1400, 800)
    charts.show()
    point = make_point(samples=samples)
    charts.reset()
    charts.add_point(point, 0.0, 60.0)
    charts.stop()
    plot = charts.latency_plot
    QApplication.processEvents()
    plot.grab()
    for label, spans in (
        ("full view", [(0.0, 60.0)] * frames),
        ("zoomed pans", [(s, s + 5.0) for s in np.linspace(0.0, 55.0, frames)]),
        ("zoom in/out", [(30 - w, 30 + w) for w in np.geomspace(30.0, 0.05, frames)]),
    ):
        times = []
        for low, high in spans:
            t0 = time.perf_counter()
            plot.setXRange(low, high, padding=0)
            QApplication.processEvents()
            plot.grab()
            times.append((time.perf_counter() - t0) * 1000.0)
        ms = np.asarray(times)
        print(f"{samples:,} samples, {label}: {frames} frames, mean {ms.mean():.1f} ms/frame, "
              f"max {ms.max():.1f} ms ({1000.0 / ms.mean():.0f} frames/s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=float, default=8.0, help="profile budget (s)")
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--edits", type=int, default=10, help="plan edits to time")
    parser.add_argument("--parts", default="profile,plan,panzoom", help="which parts to run")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"platform {app.platformName()}, Python {sys.version.split()[0]}")
    parts = args.parts.split(",")
    if "profile" in parts:
        stalls_during_profile(args.budget)
    if "plan" in parts:
        stalls_while_planning(args.edits)
    if "panzoom" in parts:
        pan_zoom(args.samples, args.frames)


if __name__ == "__main__":
    main()
