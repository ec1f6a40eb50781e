"""A damaged database at start: the window cannot open it, so it offers the backups and
restores the chosen one, then opens the workspace as usual."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.gui import restore_at_start as module
from ctmtqg_desktop.services import backups, workspaces
from ctmtqg_desktop.services.backups import WorkspaceUnreadable

VIETNAMESE = "Dữ liệu xã Đăk Hà"


def damage(folder) -> None:
    connection = sqlite3.connect(folder / "ctmtqg.sqlite3")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    with open(folder / "ctmtqg.sqlite3", "r+b") as handle:
        handle.write(b"\xff" * 4096)


def test_the_window_offers_the_backups_when_the_database_is_damaged(
        qtbot, styled_app, tmp_path, monkeypatch, capsys):
    folder = tmp_path / VIETNAMESE
    workspace = workspaces.init_workspace(folder, unit="23524", officer_name="Y Thị Hoa")
    older = backups.create_backup(workspace)
    newer = backups.create_backup(workspace, reason="daily")
    expected = workspaces.dump(workspace)
    workspace.dispose()
    damage(folder)

    with pytest.raises(WorkspaceUnreadable) as caught:
        workspaces.open_workspace(folder)
    message = str(caught.value)
    assert "Không đọc được cơ sở dữ liệu" in message and "ctmtqg backup restore" in message
    code = main(["workspace", "info", "--workspace", str(folder)])  # a sentence, not a crash
    assert code == 1 and "Không đọc được cơ sở dữ liệu" in capsys.readouterr().err

    dialog = module.RestoreAtStartDialog(folder / "backups", message)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2 and dialog.restore_button.isEnabled()
    assert dialog.choice() == newer.path  # the newest first
    dialog.list.setCurrentRow(1)
    assert dialog.choice() == older.path

    monkeypatch.setattr(module.RestoreAtStartDialog, "ask",
                        classmethod(lambda cls, backups_dir, text: newer.path))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    assert module.restore_at_start(str(folder), None, message)
    assert "Đã khôi phục bản sao lưu" in shown[0]
    reopened = workspaces.open_workspace(folder)
    assert workspaces.check(reopened).ok and workspaces.dump(reopened) == expected
    reopened.dispose()


def test_closing_the_offer_restores_nothing(qtbot, styled_app, tmp_path, monkeypatch):
    monkeypatch.setattr(module.RestoreAtStartDialog, "ask",
                        classmethod(lambda cls, backups_dir, text: None))
    assert not module.restore_at_start(str(tmp_path / "không có"), None, "x")
    assert not (tmp_path / "không có" / "backups").exists()


def test_an_enrollment_file_opened_from_explorer_is_used_by_the_first_run(
        qtbot, styled_app, new_workspace, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from ctmtqg_desktop.gui.first_run import FirstRunDialog
    from ctmtqg_desktop.services import sync

    district = new_workspace(unit="615", role="parent")
    issued = sync.issue_enrollment(district, "23524",
                                         tmp_path / VIETNAMESE / "Đắk La.ctenroll")
    dialog = FirstRunDialog(new_workspace(initialise=False))
    qtbot.addWidget(dialog)
    dialog.preset_enrollment(issued.path)  # what ask(enrollment_file=...) does
    assert "Đắk La.ctenroll" in dialog.ui.message.text()
    monkeypatch.setattr(dialog, "confirm_enrollment", lambda preview: True)
    dialog.ui.officerName.setText("Y Thị Hoa")
    dialog.ui.fromEnrollment.click()  # no file dialog: the file given is used
    assert dialog.result() == QDialog.Accepted
    assert dialog.choice().enrollment_path == issued.path
