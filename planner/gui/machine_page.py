"""The Machine page: this machine's inventory, with what is unavailable and why.

GUI thread, except for the probe itself: collecting the inventory imports ONNX Runtime
and may wait on NVML, so it runs on an :class:`InventoryProbe` QThread and comes back as a
signal; the result is stored in the database on the GUI thread, which owns the connection.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.machine import Inventory
from planner.hardware.inventory import collect_inventory
from planner.hardware.summary import inventory_sections
from planner.storage.machines import MachineRepository

Collector = Callable[[], Inventory]


class InventoryProbe(QThread):
    """Runs the collector off the GUI thread and reports back with a signal."""

    probe_finished = Signal(object)
    probe_failed = Signal(str)

    def __init__(self, collector: Collector) -> None:
        super().__init__()
        self._collector = collector

    def run(self) -> None:
        try:
            inventory = self._collector()
        except Exception as exc:  # noqa: BLE001 - shown in the page, never a crash
            self.probe_failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.probe_finished.emit(inventory)


class MachinePage(QWidget):
    """Shows the latest inventory; refreshes it on demand."""

    inventory_shown = Signal(object)

    def __init__(
        self,
        repository: MachineRepository,
        collector: Collector = collect_inventory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self._collector = collector
        self._probe: InventoryProbe | None = None
        self.inventory: Inventory | None = None
        self.machine_id: str | None = None
        self.status = QLabel("Reading this machine's inventory…")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        header = QHBoxLayout()
        title = QLabel("This machine")
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        title.setFont(title_font)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.refresh_button)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Item", "Value"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        self._layout = layout
        layout.addLayout(header)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        self.refresh()

    def add_banner(self, banner: QWidget) -> None:
        """Show ``banner`` (the welcome panel) above the inventory."""
        self._layout.insertWidget(0, banner)

    def refresh(self) -> None:
        """Probe the machine again (ignored while a probe is still running)."""
        if self._probe is not None and self._probe.isRunning():
            return
        self.refresh_button.setEnabled(False)
        self.status.setText("Reading this machine's inventory…")
        self._probe = InventoryProbe(self._collector)
        self._probe.probe_finished.connect(self._on_probe_finished)
        self._probe.probe_failed.connect(self._on_probe_failed)
        self._probe.start()

    def shutdown(self) -> None:
        """Wait for a running probe so the thread never outlives the window."""
        if self._probe is not None:
            self._probe.wait(10_000)

    def _on_probe_finished(self, inventory: Inventory) -> None:
        self.refresh_button.setEnabled(True)
        self.inventory = inventory
        try:
            self.machine_id = self._repository.save_inventory(inventory)
            saved = "Saved in the database."
        except Exception as exc:  # noqa: BLE001 - shown in the page, never a crash
            saved = f"Could not save it in the database: {exc}"
        self.status.setText(f"Inventory collected {inventory.collected_at}. {saved}")
        self._fill_tree(inventory)
        self.inventory_shown.emit(inventory)

    def _on_probe_failed(self, message: str) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(f"Reading the inventory failed: {message}")

    def _fill_tree(self, inventory: Inventory) -> None:
        self.tree.clear()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for section in inventory_sections(inventory, self.machine_id):
            parent = QTreeWidgetItem([section.title])
            bold = QFont(parent.font(0))
            bold.setBold(True)
            parent.setFont(0, bold)
            self.tree.addTopLevelItem(parent)
            for row in section.rows:
                item = QTreeWidgetItem([row.label, row.value])
                item.setToolTip(1, row.value)
                if row.unavailable:
                    italic = QFont(item.font(1))
                    italic.setItalic(True)
                    item.setFont(1, italic)
                    item.setForeground(1, muted)
                parent.addChild(item)
            parent.setExpanded(True)
