"""Hộ hưởng lợi: the household list (lazy rows over ids, filtered and sorted in SQL), one
household's details and the support it received, Excel import and export.

ID numbers are masked unless "Show ID numbers" is ticked; a household supported twice for
the same content is shown in red with the projects concerned.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
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
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number, parse_date
from ctmtqg_desktop.domain.money import format_money, parse_money
from ctmtqg_desktop.gui.lazy_table import LazyColumn, LazyTableModel
from ctmtqg_desktop.gui.palette import ERROR_STYLE
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import MoneyEdit, RefusalsInForm, apply_rules
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, households, projects
from ctmtqg_desktop.store.models.dossiers import POVERTY_STATUSES

RIGHT = Qt.AlignRight | Qt.AlignVCenter
#: marks the form's village item of a predecessor's household (removed when another is shown)
_HISTORY_ROLE = Qt.ItemDataRole.UserRole + 1

if TYPE_CHECKING:
    from ctmtqg_desktop.services.workbook_import import ImportOutcome


def _uuid(text):
    return uuid.UUID(text) if text else None


class HouseholdSource:
    def __init__(self, workspace) -> None:
        self.workspace = workspace
        self.reveal = False
        duplicated = lambda r: "late" if r.duplicated else "normal"  # noqa: E731
        self.columns = [
            LazyColumn(_("Head of household"), lambda r: r.label, "name", state=duplicated,
                       tooltip=lambda r: r.label if r.history_of else
                       _("Supported twice for the same content") if r.duplicated else None),
            LazyColumn(_("ID number"), lambda r: r.id_number, None),
            LazyColumn(_("Village"), lambda r: r.village_name, "village"),
            LazyColumn(_("Ethnicity"), lambda r: r.ethnicity, "ethnicity"),
            LazyColumn(_("Household status"), lambda r: r.short_status, "status",
                       tooltip=lambda r: r.status_text),
            LazyColumn(_("Supports"), lambda r: format_number(r.supports) if r.supports else "",
                       "supports", align=RIGHT, state=duplicated),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        return households.household_ids(self.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        return households.household_rows(self.workspace, ids, reveal=self.reveal)


class HouseholdsTab(RefusalsInForm, QWidget):
    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        self.current_id = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filters())
        layout.addLayout(self._build_actions())
        layout.addLayout(self._build_progress())
        body = QHBoxLayout()
        self.table = row_view(QTableView(), sort=True, row_height=26)
        body.addWidget(self.table, 3)
        body.addWidget(self._build_side(), 2)
        layout.addLayout(body, 1)
        self.model: LazyTableModel | None = None
        self.source: HouseholdSource | None = None
        self.support_rows: list = []
        self._cancel_event: threading.Event | None = None
        #: replaced in tests
        self.ask_open_path = lambda title, pattern: QFileDialog.getOpenFileName(
            self, title, str(Path.home()), pattern)[0]
        self.ask_save_path = lambda title, suggested, pattern: QFileDialog.getSaveFileName(
            self, title, suggested, pattern)[0]
        self.confirm = lambda title, text: QMessageBox.question(self, title, text) == \
            QMessageBox.Yes

    def _build_filters(self) -> QVBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        self.village = QComboBox()
        self.status = QComboBox()
        self.minority = QCheckBox()
        self.duplicates = QCheckBox()
        self.reveal = QCheckBox()
        # a merged commune's predecessors' households (history, read-only): shown when asked,
        # as the villages tab shows their villages; hidden where there are none
        self.history = QCheckBox()
        self.history.setVisible(False)
        self.history_units: dict[str, str] = {}
        self.search.textChanged.connect(self.reload)
        for combo in (self.village, self.status):
            combo.currentIndexChanged.connect(self.reload)
        for box in (self.minority, self.duplicates, self.history):
            box.toggled.connect(self.reload)
        self.reveal.toggled.connect(self._reveal)
        bar.addWidget(self.search, 2)
        for widget in (self.village, self.status, self.minority, self.duplicates, self.reveal):
            bar.addWidget(widget)
        rows = QVBoxLayout()
        rows.addLayout(bar)
        history_row = QHBoxLayout()
        history_row.addWidget(self.history)
        history_row.addStretch(1)
        rows.addLayout(history_row)
        return rows

    def _build_actions(self) -> QHBoxLayout:
        actions = QHBoxLayout()
        self.count = QLabel(objectName="muted")
        self.add_button = QPushButton(objectName="primary")
        self.import_button = QPushButton()
        self.export_button = QPushButton()
        self.template_button = QPushButton()
        self.add_button.clicked.connect(self.new_household)
        self.import_button.clicked.connect(self._choose_import)
        self.export_button.clicked.connect(self._choose_export)
        self.template_button.clicked.connect(self._choose_template)
        actions.addWidget(self.count, 1)
        for button in (self.add_button, self.import_button, self.export_button,
                       self.template_button):
            actions.addWidget(button)
        return actions

    def _build_progress(self) -> QHBoxLayout:
        self.progress = QProgressBar(maximum=0)
        self.progress.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        return progress_row

    def _build_side(self) -> QScrollArea:
        """The household's form and its support, beside the list."""
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(360)
        scroll.setMaximumWidth(400)
        side = QWidget(objectName="sidePanel")
        panel = QVBoxLayout(side)
        self.form_title = QLabel(objectName="cardTitle")
        panel.addWidget(self.form_title)
        self._build_form(panel)
        self._build_supports(panel)
        panel.addStretch(1)
        scroll.setWidget(side)
        return scroll

    def _build_form(self, panel: QVBoxLayout) -> None:
        form = QFormLayout()
        self.head = QLineEdit()
        self.id_number = QLineEdit()
        self.birth_year = QSpinBox(minimum=0, maximum=2100, specialValueText="—")
        self.village_edit = QComboBox()
        self.ethnicity = QLineEdit()
        self.poverty = QComboBox()
        self.minority_edit = QCheckBox()
        self.members = QSpinBox(maximum=50)
        self.note = QLineEdit()
        apply_rules("household", head_name=self.head, id_number=self.id_number,
                    ethnicity=self.ethnicity, members=self.members, note=self.note)
        self.form_labels = [QLabel() for _i in range(8)]
        for label, widget in zip(self.form_labels, (self.head, self.id_number, self.birth_year,
                                                    self.village_edit, self.ethnicity,
                                                    self.poverty, self.members, self.note)):
            form.addRow(label, widget)
        form.addRow("", self.minority_edit)
        panel.addLayout(form)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(objectName="primary")
        self.delete_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self._delete)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        panel.addLayout(buttons)
        self.message = QLabel(objectName="formMessage", wordWrap=True)
        panel.addWidget(self.message)

    def _build_supports(self, panel: QVBoxLayout) -> None:
        self.supports_title = QLabel(objectName="cardTitle")
        panel.addWidget(self.supports_title)
        self.duplicate_warning = QLabel(wordWrap=True)
        self.duplicate_warning.setStyleSheet(ERROR_STYLE)
        self.duplicate_warning.hide()
        panel.addWidget(self.duplicate_warning)
        self.supports = QTableWidget(0, 4)
        self.supports.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.supports.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.supports.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.supports.setMinimumHeight(120)
        panel.addWidget(self.supports)
        support_form = QFormLayout()
        self.support_project = QComboBox()
        self.support_project.setSizeAdjustPolicy(
            QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.support_project.setMinimumContentsLength(18)
        self.support_content = QComboBox()
        self.support_amount = MoneyEdit()  # refuses more than its rule as typed
        apply_rules("household_support", amount=self.support_amount)
        self.support_amount.setAlignment(RIGHT)
        self.support_date = QLineEdit()
        self.support_labels = [QLabel() for _i in range(4)]
        for label, widget in zip(self.support_labels, (self.support_project,
                                                       self.support_content,
                                                       self.support_amount, self.support_date)):
            support_form.addRow(label, widget)
        panel.addLayout(support_form)
        support_buttons = QHBoxLayout()
        self.add_support_button = QPushButton()
        self.remove_support_button = QPushButton()
        self.add_support_button.clicked.connect(self._add_support)
        self.remove_support_button.clicked.connect(self._remove_support)
        support_buttons.addWidget(self.add_support_button)
        support_buttons.addWidget(self.remove_support_button)
        support_buttons.addStretch(1)
        panel.addLayout(support_buttons)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search by name, or the last digits of the ID number…"))
        self.minority.setText(_("Ethnic minority"))
        self.duplicates.setText(_("Supported twice"))
        self.reveal.setText(_("Show ID numbers"))
        self.reveal.setToolTip(_("ID numbers are personal data: shown in full only while this "
                                 "box is ticked."))
        self.add_button.setText(_("Add a household"))
        self.import_button.setText(_("Import from Excel…"))
        self.export_button.setText(_("Export to Excel…"))
        self.template_button.setText(_("Excel template…"))
        self.cancel_button.setText(_("Cancel"))
        for label, text in zip(self.form_labels, (
                _("Head of household"), _("ID number"), _("Year of birth"), _("Village"),
                _("Ethnicity"), _("Household status"), _("Members"), _("Note"))):
            label.setText(text)
        self.minority_edit.setText(_("Ethnic minority household"))
        self.save_button.setText(_("Save"))
        self.delete_button.setText(_("Delete"))
        self.supports_title.setText(_("Support received"))
        self.supports.setHorizontalHeaderLabels([_("Project"), _("Content"), _("Amount"),
                                                 _("Date")])
        for label, text in zip(self.support_labels, (_("Project"), _("Content"), _("Amount"),
                                                     _("Date"))):
            label.setText(text)
        self.support_amount.setPlaceholderText(_("e.g. 1.250.000"))
        self.support_date.setPlaceholderText(_("dd/mm/yyyy"))
        self.add_support_button.setText(_("Record support"))
        self.remove_support_button.setText(_("Remove support"))
        self.form_title.setText(_("Household") if self.current_id else _("New household"))
        self.history.setText(_("Households of the units before the merger"))
        self.history.setToolTip(_("Read-only history of {units}, merged into this unit.").format(
            units=", ".join(sorted(self.history_units.values()))))

    def attach(self) -> None:
        workspace = self.page.workspace
        self.source = HouseholdSource(workspace)
        self.model = LazyTableModel(self.source, self.table)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column, width in ((1, 118), (2, 116), (3, 72), (4, 118), (5, 80)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.history_units = catalog.history_units(workspace)
        self.history.setVisible(bool(self.history_units))
        villages = households.village_choices(workspace)
        for combo, first in ((self.village, _("All villages")), (self.village_edit, "—")):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for village_id, name in villages:
                combo.addItem(name, str(village_id))
            combo.blockSignals(False)
        for combo, first in ((self.status, _("Every status")), (self.poverty, None)):
            combo.blockSignals(True)
            combo.clear()
            if first:
                combo.addItem(first, "")
            for status in POVERTY_STATUSES:
                combo.addItem(households.poverty_label(status), status)
            combo.blockSignals(False)
        self.poverty.setCurrentIndex(self.poverty.findData("none"))
        self.support_content.clear()
        for content in households.support_contents():
            self.support_content.addItem(content.name, content.code)
        self.support_project.clear()
        for project in projects.list_projects(workspace):
            self.support_project.addItem(project.name, str(project.id))
            self.support_project.setItemData(self.support_project.count() - 1, project.name,
                                             Qt.ToolTipRole)
        self.reload()

    def activate(self) -> None:
        if self.model is not None and self.table.currentIndex().row() < 0:
            self.reload()

    def query(self) -> dict:
        return {"text": self.search.text(), "village_id": _uuid(self.village.currentData()),
                "status": self.status.currentData() or "", "minority": self.minority.isChecked(),
                "duplicates": self.duplicates.isChecked(),
                "history": self.history.isVisible() and self.history.isChecked()}

    def reload(self, *_args) -> None:
        if self.model is None:
            return
        self.model.reload(self.query())
        self.count.setText(_("{count} households").format(count=format_number(
            self.model.rowCount())))
        row = self.model.row_of(self.current_id) if self.current_id else -1
        if row < 0 and self.current_id is None and self.model.rowCount():
            row = 0  # show someone's details rather than an empty form
        if row >= 0:
            self.table.selectRow(row)

    def _reveal(self, shown: bool) -> None:
        self.source.reveal = shown
        self.model.invalidate_rows()
        if self.current_id:
            self._show(self.current_id)

    def _chosen(self, current: QModelIndex, _previous=None) -> None:
        if not current.isValid():
            return
        self._show(self.model.id_at(current.row()))

    def _show(self, household_id) -> None:
        workspace, reveal = self.page.workspace, self.reveal.isChecked()

        def load():
            row = households.get_household(workspace, household_id, reveal=reveal)
            # a predecessor's household: its supports counted twice among its old unit's
            return (row, households.household_supports(workspace, household_id),
                    [d for d in households.duplicate_supports(
                        workspace, unit_id=row.owner_unit_id or None)
                     if d.household_id == household_id])

        self.page.run(load, self._fill, on_error=self.message.setText)

    def _fill(self, loaded) -> None:
        row, supports, duplicates = loaded
        if row.id != self.current_id:  # another household: the last message was not about it
            self.message.clear()
        self.current_id = row.id
        self._drop_history_village()
        self.head.setText(row.head_name)
        self.id_number.setText(row.id_number)
        self.id_number.setReadOnly(not self.reveal.isChecked())
        self.birth_year.setValue(row.birth_year or 0)
        found = self.village_edit.findData(str(row.village_id) if row.village_id else None)
        if found < 0 and row.village_id and row.history_of:
            # a predecessor's thôn, not one of the unit's own: shown, labelled, for this
            # household only (a new household chooses among the unit's own villages)
            self.village_edit.addItem(catalog.history_label(row.village_name, row.history_of),
                                      str(row.village_id))
            found = self.village_edit.count() - 1
            self.village_edit.setItemData(found, True, _HISTORY_ROLE)
        self.village_edit.setCurrentIndex(max(found, 0))
        self.ethnicity.setText(row.ethnicity)
        self.poverty.setCurrentIndex(max(self.poverty.findData(row.poverty_status), 0))
        self.minority_edit.setChecked(row.ethnic_minority)
        self.members.setValue(row.members)
        self.note.setText(row.note)
        self.support_rows = supports
        self.supports.setRowCount(len(supports))
        for r, support in enumerate(supports):
            for c, text in enumerate((support.project_name, support.content_name,
                                      format_money(support.amount, unit=False),
                                      format_date(support.received_on))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 2:
                    item.setTextAlignment(RIGHT)
                self.supports.setItem(r, c, item)
        self._show_duplicates(duplicates)
        self._read_only(row.history_of)
        self.retranslate()

    def _read_only(self, history_of: str) -> None:
        """A predecessor's household is history: shown, never changed (the service refuses
        too, with the history sentence)."""
        for edit in (self.head, self.ethnicity, self.note):
            edit.setReadOnly(bool(history_of))
            edit.setEnabled(not history_of)  # greyed like the rest of the form
        if history_of:
            self.id_number.setReadOnly(True)
        self.id_number.setEnabled(not history_of)
        for widget in (self.birth_year, self.village_edit, self.poverty, self.minority_edit,
                       self.members, self.save_button, self.delete_button,
                       self.support_project, self.support_content, self.support_amount,
                       self.support_date, self.add_support_button,
                       self.remove_support_button):
            widget.setEnabled(not history_of)
        if history_of:
            self.message.setText(_("History of {unit} before the merger: read-only here.")
                                 .format(unit=history_of))

    def _drop_history_village(self) -> None:
        """Remove the predecessor's village a history household showed in the form."""
        for index in reversed(range(self.village_edit.count())):
            if self.village_edit.itemData(index, _HISTORY_ROLE):
                self.village_edit.removeItem(index)

    def _show_duplicates(self, duplicates) -> None:
        lines = [_("Supported twice for {content}: {projects}.").format(
            content=" / ".join(d.content_names),
            projects="; ".join(dict.fromkeys(s.project_name for s in d.supports)))
            for d in duplicates]
        self.duplicate_warning.setText("\n".join("⚠ " + line for line in lines))
        self.duplicate_warning.setVisible(bool(lines))

    def new_household(self) -> None:
        self.current_id = None
        self.table.clearSelection()
        self._drop_history_village()
        self._read_only("")
        for edit in (self.head, self.id_number, self.ethnicity, self.note):
            edit.clear()
        self.id_number.setReadOnly(False)
        self.birth_year.setValue(0)
        self.members.setValue(0)
        self.village_edit.setCurrentIndex(0)
        self.poverty.setCurrentIndex(self.poverty.findData("none"))
        self.minority_edit.setChecked(False)
        self.supports.setRowCount(0)
        self.support_rows = []
        self.duplicate_warning.hide()
        self.message.clear()
        self.retranslate()
        self.head.setFocus()

    def values(self) -> dict:
        values = dict(head_name=self.head.text(), birth_year=self.birth_year.value() or None,
                      village_id=_uuid(self.village_edit.currentData()),
                      ethnicity=self.ethnicity.text(), poverty_status=self.poverty.currentData(),
                      ethnic_minority=self.minority_edit.isChecked(),
                      members=self.members.value(), note=self.note.text())
        if not self.id_number.isReadOnly():  # a masked number is never written back
            values["id_number"] = self.id_number.text()
        return values

    def save(self) -> bool:
        workspace, household_id, values = self.page.workspace, self.current_id, self.values()

        # saved here, in one short transaction: a refusal is shown under the field it is
        # about, with everything typed kept (issue 15)
        try:
            row = households.save_household(workspace, household_id=household_id, **values)
        except UserError as error:
            self.show_refusal(error)
            return True
        self.clear_refusal()
        self.current_id = row.id
        self.message.setText(_("Saved."))
        self.page.context.notify(_("Saved household {name}.").format(name=row.head_name))
        self.reload()
        return True

    def _delete(self) -> None:
        if self.current_id is None or not self.confirm(
                _("Delete household"), _("Delete the household of {name} and the support "
                                         "recorded for it?").format(name=self.head.text())):
            return
        workspace, household_id = self.page.workspace, self.current_id
        self.page.run(lambda: households.delete_household(workspace, household_id),
                      lambda _r: (self.new_household(), self.reload()),
                      on_error=self.message.setText)

    def _add_support(self) -> None:
        if self.current_id is None:
            self.message.setText(_("Save the household first."))
            return
        try:
            amount = parse_money(self.support_amount.text() or "0")
            day = parse_date(self.support_date.text()) if self.support_date.text().strip() \
                else None
        except UserError as error:
            self.message.setText(str(error))
            return
        workspace = self.page.workspace
        values = dict(household_id=self.current_id,
                      project_id=_uuid(self.support_project.currentData()),
                      content=self.support_content.currentData(), amount=amount, received_on=day)

        def done(result):
            _info, duplicates = result
            self.message.setText(_("Support recorded."))
            self.support_amount.clear()
            self.support_date.clear()
            self._show(self.current_id)
            self.model.invalidate_rows()
            if duplicates:
                self.page.context.notify(_("Warning: this household is now supported twice "
                                           "for the same content."))

        self.page.run(lambda: households.add_support(workspace, **values), done,
                      on_error=self.message.setText)

    def _remove_support(self) -> None:
        row = self.supports.currentRow()
        if not (0 <= row < len(self.support_rows)):
            return
        workspace, support_id = self.page.workspace, self.support_rows[row].id
        self.page.run(lambda: households.remove_support(workspace, support_id),
                      lambda _r: (self._show(self.current_id), self.model.invalidate_rows()),
                      on_error=self.message.setText)

    # -- Excel --------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        for button in (self.import_button, self.export_button):
            button.setEnabled(not busy)

    def _cancel(self) -> None:
        if self._cancel_event is not None:
            self._cancel_event.set()

    def _run_long(self, fn, on_done) -> None:
        self._start_long()

        def done(result):
            self._end_long()
            on_done(result)

        self._cancel_event = self.page.context.runner.run(fn, on_done=done,
                                                          on_error=self._failed_long,
                                                          with_job=True)

    def _start_long(self) -> None:
        self._busy(True)
        self.page.loading = True

    def _end_long(self) -> None:
        self.page.loading = False
        self._busy(False)

    def _failed_long(self, message: str) -> None:
        self._end_long()
        self.message.setText(message)
        self.count.setText(message.splitlines()[0])

    def _choose_import(self) -> None:
        path = self.ask_open_path(_("Import households"), "*.xlsx")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import a households workbook in the background through the shared import dialog
        (text typed in TCVN3/VNI is offered for conversion, with a preview)."""
        from ctmtqg_desktop.gui import workbook_dialogs

        workspace = self.page.workspace

        def done(result: ImportOutcome) -> None:
            self._end_long()
            text = result.text(_("households"))
            self.count.setText(text)
            self.message.setText(text)
            self.reload()

        def cancel_with(cancel: threading.Event) -> None:
            self._cancel_event = cancel

        self._start_long()
        workbook_dialogs.import_workbook(
            self, self.page.context.runner, path,
            lambda chosen, encoding, job, skip_unknown_columns=False:
            households.import_households(
                workspace, chosen, legacy_encoding=encoding,
                skip_unknown_columns=skip_unknown_columns, check=job.check),
            on_done=done, on_error=self._failed_long, on_progress=lambda *_args: None,
            on_started=cancel_with)

    def _choose_export(self) -> None:
        path = self.ask_save_path(_("Export households"), str(Path.home() / "ho-huong-loi.xlsx"),
                                  "*.xlsx")
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        # the query carries "history": the export lists what the list shows
        workspace, reveal, query = self.page.workspace, self.reveal.isChecked(), self.query()
        self._run_long(lambda job: households.export_households(
            workspace, path, reveal=reveal, query=query, check=job.check),
            lambda written: self.count.setText(_("Written: {path}").format(path=written)))

    def _choose_template(self) -> None:
        path = self.ask_save_path(_("Save the Excel template"),
                                  str(Path.home() / "mau-ho-huong-loi.xlsx"), "*.xlsx")
        if path:
            self.page.run(lambda: households.write_households_template(path),
                          lambda _r: self.count.setText(_("Template written: {path}").format(
                              path=path)), on_error=self.message.setText)
