"""The main window: navigation on the left, one page per area, the truth in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ctmtqg_desktop import APP_NAME, __version__
from ctmtqg_desktop.gui import settings as gui_settings
from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.pages import PageSpec, pages_for
from ctmtqg_desktop.gui.pages.base import Page, PageContext
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store.workspace import Workspace


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace, *, runner: TaskRunner | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.runner = runner or TaskRunner(parent=self)
        info = workspace.installation()
        self.role = info.role
        self.specs: list[PageSpec] = pages_for(self.role)
        self.pages: dict[str, Page] = {}
        self.context = PageContext(workspace=workspace, runner=self.runner,
                                   navigate=self.show_area, notify=self.notify, role=self.role)
        self._build()
        self.retranslate()
        self._restore()

    # -- construction -------------------------------------------------------------------
    def _build(self) -> None:
        self.nav = QListWidget(objectName="navigation")
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setFocusPolicy(Qt.StrongFocus)
        self.nav.setWordWrap(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.ElideNone)
        for spec in self.specs:
            item = QListWidgetItem()
            item.setData(Qt.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget()
        self.placeholders: dict[str, QWidget] = {}
        for spec in self.specs:
            placeholder = QWidget()
            self.placeholders[spec.key] = placeholder
            self.stack.addWidget(placeholder)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 1136])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.unit_label = QLabel()
        self.demo_label = QLabel(objectName="statusDemo")
        self.statusBar().addPermanentWidget(self.demo_label)
        self.statusBar().addPermanentWidget(self.unit_label)

        menu = self.menuBar()
        self.file_menu = menu.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.go_menu = menu.addMenu("")
        self.go_actions: list[QAction] = []
        for index, spec in enumerate(self.specs):
            action = QAction(self)
            if index < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_area(key))
            self.go_menu.addAction(action)
            self.go_actions.append(action)
        self.help_menu = menu.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

        QShortcut(QKeySequence.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence.Save, self, activated=self._save)

    def retranslate(self) -> None:
        self.setWindowTitle(APP_NAME)
        for row, spec in enumerate(self.specs):
            self.nav.item(row).setText(_(spec.label))
            self.nav.item(row).setToolTip(_(spec.description))
            self.go_actions[row].setText(_(spec.label))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.go_menu.setTitle(_("&Go to"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About CTMTQG Desktop"))
        info = self.workspace.installation()
        unit = catalog.get_unit(self.workspace, info.unit_id)
        self.unit_label.setText(unit.title + (f" · {info.officer_name}" if info.officer_name
                                              else ""))
        if info.simulated_today:
            from ctmtqg_desktop.domain.formats import format_date

            self.demo_label.setText(_("Demo data · working date {date}").format(
                date=format_date(info.simulated_today)))
        else:
            self.demo_label.hide()

    # -- navigation ---------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page of ``key``, created on first use."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            page = spec.create(self.context)
            index = self.stack.indexOf(self.placeholders[key])
            self.stack.removeWidget(self.placeholders[key])
            self.placeholders[key].deleteLater()
            self.stack.insertWidget(index, page)
            self.pages[key] = page
        return self.pages[key]

    def show_area(self, key: str) -> None:
        keys = [s.key for s in self.specs]
        if key not in keys:
            return
        row = keys.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        else:
            self._row_changed(row)

    def _row_changed(self, row: int) -> None:
        if not (0 <= row < len(self.specs)):
            return
        key = self.specs[row].key
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        page.activate()
        gui_settings.save(gui_settings.LAST_PAGE, key)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def _focus_search(self) -> None:
        page = self.current_page()
        if page is not None:
            page.focus_search()

    def _save(self) -> None:
        page = self.current_page()
        if page is not None and not page.save():
            self.notify(_("Nothing to save on this page."))

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _about(self) -> None:
        QMessageBox.about(self, _("About CTMTQG Desktop"), _(
            "CTMTQG Desktop {version}\nTracking the national target programmes in the "
            "commune, offline.\nWorkspace: {folder}").format(version=__version__,
                                                            folder=self.workspace.folder))

    # -- state --------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = gui_settings.load(gui_settings.WINDOW_GEOMETRY)
        if geometry and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 740)
        state = gui_settings.load(gui_settings.WINDOW_STATE)
        if state and not state.isEmpty():
            self.restoreState(state)
        last = gui_settings.load(gui_settings.LAST_PAGE)
        self.show_area(last if last in [s.key for s in self.specs] else "overview")

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        gui_settings.save(gui_settings.WINDOW_GEOMETRY, self.saveGeometry())
        gui_settings.save(gui_settings.WINDOW_STATE, self.saveState())
        self.runner.wait(10000)
        super().closeEvent(event)
