"""The main window: navigation on the left, one page per area, the truth in the status bar.

Start-up is three steps so that the window paints before the rest loads (issue 17): the
window is built with only what its first frame shows (title, menu titles, the navigation,
the status bar; ``first_frame_only=True``), the overview is shown in it (its last-known
figures or its waiting state) and the window paints; right after the first paint
:meth:`MainWindow.complete` adds what the frame does not show (the menus' entries, the
shortcuts, the daily backup); then :meth:`MainWindow.attach` opens the pages on a workspace
(this imports SQLAlchemy and the services). A key or a click that reaches the window before
:meth:`~MainWindow.complete` has run completes it first, so no menu or shortcut is ever
missing when the user acts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ctmtqg_desktop import APP_NAME, __version__
from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.icons import page_icon
from ctmtqg_desktop.gui.pages import PAGES
from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QKeySequence

    from ctmtqg_desktop.gui.auto_backup import AutoBackup
    from ctmtqg_desktop.gui.pages.overview import OverviewPage
    from ctmtqg_desktop.store.workspace import Workspace


#: the size of a first start (and of a remembered window that no longer fits a screen)
DEFAULT_SIZE = (1366, 740)
#: the navigation's narrowest width (its longest label wraps on three lines)
NAVIGATION_MINIMUM = 210
#: a remembered window smaller than this is taken as a mistake and not restored
MINIMUM_RESTORED = (640, 420)


def usable_geometry(rect: QRect, screens: list[QRect]) -> bool:
    """Whether a remembered window ``rect`` can be used again: big enough to work in, and
    its title bar (the top 30 pixels) showing at least 100x20 pixels on one of ``screens``
    (the screens' available areas), so the user can grab it."""
    if rect.width() < MINIMUM_RESTORED[0] or rect.height() < MINIMUM_RESTORED[1]:
        return False
    title_bar = QRect(rect.left(), rect.top(), rect.width(), 30)
    for screen in screens:
        shown = title_bar.intersected(screen)
        if shown.width() >= 100 and shown.height() >= 20:
            return True
    return False


def go_to_shortcut(number: int) -> QKeySequence:
    """The "Đi tới" key of the ``number``-th page shown (from 1): Ctrl+1 … Ctrl+9, Ctrl+0
    for the tenth, then Alt+1 … Alt+0 (the parent's desk has fourteen pages)."""
    from PySide6.QtGui import QKeySequence

    if not 1 <= number <= 20:
        return QKeySequence()
    modifier = "Ctrl" if number <= 10 else "Alt"
    return QKeySequence(f"{modifier}+{number % 10}")


class MainWindow(QMainWindow):
    #: emitted once, just after the window has painted for the first time
    first_painted = Signal()

    def __init__(self, workspace: Workspace | None = None, *,
                 runner: TaskRunner | None = None, first_frame_only: bool = False) -> None:
        """``first_frame_only``: build only what the first frame shows; the start calls
        :meth:`complete` right after the first paint (issue 17)."""
        super().__init__()
        self.workspace: Workspace | None = None
        self.runner = runner or TaskRunner(parent=self)
        self.role = ""
        self.specs: list[PageSpec] = list(PAGES)
        self.pages: dict[str, Page] = {}
        self.context: PageContext | None = None
        self._painted = False
        self.completed = False
        self._build_frame()
        self._input_guard: _InputGuard | None = None
        if first_frame_only:  # watching from the first paint (see event())
            self._input_guard = _InputGuard(self)
        else:
            self.complete()
        self.retranslate()
        self.resize(*DEFAULT_SIZE)
        if workspace is not None:
            self.attach(workspace)

    def complete(self) -> None:
        """Add what the first frame does not show: the menus' entries and their keys, the
        window's shortcuts (Ctrl+F, Ctrl+S, Ctrl+N), the daily backup's timer. Once; called
        by the start right after the first paint, by :meth:`attach`, and before the first
        key or click reaches a window built with ``first_frame_only``."""
        if self.completed:
            return
        self.completed = True
        app = QApplication.instance()
        if self._input_guard is not None and app is not None:
            app.removeEventFilter(self._input_guard)
        self._build_rest()
        self._retranslate_rest()

    def attach(self, workspace: Workspace) -> None:
        """Open the pages on ``workspace``: areas of the other role are hidden."""
        from ctmtqg_desktop.gui import settings as gui_settings

        self.complete()
        self.workspace = workspace
        gui_settings.use_workspace(f"{workspace.folder.resolve()}|{workspace.location}")
        self._restore_geometry()
        info = workspace.installation()
        self.role = info.role
        self.specs = [spec for spec in PAGES if self.role in spec.roles]
        number = 0
        for row, spec in enumerate(PAGES):
            visible = self.role in spec.roles
            self.nav.setRowHidden(row, not visible)
            action = self.go_actions[row]
            action.setVisible(visible)
            number += visible
            action.setShortcut(go_to_shortcut(number) if visible else go_to_shortcut(0))
        self.context = PageContext(workspace=workspace, runner=self.runner,
                                   navigate=self.show_area, notify=self.notify, role=self.role)
        for page in self.pages.values():  # the overview may already show last-known figures
            page.context = self.context
        self._show_unit()
        self.auto_backup.start()  # the daily backup, a minute from now
        last = gui_settings.load(gui_settings.LAST_PAGE)
        self.show_area(last if last in [s.key for s in self.specs] else "overview")
        overview = cast("OverviewPage | None", self.pages.get("overview"))
        if overview is not None and self.current_page() is not overview:
            overview.opened_elsewhere()

    # -- construction -------------------------------------------------------------------
    def _build_frame(self) -> None:
        """What the first frame shows: the navigation, the pages' stack, the status bar and
        the menu bar's titles (their entries come with :meth:`complete`)."""
        self.nav = QListWidget(objectName="navigation")
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setFocusPolicy(Qt.StrongFocus)
        self.nav.setWordWrap(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.ElideNone)
        self.nav.setMinimumWidth(NAVIGATION_MINIMUM)  # never squeezed by a wide page
        for spec in PAGES:
            item = QListWidgetItem()
            item.setData(Qt.UserRole, spec.key)
            item.setIcon(page_icon(spec.icon))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._row_changed)
        self.stack = QStackedWidget()
        self.placeholders: dict[str, QWidget] = {}
        for spec in PAGES:
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
        self.demo_label.hide()  # until a workspace says it is a demo (no empty badge)
        self.sync_label = QLabel()
        self.statusBar().addPermanentWidget(self.demo_label)
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addPermanentWidget(self.unit_label)

        menu = self.menuBar()
        self.file_menu = menu.addMenu("")
        self.go_menu = menu.addMenu("")
        self.help_menu = menu.addMenu("")
        self.guide: QWidget | None = None

    def _build_rest(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence, QShortcut

        from ctmtqg_desktop.gui.auto_backup import AutoBackup

        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.go_actions: list[QAction] = []
        for spec in PAGES:
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_area(key))
            self.go_menu.addAction(action)
            self.go_actions.append(action)
        self.guide_action = QAction(self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1
        self.guide_action.triggered.connect(self.open_guide)
        self.help_menu.addAction(self.guide_action)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

        self.auto_backup: AutoBackup = AutoBackup(self)
        QShortcut(QKeySequence.Find, self, activated=self._focus_search)
        QShortcut(QKeySequence.Save, self, activated=self._save)
        QShortcut(QKeySequence.StandardKey.New, self, self._new)

    def retranslate(self) -> None:
        self.setWindowTitle(APP_NAME)
        for row, spec in enumerate(PAGES):
            self.nav.item(row).setText(_(spec.label))
            self.nav.item(row).setToolTip(_(spec.description))
        self.file_menu.setTitle(_("&File"))
        self.go_menu.setTitle(_("&Go to"))
        self.help_menu.setTitle(_("&Help"))
        if self.completed:
            self._retranslate_rest()
        self._size_navigation()
        if self.workspace is not None:
            self._show_unit()

    def _retranslate_rest(self) -> None:
        for row, spec in enumerate(PAGES):
            self.go_actions[row].setText(_(spec.label))
        self.quit_action.setText(_("&Quit"))
        self.about_action.setText(_("&About CTMTQG Desktop"))
        self.guide_action.setText(_("&User guide (this screen)"))

    def _size_navigation(self) -> None:
        """Give each area's label the height its wrapped text needs (long Vietnamese names
        such as "Hoạt động (truyền thông, tập huấn, kiểm tra giám sát)" take three lines)."""
        from PySide6.QtCore import QRect

        metrics = self.nav.fontMetrics()
        width = max(self.nav.viewport().width(), 200) - 36
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            bounds = metrics.boundingRect(QRect(0, 0, width, 1000), int(Qt.TextWordWrap),
                                          item.text())
            item.setSizeHint(QSize(width, bounds.height() + 18))

    def show_last_known(self, folder) -> bool:
        """Before the workspace opens: show the overview's last-known figures, if any, else
        its skeleton (placeholder cards); either way the window paints the overview at once
        and the live figures, computed on the task runner once the workspace is open, fill
        it in (issue 17). True when last-known figures were shown."""
        from ctmtqg_desktop.services.overview_data import load_snapshot

        snapshot = load_snapshot(folder) if folder is not None else None
        early = PageContext(workspace=None, runner=self.runner, navigate=lambda key: None,
                            notify=self.notify,
                            role=snapshot.header.role if snapshot else "commune")
        self.context = early
        page = self.overview_page()
        if snapshot is None:
            page.show_skeleton()
        else:
            page.show_overview(snapshot)
            # the role the figures were computed for: the first frame's navigation is then
            # already the one the workspace shows (attach() sets it again)
            for row, spec in enumerate(PAGES):
                self.nav.setRowHidden(row, snapshot.header.role not in spec.roles)
        self.stack.setCurrentWidget(page)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(0)
        self.nav.blockSignals(False)
        self.context = None
        return snapshot is not None

    def overview_page(self) -> OverviewPage:
        """The overview page, created if needed (before a workspace is attached, on the
        context of the moment)."""
        return cast("OverviewPage", self.page_for(next(s for s in PAGES if s.key == "overview")))

    def _show_unit(self) -> None:
        from ctmtqg_desktop.services import catalog

        info = self.workspace.installation()
        unit = catalog.get_unit(self.workspace, info.unit_id)
        self.unit_label.setText(unit.title + (f" · {info.officer_name}" if info.officer_name
                                              else ""))
        overview = cast("OverviewPage | None", self.pages.get("overview"))
        if overview is not None and not overview.shown:  # its skeleton: name the unit now
            overview.unit_title.setText(unit.title)
        if info.simulated_today:
            from ctmtqg_desktop.domain.formats import format_date

            self.demo_label.setText(_("Demo data · working date {date}").format(
                date=format_date(info.simulated_today)))
            self.demo_label.show()
        elif self.workspace is not None and (ended := catalog.ended_banner(self.workspace)):
            # the unit ended: the header names its successor; the full sentence on hover
            self.demo_label.setText(" · ".join(ended[:2]))
            self.demo_label.setToolTip(catalog.ended_notice(
                self.workspace, unit, self.workspace.today()) or "")
            self.demo_label.show()
        else:
            self.demo_label.hide()
        self.refresh_sync_status()

    def refresh_sync_status(self) -> None:
        """The status bar says when the last sync package was made (and for whom)."""
        if self.workspace is None:
            return
        overview = cast("OverviewPage | None", self.pages.get("overview"))
        if overview is not None and overview.awaiting_early():
            overview.after_early(self.refresh_sync_status)  # the figures first (issue 17)
            return
        workspace = self.workspace

        def last_sent():
            from ctmtqg_desktop.services.sync import last_package_sent

            return last_package_sent(workspace)

        def show(last) -> None:
            from ctmtqg_desktop.domain.formats import format_datetime

            if last is None:
                self.sync_label.setText(_("No sync package made yet"))
            else:
                when, unit = last
                self.sync_label.setText(_("Last sync package: {when}, for {unit}").format(
                    when=format_datetime(when), unit=unit))

        self.runner.run(last_sent, on_done=show)

    # -- navigation ---------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page of ``key``, created on first use (once a workspace is attached)."""
        return self.page_for(next(s for s in self.specs if s.key == key))

    def page_for(self, spec: PageSpec) -> Page:
        key = spec.key
        if key not in self.pages:
            page = spec.create(self.context)
            index = self.stack.indexOf(self.placeholders[key])
            self.stack.removeWidget(self.placeholders[key])
            self.placeholders[key].deleteLater()
            self.stack.insertWidget(index, page)
            self.pages[key] = page
        return self.pages[key]

    def show_area(self, key: str) -> None:
        if key not in [s.key for s in self.specs]:
            return
        row = [s.key for s in PAGES].index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        else:
            self._row_changed(row)

    def _row_changed(self, row: int) -> None:
        from ctmtqg_desktop.gui import settings as gui_settings

        if self.context is None or not (0 <= row < len(PAGES)):
            return
        key = PAGES[row].key
        if key not in [s.key for s in self.specs]:
            return
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

    def _new(self) -> None:
        page = self.current_page()
        if page is not None and not page.new_record():
            self.notify(_("Nothing to add on this page."))

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def open_guide(self) -> None:
        """The user guide at the section of the current screen (F1), offline."""
        from ctmtqg_desktop.gui.help import open_guide

        page = self.current_page()
        key = next((k for k, p in self.pages.items() if p is page), "overview")
        if self.guide is not None:
            self.guide.close()
        self.guide = open_guide(self, key)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        folder = self.workspace.folder if self.workspace else ""
        QMessageBox.about(self, _("About CTMTQG Desktop"), _(
            "CTMTQG Desktop {version}\nTracking the national target programmes in the "
            "commune, offline.\nWorkspace: {folder}").format(version=__version__,
                                                            folder=folder))

    # -- state --------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        """The window as it was left in this workspace, unless that no longer fits a screen
        (a monitor unplugged) or is too small to work in."""
        from PySide6.QtGui import QGuiApplication

        from ctmtqg_desktop.gui import settings as gui_settings

        geometry = gui_settings.load(gui_settings.WINDOW_GEOMETRY)
        if geometry and not geometry.isEmpty():
            before = self.saveGeometry()
            if self.restoreGeometry(geometry) and not usable_geometry(
                    self.geometry(), [s.availableGeometry() for s in QGuiApplication.screens()]):
                self.restoreGeometry(before)
                self.resize(*DEFAULT_SIZE)
        state = gui_settings.load(gui_settings.WINDOW_STATE)
        if state and not state.isEmpty():
            self.restoreState(state)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._size_navigation()

    def event(self, event) -> bool:  # noqa: D102 (Qt API)
        handled = super().event(event)
        if event.type() == QEvent.Paint and not self._painted:
            self._first_paint()
        return handled

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().paintEvent(event)
        if not self._painted:
            self._first_paint()

    def _first_paint(self) -> None:
        """The window is on the screen: from now on the user can act, so until
        :meth:`complete` has run every key and click goes through the guard (watching every
        event from the start would cost thousands of Python calls before the paint)."""
        self._painted = True
        app = QApplication.instance()
        if not self.completed and self._input_guard is not None and app is not None:
            app.installEventFilter(self._input_guard)
        QTimer.singleShot(0, self.first_painted.emit)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        from ctmtqg_desktop.gui import settings as gui_settings

        if self.workspace is not None:
            gui_settings.save(gui_settings.WINDOW_GEOMETRY, self.saveGeometry())
            gui_settings.save(gui_settings.WINDOW_STATE, self.saveState())
        self.runner.wait(10000)
        super().closeEvent(event)


#: what a user does: a key or a click (on the window, its menus or a dialog)
_INPUT_EVENTS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress,
                 QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                 QEvent.Type.Wheel)


class _InputGuard(QObject):
    """Until the window is complete: the first key or click completes it before Qt looks
    the key up among the shortcuts (Qt sends ``ShortcutOverride`` first) or the menu bar
    opens a menu, then goes on as usual."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _INPUT_EVENTS and not self.window.completed:
            self.window.complete()
        return False
