"""The automatic daily backup while the window is open: a minute after the workspace opens
(never slowing the start), then every hour, ``services.backups.daily_backup`` runs on the
background runner; it only writes when no backup was taken today, and rotates the old ones.
A failure is said in the status bar (a full disk must not interrupt the user's work)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.main_window import MainWindow

log = logging.getLogger("ctmtqg.gui")

FIRST_DELAY_MS = 60_000
EVERY_MS = 3_600_000


class AutoBackup(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run_now)

    def start(self) -> None:
        self.timer.start(FIRST_DELAY_MS)

    def run_now(self) -> None:
        from ctmtqg_desktop.services import backups

        workspace = self.window.workspace
        if workspace is None or not self.window.isVisible():
            return  # a closed window backs nothing up (nor reopens its database)

        def done(info: backups.BackupInfo | None) -> None:
            if info is not None:
                self.window.notify(_("Automatic backup written: {name}").format(
                    name=info.path.name))
            self.timer.start(EVERY_MS)

        def failed(message: str) -> None:
            log.warning("automatic backup failed: %s", message)
            self.window.notify(_("The automatic backup failed: {message}").format(
                message=message))
            self.timer.start(EVERY_MS)

        self.window.runner.run(lambda: backups.daily_backup(workspace), on_done=done,
                               on_error=failed)
