"""Văn bản chỉ đạo: the directives tab of the tasks page.

A short list (a unit holds tens of directives, not thousands: read whole, searched in SQL
with diacritics ignored), edited with :class:`DirectiveDialog` (its scans added or removed),
deleted when it gave no task, and "its tasks" filters the task list by it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.gui.pages.tasks._dialogs import DirectiveDialog, DirectiveFormValues
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.i18n import _

RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter


class DirectiveModel(QAbstractTableModel):
    """Số ký hiệu, ngày, cơ quan ban hành, trích yếu, số nhiệm vụ, tệp đính kèm."""

    COLUMNS = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list = []
        self.headers: list[str] = []

    def set_items(self, items: list) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def set_headers(self, headers: list[str]) -> None:
        self.headers = headers
        self.headerDataChanged.emit(Qt.Horizontal, 0, self.COLUMNS - 1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and \
                0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = index.column()
        files = ", ".join(a.original_name for a in item.attachments)
        if role == Qt.DisplayRole:
            number = item.number_symbol or item.doc_type
            return [number, format_date(item.issued_on), item.issuing_body, item.title,
                    format_number(item.task_count), files][column]
        if role == Qt.ToolTipRole:
            return [item.label, None, item.issuing_body, item.title + (
                "\n\n" + item.summary if item.summary else ""), None, files or None][column]
        if role == Qt.TextAlignmentRole and column in (1, 4):
            return int(CENTER if column == 1 else RIGHT)
        if role == Qt.UserRole:
            return item.id
        return None


class DirectivesView(QWidget):
    """The directives tab; ``page`` is the :class:`TasksPage` (runner, workspace, options)."""

    def __init__(self, page) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        self.search = QLineEdit(clearButtonEnabled=True)
        top.addWidget(self.search, 1)
        self.edit_button = QPushButton()
        self.delete_button = QPushButton()
        self.tasks_button = QPushButton()
        for button in (self.tasks_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        layout.addLayout(top)
        self.model = DirectiveModel(self)
        self.table = row_view(QTableView(), self.model, row_height=28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.Stretch)
        for column, width in ((0, 130), (1, 128), (2, 220), (4, 86), (5, 190)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel(objectName="muted")
        layout.addWidget(self.count_label)
        self.search_timer = QTimer(self, singleShot=True, interval=250)
        self.search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.table.doubleClicked.connect(lambda _index: self.edit_directive())
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.edit_button.clicked.connect(self.edit_directive)
        self.delete_button.clicked.connect(self.delete_directive)
        self.tasks_button.clicked.connect(self.show_tasks)
        self._update_buttons()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search directives (diacritics optional)…"))
        self.edit_button.setText(_("Open / edit…"))
        self.delete_button.setText(_("Delete"))
        self.tasks_button.setText(_("Show its tasks"))
        self.model.set_headers([_("Number and symbol"), _("Date issued"), _("Issuing body"),
                                _("Subject"), _("Tasks"), _("Scan or PDF")])

    # -- loading ------------------------------------------------------------------------
    def reload(self, *_args, keep=None) -> None:
        workspace = self.page.workspace
        text = self.search.text()
        keep = keep or self.current_id()

        def load():
            from ctmtqg_desktop.services import tasks

            return tasks.list_directives(workspace, text=text, with_files=True)

        def loaded(items) -> None:
            self.model.set_items(items)
            self.count_label.setText(_("{count} directives").format(
                count=format_number(len(items))))
            rows = [i for i, item in enumerate(items) if item.id == keep] or (
                [0] if items else [])
            if rows:
                self.table.selectRow(rows[0])
            self._update_buttons()

        self.page.context.runner.run(load, on_done=loaded, on_error=self.page.message.setText)

    def current_item(self):
        index = self.table.currentIndex()
        return self.model.items[index.row()] if index.isValid() and \
            index.row() < len(self.model.items) else None

    def current_id(self):
        item = self.current_item()
        return item.id if item else None

    def _own(self, item) -> bool:
        """Only the unit that entered a directive changes it (a parent's stays as sent)."""
        return item is not None and item.owner_unit_id == \
            self.page.workspace.installation().unit_id

    def _update_buttons(self, *_args) -> None:
        item = self.current_item()
        self.edit_button.setEnabled(self._own(item))
        self.tasks_button.setEnabled(item is not None)
        self.delete_button.setEnabled(self._own(item))

    # -- actions ------------------------------------------------------------------------
    def edit_directive(self) -> None:
        item = self.current_item()
        if item is None:
            return
        page = self.page
        workspace = page.workspace
        values = DirectiveFormValues(
            doc_type=item.doc_type, number_symbol=item.number_symbol,
            issued_on=item.issued_on, issuing_body=item.issuing_body, title=item.title,
            summary=item.summary, program_ids=list(item.program_ids),
            related_documents=list(item.related_documents), existing=list(item.attachments))
        programs = page.options.programs if page.options else ()

        def store(answer):
            from ctmtqg_desktop.services import tasks

            return tasks.save_directive(
                workspace, directive_id=item.id, number_symbol=answer.number_symbol,
                doc_type=answer.doc_type, issued_on=answer.issued_on,
                issuing_body=answer.issuing_body, issuing_unit_id=item.issuing_unit_id
                if answer.issuing_body == item.issuing_body else None,
                title=answer.title, summary=answer.summary, program_ids=answer.program_ids,
                related_documents=answer.related_documents, attach=answer.attach,
                detach=answer.detach)

        # saved while the form is open: a refusal stays in it, beside its field (issue 15)
        saved = DirectiveDialog.ask(self, programs=programs, today=workspace.today(),
                                    values=values, draft_context=str(item.id), save=store)
        if saved is None:
            return
        page.context.notify(_("Directive saved: {label}.").format(label=saved.label))
        page.message.clear()
        page.model.invalidate_rows()
        page._options_then(lambda _o: (self.reload(keep=saved.id), page.reload()))

    def delete_directive(self) -> None:
        item = self.current_item()
        if item is None:
            return
        page = self.page
        if not ask_delete(self, item.label):
            return
        workspace = page.workspace

        def store():
            from ctmtqg_desktop.services import tasks

            tasks.delete_directive(workspace, item.id)

        def done(_result) -> None:
            page.context.notify(_("Directive deleted: {label}.").format(label=item.label))
            page.message.clear()
            page._options_then(lambda _o: self.reload())

        page.context.runner.run(store, on_done=done, on_error=page._error)

    def show_tasks(self) -> None:
        item = self.current_item()
        if item is not None:
            self.page.show_directive_tasks(item.id)


def ask_delete(parent, label: str) -> bool:
    """The confirmation (tests replace this function)."""
    box = QMessageBox(QMessageBox.Question, _("Delete the directive"),
                      _("Delete {label}? Its attached files go with it.").format(label=label),
                      QMessageBox.Yes | QMessageBox.No, parent)
    box.button(QMessageBox.Yes).setText(_("Delete"))
    box.button(QMessageBox.No).setText(_("Cancel"))
    return box.exec() == QMessageBox.Yes
