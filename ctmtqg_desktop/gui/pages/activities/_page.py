"""Hoạt động (truyền thông, tập huấn, kiểm tra giám sát): the activity log with its
filters and search, the summary line, the selected activity beside the list with its
evidence, the form (``activity_dialog.py``) and the export to Excel."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.lazy_table import LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.pages.activities._dialog import ActivityDialog
from ctmtqg_desktop.gui.pages.base import Page
from ctmtqg_desktop.gui.palette import hex_of
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import choose_evidence
from ctmtqg_desktop.gui.workbook_dialogs import ImportRunner
from ctmtqg_desktop.i18n import _

RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter


class ActivitySource:
    """The activities for :class:`LazyTableModel`: ids and rows from the service (SQL)."""

    def __init__(self, page: ActivitiesPage) -> None:
        self.page = page
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        from ctmtqg_desktop.services.activities import kind_label

        def dates(row) -> str:
            if row.end_on and row.end_on != row.start_on:
                return f"{format_date(row.start_on)} - {format_date(row.end_on)}"
            return format_date(row.start_on)

        self.columns = [
            # the first day only: a range is in the tooltip and the detail (narrow screens)
            LazyColumn(_("Date"), lambda r: format_date(r.start_on), "date", CENTER,
                       tooltip=dates),
            LazyColumn(_("Kind"), lambda r: kind_label(r.kind), "kind",
                       tooltip=lambda r: kind_label(r.kind)),
            LazyColumn(_("Activity"), lambda r: r.title, "title",
                       tooltip=lambda r: "\n".join(p for p in (r.title, r.where, r.campaign)
                                                   if p)),
            # the column's title is short (“Cuộc vận động”); the filter and form say it all
            LazyColumn(_("Campaign"), lambda r: r.campaign, "campaign",
                       tooltip=lambda r: r.campaign or None),
            LazyColumn(_("Prog."), lambda r: r.program_label, "program", CENTER),
            LazyColumn(_("People"), lambda r: format_number(r.participants),
                       "participants", RIGHT,
                       tooltip=lambda r: _("{women} women, {ethnic} ethnic-minority people, "
                                           "{poor} of poor households").format(
                           women=format_number(r.women),
                           ethnic=format_number(r.ethnic_minority),
                           poor=format_number(r.poor))),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        from ctmtqg_desktop.services import activities

        return activities.activity_ids(self.page.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        from ctmtqg_desktop.services import activities

        return activities.activity_rows(self.page.workspace, ids)


class ActivitiesPage(Page):
    def build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 10)
        # one "Excel" menu, as the capital page does (the long title leaves no room for three
        # buttons at 1366x768): the commune's spreadsheet in (all rows or none), its empty
        # template, the filtered list out
        self.excel_button = QToolButton()
        self.excel_button.setPopupMode(QToolButton.InstantPopup)
        self.excel_menu = QMenu(self)
        self.import_action = self.excel_menu.addAction("", lambda: self.import_workbook())
        self.template_action = self.excel_menu.addAction("", self.write_template)
        self.excel_menu.addSeparator()
        self.export_action = self.excel_menu.addAction("", self._export_clicked)
        self.excel_button.setMenu(self.excel_menu)
        self.add_button = QPushButton(objectName="primary")
        self.add_button.clicked.connect(self.add_activity)
        self.add_header(outer, self.excel_button, self.add_button)
        outer.addLayout(self._build_filters())
        self.summary = QLabel(objectName="muted", wordWrap=True)
        outer.addWidget(self.summary)
        splitter = QSplitter()
        self._build_table()
        splitter.addWidget(self.table)
        right = self._build_detail()
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        right.setMaximumWidth(420)
        splitter.setSizes([760, 340])
        outer.addWidget(splitter, 1)
        outer.addLayout(self._build_bottom())
        self.loaded = False
        self.options = None
        self.current = None

    def _build_filters(self) -> QHBoxLayout:
        filters = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.kind = QComboBox()
        self.program = QComboBox()
        self.campaign = QComboBox()
        self.campaign.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.campaign.setMinimumContentsLength(18)
        self.year = QComboBox()
        self.village = QComboBox()
        self.village.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.village.setMinimumContentsLength(10)
        filters.addWidget(self.search, 3)
        for combo in (self.kind, self.program, self.campaign, self.year, self.village):
            filters.addWidget(combo, 1 if combo is not self.campaign else 2)
            combo.currentIndexChanged.connect(self.reload)
        self.search.textChanged.connect(self.reload)
        return filters

    def _build_table(self) -> None:
        self.source = ActivitySource(self)
        self.model = LazyTableModel(self.source, self)
        self.table = row_view(QTableView(), self.model, sort=(0, Qt.DescendingOrder))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(self._show)
        self.table.doubleClicked.connect(lambda _index: self.edit_activity())

    def _build_detail(self) -> QWidget:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        right_layout.addWidget(self.detail, 1)
        self.files_label = QLabel(objectName="cardTitle")
        right_layout.addWidget(self.files_label)
        self.files = QListWidget()
        self.files.setMaximumHeight(84)
        self.files.itemActivated.connect(self._open_file)
        right_layout.addWidget(self.files)
        actions = QHBoxLayout()
        self.attach_button = QPushButton()
        self.attach_button.clicked.connect(self._attach_clicked)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.edit_activity)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self.delete_activity)
        for button in (self.attach_button, self.edit_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
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
                                     refuse=self.message.setText,
                                     busy=lambda on: self.import_action.setEnabled(not on))
        bottom.addWidget(self.import_progress)
        bottom.addWidget(self.cancel_import_button)
        return bottom

    def retranslate(self) -> None:
        self.title.setText(_("Activities (communication, training, inspection)"))
        self.subtitle.setText(_("Communication campaigns, emulation movements, training, "
                                "inspection and supervision, steering-committee meetings: who "
                                "took part, what came of it, with photos and minutes."))
        self.add_button.setText(_("Record an activity"))
        self.add_button.setToolTip(_("Ctrl+N"))
        self.excel_button.setText(_("Excel"))
        self.import_action.setText(_("Import from Excel…"))
        self.import_action.setToolTip(_("Add the activities of a workbook: every row is "
                                        "checked; if one is wrong, nothing is imported"))
        self.template_action.setText(_("Excel template…"))
        self.export_action.setText(_("Export to Excel…"))
        self.importer.retranslate()
        self.search.setPlaceholderText(_("Search (diacritics optional)… Ctrl+F"))
        self.files_label.setText(_("Evidence (photos, minutes)"))
        self.attach_button.setText(_("Attach evidence…"))
        self.edit_button.setText(_("Edit…"))
        self.delete_button.setText(_("Delete"))
        self.source.retranslate()
        self.model.headerDataChanged.emit(Qt.Horizontal, 0, len(self.source.columns) - 1)
        self._fill_filters()
        self._update_buttons()

    def _fill_filters(self) -> None:
        options = self.options

        def refill(combo: QComboBox, first: str, items) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for value, label in items:
                combo.addItem(label, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

        from ctmtqg_desktop.services import activities

        refill(self.kind, _("Every kind"), [(k, activities.kind_label(k))
                                             for k in activities.KINDS])
        programs = list(options.programs) if options else []
        refill(self.program, _("Every programme"),
               [(key, label.split(":")[0]) for key, label in programs]
               + [(activities.NO_PROGRAM, _("Common"))])
        refill(self.campaign, _("Every campaign"),
               [(name, name) for name in (options.campaigns if options else ())])
        for index in range(1, self.campaign.count()):
            self.campaign.setItemData(index, self.campaign.itemText(index), Qt.ToolTipRole)
        # "Mọi cuộc vận động, phong trào" whole at 1366x768 (the search box gives the room)
        self.campaign.setMinimumWidth(self.campaign.fontMetrics().horizontalAdvance(
            self.campaign.itemText(0)) + 40)
        refill(self.year, _("Every year"),
               [(year, str(year)) for year in (options.years if options else ())])
        refill(self.village, _("Every place"),
               list(options.villages) if options else [])

    def focus_search(self) -> bool:
        self.search.setFocus()
        self.search.selectAll()
        return True

    def activate(self) -> None:
        self.loaded = True
        workspace = self.workspace

        def load():
            from ctmtqg_desktop.services import activities

            return activities.filter_options(workspace)

        def loaded(options) -> None:
            first = self.options is None
            self.options = options
            self._fill_filters()
            if first and options.years and workspace.today().year in options.years:
                self.year.setCurrentIndex(self.year.findData(workspace.today().year))
            self.reload()

        self.context.runner.run(load, on_done=loaded, on_error=self.message.setText)

    def query(self) -> dict:
        return {"text": self.search.text(), "kind": self.kind.currentData(),
                "program": self.program.currentData(), "campaign": self.campaign.currentData(),
                "year": self.year.currentData(), "village": self.village.currentData()}

    def reload(self, *_args) -> None:
        if not self.loaded or self.options is None:
            return
        workspace = self.workspace
        query = self.query()
        keep = self.current.id if self.current is not None else None
        self.model.reload(query)
        self._fit_columns()
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self._show()
        else:
            self.current = None
            self.detail.setHtml("<p>" + html.escape(_("No activity matches.")) + "</p>")
            self.files.clear()
            self._update_buttons()

        def count():
            from ctmtqg_desktop.services import activities

            return activities.summary_text(activities.summary(workspace, query))

        self.context.runner.run(count, on_done=self.summary.setText,
                                on_error=self.message.setText)

    def _fit_columns(self) -> None:
        """Fixed widths that fit 1366x768 beside the detail; the title takes the rest."""
        header = self.table.horizontalHeader()
        for index, width in enumerate([88, 104, 0, 130, 58, 80]):
            if width:
                header.resizeSection(index, width)
        header.setSectionResizeMode(2, QHeaderView.Stretch)

    def _update_buttons(self) -> None:
        own = self.current is not None
        for button in (self.attach_button, self.edit_button, self.delete_button):
            button.setEnabled(own)

    def current_id(self):
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _show(self, *_args) -> None:
        ident = self.current_id()
        if ident is None:
            return
        workspace = self.workspace

        def load():
            from ctmtqg_desktop.services import activities

            return activities.get_activity(workspace, ident)

        def shown(activity) -> None:
            self.current = activity
            self.detail.setHtml(self.detail_html(activity))
            self.files.clear()
            for item in activity.files:
                entry = QListWidgetItem(item.original_name)
                entry.setData(Qt.UserRole, item)
                self.files.addItem(entry)
            if not activity.files:
                self.files.addItem(_("No file attached yet."))
            self._update_buttons()

        self.context.runner.run(load, on_done=shown, on_error=self.message.setText)

    def detail_html(self, a) -> str:
        from ctmtqg_desktop.services.activities import kind_label

        e = html.escape
        parts = [f"<h3 style='margin:0'>{e(a.title)}</h3>",
                 f"<p><b>{e(kind_label(a.kind))}</b> · {e(a.dates)}"
                 + (f" · {e(a.where)}" if a.where else "") + "</p>"]
        rows = [(_("Campaign or movement"), a.campaign),
                (_("Programme"), a.program_label or _("Common to every programme")),
                (_("Component"), a.component_label), (_("Project"), a.project_name),
                (_("Organiser"), a.organiser),
                (_("Participants"), _("{total}, of whom {women} women, {ethnic} ethnic-minority "
                                      "people, {poor} of poor households").format(
                    total=format_number(a.participants), women=format_number(a.women),
                    ethnic=format_number(a.ethnic_minority), poor=format_number(a.poor))),
                (_("Cost"), format_number(a.cost) + " đồng" if a.cost is not None else "")]
        parts.append("<table cellspacing='0' cellpadding='2'>")
        for label, value in rows:
            if value:
                parts.append(f"<tr><td style='color:{hex_of('muted')}; padding-right:8px'>"
                             f"{e(label)}</td>"
                             f"<td>{e(value)}</td></tr>")
        parts.append("</table>")
        for label, value in ((_("Content"), a.content), (_("Results, findings"), a.results),
                             (_("Recommendations"), a.recommendations)):
            if value:
                body = "<br>".join(e(line) for line in value.splitlines())
                parts.append(f"<h4 style='margin-bottom:2px'>{e(label)}</h4><p>{body}</p>")
        return "".join(parts)

    # -- actions -------------------------------------------------------------------------
    def _after_save(self, saved) -> None:
        self.message.clear()
        self.context.notify(_("Saved."))
        self.current = saved
        self.activate()  # new campaigns, years and organisers in the filters

    def _ask_and_save(self, activity=None) -> None:
        workspace = self.workspace
        if self.options is None:
            return
        ident = activity.id if activity is not None else None

        def store(values):
            from ctmtqg_desktop.services import activities

            return activities.save_activity(workspace, activities.ActivityInput(**values),
                                            activity_id=ident)

        # saved while the form is open: a refusal stays in it, beside its field (issue 15)
        saved = ActivityDialog.ask(self, options=self.options, today=workspace.today(),
                                   activity=activity, save=store)
        if saved is not None:
            self._after_save(saved)

    def add_activity(self) -> None:
        self._ask_and_save()

    def edit_activity(self) -> None:
        if self.current is not None:
            self._ask_and_save(self.current)

    def delete_activity(self) -> None:
        activity = self.current
        if activity is None or not self.confirm(
                _("Delete the activity “{title}” of {date}?").format(
                    title=activity.title, date=format_date(activity.start_on))):
            return
        workspace = self.workspace

        def remove():
            from ctmtqg_desktop.services import activities

            activities.delete_activity(workspace, activity.id)

        def removed(_result) -> None:
            self.current = None
            self.context.notify(_("The activity was deleted."))
            self.activate()

        self.context.runner.run(remove, on_done=removed, on_error=self.message.setText)

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, _("Confirm"), text,
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    def _attach_clicked(self) -> None:
        path = choose_evidence(self)
        if path:
            self.attach(path)

    def attach(self, path: Path) -> None:
        activity = self.current
        if activity is None:
            return
        workspace = self.workspace

        def store():
            from ctmtqg_desktop.services import activities

            return activities.attach_evidence(workspace, activity.id, path)

        def stored(_info) -> None:
            self.message.clear()
            self.context.notify(_("The file was attached."))
            self._show()

        self.context.runner.run(store, on_done=stored, on_error=self.message.setText)

    def _open_file(self, item: QListWidgetItem) -> None:
        import tempfile

        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        attachment = item.data(Qt.UserRole)
        if attachment is None:
            return
        workspace = self.workspace

        def copy():
            from ctmtqg_desktop.services import attachments

            return attachments.copy_out(workspace, attachment, Path(tempfile.mkdtemp()))

        self.context.runner.run(copy, on_done=lambda path: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(path))), on_error=self.message.setText)

    def _export_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export to Excel…"),
            str(Path.home() / f"hoat-dong-{self.workspace.today():%Y%m%d}.xlsx"),
            "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        workspace = self.workspace
        query = self.query()

        def write():
            from ctmtqg_desktop.services import activities

            return activities.write_list(workspace, query, path)

        def written(count: int) -> None:
            self.context.notify(_("{count} activities written to {path}").format(
                count=format_number(count), path=path))

        self.context.runner.run(write, on_done=written, on_error=self.message.setText)

    # -- Excel import --------------------------------------------------------------------
    def write_template(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Excel template"), str(Path.home() / "mau-hoat-dong.xlsx"),
            "Excel (*.xlsx)")
        if not path:
            return

        def write():
            from ctmtqg_desktop.services import activities

            return activities.write_activities_template(path)

        self.context.runner.run(write, on_done=lambda p: self.message.setText(
            _("Template written: {path}").format(path=p)), on_error=self.message.setText)

    def import_workbook(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Import activities from Excel"), "", "Excel (*.xlsx)")
        if not path:
            return
        workspace = self.workspace

        def run(chosen, legacy_encoding, job, skip_unknown_columns=False):
            from ctmtqg_desktop.services import activities

            return activities.import_activities(
                workspace, chosen, legacy_encoding=legacy_encoding,
                skip_unknown_columns=skip_unknown_columns, progress=job.progress,
                stop_requested=lambda: job.cancelled)

        def done(result) -> None:
            from ctmtqg_desktop.services import activities

            text = activities.result_text(result)
            self.message.setText(text)
            self.context.notify(text)
            self.model.invalidate_rows()
            self.activate()  # new years, campaigns and organisers; the list and summary

        self.importer.start(Path(path), run, on_done=done)

    def cancel_import(self) -> None:
        """Ask the running Excel import to stop; it writes nothing."""
        self.importer.cancel()
