"""Sao lưu / Khôi phục on the Settings page: the workspace's backups, a backup now (here or
onto a USB stick) and a restore of a chosen backup, after a confirmation that says what it
does. The work runs on the background runner; errors are the services' sentences."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_datetime, format_number, format_size
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import backups

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.workspaces._settings import SettingsPage


RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class BackupsBox(QGroupBox):
    """The "Sao lưu và khôi phục" group of the Settings page."""

    def __init__(self, page: SettingsPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.listed: list[backups.BackupInfo] = []
        layout = QVBoxLayout(self)
        self.explanation = QLabel(wordWrap=True)
        self.explanation.setObjectName("subtitle")
        layout.addWidget(self.explanation)
        actions = QHBoxLayout()
        self.backup_button = QPushButton()
        self.backup_button.setObjectName("primary")
        self.backup_button.clicked.connect(lambda: self.back_up())
        self.usb_button = QPushButton()
        self.usb_button.clicked.connect(self.back_up_elsewhere)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton()
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(self.page.workspace.backups_dir))))
        for button in (self.backup_button, self.usb_button, self.restore_button,
                       self.restore_file_button, self.open_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.table = QTableWidget(0, 6)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(150)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        layout.addWidget(self.table)
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("formMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

    def retranslate(self) -> None:
        self.setTitle(_("Backup and restore"))
        self.explanation.setText(_(
            "A backup holds the records, the attached files and this installation's keys. "
            "One is taken automatically every day and before every import and upgrade; "
            "7 daily, 4 weekly and 12 monthly backups are kept. Keep a copy on a USB stick "
            "in another place: it holds the keys, so keep it safe."))
        self.backup_button.setText(_("Back up now"))
        self.usb_button.setText(_("Back up to a USB stick…"))
        self.restore_button.setText(_("Restore…"))
        self.restore_file_button.setText(_("Restore from a file…"))
        self.open_button.setText(_("Open the backups folder"))
        self.table.setHorizontalHeaderLabels([_("Taken at"), _("Why"), _("Data version"),
                                              _("Size"), _("Attached files"), _("File")])
        self._selection_changed()

    # -- listing ------------------------------------------------------------------------
    def refresh(self) -> None:
        workspace = self.page.workspace
        self.page.context.runner.run(lambda: backups.workspace_backups(workspace),
                                     on_done=self._listed, on_error=self.message.setText)

    def _listed(self, listing: backups.Listing) -> None:
        self.listed = listing.backups
        self.table.setRowCount(len(self.listed))
        for row, info in enumerate(self.listed):
            values = [format_datetime(info.created_at), info.reason_label,
                      info.schema_revision or "?", format_size(info.file_size),
                      format_number(len(info.attachments)), info.path.name]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(str(info.path))
                if column in (3, 4):
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
        if self.listed:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.listed[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # -- backing up ---------------------------------------------------------------------
    def back_up(self, folder: Path | None = None) -> None:
        workspace = self.page.workspace
        self._busy(True)
        self.message.setText(_("Backing up…"))

        def done(info: backups.BackupInfo) -> None:
            self._busy(False)
            self.message.setText(_("Backup written: {path} ({size}).").format(
                path=info.path, size=format_size(info.file_size)))
            self.page.context.notify(_("Backup written."))
            self.refresh()

        self.page.context.runner.run(
            lambda: backups.create_backup(workspace, folder=folder), on_done=done,
            on_error=self._failed)

    def back_up_elsewhere(self) -> None:
        folder = self.choose_folder()
        if folder is not None:
            self.back_up(folder)

    def choose_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, _("Where to write the backup (a USB "
                                                          "stick)"), str(Path.home()))
        return Path(chosen) if chosen else None

    # -- restoring ----------------------------------------------------------------------
    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None:
            self.restore(info.path)

    def restore_from_file(self) -> None:
        path = self.choose_file()
        if path is not None:
            self.restore(path)

    def choose_file(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), str(Path.home()),
            _("CTMTQG backups (*.ctbackup);;All files (*)"))
        return Path(name) if name else None

    def confirm_restore(self, info: backups.BackupInfo) -> bool:
        answer = QMessageBox.question(
            self, _("Restore this backup?"),
            _("The workspace's records will be replaced by those of the backup taken at "
              "{when} ({why}). What is there now is first kept as a backup, so this can be "
              "undone by restoring that one.").format(when=format_datetime(info.created_at),
                                                      why=info.reason_label))
        return bool(answer == QMessageBox.StandardButton.Yes)

    def restore(self, path: Path) -> None:
        from ctmtqg_desktop.services import workspaces

        try:
            info = backups.read_info(path)
        except UserError as error:
            self.message.setText(str(error))
            return
        if not self.confirm_restore(info):
            return
        workspace = self.page.workspace
        self._busy(True)
        self.message.setText(_("Restoring…"))

        def done(report: workspaces.RestoreReport) -> None:
            self._busy(False)
            lines = [_("Restored the backup taken at {when} ({why}).").format(
                when=format_datetime(report.restored.created_at),
                why=report.restored.reason_label),
                _("The state before the restore was kept: {path}").format(
                    path=report.safety.path)]
            lines += [_("PROBLEM: {problem}").format(problem=p) for p in report.problems]
            if report.ok:
                lines.append(_("The workspace is sound."))
            self.message.setText("\n".join(lines))
            self.page.context.notify(_("Backup restored."))
            self.page.activate()

        self.page.context.runner.run(
            lambda: workspaces.restore_backup(workspace, path), on_done=done,
            on_error=self._failed)

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.message.setText(message)

    def _busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.usb_button, self.restore_file_button):
            button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and self.selected() is not None)
