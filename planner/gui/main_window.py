"""The main window: navigation list on the left, one page at a time on the right.

GUI thread only. Owns the database connection for the window's life. Geometry, window
state, the current page and each page's splitters persist between runs through
QSettings. Pages are built (and their modules imported) the first time they are shown,
or while the window is idle after its first paint, so the first paint waits only for the
page the window opens on. Assessment bundles are
imported from the File menu or dropped anywhere on the window (pages keep their own
drops, such as ``.onnx`` files on the Models page).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QListWidget, QMainWindow, QMessageBox, QSplitter, QWidget

from planner import __version__
from planner.gui.bundle_import import BUNDLE_SUFFIXES, BundleImporter, bundle_paths
from planner.gui.context import AppContext
from planner.gui.page_stack import LazyPages
from planner.gui.recent_files import RecentFiles
from planner.storage.database import OpenedDatabase

if TYPE_CHECKING:
    from planner.gui.catalog_page import CatalogPage
    from planner.gui.machine_page import MachinePage
    from planner.gui.models_page import ModelsPage
    from planner.gui.plan_page import PlanPage
    from planner.gui.profile_page import ProfilePage
    from planner.gui.reports_page import ReportsPage
    from planner.gui.results_page import ResultsPage

SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_STATE = "main_window/state"
SETTINGS_SPLITTER = "main_window/splitters"
SETTINGS_PAGE = "main_window/page"
# The other pages are built this long after the window is shown, one step this far apart.
IDLE_BUILD_DELAY_MS = 400
IDLE_BUILD_GAP_MS = 40


NAVIGATION_STYLE = """
QListWidget#navigation { font-size: 11pt; }
QListWidget#navigation::item { padding: 6px 10px; }
"""


PAGE_TITLES = ("Machine", "Models", "Profile", "Results", "Plan", "Catalogue", "Reports")


class MainWindow(QMainWindow):
    def __init__(self, opened: OpenedDatabase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("planner")
        self._opened = opened
        self.context = AppContext(opened)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setMinimumWidth(110)
        self.navigation.setMaximumWidth(240)
        self.navigation.setStyleSheet(NAVIGATION_STYLE)
        self.pages = LazyPages()
        self.pages.page_built.connect(self._on_page_built)
        self.page_actions: list[QAction] = []
        factories: dict[str, Callable[[], QWidget]] = {
            "Machine": self._machine,
            "Models": self._models,
            "Profile": self._profile,
            "Results": self._results,
            "Plan": self._plan,
            "Catalogue": self._catalogue,
            "Reports": self._reports,
        }
        for title in PAGE_TITLES:
            self._add_page(title, factories[title])
        self.bundle_importer = BundleImporter(self.context, self)
        self.context.runs_sent_to_plan.connect(self._on_runs_sent_to_plan)
        self.navigation.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([150, 1000])
        self.setCentralWidget(self.splitter)
        self._build_menus()
        self.setAcceptDrops(True)
        self.statusBar().showMessage(f"Database: {opened.path}")
        self.context.status_posted.connect(self._on_status_posted)
        self._restore_state()

    # Pages, each built (and its module imported) on first use.
    def _machine(self) -> QWidget:
        from planner.gui.machine_page import MachinePage
        from planner.gui.welcome import WelcomePanel
        from planner.storage.machines import MachineRepository

        page = MachinePage(MachineRepository(self._opened.db))
        self.welcome = WelcomePanel(self.context)
        self.welcome.page_requested.connect(
            lambda title: self.navigation.setCurrentRow(self.pages.index_of(title))
        )
        page.add_banner(self.welcome)
        return page

    def _models(self) -> QWidget:
        from planner.gui.models_page import ModelsPage

        return ModelsPage(self.context, lambda: self.machine_page.machine_id)

    def _profile(self) -> QWidget:
        from planner.gui.profile_page import ProfilePage

        return ProfilePage(self.context, lambda: self.machine_page.machine_id)

    def _results(self) -> QWidget:
        from planner.gui.results_page import ResultsPage

        return ResultsPage(self.context)

    def _plan(self) -> QWidget:
        from planner.gui.plan_page import PlanPage

        return PlanPage(self.context)

    def _catalogue(self) -> QWidget:
        from planner.gui.catalog_page import CatalogPage

        return CatalogPage(self.context)

    def _reports(self) -> QWidget:
        from planner.gui.reports_page import ReportsPage

        return ReportsPage(self.context)

    def build_pages_when_idle(self) -> None:
        """After the first paint, import pyqtgraph and build the other pages while the
        window waits for the user (about a second of work in 50-400 ms steps), so that no
        page makes the user wait the first time it is opened."""
        self.pages.build_rest_when_idle(
            IDLE_BUILD_DELAY_MS, IDLE_BUILD_GAP_MS, lambda: importlib.import_module("pyqtgraph")
        )

    def _page(self, title: str) -> Any:
        return self.pages.page(self.pages.index_of(title))

    @property
    def machine_page(self) -> MachinePage:
        return cast("MachinePage", self._page("Machine"))

    @property
    def models_page(self) -> ModelsPage:
        return cast("ModelsPage", self._page("Models"))

    @property
    def profile_page(self) -> ProfilePage:
        return cast("ProfilePage", self._page("Profile"))

    @property
    def results_page(self) -> ResultsPage:
        return cast("ResultsPage", self._page("Results"))

    @property
    def plan_page(self) -> PlanPage:
        return cast("PlanPage", self._page("Plan"))

    @property
    def catalog_page(self) -> CatalogPage:
        return cast("CatalogPage", self._page("Catalogue"))

    @property
    def reports_page(self) -> ReportsPage:
        return cast("ReportsPage", self._page("Reports"))

    def _on_status_posted(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    def _on_runs_sent_to_plan(self, run_ids: list[str]) -> None:
        """Show the Plan page; one built just now missed the signal, so hand it the runs."""
        if self.pages.index_of("Plan") not in self.pages.built():
            self.plan_page.use_runs(run_ids)
        self.show_page(self.plan_page)

    def show_page(self, page: QWidget) -> None:
        self.navigation.setCurrentRow(self.pages.indexOf(page))

    def _add_page(self, title: str, factory: Callable[[], QWidget]) -> None:
        self.navigation.addItem(title)
        index = self.pages.add(title, factory)
        action = QAction(title, self)
        action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.setToolTip(f"{title} page (Ctrl+{index + 1})")
        action.triggered.connect(lambda: self.navigation.setCurrentRow(index))
        self.page_actions.append(action)

    def _on_page_built(self, index: int, page: QWidget) -> None:
        """Give a newly built page the splitter layout it had last time."""
        settings = QSettings()
        for number, splitter in enumerate(page.findChildren(QSplitter)):
            state = settings.value(self._splitter_key(index, number))
            if state is not None:
                splitter.restoreState(state)

    def _splitter_key(self, index: int, number: int) -> str:
        return f"{SETTINGS_SPLITTER}/{self.pages.title(index)}/{number}"

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import assessment bundle…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.bundle_importer.choose_and_import)
        file_menu.addAction(self.import_action)
        openers: dict[str, Callable[[Path], None]] = {
            ".toml": self._open_scenario_file,
            ".onnx": self._open_model_file,
        }
        openers.update({suffix: self._open_bundle_file for suffix in BUNDLE_SUFFIXES})
        self.recent_files = RecentFiles(
            file_menu.addMenu("Open &Recent"), openers, self.context.post_status
        )
        self.context.file_used.connect(self.recent_files.remember)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addActions(self.page_actions)
        view_menu.addSeparator()
        refresh = QAction("&Refresh machine inventory", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: self.machine_page.refresh())
        view_menu.addAction(refresh)
        toolbar = self.addToolBar("Pages")
        toolbar.setObjectName("pages_toolbar")
        toolbar.addActions(self.page_actions)
        toolbar.addSeparator()
        toolbar.addAction(self.import_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About planner", self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def _open_scenario_file(self, path: Path) -> None:
        self.show_page(self.plan_page)
        self.plan_page.load_scenario_file(path)

    def _open_model_file(self, path: Path) -> None:
        self.show_page(self.models_page)
        self.models_page.add_model_file(path)

    def _open_bundle_file(self, path: Path) -> None:
        self.bundle_importer.import_paths([path])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if bundle_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = bundle_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.bundle_importer.import_paths(paths)

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About planner",
            f"planner {__version__}\nOn-prem AI inference capacity planning.\n"
            f"Database: {self._opened.path}",
        )

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value(SETTINGS_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        state = settings.value(SETTINGS_STATE)
        if state is not None:
            self.restoreState(state)
        splitter = settings.value(f"{SETTINGS_SPLITTER}/window")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        page = int(str(settings.value(SETTINGS_PAGE, 0) or 0))
        self.navigation.setCurrentRow(page if 0 <= page < self.pages.count() else 0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        settings = QSettings()
        settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        settings.setValue(SETTINGS_STATE, self.saveState())
        settings.setValue(f"{SETTINGS_SPLITTER}/window", self.splitter.saveState())
        for index, page in self.pages.built().items():
            for number, splitter in enumerate(page.findChildren(QSplitter)):
                settings.setValue(self._splitter_key(index, number), splitter.saveState())
        settings.setValue(SETTINGS_PAGE, self.navigation.currentRow())
        for page in self.pages.built().values():
            shutdown = getattr(page, "shutdown", None)
            if shutdown is not None:
                shutdown()
        super().closeEvent(event)
