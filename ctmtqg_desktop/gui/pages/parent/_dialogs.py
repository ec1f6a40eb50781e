"""Dialogs of the parent unit's desk: choosing child units, answering a difficulty, assigning
a directive and its tasks, assigning capital plan lines, and a child's records (read-only).

Each dialog is testable: ``ask(...)`` returns plain values (or None when cancelled) and
tests replace it."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.gui.lazy_table import (
    DUE_SOON_BACKGROUND,
    DUE_SOON_COLOR,
    LATE_BACKGROUND,
    LATE_COLOR,
)
from ctmtqg_desktop.gui.tables import row_view
from ctmtqg_desktop.gui.widgets import (
    MoneyEdit,
    SavingDialog,
    apply_rules,
    date_edit,
    text_edit,
    translate_buttons,
)
from ctmtqg_desktop.i18n import _


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Ok).setText(ok_text)
    translate_buttons(buttons)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ChildPicker(QWidget):
    """The child units, each with a check box; "every child unit" at the top."""

    def __init__(self, children: list[tuple[str, str]], *, allow_all: bool = True,
                 checked: tuple[str, ...] = ()) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.all = QCheckBox(_("Every child unit"))
        self.all.setVisible(allow_all)
        self.all.toggled.connect(self._all_toggled)
        layout.addWidget(self.all)
        self.list = QListWidget()
        self.list.setMinimumHeight(120)
        for unit_id, name in children:
            item = QListWidgetItem(f"{name} ({unit_id})")
            item.setData(Qt.UserRole, unit_id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if unit_id in checked else Qt.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list)

    def _all_toggled(self, on: bool) -> None:
        self.list.setEnabled(not on)

    def chosen(self) -> list[str]:
        if self.all.isVisible() and self.all.isChecked():
            return []
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.Checked]

    def set_checked(self, unit_ids: list[str]) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in unit_ids
                               else Qt.Unchecked)


# ---------------------------------------------------------------------------- answer
class AnswerDialog(SavingDialog):
    """Trả lời khó khăn, kiến nghị of a child unit."""

    def __init__(self, parent, *, unit_name: str, title: str, content: str, proposal: str,
                 today: dt.date) -> None:
        super().__init__(parent)
        self.resize(640, 460)
        self.setWindowTitle(_("Answer a difficulty"))
        layout = QVBoxLayout(self)
        heading = QLabel(objectName="dialogTitle", wordWrap=True)
        heading.setText(_("Answer to {unit}").format(unit=unit_name))
        layout.addWidget(heading)
        shown = QTextBrowser()
        shown.setMaximumHeight(130)
        e = html.escape
        shown.setHtml(f"<b>{e(title)}</b><p>{e(content)}</p>"
                      + (f"<p><i>{e(proposal)}</i></p>" if proposal else ""))
        layout.addWidget(shown)
        form = QFormLayout()
        self.content = text_edit(120)
        self.document = QLineEdit()
        apply_rules("difficulty_answer", document_ref=self.document, content=self.content)
        self.document.setPlaceholderText(_("e.g. Công văn số 1520/UBND-TCKH"))
        self.answered_on = date_edit(today)
        self.labels = [QLabel(_("Answer")), QLabel(_("Document")), QLabel(_("Date"))]
        for label, widget in zip(self.labels, (self.content, self.document, self.answered_on)):
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout.addLayout(form)
        self.error = QLabel(wordWrap=True, objectName="formMessage")
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, _("Send the answer")))
        self.content.setFocus()
        #: the answer's rule is named "Content" (shown under it after Save, issue 15)
        self.refusal_fields = {_("Content"): self.content}

    def accept(self) -> None:
        if not self.content.toPlainText().strip():
            self.error.setText(_("Write the answer first."))
            return
        super().accept()

    def values(self) -> dict:
        return {"content": self.content.toPlainText(), "document_ref": self.document.text(),
                "answered_on": self.answered_on.date().toPython()}

    @classmethod
    def ask(cls, parent, save=None, **options):
        dialog = cls(parent, **options)
        return dialog.answer(save)  # with save: saved in the form (issue 15)


# ---------------------------------------------------------------------------- tasks
class AssignTasksDialog(SavingDialog):
    """Giao nhiệm vụ: a directive and its tasks (text and deadline) to several children."""

    def __init__(self, parent, *, children: list[tuple[str, str]], today: dt.date,
                 checked: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.today = today
        self.resize(920, 660)
        self.setWindowTitle(_("Assign tasks to child units"))
        layout = QVBoxLayout(self)
        heading = QLabel(_("Assign a directive and its tasks"), objectName="dialogTitle")
        layout.addWidget(heading)
        body = QHBoxLayout()
        left = QVBoxLayout()
        form = QFormLayout()
        self.doc_type = QComboBox(editable=True)
        for text in ("Kế hoạch", "Công văn", "Chỉ thị", "Quyết định", "Thông báo"):
            self.doc_type.addItem(text)
        self.number = QLineEdit()
        self.number.setPlaceholderText("1520/KH-UBND")
        self.issued_on = date_edit(today)
        self.title = QLineEdit()
        apply_rules("directive", number_symbol=self.number, title=self.title)
        self.summary = text_edit(60)
        apply_rules("directive", summary=self.summary)
        rows = ((_("Kind of document"), self.doc_type), (_("Number"), self.number),
                (_("Issued on"), self.issued_on), (_("Subject"), self.title),
                (_("Summary"), self.summary))
        for text, widget in rows:
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        left.addLayout(form)
        self.tasks = QTableWidget(0, 2)
        self.tasks.setHorizontalHeaderLabels([_("Task"), _("Deadline (dd/mm/yyyy)")])
        self.tasks.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tasks.setColumnWidth(1, 150)
        self.tasks.verticalHeader().hide()
        left.addWidget(QLabel(_("Tasks"), objectName="cardTitle"))
        left.addWidget(self.tasks, 1)
        row_buttons = QHBoxLayout()
        self.add_row = QPushButton(_("Add a task"))
        self.add_row.clicked.connect(lambda: self._add_task("", None))
        self.remove_row = QPushButton(_("Remove the task"))
        self.remove_row.clicked.connect(self._remove_task)
        row_buttons.addWidget(self.add_row)
        row_buttons.addWidget(self.remove_row)
        row_buttons.addStretch(1)
        left.addLayout(row_buttons)
        body.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("For the child units"), objectName="cardTitle"))
        self.picker = ChildPicker(children, allow_all=False, checked=checked)
        right.addWidget(self.picker, 1)
        body.addLayout(right, 2)
        layout.addLayout(body, 1)
        self.error = QLabel(wordWrap=True, objectName="formMessage")
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, _("Assign")))
        for _index in range(3):
            self._add_task("", None)
        self.title.setFocus()

    def _add_task(self, text: str, deadline: dt.date | None) -> None:
        row = self.tasks.rowCount()
        self.tasks.insertRow(row)
        self.tasks.setItem(row, 0, QTableWidgetItem(text))
        self.tasks.setItem(row, 1, QTableWidgetItem(format_date(deadline) if deadline else ""))

    def _remove_task(self) -> None:
        row = self.tasks.currentRow()
        if row >= 0:
            self.tasks.removeRow(row)

    def task_rows(self) -> list[tuple[str, str]]:
        result = []
        for row in range(self.tasks.rowCount()):
            text = self.tasks.item(row, 0).text() if self.tasks.item(row, 0) else ""
            due = self.tasks.item(row, 1).text() if self.tasks.item(row, 1) else ""
            if text.strip():
                result.append((text.strip(), due.strip()))
        return result

    def values(self) -> dict:
        return {"children": self.picker.chosen(), "doc_type": self.doc_type.currentText(),
                "number_symbol": self.number.text(),
                "issued_on": self.issued_on.date().toPython(), "title": self.title.text(),
                "summary": self.summary.toPlainText(), "tasks": self.task_rows()}

    def accept(self) -> None:
        from ctmtqg_desktop.domain.formats import parse_date

        values = self.values()
        if not values["children"]:
            self.error.setText(_("Choose at least one child unit."))
            return
        for _text, due in values["tasks"]:
            if due:
                try:
                    parse_date(due)
                except UserError as problem:
                    self.error.setText(str(problem))
                    return
        super().accept()

    @classmethod
    def ask(cls, parent, save=None, **options):
        dialog = cls(parent, **options)
        return dialog.answer(save)  # with save: saved in the form (issue 15)


# ---------------------------------------------------------------------------- capital
class AssignCapitalDialog(SavingDialog):
    """Giao kế hoạch vốn: one decision, one amount for each chosen child unit."""

    def __init__(self, parent, *, children: list[tuple[str, str]], programs: list,
                 kinds: list[tuple[str, str]], sources: list, year: int, today: dt.date
                 ) -> None:
        super().__init__(parent)
        self.resize(860, 620)
        self.setWindowTitle(_("Assign capital to child units"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Assign capital plan lines"), objectName="dialogTitle"))
        form = QFormLayout()
        self.year = QSpinBox(minimum=2000, maximum=2100, value=year)
        self.program = QComboBox()
        for program in programs:
            self.program.addItem(f"{program.abbreviation}: {program.short_name}", program.id)
        self.kind = QComboBox()
        for code, name in kinds:
            self.kind.addItem(name, code)
        self.source = QComboBox()
        for source in sources:
            self.source.addItem(source.name, source.code)
        self.decision = QLineEdit()
        apply_rules("capital_line", year=self.year, decision_number=self.decision)
        self.decision.setPlaceholderText("350/QĐ-UBND")
        self.decision_date = date_edit(today)
        for text, widget in ((_("Plan year"), self.year), (_("Programme"), self.program),
                             (_("Capital kind"), self.kind), (_("Source"), self.source),
                             (_("Decision number"), self.decision),
                             (_("Decision date"), self.decision_date)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Amount for each child unit (đồng); leave empty for none"),
                                objectName="cardTitle"))
        self.amounts = QTableWidget(len(children), 2)
        self.amounts.setHorizontalHeaderLabels([_("Child unit"), _("Amount (đồng)")])
        self.amounts.verticalHeader().hide()
        self.amounts.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.amounts.setColumnWidth(1, 220)
        self.editors: dict[str, MoneyEdit] = {}
        for row, (unit_id, name) in enumerate(children):
            item = QTableWidgetItem(f"{name} ({unit_id})")
            item.setFlags(item.flags() & ~Qt.ItemIsEditable)
            self.amounts.setItem(row, 0, item)
            editor = MoneyEdit()
            apply_rules("capital_line", amount=editor)  # refuses more than the rule allows
            self.amounts.setCellWidget(row, 1, editor)
            self.editors[unit_id] = editor
        layout.addWidget(self.amounts, 1)
        self.total = QLabel()
        layout.addWidget(self.total)
        for editor in self.editors.values():
            editor.textChanged.connect(self._update_total)
        self.error = QLabel(wordWrap=True, objectName="formMessage")
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, _("Assign")))
        self._update_total()

    def chosen_amounts(self) -> dict[str, int]:
        return {unit: editor.value() for unit, editor in self.editors.items()
                if editor.text().strip() and editor.value()}

    def _update_total(self) -> None:
        amounts = self.chosen_amounts()
        self.total.setText(_("{count} child units, {amount} đồng in all").format(
            count=len(amounts), amount=format_number(sum(amounts.values()))))

    def values(self) -> dict:
        return {"amounts": self.chosen_amounts(), "year": self.year.value(),
                "program_id": self.program.currentData(), "capital_kind": self.kind.currentData(),
                "source": self.source.currentData(), "decision_number": self.decision.text(),
                "decision_date": self.decision_date.date().toPython()}

    def accept(self) -> None:
        for editor in self.editors.values():
            if editor.text().strip() and editor.value() is None:
                self.error.setText(_("“{text}” is not an amount in đồng.").format(
                    text=editor.text()))
                return
        if not self.chosen_amounts():
            self.error.setText(_("Write the amount of at least one child unit."))
            return
        super().accept()

    @classmethod
    def ask(cls, parent, save=None, **options):
        dialog = cls(parent, **options)
        return dialog.answer(save)  # with save: saved in the form (issue 15)


# ---------------------------------------------------------------------------- documents
class SendDocumentDialog(QDialog):
    """A dossier template or handbook page file, for every child or some."""

    def __init__(self, parent, *, kind_label: str, file_name: str,
                 children: list[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.resize(560, 480)
        self.setWindowTitle(kind_label)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(kind_label, objectName="dialogTitle"))
        layout.addWidget(QLabel(_("File: {name}").format(name=file_name), wordWrap=True))
        self.picker = ChildPicker(children)
        self.picker.all.setChecked(True)
        layout.addWidget(self.picker, 1)
        layout.addWidget(_buttons(self, _("Send")))

    @classmethod
    def ask(cls, parent, **options) -> list[str] | None:
        dialog = cls(parent, **options)
        return dialog.picker.chosen() if dialog.exec() == QDialog.Accepted else None


# ---------------------------------------------------------------------------- drill down
def _readonly_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    row_view(table, wrap=True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], states: list[str] | None = None,
          right: tuple[int, ...] = ()) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        state = states[r] if states else "normal"
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if c in right:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if state in ("late", "due_soon"):
                item.setBackground(LATE_BACKGROUND if state == "late" else DUE_SOON_BACKGROUND)
                item.setForeground(LATE_COLOR if state == "late" else DUE_SOON_COLOR)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)


class ChildDetailDialog(QDialog):
    """A child unit's records as received, read-only (the child owns them); its difficulties
    can be answered from here."""

    def __init__(self, parent, detail, *, on_answer=None) -> None:
        from ctmtqg_desktop.services import difficulties, tasks

        super().__init__(parent)
        self.detail = detail
        self.on_answer = on_answer
        self.resize(1040, 640)
        self.setWindowTitle(detail.name)
        layout = QVBoxLayout(self)
        heading = QLabel(detail.name, objectName="dialogTitle")
        layout.addWidget(heading)
        note = QLabel(_("The records of the unit as received by synchronisation, on {date}; "
                        "only the unit itself can change them.").format(
            date=format_date(detail.on)), objectName="subtitle", wordWrap=True)
        layout.addWidget(note)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tasks = _readonly_table([_("Task"), _("Directive"), _("Next deadline"),
                                      _("Status"), _("Progress")])
        _fill(self.tasks, [[t.text, t.directive + (" " + _("(assigned by us)")
                                                   if t.from_parent else ""),
                            format_date(t.next_due_on), tasks.status_label(t.status),
                            format_percent((t.latest_percent or 0) / 100, decimals=0)]
                           for t in detail.tasks],
              [t.state for t in detail.tasks], right=(4,))
        self.tabs.addTab(self.tasks, _("Tasks ({count})").format(count=len(detail.tasks)))
        self.lines = _readonly_table([_("Capital plan line"), _("Decision"), _("Assigned"),
                                      _("Allocated"), _("Disbursed"), _("Rate")])
        _fill(self.lines, [[line.label + (" " + _("(assigned by us)") if line.from_parent
                                          else ""), line.decision,
                            format_number(line.assigned), format_number(line.allocated),
                            format_number(line.disbursed), format_percent(line.rate)]
                           for line in detail.lines], right=(2, 3, 4, 5))
        self.tabs.addTab(self.lines, _("Capital {year} ({count})").format(
            year=detail.year, count=len(detail.lines)))
        self.dossiers = _readonly_table([_("Project"), _("Template"), _("Started on"),
                                         _("Documents done"), _("Completeness")])
        _fill(self.dossiers, [[d.project, d.template, format_date(d.started_on),
                               f"{d.done}/{d.required}", format_percent(d.ratio)]
                              for d in detail.dossiers], right=(3, 4))
        self.tabs.addTab(self.dossiers, _("Dossiers ({count})").format(
            count=len(detail.dossiers)))
        problems = QWidget()
        column = QVBoxLayout(problems)
        self.problems = _readonly_table([_("Title"), _("Date"), _("Status")])
        _fill(self.problems, [[d.title, format_date(d.raised_on),
                               difficulties.status_label(d.status)]
                              for d in detail.difficulties],
              ["due_soon" if d.status in ("new", "sent") else "normal"
               for d in detail.difficulties])
        column.addWidget(self.problems, 1)
        self.answer_button = QPushButton(_("&Answer…"), objectName="primary")
        self.answer_button.clicked.connect(self._answer)
        self.answer_button.setVisible(on_answer is not None)
        column.addWidget(self.answer_button, 0, Qt.AlignRight)
        self.tabs.addTab(problems, _("Difficulties ({count})").format(
            count=len(detail.difficulties)))
        from ctmtqg_desktop.services.activities import kind_label

        self.activities = _readonly_table([_("Activity"), _("Kind"), _("Date"),
                                           _("Campaign or movement"), _("People")])
        _fill(self.activities, [[a.title, kind_label(a.kind), format_date(a.start_on),
                                 a.campaign, format_number(a.participants)]
                                for a in detail.activities], right=(4,))
        self.tabs.addTab(self.activities, _("Activities {year} ({count})").format(
            year=detail.year, count=len(detail.activities)))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _answer(self) -> None:
        row = self.problems.currentRow()
        if row < 0 or row >= len(self.detail.difficulties) or self.on_answer is None:
            return
        self.on_answer(self.detail.difficulties[row])

    @classmethod
    def show_for(cls, parent, detail, **options) -> None:
        cls(parent, detail, **options).exec()
