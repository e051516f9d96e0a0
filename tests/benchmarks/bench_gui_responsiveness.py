"""Benchmark: GUI responsiveness while a profile runs, and pan/zoom over 1M latency samples.

Part 1 shows the Profile page (offscreen unless a display is set), starts a real profile of
the bundled mlp in a worker process (~8 s) and measures the gaps between ticks of a 2 ms
QTimer on the GUI thread: the longest gap is the longest event-loop stall (goal <= 50 ms).
Part 2 feeds the live latency chart one point of 1M samples and times frames rendered
after ``setXRange`` pans and zooms. Run:
``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_gui_responsiveness.py [--budget S]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from builders import make_point  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from planner.gui.context import AppContext  # noqa: E402
from planner.gui.profile_charts import LiveCharts  # noqa: E402
from planner.gui.profile_page import ProfilePage  # noqa: E402
from planner.hardware.inventory import collect_inventory  # noqa: E402
from planner.models.samples import bundled_sample_paths  # noqa: E402
from planner.services.seeding import seed_database  # noqa: E402
from planner.storage.database import open_database  # noqa: E402
from planner.storage.machines import MachineRepository  # noqa: E402


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
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    page.run_ended.connect(lambda _run_id: loop.quit())
    timer.start()
    started = time.perf_counter()
    page.start_button.click()
    loop.exec()
    elapsed = time.perf_counter() - started
    timer.stop()
    gaps = np.diff(np.asarray(ticks)) * 1000.0
    print(
        f"profile run: {elapsed:.1f} s, {page.charts.frames_drawn} chart frames drawn, "
        f"{page.charts.buffers.sample_count:,} samples charted, {page.info_label.text()}"
    )
    print(f"event-loop gaps (2 ms timer, {gaps.size} ticks): max {gaps.max():.1f} ms, "
          f"p99 {np.percentile(gaps, 99):.1f} ms, p50 {np.percentile(gaps, 50):.1f} ms "
          f"(goal: max <= 50 ms)")  # fmt: skip
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
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"platform {app.platformName()}, Python {sys.version.split()[0]}")
    stalls_during_profile(args.budget)
    pan_zoom(args.samples, args.frames)


if __name__ == "__main__":
    main()
