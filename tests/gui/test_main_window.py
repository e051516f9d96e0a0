"""The main window opens offscreen on the Machine page and shows the inventory."""

from __future__ import annotations

from pathlib import Path

from builders import make_inventory
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSplitter

from planner.core.machine import Availability, GpuInfo
from planner.gui.machine_page import MachinePage
from planner.gui.main_window import MainWindow
from planner.hardware.inventory import collect_inventory
from planner.storage.database import open_database
from planner.storage.machines import MachineRepository


def _tree_text(page: MachinePage) -> dict[str, dict[str, str]]:
    tree = page.tree
    sections: dict[str, dict[str, str]] = {}
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        sections[top.text(0)] = {
            top.child(j).text(0): top.child(j).text(1) for j in range(top.childCount())
        }
    return sections


def test_window_opens_on_machine_page_with_real_inventory(qtbot, tmp_path: Path) -> None:
    opened = open_database(tmp_path / "planner.db")
    window = MainWindow(opened)
    qtbot.addWidget(window)
    window.show()
    page = window.machine_page
    with qtbot.waitSignal(page.inventory_shown, timeout=30_000):
        pass
    assert window.pages.currentWidget() is page
    assert window.navigation.item(0).text() == "Machine"
    sections = _tree_text(page)
    expected_cpu = collect_inventory().cpu.model_name
    assert sections["CPU"]["Model"] == expected_cpu
    assert "NVML library not found" in sections["GPUs"]["NVIDIA (NVML)"]
    assert "CPUExecutionProvider" in sections["Execution providers"]["Usable"]
    assert MachineRepository(opened.db).all()[0].id == page.machine_id
    window.close()
    opened.close()


def test_gpu_inventory_and_unavailable_items_are_shown(qtbot, tmp_path: Path) -> None:
    gpu = GpuInfo(
        index=0,
        name="NVIDIA H100 80GB HBM3",
        uuid="GPU-fake-0",
        memory_total_bytes=80 * 1024**3,
        power_limit_w=700.0,
        driver_version="550.54",
        cuda_driver_version="12.4",
        mig_mode="disabled",
        pcie_gen_current=5,
        pcie_gen_max=5,
        pcie_width_current=16,
        pcie_width_max=16,
        power_reading_supported=True,
        energy_counter_supported=False,
        errors=(("energy_counter", "Not Supported"),),
    )
    inventory = make_inventory(gpus=(gpu,), nvml=Availability(True, None))
    opened = open_database(tmp_path / "planner.db")
    page = MachinePage(MachineRepository(opened.db), collector=lambda: inventory)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.inventory_shown, timeout=10_000):
        pass
    sections = _tree_text(page)
    assert sections["GPU 0"]["Name"] == "NVIDIA H100 80GB HBM3"
    assert sections["GPU 0"]["Power limit"] == "700 W"
    assert sections["GPU 0"]["Energy counter"] == "not supported"
    assert sections["GPU 0"]["Unreadable energy_counter"] == "Not Supported"
    assert "absent" in sections["Energy meters"]["RAPL"]
    page.shutdown()
    opened.close()


def test_failed_probe_is_shown_not_raised(qtbot, tmp_path: Path) -> None:
    def broken() -> None:
        raise OSError("no /proc here")

    opened = open_database(tmp_path / "planner.db")
    page = MachinePage(MachineRepository(opened.db), collector=broken)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "failed" in page.status.text(), timeout=10_000)
    assert "no /proc here" in page.status.text()
    page.shutdown()
    opened.close()


def test_geometry_persists_between_windows(qtbot, tmp_path: Path) -> None:
    opened = open_database(tmp_path / "planner.db")
    first = MainWindow(opened)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.minimumSizeHint().width() + 1, 511)
    first.navigation.setCurrentRow(1)
    results_splitter = first.results_page.findChild(QSplitter)
    default_split = results_splitter.sizes()
    results_splitter.setSizes([60, 700])
    split = results_splitter.sizes()
    assert split != default_split
    size = (first.width(), first.height())
    first.close()
    assert QSettings().value("main_window/geometry") is not None
    second = MainWindow(opened)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == size
    assert second.navigation.currentRow() == 1
    assert second.results_page.findChild(QSplitter).sizes() == split
    second.close()
    opened.close()


def test_idle_time_builds_every_other_page_once_and_leaves_the_current_one(
    qtbot, tmp_path: Path
) -> None:
    opened = open_database(tmp_path / "planner.db")
    window = MainWindow(opened)
    qtbot.addWidget(window)
    window.show()
    plan = window.plan_page  # opened before its idle turn: built now, not again later
    window.navigation.setCurrentRow(window.pages.indexOf(plan))
    built: list[int] = []
    window.pages.page_built.connect(lambda index, _page: built.append(index))
    steps: list[str] = []
    window.pages.build_rest_when_idle(0, 0, lambda: steps.append("first"))
    assert len(window.pages.built()) < window.pages.count()  # nothing built synchronously
    qtbot.waitUntil(lambda: len(window.pages.built()) == window.pages.count(), timeout=30_000)
    assert steps == ["first"]
    assert sorted(built) == sorted(set(range(window.pages.count())) - {0, 4})
    assert window.pages.currentWidget() is plan
    assert [window.pages.widget(i) for i in range(7)] == [window.pages.built()[i] for i in range(7)]
    window.close()
    opened.close()


def test_every_page_has_a_shortcut_and_a_toolbar_button(qtbot, tmp_path: Path) -> None:
    opened = open_database(tmp_path / "planner.db")
    window = MainWindow(opened)
    qtbot.addWidget(window)
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Machine", "Models", "Profile", "Results", "Plan", "Catalogue", "Reports"]
    for index, action in enumerate(window.page_actions):
        assert action.shortcut().toString() == f"Ctrl+{index + 1}"
        action.trigger()
        assert window.pages.currentIndex() == index
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    window.close()
    opened.close()


def test_recent_files_remember_and_reopen_scenarios_and_models(qtbot, tmp_path: Path) -> None:
    from planner.models.samples import bundled_sample_paths
    from planner.services.seeding import seed_database

    opened = open_database(tmp_path / "planner.db")
    seed_database(opened)
    window = MainWindow(opened)
    qtbot.addWidget(window)
    scenario = tmp_path / "pilot.toml"
    scenario.write_text(
        (Path(__file__).parents[2] / "resources/scenarios/example.toml").read_text()
    )
    window.plan_page.load_scenario_file(scenario)
    mlp = next(p for p in bundled_sample_paths() if p.name == "mlp.onnx")
    with qtbot.waitSignal(window.models_page.model_added, timeout=30_000):
        window.models_page.add_model_file(mlp)
    assert window.recent_files.paths == [str(mlp.resolve()), str(scenario.resolve())]
    names = [a.text() for a in window.recent_files.menu.actions()]
    assert names == ["&1 mlp.onnx", "&2 pilot.toml"]

    window.navigation.setCurrentRow(0)
    window.recent_files.menu.actions()[1].trigger()
    assert window.pages.currentWidget() is window.plan_page
    assert len(window.plan_page.scenarios) == 2

    scenario.unlink()
    statuses: list[str] = []
    window.context.status_posted.connect(statuses.append)
    window.recent_files.open(str(scenario.resolve()))
    assert window.recent_files.paths == [str(mlp.resolve())]
    assert "no longer exists" in statuses[-1]
    window.close()
    opened.close()
