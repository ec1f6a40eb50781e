"""The archive's dialogs: issue a report, sign one off, ask the child units for one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.date_field import DateEdit
from ctmtqg_desktop.gui.widgets import EvidenceFiles, FormDialog, apply_rules, date_edit, number_box
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import archive


def _presets(year: int) -> list[tuple[str, tuple[dt.date, dt.date]]]:
    texts = [f"6t/{year}", str(year), f"9t/{year}", *[f"q{q}/{year}" for q in range(1, 5)]]
    found = []
    for text in texts:
        start, end = archive.parse_period(text)
        found.append((archive.period_label(start, end), (start, end)))
    return found


def _day(edit: DateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day


class PeriodPicker(QWidget):
    """A period: a usual one of a year (6 months, year, 9 months, a quarter) or two dates."""

    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        first, second = QHBoxLayout(), QHBoxLayout()
        outer.addLayout(first)
        outer.addLayout(second)
        self.year = QSpinBox(minimum=2000, maximum=2100, value=day.year)
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(18)
        self.start, self.end = date_edit(), date_edit()
        first.addWidget(self.choice, 1)
        first.addWidget(self.year)
        second.addWidget(QLabel(_("from")))
        second.addWidget(self.start, 1)
        second.addWidget(QLabel(_("to")))
        second.addWidget(self.end, 1)
        self.year.valueChanged.connect(self._fill)
        self.choice.currentIndexChanged.connect(self._chosen)
        self._fill()
        # the last closed half-year by default
        self.choice.setCurrentIndex(0 if day.month > 6 else 1)
        if day.month <= 6:
            self.year.setValue(day.year - 1)

    def _fill(self, *_args: object) -> None:
        index = max(self.choice.currentIndex(), 0)
        self.choice.blockSignals(True)
        self.choice.clear()
        for label, period in _presets(self.year.value()):
            self.choice.addItem(label, period)
        self.choice.addItem(_("Other dates"), None)
        self.choice.blockSignals(False)
        self.choice.setCurrentIndex(min(index, self.choice.count() - 1))
        self._chosen()

    def _chosen(self, *_args: object) -> None:
        period = self.choice.currentData()
        custom = period is None
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if period:
            for edit, day in zip((self.start, self.end), period):
                edit.setDate(day)

    def period(self) -> tuple[dt.date, dt.date]:
        return _day(self.start), _day(self.end)


class IssueDialog(FormDialog, EvidenceFiles):
    """Ban hành báo cáo: number, period and files of an issued report (Nghị định 30/2020).

    Issuing writes the xlsx and PDF, and at a parent sums every child's signed report (the
    consolidated PDF of 800 children takes seconds): with a ``runner`` the report is made on
    the background worker while the form stays open with a busy bar and cannot be closed,
    so the window keeps painting; a refusal comes back beside its field."""

    def __init__(self, parent: QWidget | None, workspace: Any,
                 runner: TaskRunner | None = None) -> None:
        parent_role = workspace.installation().role == "parent"
        super().__init__(parent, _("Issue a report"), _(
            "The report takes the next number of the unit's register for the year; its files "
            "are written now and kept with their SHA-256. A leader's sign-off locks it.")
            if not parent_role else _(
            "A consolidated report in the unit's own name over its child units; those that "
            "have not reported for the period are listed in it."))
        self.draft_context = "new"  # typing kept as a draft (issue 15)
        today = workspace.today()
        self.kind = QComboBox()
        for kind in archive.report_kinds(workspace):
            self.kind.addItem(_(kind.title), kind.key)
        self.row(_("Report"), self.kind)
        self.period = PeriodPicker(today)
        self.row(_("Period"), self.period)
        self.issued_on = date_edit(today)
        self.row(_("Date of issue"), self.issued_on)
        self.number = number_box(999999)
        self.number.setMinimum(1)
        self.number.setValue(archive.next_number(workspace, today.year))
        self.row(_("Number in the register"), self.number)
        self.symbol = QLineEdit(archive.DEFAULT_SYMBOL)
        self.row(_("Symbol"), self.symbol)
        self.title_edit = QLineEdit()
        self.row(_("Subject (optional)"), self.title_edit)
        apply_rules("issued_report", symbol=self.symbol, title=self.title_edit)
        self.evidence: list[Path] = []
        self.files = QListWidget()
        self.files.setMaximumHeight(60)
        self.row(_("Other files"), self.files)
        add = QPushButton(_("Add a file…"))
        add.clicked.connect(self.choose_file)
        self.form.addRow("", add)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Issue"))
        self.runner = runner
        #: True while the report is being made in the background
        self.saving = False
        self.progress = QProgressBar(maximum=0, textVisible=False)  # busy: no known end
        self.progress_label = QLabel(
            _("Making the consolidated report from the child units' reports…") if parent_role
            else _("Making the report's files…"), wordWrap=True)
        self.progress_label.setObjectName("muted")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        for widget in (self.progress_label, self.progress):
            widget.hide()
            layout.insertWidget(layout.indexOf(self.buttons), widget)

    def _accept(self) -> None:
        """Save on the background worker when the page gave a runner (see the class)."""
        if self.runner is None or self.saver is None:
            super()._accept()
            return
        self.refresh()
        if self.saving or not self.buttons.button(
                QDialogButtonBox.StandardButton.Ok).isEnabled():
            return
        save, values = self.saver, self.values()

        def work() -> tuple[bool, Any]:
            try:
                return True, save(values)
            except UserError as error:  # shown beside its field, the form stays open
                return False, error

        self._busy(True)
        self.runner.run(work, on_done=self._saved, on_error=self._failed)

    def _busy(self, busy: bool) -> None:
        self.saving = busy
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        self.buttons.setEnabled(not busy)
        for index in range(self.form.count()):  # every field and button of the form
            item = self.form.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()
            self.period._chosen()  # its own dates follow the chosen period again
        self.fit_height()

    def _saved(self, outcome: tuple[bool, Any]) -> None:
        self._busy(False)
        done, result = outcome
        if done:
            self.saved = result
            self.accept()
        else:
            self.show_error(result)

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.field_errors.show(message, None)
        self.fit_height()

    def reject(self) -> None:
        if not self.saving:  # Esc or Cancel cannot leave a report half made
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.saving:
            event.ignore()
            return
        super().closeEvent(event)

    def problem(self) -> str:
        start, end = self.period.period()
        if start > end:
            return _("The period cannot end before it starts.")
        if not self.symbol.text().strip():
            return _("Write the symbol, e.g. BC-UBND.")
        return ""

    def values(self) -> dict[str, Any]:
        start, end = self.period.period()
        return {"kind": self.kind.currentData(), "period_start": start, "period_end": end,
                "issued_on": _day(self.issued_on), "number": self.number.value(),
                "symbol": self.symbol.text(), "title": self.title_edit.text(),
                "files": list(self.evidence)}


class SignOffDialog(FormDialog, EvidenceFiles):
    def __init__(self, parent: QWidget | None, report: archive.IssuedInfo,
                 today: dt.date) -> None:
        super().__init__(parent, _("Sign off report {number}").format(
            number=report.number_symbol), _(
            "Once signed off, the report can no longer be changed or deleted; it goes up in "
            "the next package."))
        self.draft_context = str(report.id)  # typing kept as a draft (issue 15)
        self.approver = QLineEdit(report.signer_name)
        self.row(_("Approving leader"), self.approver)
        apply_rules("issued_report", approved_by=self.approver)
        self.approved_on = date_edit(max(today, report.issued_on))
        self.row(_("Date"), self.approved_on)
        self.evidence = []
        self.files = QListWidget()
        self.files.setMaximumHeight(40)
        self.row(_("Signed scan (optional)"), self.files)
        add = QPushButton(_("Add a file…"))
        add.clicked.connect(self.choose_file)
        self.form.addRow("", add)

    def problem(self) -> str:
        return "" if self.approver.text().strip() else _("Name the leader who signs it off.")

    def values(self) -> dict[str, Any]:
        return {"approver": self.approver.text(),
                "approved_on": _day(self.approved_on),
                "signed_file": self.evidence[-1] if self.evidence else None}


class RequestDialog(FormDialog):
    def __init__(self, parent: QWidget | None, workspace: Any) -> None:
        super().__init__(parent, _("Ask the child units for a report"), _(
            "Every child unit sees the request after the next package; the board of who "
            "reported counts it from its due date."))
        self.draft_context = "new"  # typing kept as a draft (issue 15)
        today = workspace.today()
        self.kind = QComboBox()
        for kind in archive.report_kinds(workspace, role="commune"):
            self.kind.addItem(_(kind.title), kind.key)
        self.row(_("Report"), self.kind)
        self.period = PeriodPicker(today)
        self.row(_("Period"), self.period)
        self.due = date_edit(today)
        self.row(_("Due on"), self.due)
        self.basis = QLineEdit()
        self.row(_("Asked by (text)"), self.basis)
        apply_rules("report_request", legal_basis=self.basis)

    def problem(self) -> str:
        start, end = self.period.period()
        if start > end:
            return _("The period cannot end before it starts.")
        if _day(self.due) < end:
            return _("The due date comes after the period ends.")
        return ""

    def values(self) -> dict[str, Any]:
        start, end = self.period.period()
        return {"kind": self.kind.currentData(), "period_start": start, "period_end": end,
                "due_on": _day(self.due), "legal_basis": self.basis.text()}
