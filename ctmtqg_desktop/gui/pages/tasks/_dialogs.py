"""Dialogs of the tasks area: a task's form and a directive's form.

Each has ``classmethod ask(...)`` returning plain values (or None when cancelled), so tests
can replace it; the page passes the values to the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.gui.keyboard import ask_before_discarding
from ctmtqg_desktop.gui.widgets import (
    SavingDialog,
    apply_rules,
    date_edit,
    find_data,
    number_box,
    text_edit,
    translate_buttons,
)
from ctmtqg_desktop.i18n import _


@dataclass
class TaskFormValues:
    text: str = ""
    directive_id: object = None
    lead: str = ""
    coordinators: list[str] = field(default_factory=list)
    program_id: str | None = None
    component_id: str | None = None
    project_id: object = None
    schedule: schedules.Schedule = field(default_factory=schedules.Schedule)
    expected_output: str = ""
    target_kind: str = "none"
    target_quantity: int | None = None
    target_unit: str = ""


class TaskDialog(SavingDialog):
    """Thêm / sửa nhiệm vụ."""

    def __init__(self, parent, *, options, today: dt.date,
                 values: TaskFormValues | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskDialog")
        self.resize(720, 620)
        values = values or TaskFormValues()
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="dialogTitle")
        layout.addWidget(self.heading)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self._build_what(options, values)
        self._build_when_and_target(today, values)
        self._lay_out(form)
        layout.addLayout(form)
        layout.addStretch(1)
        self.hint = QLabel(wordWrap=True, objectName="muted")
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        translate_buttons(self.buttons)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.target_kind.currentIndexChanged.connect(self._kind_changed)
        self.retranslate(editing=bool(values.text))
        self._kind_changed()
        self.text.setFocus()
        #: refusals naming a field by another name than its row (issue 15)
        self.refusal_fields = {_("Programme component"): self.component}

    def _build_what(self, options, values: TaskFormValues) -> None:
        """The task, its directive, lead and coordinators, programme, component, project."""
        self.text = text_edit(90)
        self.text.setPlainText(values.text)
        self.directive = QComboBox()
        self.directive.addItem("", None)
        for ident, label in options.directives:
            self.directive.addItem(label, ident)
        self.directive.setCurrentIndex(max(0, find_data(self.directive, values.directive_id)))
        self.lead = QLineEdit(values.lead)
        self.coordinators = QLineEdit("; ".join(values.coordinators))
        self.program = QComboBox()
        self.program.addItem("", None)
        for key, label in options.programs:
            self.program.addItem(label, key)
        self.program.setCurrentIndex(max(0, self.program.findData(values.program_id)))
        # the projects and sub-projects of the chosen programme (refilled when it changes)
        self.components = dict(getattr(options, "components", {}) or {})
        self.component = QComboBox()
        self.component.setMinimumContentsLength(30)
        self.component.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self._fill_components(values.component_id)
        self.program.currentIndexChanged.connect(lambda _i: self._fill_components(
            self.component.currentData()))
        self.project = QComboBox()
        self.project.addItem("", None)
        for ident, name in getattr(options, "projects", ()):
            self.project.addItem(name, ident)
            self.project.setItemData(self.project.count() - 1, name, Qt.ToolTipRole)
        self.project.setCurrentIndex(max(0, find_data(self.project, values.project_id)))
        self.project.setMinimumContentsLength(30)
        self.project.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)

    def _build_when_and_target(self, today: dt.date, values: TaskFormValues) -> None:
        schedule = values.schedule
        self.kind = QComboBox()
        for kind in schedules.KINDS:
            self.kind.addItem("", kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(schedule.kind)))
        self.deadline = date_edit(schedule.deadline or today)
        self.day = QSpinBox(minimum=1, maximum=31, value=schedule.day or 20)
        self.month = QSpinBox(minimum=1, maximum=12, value=schedule.month or today.month)
        self.start = date_edit(schedule.start or dt.date(today.year, today.month, 1))
        self.has_end = QCheckBox()
        self.end = date_edit(schedule.end or dt.date(today.year, 12, 31))
        self.has_end.setChecked(schedule.end is not None)
        self.expected = QLineEdit(values.expected_output)
        self.target_kind = QComboBox()
        for kind in ("none", "quantity", "amount"):
            self.target_kind.addItem("", kind)
        self.target_kind.setCurrentIndex(max(0, self.target_kind.findData(values.target_kind)))
        self.target_quantity = number_box(2_000_000_000)
        self.target_quantity.setValue(min(values.target_quantity or 0, 2_000_000_000))
        self.target_unit = QLineEdit(values.target_unit)
        apply_rules("task", text=self.text, lead_agency=self.lead,
                    coordinators=self.coordinators, expected_output=self.expected,
                    target_quantity=self.target_quantity, target_unit=self.target_unit)

    def _lay_out(self, form: QFormLayout) -> None:
        self.labels = {}
        for key, widget in (("text", self.text), ("directive", self.directive),
                            ("lead", self.lead), ("coordinators", self.coordinators),
                            ("program", self.program), ("component", self.component),
                            ("project", self.project),
                            ("kind", self.kind),
                            ("deadline", self.deadline)):
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], widget)
        self.recurring_row = QWidget()
        recurring = QHBoxLayout(self.recurring_row)
        recurring.setContentsMargins(0, 0, 0, 0)
        self.day_label, self.month_label, self.start_label = QLabel(), QLabel(), QLabel()
        for widget in (self.day_label, self.day, self.month_label, self.month,
                       self.start_label, self.start, self.has_end, self.end):
            recurring.addWidget(widget)
        recurring.addStretch(1)
        self.labels["recurring"] = QLabel()
        form.addRow(self.labels["recurring"], self.recurring_row)
        self.labels["expected"] = QLabel()
        form.addRow(self.labels["expected"], self.expected)
        target_row = QHBoxLayout()
        for widget in (self.target_kind, self.target_quantity, self.target_unit):
            target_row.addWidget(widget)
        self.labels["target"] = QLabel()
        form.addRow(self.labels["target"], target_row)

    def retranslate(self, *, editing: bool) -> None:
        from ctmtqg_desktop.services.tasks import schedule_kind_label

        self.setWindowTitle(_("Task"))
        self.heading.setText(_("Edit task") if editing else _("Add task"))
        texts = {"text": _("Task"), "directive": _("Directive"), "lead": _("Lead"),
                 "coordinators": _("Coordinating"), "program": _("Programme"),
                 "component": _("Project / sub-project of the programme"),
                 "project": _("Project"),
                 "kind": _("Deadline"), "deadline": _("Due on"), "recurring": _("Repeats"),
                 "expected": _("Expected output"), "target": _("Target")}
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.day_label.setText(_("day"))
        self.month_label.setText(_("first month"))
        self.start_label.setText(_("from"))
        self.has_end.setText(_("until"))
        self.program.setItemText(0, _("Common to every programme"))
        self.directive.setItemText(0, _("(a task of its own)"))
        self.project.setItemText(0, _("(not linked to a project)"))
        self.component.setItemText(0, self._no_component_text())
        for index in range(self.kind.count()):
            self.kind.setItemText(index, schedule_kind_label(self.kind.itemData(index)))
        for index, text in enumerate((_("no measurable target"), _("a quantity"),
                                      _("an amount in đồng (100%)"))):
            self.target_kind.setItemText(index, text)
        self.lead.setPlaceholderText(_("a unit (UBND xã Đắk La, or its code) or an agency"))
        self.coordinators.setPlaceholderText(_("separated by semicolons"))
        self.target_unit.setPlaceholderText(_("km, households, classes…"))
        self.hint.setText(_("Overdue is worked out by the application from the deadline and "
                            "the progress updates; it is never typed."))

    def _no_component_text(self) -> str:
        if self.program.currentData() is None:
            return _("(choose a programme first)")
        return _("(none: the programme as a whole)")

    def _fill_components(self, keep: str | None = None) -> None:
        """The components of the chosen programme; a sub-project indented under its
        project; the first line is none. ``keep`` stays chosen when it belongs to it."""
        self.component.clear()
        self.component.addItem(self._no_component_text(), None)
        for key, label, level in self.components.get(self.program.currentData(), ()):
            indent = "\u2003\u2003" if level == "subproject" else ""
            self.component.addItem(indent + label, key)
            self.component.setItemData(self.component.count() - 1, label, Qt.ToolTipRole)
        self.component.setCurrentIndex(max(0, self.component.findData(keep)))
        self.component.setEnabled(self.component.count() > 1)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.deadline.setEnabled(kind == schedules.ONCE)
        self.recurring_row.setEnabled(kind in schedules.EVERY_MONTHS)
        self.month.setEnabled(kind in (schedules.QUARTERLY, schedules.SEMIANNUAL,
                                       schedules.YEARLY))
        target = self.target_kind.currentData()
        self.target_quantity.setEnabled(target != "none")
        self.target_unit.setEnabled(target == "quantity")

    def values(self) -> TaskFormValues:
        kind = self.kind.currentData()
        schedule = schedules.Schedule(
            kind, self.deadline.date().toPython() if kind == schedules.ONCE else None,
            self.day.value() if kind in schedules.EVERY_MONTHS else 0,
            self.month.value() if kind in schedules.EVERY_MONTHS else 1,
            self.start.date().toPython() if kind in schedules.EVERY_MONTHS else None,
            self.end.date().toPython() if kind in schedules.EVERY_MONTHS
            and self.has_end.isChecked() else None)
        target = self.target_kind.currentData()
        return TaskFormValues(
            text=self.text.toPlainText(), directive_id=self.directive.currentData(),
            lead=self.lead.text(),
            coordinators=[c.strip() for c in self.coordinators.text().split(";") if c.strip()],
            program_id=self.program.currentData(),
            component_id=self.component.currentData() if self.program.currentData() else None,
            project_id=self.project.currentData(),
            schedule=schedule,
            expected_output=self.expected.text(), target_kind=target,
            target_quantity=self.target_quantity.value() if target != "none" else None,
            target_unit=self.target_unit.text())

    @classmethod
    def ask(cls, parent, *, options, today: dt.date,
            values: TaskFormValues | None = None,
            draft_context: str = "new", save=None):
        """``draft_context``: the task edited (its id) or "new"; the typing is kept as a
        draft under it (a crash costs at most the field being typed)."""
        from ctmtqg_desktop.gui.drafts import keep_form_drafts

        dialog = cls(parent, options=options, today=today, values=values)
        ask_before_discarding(dialog)  # Esc asks before losing what was typed
        keep_form_drafts(dialog, draft_context)
        return dialog.answer(save)  # with save: saved in the form (issue 15)


@dataclass
class DirectiveFormValues:
    doc_type: str = ""
    number_symbol: str = ""
    issued_on: dt.date | None = None
    issuing_body: str = ""
    title: str = ""
    summary: str = ""
    program_ids: list[str] = field(default_factory=list)
    related_documents: list[str] = field(default_factory=list)
    attach: list[Path] = field(default_factory=list)
    #: the files already attached (``AttachmentInfo``), when editing
    existing: list = field(default_factory=list)
    #: ids of attached files the user removed
    detach: list = field(default_factory=list)


class DirectiveDialog(SavingDialog):
    """Nhập văn bản chỉ đạo, with its scan or PDF."""

    def __init__(self, parent, *, programs, today: dt.date,
                 values: DirectiveFormValues | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directiveDialog")
        self.resize(720, 640)
        values = values or DirectiveFormValues(issued_on=today)
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="dialogTitle")
        layout.addWidget(self.heading)
        form = QFormLayout()
        self.doc_type = QComboBox(editable=True)
        self.doc_type.addItems(["Kế hoạch", "Công văn", "Chỉ thị", "Quyết định", "Thông báo",
                                "Nghị quyết", "Hướng dẫn"])
        self.doc_type.setCurrentText(values.doc_type or "Công văn")
        self.number = QLineEdit(values.number_symbol)
        self.issued_on = date_edit(values.issued_on or today)
        self.issuing_body = QLineEdit(values.issuing_body)
        self.title = QLineEdit(values.title)
        apply_rules("directive", number_symbol=self.number, issuing_body=self.issuing_body,
                    title=self.title)
        self.title.setCursorPosition(0)  # the subject's beginning, not its end
        self.summary = text_edit(110)
        apply_rules("directive", summary=self.summary)
        self.summary.setPlainText(values.summary)
        self.related = text_edit(70)
        self.related.setPlainText("\n".join(values.related_documents))
        self.program_boxes: list[tuple[str, QCheckBox]] = []
        programs_row = QVBoxLayout()
        for key, label in programs:
            box = QCheckBox(label)
            box.setChecked(key in values.program_ids)
            programs_row.addWidget(box)
            self.program_boxes.append((key, box))
        self.files = QListWidget()
        self.files.setFixedHeight(66)
        # an attached file carries its attachment id; a new one its path (no id)
        for attachment in values.existing:
            self.files.addItem(attachment.original_name)
            self.files.item(self.files.count() - 1).setData(Qt.UserRole, attachment.id)
        for path in values.attach:
            self.files.addItem(str(path))
        self.detached: list = list(values.detach)
        self.add_file = QPushButton()
        self.add_file.clicked.connect(self._choose_file)
        self.remove_file = QPushButton()
        self.remove_file.clicked.connect(self.remove_selected_file)
        self.files.currentRowChanged.connect(
            lambda row: self.remove_file.setEnabled(row >= 0))
        self.remove_file.setEnabled(False)
        file_buttons = QVBoxLayout()
        file_buttons.addWidget(self.add_file)
        file_buttons.addWidget(self.remove_file)
        file_buttons.addStretch(1)
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addLayout(file_buttons)
        self.labels = {}
        for key, widget in (("type", self.doc_type), ("number", self.number),
                            ("date", self.issued_on), ("body", self.issuing_body),
                            ("title", self.title), ("summary", self.summary),
                            ("related", self.related)):
            self.labels[key] = QLabel()
            form.addRow(self.labels[key], widget)
        self.labels["programs"] = QLabel()
        form.addRow(self.labels["programs"], programs_row)
        self.labels["files"] = QLabel()
        form.addRow(self.labels["files"], files_row)
        layout.addLayout(form)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        translate_buttons(self.buttons)
        layout.addWidget(self.buttons)
        self.retranslate(editing=bool(values.title))
        self.number.setFocus()
        #: refusals naming a field by another name than its row (issue 15)
        self.refusal_fields = {_("Date"): self.issued_on, _("Issued by"): self.issuing_body}

    def retranslate(self, *, editing: bool = False) -> None:
        self.setWindowTitle(_("Directive"))
        self.heading.setText(_("Edit directive") if editing else _("Enter a directive"))
        texts = {"type": _("Kind of document"), "number": _("Number and symbol"),
                 "date": _("Date issued"), "body": _("Issuing body"), "title": _("Subject"),
                 "summary": _("Summary"), "related": _("Related documents (one per line)"),
                 "programs": _("Programmes"), "files": _("Scan or PDF")}
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.number.setPlaceholderText("729/KH-UBND")
        self.issuing_body.setPlaceholderText(_("e.g. Ủy ban nhân dân tỉnh Kon Tum"))
        self.add_file.setText(_("Attach a file…"))
        self.remove_file.setText(_("Remove the file"))

    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Attach a file"), "", _("Scans and documents (*.pdf *.jpg *.jpeg *.png "
                                              "*.doc *.docx);;All files (*)"))
        if path:
            self.files.addItem(path)

    def remove_selected_file(self) -> None:
        """Take the chosen file off (an attached one is removed when the form is saved)."""
        row = self.files.currentRow()
        if row < 0:
            return
        ident = self.files.item(row).data(Qt.UserRole)
        if ident is not None:
            self.detached.append(ident)
        self.files.takeItem(row)

    def values(self) -> DirectiveFormValues:
        return DirectiveFormValues(
            doc_type=self.doc_type.currentText(), number_symbol=self.number.text(),
            issued_on=self.issued_on.date().toPython(), issuing_body=self.issuing_body.text(),
            title=self.title.text(), summary=self.summary.toPlainText(),
            program_ids=[key for key, box in self.program_boxes if box.isChecked()],
            related_documents=self.related.toPlainText().splitlines(),
            attach=[Path(self.files.item(i).text()) for i in range(self.files.count())
                    if self.files.item(i).data(Qt.UserRole) is None],
            detach=list(self.detached))

    @classmethod
    def ask(cls, parent, *, programs, today: dt.date,
            values: DirectiveFormValues | None = None,
            draft_context: str = "new", save=None):
        from ctmtqg_desktop.gui.drafts import keep_form_drafts

        dialog = cls(parent, programs=programs, today=today, values=values)
        ask_before_discarding(dialog)  # Esc asks before losing what was typed
        keep_form_drafts(dialog, draft_context)  # the directive's id, or "new"
        return dialog.answer(save)  # with save: saved in the form (issue 15)
