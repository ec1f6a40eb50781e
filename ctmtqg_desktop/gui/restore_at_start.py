"""When the workspace's database is damaged the window cannot open it, so the Settings page
cannot be reached: at start the window offers the backups instead (the newest first), or a
backup file from a USB stick, and restores the chosen one (services.workspaces.restore_backup: the
damaged state is kept first) before opening the workspace as usual."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_datetime, format_size
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import backups


class RestoreAtStartDialog(QDialog):
    def __init__(self, backups_dir: Path, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("The data cannot be opened"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        explanation = QLabel(message + "\n\n" + _(
            "Choose a backup to restore. What is there now is kept as a backup first."),
            wordWrap=True)
        layout.addWidget(explanation)
        self.list = QListWidget()
        for info in backups.list_backups(backups_dir).backups:
            item = QListWidgetItem(_("{when} · {why} · {size}").format(
                when=format_datetime(info.created_at), why=info.reason_label,
                size=format_size(info.file_size)))
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list, 1)
        self.buttons = QDialogButtonBox()
        self.restore_button = QPushButton(_("Restore the chosen backup"))
        self.restore_button.setEnabled(self.list.count() > 0)
        self.file_button = QPushButton(_("Restore from a file…"))
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.file_button.clicked.connect(self._from_file)
        layout.addWidget(self.buttons)
        self.chosen_file: Path | None = None

    def _from_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), str(Path.home()),
            _("CTMTQG backups (*.ctbackup);;All files (*)"))
        if name:
            self.chosen_file = Path(name)
            self.accept()

    def choice(self) -> Path | None:
        if self.chosen_file is not None:
            return self.chosen_file
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None

    @classmethod
    def ask(cls, backups_dir: Path, message: str) -> Path | None:
        dialog = cls(backups_dir, message)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()


def restore_at_start(folder: str | None, database_url: str | None, message: str) -> bool:
    """Offer the backups; True when one was restored (the caller opens the workspace again)."""
    from ctmtqg_desktop.services import workspaces
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(folder, database_url)
    path = RestoreAtStartDialog.ask(workspace.backups_dir, message)
    if path is None:
        return False
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        report = workspaces.restore_backup(workspace, path)
    except UserError as error:
        QApplication.restoreOverrideCursor()
        QMessageBox.critical(None, _("CTMTQG Desktop"), str(error))
        return False
    finally:
        workspace.dispose()
    QApplication.restoreOverrideCursor()
    QMessageBox.information(None, _("CTMTQG Desktop"), "\n".join(
        [_("Restored the backup taken at {when} ({why}).").format(
            when=format_datetime(report.restored.created_at), why=report.restored.reason_label),
         _("The state before the restore was kept: {path}").format(path=report.safety.path)]
        + [_("PROBLEM: {problem}").format(problem=p) for p in report.problems]))
    return True
