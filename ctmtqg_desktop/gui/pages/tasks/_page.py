"""Nhiệm vụ: the tasks list (filters, search, sort, overdue red and due soon amber), the
detail pane with the progress timeline, and quick progress entry from the keyboard.

Keyboard: Ctrl+F search; Enter on a task goes to the progress form; Ctrl+Enter or Ctrl+S
records the update; Esc goes back to the list; Ctrl+N adds a task.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.lazy_table import LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.pages.tasks._dialogs import DirectiveDialog, TaskDialog, TaskFormValues
from ctmtqg_desktop.gui.pages.tasks._directives import DirectivesView
from ctmtqg_desktop.gui.widgets import date_edit, find_data, number_box, qdate, text_edit
from ctmtqg_desktop.i18n import _

RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter
STATE_COLOURS = {"late": "#b3261e", "due_soon": "#8a5a00", "normal": "#1f3a5f"}
OCCURRENCE_COLOURS = {schedules.OVERDUE: "#b3261e", schedules.PENDING: "#51606f",
                      schedules.ON_TIME: "#1f6f43", schedules.LATE_DONE: "#8a5a00",
                      schedules.MISSED: "#b3261e"}


def _e(text: object) -> str:
    return html.escape(str(text))


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
            text = status_label(row.status)
            if row.state == "late":
                text += " · " + _("overdue")
            elif row.state == "due_soon":
                text += " · " + _("due soon")
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


class ProgressForm(QFrame):
    """Cập nhật tiến độ: date, status, percent or quantity, what was done, evidence files."""

    def __init__(self, page: TasksPage) -> None:
        super().__init__(objectName="card")
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.heading = QLabel(objectName="cardTitle")
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        row = QHBoxLayout()
        self.date = date_edit()
        self.status = QComboBox()
        for status in ("in_progress", "done", "not_started"):
            self.status.addItem("", status)
        self.percent = QSpinBox(maximum=100, suffix=" %", specialValueText="—")
        self.percent.setMinimum(-1)
        self.percent.setValue(-1)
        self.quantity = number_box(2_000_000_000, specialValueText="—")
        self.quantity.setMinimum(-1)
        self.quantity.setValue(-1)
        self.percent_label, self.quantity_label = QLabel(), QLabel()
        for widget in (self.date, self.status):
            row.addWidget(widget)
        row.addStretch(1)
        self.first_label = QLabel()
        form.addRow(self.first_label, row)
        amounts = QHBoxLayout()
        for widget in (self.percent, self.quantity_label, self.quantity):
            amounts.addWidget(widget)
        amounts.addStretch(1)
        form.addRow(self.percent_label, amounts)
        self.note = text_edit(56)
        self.note_label = QLabel()
        form.addRow(self.note_label, self.note)
        files = QHBoxLayout()
        self.files = QListWidget()
        self.files.setFixedHeight(34)
        self.files.setMinimumWidth(60)
        self.files.setFlow(QListWidget.LeftToRight)
        self.add_file = QPushButton()
        self.add_file.clicked.connect(self.choose_file)
        self.save_button = QPushButton(objectName="primary")
        self.save_button.clicked.connect(self.page.save_progress)
        files.addWidget(self.files, 1)
        files.addWidget(self.add_file)
        self.files_label = QLabel()
        form.addRow(self.files_label, files)
        layout.addLayout(form)
        bottom = QHBoxLayout()
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        layout.addLayout(bottom)
        self.evidence: list[Path] = []
        self.status.currentIndexChanged.connect(self._status_changed)
        for widget in (self.date, self.status, self.percent, self.quantity, self.note):
            QShortcut(QKeySequence("Ctrl+Return"), widget, activated=self.page.save_progress,
                      context=Qt.WidgetShortcut)
            QShortcut(QKeySequence("Ctrl+Enter"), widget, activated=self.page.save_progress,
                      context=Qt.WidgetShortcut)

    def retranslate(self) -> None:
        from ctmtqg_desktop.services.tasks import status_label

        self.heading.setText(_("Update progress"))
        for index in range(self.status.count()):
            self.status.setItemText(index, status_label(self.status.itemData(index)))
        self.first_label.setText(_("Date, status"))
        self.percent_label.setText(_("Percent"))
        self.quantity_label.setText(_("quantity"))
        self.note_label.setText(_("What was done"))
        self.files_label.setText(_("Evidence"))
        self.add_file.setText(_("Attach…"))
        self.save_button.setText(_("Record update"))
        self.save_button.setToolTip(_("Ctrl+Enter"))
        self.note.setPlaceholderText(_("What was done, what is left; Ctrl+Enter records it"))

    def _status_changed(self) -> None:
        if self.status.currentData() == "done" and self.percent.value() < 0:
            self.percent.setValue(100)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Attach evidence"), "", _("Scans, photos and documents (*.pdf *.jpg "
                                              "*.jpeg *.png *.doc *.docx *.xlsx);;All files (*)"))
        if path:
            self.add_evidence(Path(path))

    def add_evidence(self, path: Path) -> None:
        self.evidence.append(path)
        self.files.addItem(path.name)

    def reset(self, today: dt.date, task=None) -> None:
        self.date.setMaximumDate(qdate(today))
        self.date.setDate(qdate(today))
        self.status.setCurrentIndex(0)
        self.percent.setValue(-1 if task is None or task.latest_percent is None
                              else task.latest_percent)
        self.quantity.setValue(-1)
        self.quantity.setEnabled(task is not None and task.target_kind != "none")
        self.quantity_label.setEnabled(self.quantity.isEnabled())
        if task is not None and task.target_kind != "none":
            self.quantity.setSuffix(" " + task.target_unit)
        else:
            self.quantity.setSuffix("")
        self.note.clear()
        self.files.clear()
        self.evidence = []

    def values(self) -> dict:
        return dict(reported_on=self.date.date().toPython(), status=self.status.currentData(),
                    percent=self.percent.value() if self.percent.value() >= 0 else None,
                    quantity=self.quantity.value() if self.quantity.isEnabled()
                    and self.quantity.value() >= 0 else None,
                    narrative=self.note.toPlainText(), evidence=list(self.evidence))


class TasksPage(Page):
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
        filters = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.program = QComboBox()
        self.status = QComboBox()
        self.overdue = QCheckBox()
        self.due_within = QComboBox()
        self.lead = QComboBox()
        self.directive = QComboBox()
        self.lead.setMinimumContentsLength(11)
        self.directive.setMinimumContentsLength(11)
        self.due_within.setMinimumContentsLength(9)
        self.status.setMinimumContentsLength(9)
        for combo in (self.lead, self.directive, self.program, self.due_within, self.status):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.program.setMinimumContentsLength(9)
        self.search.setMinimumWidth(230)
        filters.addWidget(self.search, 3)
        for widget in (self.program, self.status, self.due_within, self.overdue, self.lead,
                       self.directive):
            filters.addWidget(widget, 1 if isinstance(widget, QComboBox) else 0)
        tasks_layout.addLayout(filters)
        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self._focus_table)
        for combo in (self.program, self.status, self.due_within, self.lead, self.directive):
            combo.currentIndexChanged.connect(self.reload)
        self.overdue.toggled.connect(self.reload)

        self.splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.source = TaskSource(self)
        self.model = LazyTableModel(self.source, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setMinimumSectionSize(40)
        for column, width in ((1, 112), (2, 60), (3, 90), (4, 112), (5, 44), (6, 90)):
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
        self.splitter.addWidget(left)

        right = QWidget()
        right.setMinimumWidth(360)
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
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 400])
        tasks_layout.addWidget(self.splitter, 1)
        self.tabs.addTab(tasks_tab, "")
        self.directives = DirectivesView(self)
        self.tabs.addTab(self.directives, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        outer.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        self.message = QLabel(wordWrap=True, objectName="formMessage")
        bottom.addWidget(self.message, 1)
        # the Excel import's progress and its Cancel (nothing is written when cancelled)
        self.import_progress = QProgressBar(maximumWidth=240, textVisible=False)
        self.import_progress.hide()
        self.cancel_import_button = QPushButton()
        self.cancel_import_button.hide()
        self.cancel_import_button.clicked.connect(self.cancel_import)
        self._import_cancel = None
        bottom.addWidget(self.import_progress)
        bottom.addWidget(self.cancel_import_button)
        outer.addLayout(bottom)

        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.add_task)
        QShortcut(QKeySequence(Qt.Key_Escape), self.progress, activated=self._focus_table,
                  context=Qt.WidgetWithChildrenShortcut)
        self.loaded = False
        self.current = None  # TaskDetail
        self.options = None
        self.setTabOrder(self.search, self.program)
        self.setTabOrder(self.directive, self.table)
        self.setTabOrder(self.table, self.progress.date)

    # -- strings ------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(_("Tasks"))
        self.subtitle.setText(_("What was asked of us, by whom, by when, and what we have done."))
        self.add_button.setText(_("Add task"))
        self.add_button.setToolTip(_("Ctrl+N"))
        self.directive_button.setText(_("Enter a directive…"))
        self.import_button.setText(_("Import from Excel…"))
        self.cancel_import_button.setText(_("Cancel"))
        self.template_button.setText(_("Excel template…"))
        self.search.setPlaceholderText(_("Search tasks (diacritics optional)… Ctrl+F"))
        self.overdue.setText(_("Overdue"))
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
        self.splitter.setSizes([int(total * 0.57), total - int(total * 0.57)])
        self.loaded = True
        self.reload()
        self.loading = False

    def query(self) -> dict:
        return {"text": self.search.text(), "program": self.program.currentData(),
                "status": self.status.currentData(), "overdue": self.overdue.isChecked(),
                "due_within": self.due_within.currentData(), "lead": self.lead.currentData(),
                "directive": self.directive.currentData()}

    def reload(self, *_args, keep=None) -> None:
        if not self.loaded:
            return
        keep = keep or (self.current.task.id if self.current else None)
        self.model.reload(self.query())
        count = self.model.rowCount()
        self.count_label.setText(_("{count} tasks").format(count=format_number(count)))
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

    def _show_detail(self, result) -> None:
        detail, today = result
        keep_form = self.current is not None and self.current.task.id == detail.task.id
        self.current = detail
        self.detail.setHtml(self.detail_html(detail, today))
        if not keep_form:
            self.progress.reset(today, detail.task)
        self.progress.setEnabled(True)
        self.edit_button.setEnabled(detail.task.owner_unit_id ==
                                    self.workspace.installation().unit_id)

    def detail_html(self, detail, today: dt.date) -> str:
        from ctmtqg_desktop.services import tasks

        task = detail.task
        due = detail.due
        labels = [_("Directive file"), _("Deadlines of the schedule"), _("Progress history"),
                  _("No update yet."), _("Difficulties raised"),
                  _("Withdraw (entered by mistake)…"),
                  _("withdrawn on {date} as entered by mistake; it does not count")]
        parts = [f"<h3 style='margin:0'>{_e(task.text)}</h3>"]
        if due.overdue:
            state_text = _("Overdue: {count} deadline(s) passed without an update").format(
                count=due.overdue_count)
            colour = STATE_COLOURS["late"]
        elif due.next_due and due.due_within(today, 7):
            state_text = _("Due soon: {date}").format(date=format_date(due.next_due))
            colour = STATE_COLOURS["due_soon"]
        elif due.next_due:
            state_text = _("Next deadline: {date}").format(date=format_date(due.next_due))
            colour = STATE_COLOURS["normal"]
        else:
            state_text = _("Nothing is due") if task.status == "done" or \
                task.schedule.kind == schedules.NONE else ""
            colour = STATE_COLOURS["normal"]
        parts.append(f"<p style='color:{colour};font-weight:600'>{_e(state_text)}</p>")

        def field(label: str, value: str) -> None:
            if value:
                parts.append(f"<b>{_e(label)}:</b> {_e(value)}<br>")

        parts.append("<p>")
        field(_("Status"), tasks.status_label(task.status) + (
            f" ({task.latest_percent}%)" if task.latest_percent is not None else ""))
        field(_("Deadline"), tasks.schedule_text(task.schedule))
        field(_("Lead"), task.lead_label)
        field(_("Coordinating"), "; ".join(task.coordinator_labels))
        field(_("Directive"), task.directive_label)
        field(_("Section"), task.section)
        field(_("Details the task"), detail.parent_text[:160])
        field(_("Project / sub-project of the programme"), detail.component_label)
        field(_("Project"), detail.project_name)
        field(_("Expected output"), task.expected_output)
        field(_("Target"), task.target_label)
        parts.append("</p>")
        if detail.directive and detail.directive.attachments:
            links = ", ".join(f"<a href='file:{a.id}'>{_e(a.original_name)}</a>"
                              for a in detail.directive.attachments)
            parts.append(f"<p><b>{_e(labels[0])}:</b> {links}</p>")
        if task.schedule.recurring and due.occurrences:
            parts.append(f"<p><b>{_e(labels[1])}</b><br>")
            for occurrence in due.occurrences[-8:]:
                colour = OCCURRENCE_COLOURS.get(occurrence.state, "#000")
                done = (" — " + _("updated {date}").format(date=format_date(
                    occurrence.fulfilled_on))) if occurrence.fulfilled_on else ""
                parts.append(f"<span style='color:{colour}'>{format_date(occurrence.due)}: "
                             f"{_e(tasks.occurrence_state_label(occurrence.state))}"
                             f"{_e(done)}</span><br>")
            parts.append("</p>")
        parts.append(f"<p><b>{_e(labels[2])}</b> "
                     f"({_e(format_number(len(detail.progress)))})</p>")
        if not detail.progress:
            parts.append(f"<p style='color:#51606f'>{_e(labels[3])}</p>")
        parts.append("<table cellspacing='0' cellpadding='3' width='100%'>")
        # the withdrawn updates stay in the history, in their place, struck through
        entries = sorted((*detail.progress, *detail.withdrawn),
                         key=lambda p: (p.reported_on, p.recorded_at), reverse=True)
        for entry in entries:
            if entry.withdrawn_at is not None:
                note = labels[6].format(date=format_date(entry.withdrawn_at.date()))
                parts.append(
                    "<tr><td valign='top' width='96' nowrap style='color:#8a96a3'>"
                    f"<s>{format_date(entry.reported_on)}</s></td><td valign='top' "
                    "style='border-left:3px solid #e3e7ec; padding-left:8px; color:#8a96a3'>"
                    f"<s>{_e(tasks.status_label(entry.status))}"
                    f"{(' · ' + str(entry.percent) + '%') if entry.percent is not None else ''}"
                    f"<br>{_e(entry.narrative).replace(chr(10), '<br>')}</s>"
                    f"<br><i>{_e(note)}</i></td></tr>")
                continue
            amount = []
            if entry.percent is not None:
                amount.append(f"{entry.percent}%")
            if entry.quantity is not None:
                amount.append(f"{format_number(entry.quantity)} {task.target_unit}".strip())
            files = "".join(f"<br>📎 <a href='file:{a.id}'>{_e(a.original_name)}</a>"
                            for a in entry.attachments)
            parts.append(
                "<tr><td valign='top' width='96' nowrap style='color:#1f3a5f'><b>"
                f"{format_date(entry.reported_on)}</b></td><td valign='top' "
                "style='border-left:3px solid #cfe0f5; padding-left:8px'>"
                f"<b>{_e(tasks.status_label(entry.status))}</b>"
                f"{(' · ' + _e(', '.join(amount))) if amount else ''}<br>"
                f"{_e(entry.narrative).replace(chr(10), '<br>')}{files}"
                f"<br><a href='withdraw:{entry.id}' style='color:#8a5a00'>"
                f"{_e(labels[5])}</a></td></tr>")
        parts.append("</table>")
        if detail.difficulties:
            parts.append(f"<p><b>{_e(labels[4])}:</b><br>"
                         + "<br>".join(f"<a href='difficulty:{i}'>{_e(t)}</a>"
                                       for i, t in detail.difficulties) + "</p>")
        return "".join(parts)

    def _link(self, url) -> None:
        text = url.toString()
        if text.startswith("withdraw:") and self.current is not None:
            import uuid

            self.withdraw_progress(uuid.UUID(text[9:]))
            return
        if text.startswith("difficulty:"):
            self.context.navigate("difficulties")
            return
        if text.startswith("file:") and self.current is not None:
            import uuid

            ident = uuid.UUID(text[5:])
            files = [a for entry in self.current.progress for a in entry.attachments]
            if self.current.directive:
                files += list(self.current.directive.attachments)
            found = next((a for a in files if a.id == ident), None)
            if found is not None:
                self.open_attachment(found)

    def open_attachment(self, attachment) -> None:
        import tempfile

        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        workspace = self.workspace

        def copy():
            from ctmtqg_desktop.services import attachments

            return attachments.copy_out(workspace, attachment, Path(tempfile.mkdtemp()))

        self.context.runner.run(copy, on_done=lambda path: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(path))), on_error=self.message.setText)

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

    # -- actions ------------------------------------------------------------------------
    def save_progress(self) -> None:
        if self.current is None:
            return
        workspace = self.workspace
        task_id = self.current.task.id
        values = self.progress.values()

        def store():
            from ctmtqg_desktop.services import tasks

            return tasks.add_progress(workspace, task_id, **values)

        def done(saved) -> None:
            from ctmtqg_desktop.services.tasks import status_label

            self.progress.message.setText(_("Recorded: {status} on {date}.").format(
                status=status_label(saved.status), date=format_date(saved.reported_on)))
            self.context.notify(_("Progress recorded."))
            self.current = None
            self.model.invalidate_rows()
            self.reload(keep=task_id)
            self.progress.message.setText(_("Recorded: {status} on {date}.").format(
                status=status_label(saved.status), date=format_date(saved.reported_on)))

        self.context.runner.run(store, on_done=done, on_error=self.progress.message.setText)

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

    def _options_then(self, callback) -> None:
        workspace = self.workspace

        def load():
            from ctmtqg_desktop.services import tasks

            return tasks.filter_options(workspace)

        def loaded(options) -> None:
            self._fill_options(options)
            callback(options)

        self.context.runner.run(load, on_done=loaded, on_error=self.message.setText)

    def add_task(self) -> None:
        self._edit(None)

    def edit_task(self) -> None:
        if self.current is not None:
            self._edit(self.current.task)

    def _edit(self, task) -> None:
        workspace = self.workspace
        today = workspace.today()
        values = None
        if task is not None:
            values = TaskFormValues(
                text=task.text, directive_id=task.directive_id,
                lead=task.lead.encoded() if task.lead.unit_id else task.lead.agency,
                coordinators=[c.encoded() for c in task.coordinators],
                program_id=task.program_id, component_id=task.component_id,
                project_id=task.project_id,
                schedule=task.schedule,
                expected_output=task.expected_output, target_kind=task.target_kind,
                target_quantity=task.target_quantity, target_unit=task.target_unit)
            values.lead = task.lead_label if task.lead.unit_id else task.lead.agency
            values.coordinators = list(task.coordinator_labels)
        answer = TaskDialog.ask(self, options=self.options, today=today, values=values)
        if answer is None:
            return
        task_id = task.id if task is not None else None
        extra = {}
        if task is not None:
            extra = dict(parent_task_id=task.parent_task_id, section=task.section)

        def store():
            from ctmtqg_desktop.services import tasks

            return tasks.save_task(workspace, task_id=task_id, text=answer.text,
                                   directive_id=answer.directive_id, lead=answer.lead,
                                   coordinators=answer.coordinators,
                                   program_id=answer.program_id,
                                   component_id=answer.component_id,
                                   project_id=answer.project_id, schedule=answer.schedule,
                                   expected_output=answer.expected_output,
                                   target_kind=answer.target_kind,
                                   target_quantity=answer.target_quantity,
                                   target_unit=answer.target_unit, **extra)

        def done(saved) -> None:
            self.context.notify(_("Task saved."))
            self.message.clear()
            self.current = None
            self.model.invalidate_rows()
            self._options_then(lambda _o: self.reload(keep=saved.id))

        self.context.runner.run(store, on_done=done, on_error=self._error)

    def add_directive(self) -> None:
        workspace = self.workspace
        programs = self.options.programs if self.options else ()
        answer = DirectiveDialog.ask(self, programs=programs, today=workspace.today())
        if answer is None:
            return

        def store():
            from ctmtqg_desktop.services import tasks

            return tasks.save_directive(
                workspace, number_symbol=answer.number_symbol, doc_type=answer.doc_type,
                issued_on=answer.issued_on, issuing_body=answer.issuing_body,
                title=answer.title, summary=answer.summary, program_ids=answer.program_ids,
                related_documents=answer.related_documents, attach=answer.attach)

        def done(saved) -> None:
            self.context.notify(_("Directive saved: {label}.").format(label=saved.label))
            self.message.setText(_("Directive saved: {label}. Add its tasks with “Add task” "
                                   "or from Excel.").format(label=saved.label))
            self._options_then(lambda _o: self.directives.reload(keep=saved.id)
                               if self.tabs.currentIndex() == 1 else None)

        self.context.runner.run(store, on_done=done, on_error=self._error)

    def _error(self, message: str) -> None:
        self.message.setText(message)
        QMessageBox.warning(self, _("Tasks"), message)

    def write_template(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Excel template"),
                                                    "mau-nhiem-vu.xlsx", "Excel (*.xlsx)")
        if not path:
            return

        def write():
            from ctmtqg_desktop.services import tasks

            return tasks.write_tasks_template(path)

        self.context.runner.run(write, on_done=lambda p: self.message.setText(
            _("Template written: {path}").format(path=p)), on_error=self._error)

    def import_workbook(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import tasks from Excel"), "",
                                                        "Excel (*.xlsx)")
        if not path:
            return
        workspace = self.workspace

        def run(chosen, legacy_encoding, job):
            from ctmtqg_desktop.services import tasks

            return tasks.import_tasks(workspace, chosen, legacy_encoding=legacy_encoding,
                                      progress=job.progress,
                                      stop_requested=lambda: job.cancelled)

        def progressed(done_rows: int, total: int, _text: str) -> None:
            self.import_progress.setRange(0, max(total, 1))
            self.import_progress.setValue(done_rows)

        over = []  # set once the import has ended (a synchronous runner ends it first)

        def started(cancel) -> None:
            if over:
                return
            self._import_cancel = cancel
            self.import_progress.setRange(0, 0)
            self.import_progress.show()
            self.cancel_import_button.setEnabled(True)
            self.cancel_import_button.show()

        def finished() -> None:
            over.append(True)
            self._import_cancel = None
            self.import_progress.hide()
            self.cancel_import_button.hide()

        def failed(message: str) -> None:
            cancelled = self._import_cancel is not None and self._import_cancel.is_set()
            finished()
            if cancelled:  # the user asked for it: say so, without a warning box
                self.message.setText(message)
            else:
                self._error(message)

        def done(result) -> None:
            finished()
            text = _("Imported: {added} tasks added ({linked} linked to a directive).").format(
                added=result.added, linked=result.directive_links)
            self.message.setText(text)
            self.context.notify(text)
            self.model.invalidate_rows()
            self._options_then(lambda _o: self.reload())

        from pathlib import Path

        from ctmtqg_desktop.gui import workbook_dialogs

        self.message.setText(_("Checking every row…"))
        workbook_dialogs.import_workbook(self, self.context.runner, Path(path), run,
                                         on_done=done, on_error=failed,
                                         on_progress=progressed, on_started=started)

    def cancel_import(self) -> None:
        """Ask the running Excel import to stop; it writes nothing."""
        if self._import_cancel is not None:
            self._import_cancel.set()
            self.cancel_import_button.setEnabled(False)
            self.message.setText(_("Stopping the import…"))


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
