"""Nhiệm vụ: the tasks list (filters, search, sort, overdue red and due soon amber), the
detail pane with the progress timeline, and quick progress entry from the keyboard.

Keyboard: Ctrl+F search; Enter on a task goes to the progress form; Ctrl+Enter or Ctrl+S
records the update; Esc goes back to the list; Ctrl+N adds a task.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.lazy_table import PAGE, LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.tasks import _actions as actions
from ctmtqg_desktop.gui.pages.tasks import _detail as detail
from ctmtqg_desktop.gui.pages.tasks._detail import _e
from ctmtqg_desktop.gui.pages.tasks._directives import DirectivesView
from ctmtqg_desktop.gui.pages.tasks._progress_form import ProgressForm
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import find_data
from ctmtqg_desktop.gui.workbook_dialogs import ImportRunner
from ctmtqg_desktop.i18n import _

RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter


class TaskSource:
    """The tasks for :class:`LazyTableModel`: ids and rows from the services (SQL)."""

    def __init__(self, page: TasksPage) -> None:
        self.page = page
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        from ctmtqg_desktop.services.tasks import status_label

        def state(row):
            return row.state

        def due(row):
            return format_date(row.next_due_on) if row.next_due_on else row.schedule_label

        def status(row):
            # the state on a line of its own (rows have two lines; the column is as wide as
            # the widest status, issue 15: "đang thực hiệ…" on late rows)
            text = status_label(row.status)
            if row.state == "late":
                text += "\n" + _("overdue")
            elif row.state == "due_soon":
                text += "\n" + _("due soon")
            return text

        self.columns = [
            LazyColumn(_("Task"), lambda r: r.text, "text", state=state,
                       tooltip=lambda r: r.text + ("\n" + r.directive_label
                                                   if r.directive_label else "")),
            LazyColumn(_("Lead"), lambda r: r.lead_label, "lead", state=state),
            LazyColumn(_("Prog."), lambda r: r.program_label, "program", CENTER, state=state),
            LazyColumn(_("Deadline"), due, "due", CENTER, state=state,
                       tooltip=lambda r: r.schedule_label),
            LazyColumn(_("Status"), status, "status", state=state),
            LazyColumn("%", lambda r: "" if r.latest_percent is None
                       else f"{r.latest_percent}%", "percent", RIGHT, state=state),
            LazyColumn(_("Updated"), lambda r: format_date(r.latest_progress_on), "updated",
                       CENTER, state=state),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        from ctmtqg_desktop.services import tasks

        return tasks.task_ids(self.page.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        from ctmtqg_desktop.services import tasks

        return tasks.task_rows(self.page.workspace, ids)


class TasksPage(Page):
    """Nhiệm vụ: the task list with its filters, the detail pane and the directives tab. The
    detail pane and the actions are functions over the page in ``_detail`` and ``_actions``,
    bound below as methods; the quick progress entry is ``_progress_form.ProgressForm``."""

    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        outer.setSpacing(6)
        self.add_button = QPushButton(objectName="primary")
        self.directive_button = QPushButton()
        self.import_button = QPushButton()
        self.template_button = QPushButton()
        self.add_header(outer, self.add_button, self.directive_button, self.import_button,
                        self.template_button, wrap=False)
        self.add_button.clicked.connect(self.add_task)
        self.directive_button.clicked.connect(self.add_directive)
        self.import_button.clicked.connect(self.import_workbook)
        self.template_button.clicked.connect(self.write_template)

        # the task list and, beside it, the directives (as capital/projects do secondary
        # views: tabs under the title)
        self.tabs = QTabWidget(documentMode=True)
        tasks_tab = QWidget()
        tasks_layout = QVBoxLayout(tasks_tab)
        tasks_layout.setContentsMargins(0, 6, 0, 0)
        tasks_layout.setSpacing(6)
        tasks_layout.addLayout(self._build_filters())
        self.splitter = QSplitter()
        self.splitter.addWidget(self._build_list())
        self.splitter.addWidget(self._build_detail_pane())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([720, 370])
        tasks_layout.addWidget(self.splitter, 1)
        self.tabs.addTab(tasks_tab, "")
        self.directives = DirectivesView(self)
        self.tabs.addTab(self.directives, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        outer.addWidget(self.tabs, 1)
        outer.addLayout(self._build_bottom())

        QShortcut(QKeySequence(Qt.Key_Escape), self.progress, activated=self._focus_table,
                  context=Qt.WidgetWithChildrenShortcut)
        self.loaded = False
        self.current = None  # TaskDetail
        self.options = None
        self.setTabOrder(self.search, self.program)
        self.setTabOrder(self.directive, self.table)
        self.setTabOrder(self.table, self.progress.date)

    def _build_filters(self) -> QVBoxLayout:
        """The search on its own line, the filters under it: on one line at 1366x768 the
        filters were cut ("Mọi văn bản chỉ đạ")."""
        rows = QVBoxLayout()
        filters = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.program = QComboBox()
        self.status = QComboBox()
        self.overdue = QCheckBox()
        # a merged commune's predecessors' tasks (history, read-only): shown when asked
        self.history = QCheckBox()
        self.history.setVisible(False)
        self.due_within = QComboBox()
        self.lead = QComboBox()
        self.directive = QComboBox()
        # on their own line the filters share its width (each grows from these minimums)
        self.lead.setMinimumContentsLength(13)
        self.directive.setMinimumContentsLength(13)
        self.due_within.setMinimumContentsLength(10)
        self.status.setMinimumContentsLength(10)
        for combo in (self.lead, self.directive, self.program, self.due_within, self.status):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.program.setMinimumContentsLength(13)
        self.search.setMinimumWidth(230)
        search_line = QHBoxLayout()
        search_line.addWidget(self.search, 1)
        search_line.addWidget(self.history)
        rows.addLayout(search_line)
        rows.addLayout(filters)
        for widget in (self.program, self.status, self.due_within, self.overdue, self.lead,
                       self.directive):
            filters.addWidget(widget, 1 if isinstance(widget, QComboBox) else 0)
        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self._focus_table)
        for combo in (self.program, self.status, self.due_within, self.lead, self.directive):
            combo.currentIndexChanged.connect(self.reload)
        self.overdue.toggled.connect(self.reload)
        self.history.toggled.connect(self.reload)
        return rows

    def _build_list(self) -> QWidget:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.source = TaskSource(self)
        self.model = LazyTableModel(self.source, self)
        self.table = QTableView()
        row_view(self.table, self.model, sort=True, wrap=True, row_height=self._row_height())
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setMinimumSectionSize(40)
        for column, width in ((1, 112), (2, 56), (3, 90), (4, self._status_width()), (5, 44),
                              (6, 90)):
            self.table.setColumnWidth(column, width)
        # the date of the last update is in the detail pane; the column can be shown again
        # from the header's context menu
        self.table.setColumnHidden(6, True)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.setSortIndicator(3, Qt.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.installEventFilter(self)
        left_layout.addWidget(self.table, 1)
        self.count_label = QLabel(objectName="muted")
        left_layout.addWidget(self.count_label)
        return left

    def _status_width(self) -> int:
        """Wide enough for every status ("đang thực hiện") and every state under it ("quá
        hạn", "sắp đến hạn") in the table's font (issue 15: cut at 1366x768)."""
        from ctmtqg_desktop.services.tasks import status_label

        metrics = self.table.fontMetrics()
        return max(metrics.horizontalAdvance(text) for text in (
            *(status_label(status) for status in ("not_started", "in_progress", "done")),
            _("overdue"), _("due soon"))) + 22

    def _row_height(self) -> int:
        """Rows of two lines: a task's name, a status with its state ("đang thực hiện",
        then "quá hạn") and a schedule such as "Trước ngày 20 hằng tháng" wrap instead of
        being cut (issue 15); a longer name ends in "…" and is whole in its tooltip."""
        return self.table.fontMetrics().lineSpacing() * 2 + 10

    def _fit_columns(self) -> None:
        """The lead unit's column as wide as its names in the rows shown (a commune's own
        "UBND xã …" whole), within 112 to 128 pixels so that task names keep the room; the
        deadline's as wide as a date, a schedule ("Thường xuyên") taking two lines when
        wider; the percentage's as wide as "100%"."""
        self.table.verticalHeader().setDefaultSectionSize(self._row_height())
        wanted = self.table.sizeHintForColumn(1)
        self.table.setColumnWidth(1, min(max(wanted, 112), 128))
        metrics = self.table.fontMetrics()
        widest = max([metrics.horizontalAdvance(format_date(dt.date(2026, 12, 30)))] + [
            two_line_width(metrics, str(self.model.index(row, 3).data() or ""))
            for row in range(min(self.model.rowCount(), PAGE))])  # the first page read
        self.table.setColumnWidth(3, widest + 12)
        # the percentage: "100%" whole (it was "10…" on finished tasks)
        self.table.setColumnWidth(5, metrics.horizontalAdvance("100%") + 16)


    def _build_detail_pane(self) -> QWidget:
        right = QWidget()  # no fixed minimum: the splitter keeps its minimum size hint
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QTextBrowser(openLinks=False)
        self.detail.anchorClicked.connect(self._link)
        right_layout.addWidget(self.detail, 1)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_task)
        self.progress = ProgressForm(self)
        right_layout.addWidget(self.progress)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.edit_button)
        right_layout.addLayout(actions)
        return right

    def _build_bottom(self) -> QHBoxLayout:
        bottom = QHBoxLayout()
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        bottom.addWidget(self.message, 1)
        # the Excel import's progress and its Cancel (nothing is written when cancelled)
        self.import_progress = QProgressBar(maximumWidth=240, textVisible=False)
        self.cancel_import_button = QPushButton()
        self.importer = ImportRunner(self, self.context.runner, self.import_progress,
                                     self.cancel_import_button, say=self.message.setText,
                                     refuse=self._error)
        bottom.addWidget(self.import_progress)
        bottom.addWidget(self.cancel_import_button)
        return bottom

    def cancel_import(self) -> None:
        """Ask the running Excel import to stop; it writes nothing."""
        self.importer.cancel()

    # -- strings ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Tasks"))
        self.subtitle.setText(_("What was asked of us, by whom, by when, and what we have done."))
        self.add_button.setText(_("Add task"))
        self.add_button.setToolTip(_("Ctrl+N"))
        self.directive_button.setText(_("Enter a directive…"))
        self.import_button.setText(_("Import from Excel…"))
        self.importer.retranslate()
        self.template_button.setText(_("Excel template…"))
        self.search.setPlaceholderText(_("Search tasks (diacritics optional)… Ctrl+F"))
        self.overdue.setText(_("Overdue"))
        self.history.setText(_("Tasks of the units before the merger"))
        self.edit_button.setText(_("Edit task…"))
        self._fill_static_filters()
        self.source.retranslate()
        self.model.headerDataChanged.emit(Qt.Horizontal, 0, len(self.source.columns) - 1)
        self.progress.retranslate()
        self.tabs.setTabText(0, _("Tasks"))
        self.tabs.setTabText(1, _("Directives"))
        self.directives.retranslate()

    def screenshot_views(self) -> list:
        """The directives tab, for ``--screenshots``."""
        return [("directives", lambda: self.tabs.setCurrentIndex(1))]

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self.loaded:
            self.directives.reload()

    def show_directive_tasks(self, directive_id) -> None:
        """The task list filtered by one directive (its other filters cleared)."""
        for combo in (self.program, self.status, self.due_within, self.lead):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.overdue.blockSignals(True)
        self.overdue.setChecked(False)
        self.overdue.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.directive.blockSignals(True)
        self.directive.setCurrentIndex(max(0, find_data(self.directive, directive_id)))
        self.directive.blockSignals(False)
        self.tabs.setCurrentIndex(0)
        self.current = None
        self.reload()
        self.table.setFocus()

    def _fill_static_filters(self) -> None:
        from ctmtqg_desktop.services.tasks import status_label

        def refill(combo: QComboBox, items: list[tuple[object, str]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for data, text in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, find_data(combo, current)))
            combo.blockSignals(False)

        refill(self.status, [(None, _("Any status"))] + [
            (s, status_label(s)) for s in ("not_started", "in_progress", "done")])
        refill(self.due_within, [(None, _("Any deadline"))] + [
            (n, _("Due within {days} days").format(days=n)) for n in (7, 15, 30, 90)])
        if self.options is not None:
            self._fill_options(self.options)

    def _fill_options(self, options) -> None:
        from ctmtqg_desktop.services.tasks import NO_PROGRAM

        self.options = options
        self.history.setVisible(bool(options.history))
        self.history.setToolTip(_("Read-only history of {units}, merged into this unit.").format(
            units=", ".join(sorted(options.history.values()))))
        for combo, items in (
                (self.program, [(None, _("All programmes")),
                                (NO_PROGRAM, _("Common to every programme"))]
                 + [(k, v) for k, v in options.programs]),
                (self.lead, [(None, _("Any lead"))] + list(options.leads)),
                (self.directive, [(None, _("Any directive"))] + list(options.directives))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for data, text in items:
                combo.addItem(text, data)
                combo.setItemData(combo.count() - 1, text, Qt.ToolTipRole)
            combo.setCurrentIndex(max(0, find_data(combo, current)))
            combo.blockSignals(False)

    # -- loading ------------------------------------------------------------------------
    def activate(self) -> None:
        if self.loaded:
            self.reload()
            return
        workspace = self.workspace
        self.loading = True

        def load():
            from ctmtqg_desktop.services import tasks

            return tasks.filter_options(workspace)

        self.context.runner.run(load, on_done=self._options_loaded,
                                on_error=self.message.setText)

    def _options_loaded(self, options) -> None:
        self._fill_options(options)
        total = max(self.splitter.width(), 900)
        pane = self.splitter.widget(1)
        detail = max(pane.minimumSizeHint().width() if pane else 0, int(total * 0.34))
        self.splitter.setSizes([total - detail, detail])  # the task names need the room
        self.loaded = True
        self.reload()
        self.loading = False

    def query(self) -> dict:
        return {"text": self.search.text(), "program": self.program.currentData(),
                "status": self.status.currentData(), "overdue": self.overdue.isChecked(),
                "due_within": self.due_within.currentData(), "lead": self.lead.currentData(),
                "directive": self.directive.currentData(),
                "history": self.history.isChecked()}

    def reload(self, *_args, keep=None) -> None:
        if not self.loaded:
            return
        keep = keep or (self.current.task.id if self.current else None)
        self.model.reload(self.query())
        count = self.model.rowCount()
        self.count_label.setText(_("{count} tasks").format(count=format_number(count)))
        self._fit_columns()
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and count:
            row = 0
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.current = None
            self.detail.setHtml("<p>" + _e(_("No task matches the filters.")) + "</p>")
        self.progress.setEnabled(row >= 0)

    def _current_changed(self, current, _previous) -> None:
        task_id = self.model.id_at(current.row()) if current.isValid() else None
        if task_id is None:
            return
        self.show_task(task_id)

    def show_task(self, task_id) -> None:
        workspace = self.workspace

        def load():
            from ctmtqg_desktop.services import tasks

            return tasks.task_detail(workspace, task_id), workspace.today()

        self.context.runner.run(load, on_done=self._show_detail, on_error=self.message.setText)

    # the detail pane (_detail.py)
    _show_detail = detail._show_detail
    detail_html = detail.detail_html
    _link = detail._link
    open_attachment = detail.open_attachment

    def _header_menu(self, position) -> None:
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        for column, spec in enumerate(self.source.columns):
            if column == 0:
                continue
            action = menu.addAction(spec.title)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(lambda on, c=column: self.table.setColumnHidden(c, not on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    # -- keyboard -----------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        from PySide6.QtCore import QEvent

        if watched is self.table and event.type() == QEvent.KeyPress and \
                event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.current is not None:
            self.progress.status.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _focus_table(self) -> None:
        self.table.setFocus()

    def focus_search(self) -> bool:
        if self.tabs.currentIndex() == 1:
            self.directives.search.setFocus()
            self.directives.search.selectAll()
            return True
        self.search.setFocus()
        self.search.selectAll()
        return True

    def save(self) -> bool:
        if self.current is None:
            return False
        self.save_progress()
        return True

    # actions (_actions.py)
    save_progress = actions.save_progress
    _options_then = actions._options_then
    add_task = actions.add_task
    edit_task = actions.edit_task
    _edit = actions._edit
    add_directive = actions.add_directive
    _error = actions._error
    write_template = actions.write_template
    import_workbook = actions.import_workbook

    def withdraw_progress(self, progress_id) -> None:
        """Withdraw an update entered by mistake, after asking: it stays in the timeline
        struck through, and the task's status and deadline are worked out again."""
        if self.current is None:
            return
        entry = next((p for p in self.current.progress if p.id == progress_id), None)
        if entry is None:
            return
        from ctmtqg_desktop.services.tasks import status_label

        description = _("the update of {date} ({status})").format(
            date=format_date(entry.reported_on), status=status_label(entry.status))
        if not ask_withdraw(self, description):
            return
        workspace = self.workspace
        task_id = self.current.task.id

        def store():
            from ctmtqg_desktop.services import tasks

            tasks.withdraw_progress(workspace, progress_id)

        def done(_result) -> None:
            text = _("Withdrawn: {update}.").format(update=description)
            self.context.notify(text)
            self.current = None
            self.model.invalidate_rows()
            self.reload(keep=task_id)
            self.message.setText(text)

        self.context.runner.run(store, on_done=done, on_error=self._error)

def ask_withdraw(parent, description: str) -> bool:
    """The confirmation before withdrawing a progress update (tests replace it)."""
    box = QMessageBox(QMessageBox.Question, _("Withdraw a progress update"), _(
        "Withdraw {update}? Use it for an update entered by mistake: it stays in the history "
        "struck through, no longer counts, and the task's status is worked out again from the "
        "other updates. To correct an update, record a new one instead.").format(
            update=description),
        QMessageBox.Yes | QMessageBox.No, parent)
    box.button(QMessageBox.Yes).setText(_("Withdraw"))
    box.button(QMessageBox.No).setText(_("Cancel"))
    box.setDefaultButton(QMessageBox.No)
    return box.exec() == QMessageBox.Yes


def two_line_width(metrics: QFontMetrics, text: str) -> int:
    """The narrowest width that shows ``text`` on at most two lines cut between words
    ("Thường" above "xuyên", "Hạn" above "31/07/2023")."""
    words = text.split()
    best = metrics.horizontalAdvance(text)
    for cut in range(1, len(words)):
        best = min(best, max(metrics.horizontalAdvance(" ".join(words[:cut])),
                             metrics.horizontalAdvance(" ".join(words[cut:]))))
    return best
