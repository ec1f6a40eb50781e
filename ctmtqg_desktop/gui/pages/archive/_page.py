"""The "Báo cáo đã ban hành" page: the register (issue, sign off, withdraw, open the signed
file) and what is due: for a commune, what its parent asked; for a parent, per child unit and
report, what arrived, when, on time or late, and who is missing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.formats import format_date, format_datetime, format_percent
from ctmtqg_desktop.gui.pages.archive._dialogs import IssueDialog, RequestDialog, SignOffDialog
from ctmtqg_desktop.gui.pages.base import WorkingPage
from ctmtqg_desktop.gui.tables import CENTER, Cell, StateTable
from ctmtqg_desktop.gui.widgets import FormDialog
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import archive

#: the row colour of each completeness state
STATE_COLOURS = {archive.LATE: "due_soon", archive.UNSIGNED: "due_soon",
                 archive.MISSING: "late"}


def open_with_system(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ArchivePage(WorkingPage):
    def build(self) -> None:
        self.parent_role = self.context.role == "parent"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        self.issue_button = QPushButton()
        self.issue_button.setObjectName("primary")
        self.issue_button.clicked.connect(self.issue)
        self.request_button = QPushButton()
        self.request_button.clicked.connect(self.ask)
        self.request_button.setVisible(self.parent_role)
        self.add_header(layout, self.request_button, self.issue_button)
        self.tabs = QTabWidget()
        # the register
        register = QWidget()
        inner = QVBoxLayout(register)
        self.register = StateTable(stretch=3)
        self.register.itemSelectionChanged.connect(self._enable)
        self.register.doubleClicked.connect(self.open_selected)
        inner.addWidget(self.register, 1)
        buttons = QHBoxLayout()
        self.sign_button, self.open_button, self.delete_button = (QPushButton() for _i in
                                                                  range(3))
        self.sign_button.clicked.connect(self.sign)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.withdraw)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        inner.addLayout(buttons)
        # what is due and what arrived
        due = QWidget()
        inner = QVBoxLayout(due)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("cardTitle")
        inner.addWidget(self.summary)
        self.due = StateTable(stretch=1)
        self.due.doubleClicked.connect(self.open_due)
        inner.addWidget(self.due, 1)
        row = QHBoxLayout()
        self.open_due_button = QPushButton()
        self.open_due_button.clicked.connect(self.open_due)
        row.addWidget(self.open_due_button)
        row.addStretch(1)
        inner.addLayout(row)
        self.tabs.addTab(register, "")
        self.tabs.addTab(due, "")
        layout.addWidget(self.tabs, 1)
        self.add_footer(layout)
        self.open_path = open_with_system
        self.reports: list[archive.IssuedInfo] = []
        self.rows: list[archive.CompletenessRow] = []

    def retranslate(self) -> None:
        self.title.setText(_("Issued reports"))
        self.subtitle.setText(
            _("Reports issued in the unit's name with their number, signed off by a leader "
              "and sent up. Below: who has reported what the unit asked, on time or late.")
            if self.parent_role else
            _("Reports issued with their number and symbol, signed off by a leader (then "
              "locked) and sent up in the next package, and what the parent unit asks."))
        self.issue_button.setText(_("Issue a report…"))
        self.request_button.setText(_("Ask for a report…"))
        self.sign_button.setText(_("Sign off…"))
        self.open_button.setText(_("Open the signed file"))
        self.delete_button.setText(_("Withdraw (issued by mistake)…"))
        self.open_due_button.setText(_("Open the signed file"))
        self.tabs.setTabText(0, _("Register of issued reports"))
        self.tabs.setTabText(1, _("Reports of the child units") if self.parent_role
                             else _("Asked by the parent unit"))

    def activate(self) -> None:
        self.reload()

    # ----------------------------------------------------------------------- loading
    def reload(self) -> None:
        workspace = self.workspace
        self.work(lambda: (archive.issued_reports(workspace), archive.completeness(workspace)),
                  self._show)

    def _show(self, result: object) -> None:
        assert isinstance(result, tuple)
        reports: list[archive.IssuedInfo] = result[0]
        found: archive.Completeness = result[1]
        self.reports, self.rows = list(reports), list(found.rows)
        self.register.fill(
            [_("Number"), _("Date"), _("Period"), _("Report"), _("Signer"), _("Signed off"),
             _("Files")],
            [[Cell(r.number_symbol), Cell(format_date(r.issued_on), CENTER), r.period,
              Cell(r.title, tooltip=r.title + ("\n" + _("Not reported: {units}").format(
                  units=", ".join(r.not_reported)) if r.not_reported else "")),
              r.signer_name, (r.approved_by + ", " + format_date(r.approved_on))
              if r.signed else _("not yet"),
              Cell(str(len(r.files)), CENTER, "\n".join(f"{f.name}  SHA-256 {f.sha256}"
                                                        for f in r.files))]
             for r in self.reports],
            keys=[r.id for r in self.reports],
            states=["normal" if r.signed else "due_soon" for r in self.reports])
        self.register.cap_columns({3: 420})
        self.due.fill(
            [_("Unit"), _("Report"), _("Period"), _("Due on"), _("Number"), _("Signed off on"),
             _("Received"), _("State")],
            [[row.unit_name, row.request.title, row.request.period,
              Cell(format_date(row.request.due_on), CENTER),
              row.report.number_symbol if row.report else "",
              Cell(format_date(row.report.approved_on) if row.report and row.report.signed
                   else "", CENTER),
              Cell(format_date(row.received_on), CENTER, format_datetime(row.received_at))
              if row.received_on and self.parent_role else
              format_datetime(row.received_at) if row.received_at and self.parent_role
              else "", Cell(archive.state_text(row), tooltip=archive.state_text(row))]
             for row in self.rows],
            keys=list(range(len(self.rows))),
            states=[STATE_COLOURS.get(row.state, "normal") for row in self.rows])
        self.due.cap_columns({0: 200, 1: 380})
        if not self.rows:
            self.summary.setText(_("No report has been asked for.") if self.parent_role
                                 else _("The parent unit has asked for no report yet."))
        else:
            ratio = found.ratio
            self.summary.setText(_(
                "On time {on_time}, late {late}, not signed off {unsigned}, missing {missing}, "
                "not due yet {not_due}. Received of those due: {ratio}.").format(
                **{s: found.count(s) for s in archive.STATES},
                ratio=format_percent(ratio) if ratio is not None else "–"))
        self._enable()

    def _selected(self) -> archive.IssuedInfo | None:
        key = self.register.current_key()
        return next((r for r in self.reports if r.id == key), None)

    def _enable(self) -> None:
        report = self._selected()
        self.sign_button.setEnabled(report is not None and not report.signed)
        self.delete_button.setEnabled(report is not None and not report.signed)
        self.open_button.setEnabled(report is not None and bool(report.files))

    # ----------------------------------------------------------------------- actions
    def issue(self) -> None:
        """The form issues the report on Save; a refusal stays in it, beside its field."""
        workspace = self.workspace
        make = archive.issue_consolidated if self.parent_role else archive.issue_report
        saved, report = FormDialog.run_saving(IssueDialog(self, workspace, self.context.runner),
                                              lambda values: make(workspace, **values))
        if saved:
            self._issued(report)

    def issue_with(self, values: dict[str, Any]) -> None:
        workspace = self.workspace
        make = archive.issue_consolidated if self.parent_role else archive.issue_report
        self.work(lambda: make(workspace, **values), self._issued)

    def _issued(self, result: object) -> None:
        report: archive.IssuedInfo = result  # type: ignore[assignment]
        self.show_message(_("Report {number} issued: {title}.").format(
            number=report.number_symbol, title=report.title))
        self.reload()

    def sign(self) -> None:
        report = self._selected()
        if report is None:
            return
        workspace = self.workspace
        saved, signed = FormDialog.run_saving(  # a refusal stays in the form
            SignOffDialog(self, report, workspace.today()),
            lambda values: archive.sign_off(workspace, report.id, **values))
        if saved:
            self._signed(signed)

    def sign_with(self, report_id: uuid.UUID, values: dict[str, Any]) -> None:
        workspace = self.workspace
        self.work(lambda: archive.sign_off(workspace, report_id, **values), self._signed)

    def _signed(self, result: object) -> None:
        signed: archive.IssuedInfo = result  # type: ignore[assignment]
        self.show_message(_("Report {number} signed off by {approver}; it can no longer "
                            "be changed.").format(number=signed.number_symbol,
                                                  approver=signed.approved_by))
        self.reload()

    def withdraw(self) -> None:
        report = self._selected()
        if report is None:
            return
        answer = QMessageBox.question(self, _("Withdraw a report"), _(
            "Withdraw report {number} issued by mistake? Its number is freed if it is the "
            "last one.").format(number=report.number_symbol))
        if answer == QMessageBox.StandardButton.Yes:
            self.withdraw_report(report.id)

    def withdraw_report(self, report_id: uuid.UUID) -> None:
        workspace = self.workspace

        def done(_result: object) -> None:
            self.show_message(_("The report was withdrawn."))
            self.reload()

        self.work(lambda: archive.delete_report(workspace, report_id), done)

    def ask(self) -> None:
        values = FormDialog.run(RequestDialog(self, self.workspace))
        if values is not None:
            self.ask_with(values)

    def ask_with(self, values: dict[str, Any]) -> None:
        workspace = self.workspace

        def done(result: object) -> None:
            saved: archive.RequestInfo = result  # type: ignore[assignment]
            self.show_message(_("Every child unit is asked for “{title}” by {due}.").format(
                title=saved.title, due=format_date(saved.due_on)))
            self.reload()

        self.work(lambda: archive.save_request(workspace, **values), done)

    def _open(self, report_id: uuid.UUID) -> None:
        workspace = self.workspace
        folder = workspace.folder / "cache" / "opened"
        self.work(lambda: archive.open_file(workspace, report_id, folder),
                  lambda path: self.open_path(path))  # type: ignore[arg-type]

    def open_selected(self, *_args: object) -> None:
        report = self._selected()
        if report is not None:
            self._open(report.id)

    def open_due(self, *_args: object) -> None:
        index = self.due.current_key()
        if index is None or not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        if row.report is None:
            self.show_message(_("{unit} has not sent this report.").format(
                unit=row.unit_name), "late")
            return
        self._open(row.report.id)
