"""Đồng bộ: send packages to the parent unit (or a child unit) and receive theirs.

The first tab is the job: on the left, what has not been sent yet and the "Make sync
package" button; on the right, a drop area for received packages and each file's outcome.
The other tabs hold the installations (with their fingerprints, to accept one after a phone
call), packages waiting, the history, and values overridden by a newer edit.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_datetime, format_number
from ctmtqg_desktop.gui import settings as gui_settings
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_BACKGROUND, LATE_BACKGROUND
from ctmtqg_desktop.gui.pages.base import STATE_STYLE, Page
from ctmtqg_desktop.gui.pages.sync._tabs import (
    ConflictsTab,
    HistoryTab,
    NodesTab,
    WaitingTab,
    question,
)
from ctmtqg_desktop.gui.widgets import DropArea, WrappingTable, unbroken
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import sync

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.background import Job
    from ctmtqg_desktop.store.workspace import Workspace

#: the folder packages were last written to or read from, on this computer
SYNC_FOLDER = gui_settings.GuiSetting("sync/folder", str, "")
#: the recipient choice "Gửi cho tất cả đơn vị cấp dưới"
ALL_CHILDREN = "*all-children*"
#: days without a package after which the page says so in amber, then in red
DUE_SOON_DAYS, LATE_DAYS = 7, 30
_PROBLEM_OUTCOMES = ("rejected", "alert")
_WAITING_OUTCOMES = ("held", "quarantined", "newer")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class SendReceiveTab(QWidget):
    def __init__(self, page: SyncPage) -> None:
        super().__init__()
        self.page = page
        self.summary: sync.PendingSummary | None = None
        self.last_result: sync.ExportResult | None = None
        self.child_units: list[sync.RecipientChoice] = []
        self.cancel_event: threading.Event | None = None
        layout = QHBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(self._build_send(), 5)
        layout.addWidget(self._build_receive(), 6)

    def _build_send(self) -> QWidget:
        """To whom, what is waiting to go, where the package goes, and the export."""
        send = QWidget(objectName="sidePanel")
        column = QVBoxLayout(send)
        self.send_title = QLabel(objectName="cardTitle")
        column.addWidget(self.send_title)
        row = QHBoxLayout()
        self.recipient_label = QLabel()
        self.recipient = QComboBox()
        self.recipient.currentIndexChanged.connect(lambda _i: self.page.load_pending())
        self.recipient_label.setBuddy(self.recipient)
        row.addWidget(self.recipient_label)
        row.addWidget(self.recipient, 1)
        column.addLayout(row)
        self.state = QLabel(wordWrap=True, objectName="cardLine")
        column.addWidget(self.state)
        self.counts = QTableWidget(0, 4)
        self.counts.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.counts.setSelectionMode(QAbstractItemView.NoSelection)
        self.counts.setFocusPolicy(Qt.NoFocus)
        self.counts.verticalHeader().hide()
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        column.addWidget(self.counts)
        folder_row = QHBoxLayout()
        self.folder_label = QLabel()
        # a real path field: typed or pasted paths count, as does the folder chosen
        self.folder = QLineEdit(clearButtonEnabled=True)
        self.folder.editingFinished.connect(self._folder_typed)
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)
        column.addLayout(folder_row)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(objectName="primary")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.export_progress = QProgressBar()
        self.export_progress.hide()
        column.addWidget(self.export_progress)
        self.result = QLabel(wordWrap=True, objectName="formMessage")
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        column.addWidget(self.result)
        self.open_folder = QPushButton()
        self.open_folder.hide()
        self.open_folder.clicked.connect(self._open_folder)
        column.addWidget(self.open_folder, 0, Qt.AlignLeft)
        column.addStretch(1)
        return send

    def _build_receive(self) -> QWidget:
        """Packages dropped or chosen, and what their import did."""
        receive = QWidget(objectName="sidePanel")
        column = QVBoxLayout(receive)
        self.receive_title = QLabel(objectName="cardTitle")
        column.addWidget(self.receive_title)
        self.drop = DropArea()
        self.drop.dropped.connect(self.import_files)
        self.drop.choose.clicked.connect(self._choose_files)
        column.addWidget(self.drop)
        self.import_progress = QProgressBar()
        self.import_progress.hide()
        column.addWidget(self.import_progress)
        self.outcomes = WrappingTable(0, 2)
        self.outcomes.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.outcomes.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.outcomes.setWordWrap(True)
        self.outcomes.verticalHeader().hide()
        self.outcomes.horizontalHeader().setSectionResizeMode(0, QHeaderView.Fixed)
        self.outcomes.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.outcomes.setColumnWidth(0, 210)
        self.outcomes.setTextElideMode(Qt.ElideMiddle)
        column.addWidget(self.outcomes, 1)
        self.import_summary = QLabel(wordWrap=True, objectName="formMessage")
        column.addWidget(self.import_summary)
        return receive

    def retranslate(self) -> None:
        self.send_title.setText(_("Send a sync package"))
        self.recipient_label.setText(_("&Send to"))
        self.counts.setHorizontalHeaderLabels([_("Kind of record"), _("New"), _("Changed"),
                                               _("Deleted")])
        self.folder_label.setText(_("Save in"))
        self.folder_button.setText(_("Choose &folder…"))
        # short, so that it is not cut at 1366x768; the tooltip says it in full
        self.folder.setPlaceholderText(_("Type or choose a folder"))
        self.folder.setToolTip(_("Type the folder's path or choose it"))
        self.folder_label.setBuddy(self.folder)
        self.export_button.setText(_("&Make sync package"))
        self.cancel_button.setText(_("Cancel"))
        self.open_folder.setText(_("Open the folder"))
        self.receive_title.setText(_("Receive sync packages"))
        self.drop.label.setText(_("Drag the received package files (.ctsync) here, several at "
                                  "once if you like, or"))
        self.drop.choose.setText(_("Choose &files…"))
        self.outcomes.setHorizontalHeaderLabels([_("File"), _("Outcome")])
        if self.summary is not None:
            self.show_pending(self.summary)

    # -- sending ------------------------------------------------------------------------
    def set_recipients(self, choices: list[sync.RecipientChoice]) -> None:
        current = self.recipient.currentData()
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for choice in choices:
            relation = _("parent unit") if choice.relation == "parent" else _("child unit")
            self.recipient.addItem(f"{choice.unit_name} ({relation})",
                                   choice.unit_id if choice.relation == "child" else "")
        self.child_units = [c for c in choices if c.relation == "child"]
        if len(self.child_units) > 1:  # a circular for every commune is one step
            self.recipient.addItem(_("Send to all child units ({count})").format(
                count=len(self.child_units)), ALL_CHILDREN)
        index = self.recipient.findData(current) if current is not None else 0
        self.recipient.setCurrentIndex(max(index, 0))
        self.recipient.blockSignals(False)
        self.export_button.setEnabled(bool(choices))
        if not choices:
            self.state.setText(_("This unit has no parent unit in the catalog and no child "
                                 "unit has been enrolled yet."))

    def recipient_code(self) -> str | None:
        return self.recipient.currentData() or None

    def _export_to_children(self, workspace: Workspace, folder: Path) -> None:
        """One package for each enrolled child, in one step: the same export as for one
        recipient, repeated (a refusal for one child does not stop the others)."""
        children = list(self.child_units)

        def work(job: Job) -> list[tuple[sync.RecipientChoice, sync.ExportResult | str]]:
            outcomes: list[tuple[sync.RecipientChoice, sync.ExportResult | str]] = []
            for number, child in enumerate(children):
                job.check()
                job.progress(number, len(children), child.unit_name)
                try:
                    outcomes.append((child, sync.export_package(workspace, folder,
                                                                to=child.unit_id,
                                                                check=job.check)))
                except UserError as error:
                    outcomes.append((child, str(error)))
            return outcomes

        def done(outcomes: list[tuple[sync.RecipientChoice, sync.ExportResult | str]]
                 ) -> None:
            self._busy(False, self.export_progress)
            written = [result for _child, result in outcomes
                       if not isinstance(result, str)]
            lines = [_("{written} of {count} child units have a package in {folder}.").format(
                written=len(written), count=len(outcomes), folder=folder)]
            for child, result in outcomes:
                lines.append(f"{child.unit_name}: " + (result if isinstance(result, str)
                                                       else result.path.name))
            self.result.setText("\n".join(lines))
            if written:
                self.last_result = written[-1]
                self.open_folder.show()
            self.page.notify(lines[0])
            self.page.refresh()

        self.cancel_event = self.page.context.runner.run(
            work, with_job=True, on_done=done, on_error=self._failed,
            on_progress=self._progress(self.export_progress))

    def show_pending(self, summary: sync.PendingSummary) -> None:
        self.summary = summary
        parts, state = [], "normal"
        if summary.last_package_at is None:
            parts.append(_("No package has been made for {unit} yet.").format(
                unit=summary.recipient_name))
            if summary.unsent_total:
                state = "due_soon"
        else:
            age = (_utc_now() - summary.last_package_at).days
            parts.append(_("Last package: no. {number}, made {when}.").format(
                number=summary.last_package_number,
                when=format_datetime(summary.last_package_at)))
            if summary.unsent_total and age >= LATE_DAYS:
                state = "late"
            elif summary.unsent_total and age >= DUE_SOON_DAYS:
                state = "due_soon"
        if summary.unsent_total:
            parts.append(_("{count} changes have not been sent yet; the oldest dates from "
                           "{when}.").format(
                count=format_number(summary.unsent_total),
                when=format_datetime(summary.earliest_unsent_at)))
        else:
            parts.append(_("Every change has been put in a package."))
        if summary.unconfirmed_total:
            parts.append(_("{count} changes were sent but {unit} has not confirmed receiving "
                           "them; they go again in the next package.").format(
                count=format_number(summary.unconfirmed_total), unit=summary.recipient_name))
        if summary.receipts_waiting:
            parts.append(_("Receipts for {count} packages received from {unit} will go with "
                           "the next package.").format(count=summary.receipts_waiting,
                                                       unit=summary.recipient_name))
        if not summary.known_nodes:
            parts.append(_("The key of {unit} is not known yet, so the package will not be "
                           "encrypted.").format(unit=summary.recipient_name))
        self.state.setText(" ".join(parts))
        self.state.setProperty("state", state)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
        self.counts.setRowCount(len(summary.unsent))
        for row, table in enumerate(summary.unsent):
            values = [table.label, format_number(table.inserts), format_number(table.updates),
                      format_number(table.deletes)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.counts.setItem(row, column, item)
        rows_height = sum(self.counts.rowHeight(r) for r in range(self.counts.rowCount()))
        self.counts.setFixedHeight(min(self.counts.horizontalHeader().sizeHint().height()
                                       + rows_height + 2 * self.counts.frameWidth(), 220))
        self.counts.setVisible(bool(summary.unsent))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Where to save the package"),
                                                  self.folder.text())
        if folder:
            self.set_folder(Path(folder))

    def _folder_typed(self) -> None:
        text = self.folder.text().strip()
        if text:
            gui_settings.save(SYNC_FOLDER, text)

    def set_folder(self, folder: Path) -> None:
        self.folder.setText(str(folder))
        gui_settings.save(SYNC_FOLDER, str(folder))

    def export(self, *, encrypt: bool = True) -> None:
        """Make the package in the background, with progress and cancel. A package with
        personal data that cannot be encrypted is made only after the officer, told why,
        agrees (issue 12)."""
        if not self.folder.text():
            self._choose_folder()
            if not self.folder.text():
                return
        workspace, to, folder = self.page.workspace, self.recipient_code(), \
            Path(self.folder.text().strip()).expanduser()
        if not folder.is_dir() and not folder.parent.is_dir():
            self.result.setText(_("There is no folder {folder}. Type the path of an existing "
                                  "folder or press Choose…; nothing was written.").format(
                folder=folder.parent))
            self.result.setStyleSheet(STATE_STYLE["late"])
            self.folder.setFocus()
            return
        self.result.setStyleSheet("")
        if to == ALL_CHILDREN:
            self._busy(True, self.export_progress)
            self.result.clear()
            self.open_folder.hide()
            self._export_to_children(workspace, folder)
            return
        self._busy(True, self.export_progress)
        self.result.clear()
        self.open_folder.hide()

        def done(result: sync.ExportResult | sync.UnencryptedPersonalData) -> None:
            self._busy(False, self.export_progress)
            if isinstance(result, sync.UnencryptedPersonalData):
                if self.page.confirm(_("Send without encryption?"), str(result)):
                    self.export(encrypt=False)
                else:
                    self.result.setText(str(result))
                return
            self.last_result = result
            lines = [sync.export_message(result)]
            lines += [_("{label}: {inserts} new, {updates} changed, {deletes} deleted").format(
                label=t.label, inserts=format_number(t.inserts),
                updates=format_number(t.updates), deletes=format_number(t.deletes))
                for t in result.tables]
            lines.append(_("Saved as {path}. Send this file to {unit} on a USB stick or by any "
                           "messenger.").format(path=result.path, unit=result.recipient_name))
            self.result.setText("\n".join(lines))
            self.open_folder.show()
            self.page.notify(_("Sync package no. {number} is ready.").format(
                number=result.number))
            self.page.refresh()

        def work(job: Any) -> sync.ExportResult | sync.UnencryptedPersonalData:
            try:
                return sync.export_package(workspace, folder, to=to, check=job.check,
                                           progress=job.progress, encrypt=encrypt)
            except sync.UnencryptedPersonalData as refused:
                return refused

        self.cancel_event = self.page.context.runner.run(
            work,
            with_job=True, on_done=done, on_error=self._failed,
            on_progress=self._progress(self.export_progress))

    # -- receiving ----------------------------------------------------------------------
    def _choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose the received packages"), self.folder.text(),
            _("Sync packages (*.ctsync);;All files (*)"))
        if names:
            self.import_files([Path(name) for name in names])

    def import_files(self, paths: list[Path]) -> None:
        if self.page.loading or not paths:
            return
        workspace = self.page.workspace
        self._busy(True, self.import_progress)
        self.import_summary.clear()

        def done(report: sync.ImportReport) -> None:
            self._busy(False, self.import_progress)
            self.show_outcomes(report.files + report.retried)
            applied = sum(1 for o in report.files if o.ok)
            text = _("{ok} of {total} files applied or already applied.").format(
                ok=applied, total=len(report.files))
            if report.cancelled:
                text += " " + _("Stopped at your request: the file being applied was left "
                                "unchanged and the files after it were not opened.")
            self.import_summary.setText(text)
            self.page.refresh()

        self.cancel_event = self.page.context.runner.run(
            lambda job: sync.import_packages(workspace, paths, check=job.check,
                                                    progress=job.progress),
            with_job=True, on_done=done, on_error=self._failed,
            on_progress=self._progress(self.import_progress))

    def show_outcomes(self, outcomes: list[sync.ImportOutcome]) -> None:
        """One row per file: its name (and sender), then the outcome and its reason."""
        self.outcomes.setRowCount(len(outcomes))
        for row, outcome in enumerate(outcomes):
            name = unbroken(outcome.file_name)
            if outcome.sender_name:
                name += "\n" + _("from {unit}").format(unit=outcome.sender_name)
            values = [name, outcome.outcome_label.upper() + "\n" + outcome.message]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(outcome.message)
                if outcome.outcome in _PROBLEM_OUTCOMES:
                    item.setBackground(LATE_BACKGROUND)
                elif outcome.outcome in _WAITING_OUTCOMES:
                    item.setBackground(DUE_SOON_BACKGROUND)
                self.outcomes.setItem(row, column, item)
        self.outcomes.resizeRowsToContents()

    # -- shared -------------------------------------------------------------------------
    def _progress(self, bar: QProgressBar):
        def show(done: int, total: int, text: str) -> None:
            bar.setMaximum(max(total, 1))
            bar.setValue(min(done, max(total, 1)))
            bar.setFormat(text or "%p%")

        return show

    def _busy(self, busy: bool, bar: QProgressBar) -> None:
        self.page.loading = busy
        bar.setVisible(busy)
        bar.setValue(0)
        bar.setMaximum(0)
        self.cancel_button.setVisible(busy)
        self.export_button.setEnabled(not busy)
        self.drop.choose.setEnabled(not busy)
        if not busy:
            self.cancel_event: threading.Event | None = None

    def _failed(self, message: str) -> None:
        self._busy(False, self.export_progress)
        self._busy(False, self.import_progress)
        self.result.setText(message)

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()

    def _open_folder(self) -> None:
        if self.last_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_result.path.parent)))


class SyncPage(Page):
    def build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.add_header(layout)
        self.subtitle.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self.exchange = SendReceiveTab(self)
        self.nodes = NodesTab(self)
        self.waiting = WaitingTab(self)
        self.history = HistoryTab(self)
        self.conflicts = ConflictsTab(self)
        for tab in (self.exchange, self.nodes, self.waiting, self.history, self.conflicts):
            self.tabs.addTab(tab, "")
        layout.addWidget(self.tabs, 1)
        self.status: sync.SyncStatus | None = None
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.exchange.cancel)
        folder = gui_settings.load(SYNC_FOLDER)
        if folder:
            self.exchange.folder.setText(folder)

    def retranslate(self) -> None:
        self.title.setText(_("Synchronisation"))
        for tab in (self.exchange, self.nodes, self.waiting, self.history, self.conflicts):
            tab.retranslate()
        self._tab_titles()
        if self.status is not None:
            self._show_status(self.status)

    def _tab_titles(self) -> None:
        status = self.status
        pending = len(status.pending_nodes) if status else 0
        waiting = sum(status.waiting.values()) if status else 0
        unreviewed = status.conflicts_unreviewed if status else 0

        def counted(text: str, count: int) -> str:
            return f"{text} ({count})" if count else text

        self.tabs.setTabText(0, _("Send and receive"))
        self.tabs.setTabText(1, counted(_("Installations"), pending))
        self.tabs.setTabText(2, counted(_("Waiting packages"), waiting))
        self.tabs.setTabText(3, _("History"))
        self.tabs.setTabText(4, counted(_("Overridden values"), unreviewed))

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Reload everything the page shows (after an import, an export, an acceptance)."""
        workspace = self.workspace
        self.loading = True

        def load():
            return (sync.status(workspace), sync.recipients(workspace),
                    sync.list_nodes(workspace), sync.waiting_packages(workspace))

        self.context.runner.run(load, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, result) -> None:
        status, choices, nodes, waiting = result
        self.status = status
        self._show_status(status)
        self.exchange.set_recipients(choices)
        self.nodes.load(nodes)
        self.waiting.load(waiting)
        self.history.reload()
        self.conflicts.reload()
        self._tab_titles()
        self.loading = False
        if choices:
            self.load_pending()
        window = self.window()
        if hasattr(window, "refresh_sync_status"):
            window.refresh_sync_status()

    def _show_status(self, status: sync.SyncStatus) -> None:
        local = status.local
        self.subtitle.setText(_("Packages travel on a USB stick or by any messenger; each one "
                                "is signed by this computer and checked completely before "
                                "anything is applied. This computer's fingerprint: "
                                "{fingerprint}").format(fingerprint=local.fingerprint))

    def load_pending(self) -> None:
        workspace, to = self.workspace, self.exchange.recipient_code()
        self.context.runner.run(lambda: sync.pending(workspace, to),
                                on_done=self.exchange.show_pending, on_error=self._failed)

    def _failed(self, message: str) -> None:
        self.loading = False
        self.exchange.state.setText(message)

    def show_outcomes(self, outcomes) -> None:
        if outcomes:
            self.exchange.show_outcomes(outcomes)

    def notify(self, text: str) -> None:
        self.context.notify(text)

    def confirm(self, title: str, text: str) -> bool:
        return question(self, title, text)

    def focus_search(self) -> bool:
        self.tabs.setCurrentWidget(self.history)
        self.history.search.setFocus()
        return True
