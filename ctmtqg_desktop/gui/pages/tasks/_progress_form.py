"""The quick progress entry under a task's timeline: percent, status, note and evidence files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ctmtqg_desktop.gui.widgets import (
    EvidenceFiles,
    RefusalsInForm,
    apply_rules,
    date_edit,
    number_box,
    qdate,
    text_edit,
)
from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.tasks._page import TasksPage


class ProgressForm(RefusalsInForm, EvidenceFiles, QFrame):
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
        # labels go above their fields when the pane is narrow, so that the form does not
        # hold the task list to a name column cut to 20 letters at 1366x768
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
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
        apply_rules("task_progress", narrative=self.note)
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
        #: the fields the refusals of ``tasks.add_progress`` name (shown under them, issue 15)
        self.refusal_fields = {_("Date"): self.date, _("Status"): self.status,
                               _("Percent"): self.percent, _("Quantity"): self.quantity}
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
