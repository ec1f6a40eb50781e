"""Sao lưu / Khôi phục on the Settings page, clicked as a user would (pytest-qt, real files)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ctmtqg_desktop.services import backups, villages, workspaces
from tests.folders import read_only_folder

VIETNAMESE = "Dữ liệu xã Đăk Hà"


def settings_box(window):
    window.show_area("settings")
    return window.current_page().backups_box


def test_back_up_now_lists_the_backup(window, qtbot, demo_workspace):
    box = settings_box(window)
    assert box.title() == "Sao lưu và khôi phục"
    assert box.table.rowCount() == 0 and not box.restore_button.isEnabled()
    qtbot.mouseClick(box.backup_button, Qt.LeftButton)
    assert "Đã sao lưu vào" in box.message.text()
    assert box.table.rowCount() == 1 and box.restore_button.isEnabled()
    assert box.table.item(0, 1).text() == "do người dùng sao lưu"
    (taken,) = backups.workspace_backups(demo_workspace).backups
    assert box.table.item(0, 0).toolTip() == str(taken.path)


def test_back_up_to_a_usb_stick_with_a_vietnamese_name(window, qtbot, tmp_path, monkeypatch):
    box = settings_box(window)
    usb = tmp_path / VIETNAMESE / "USB của xã"
    usb.mkdir(parents=True)
    monkeypatch.setattr(box, "choose_folder", lambda: usb)
    qtbot.mouseClick(box.usb_button, Qt.LeftButton)
    (written,) = usb.glob("*.ctbackup")
    backups.verify_backup(written)
    assert str(usb) in box.message.text()


def test_restore_the_selected_backup_after_confirming(window, qtbot, demo_workspace,
                                                      monkeypatch):
    box = settings_box(window)
    qtbot.mouseClick(box.backup_button, Qt.LeftButton)
    saved = workspaces.dump(demo_workspace)
    villages.save_village(demo_workspace, name="Thôn thêm sau")
    asked = []
    monkeypatch.setattr(box, "confirm_restore", lambda info: asked.append(info) or False)
    box.table.selectRow(0)
    qtbot.mouseClick(box.restore_button, Qt.LeftButton)
    assert len(asked) == 1 and workspaces.dump(demo_workspace) != saved  # declined: unchanged

    monkeypatch.setattr(box, "confirm_restore", lambda info: True)
    qtbot.mouseClick(box.restore_button, Qt.LeftButton)
    assert workspaces.dump(demo_workspace) == saved
    assert "Đã khôi phục bản sao lưu" in box.message.text()
    assert "Dữ liệu toàn vẹn" in box.message.text()
    assert box.table.rowCount() == 2  # the state before the restore, kept
    assert box.table.item(0, 1).text() == "trước khi khôi phục"


def test_a_damaged_file_and_a_read_only_stick_give_sentences(window, qtbot, tmp_path,
                                                             monkeypatch):
    box = settings_box(window)
    damaged = tmp_path / "bản sao lưu hỏng.ctbackup"
    damaged.write_bytes(b"PK\x03\x04 cut short")
    monkeypatch.setattr(box, "choose_file", lambda: damaged)
    qtbot.mouseClick(box.restore_file_button, Qt.LeftButton)
    assert "bị hỏng" in box.message.text() and "Traceback" not in box.message.text()

    with read_only_folder(tmp_path / "USB khóa") as locked:
        monkeypatch.setattr(box, "choose_folder", lambda: locked)
        qtbot.mouseClick(box.usb_button, Qt.LeftButton)
        assert "chỉ cho đọc" in box.message.text()
        assert list(locked.iterdir()) == []
    assert box.backup_button.isEnabled()


def test_the_daily_backup_runs_once_a_day_from_the_window(window, demo_workspace):
    assert window.auto_backup.timer.isActive()  # started when the workspace was attached
    window.auto_backup.run_now()
    (taken,) = backups.workspace_backups(demo_workspace).backups
    assert taken.reason == "daily"
    assert "Đã tự động sao lưu" in window.statusBar().currentMessage()
    window.auto_backup.run_now()  # the same day: nothing more
    assert len(backups.workspace_backups(demo_workspace).backups) == 1
    window.close()  # a closed window's timer must not open its database again
    demo_workspace.dispose()
    taken.path.unlink()  # so that a backup would be due
    window.auto_backup.run_now()
    assert "engine" not in demo_workspace.__dict__
    assert backups.workspace_backups(demo_workspace).backups == []


def test_every_icon_a_page_names_exists_and_draws(styled_app):
    from ctmtqg_desktop.gui.icons import app_icon, icon_path, page_icon
    from ctmtqg_desktop.gui.pages import PAGES

    for spec in PAGES:
        assert spec.icon, f"{spec.key} names no icon"
        assert icon_path(spec.icon).is_file(), f"{spec.icon}.svg is missing"
        pixmap = page_icon(spec.icon).pixmap(18, 18)
        image = pixmap.toImage()
        drawn = sum(image.pixelColor(x, y).alpha() > 0 for x in range(18) for y in range(18))
        assert drawn > 10, f"{spec.icon}.svg draws nothing"
    assert not app_icon().pixmap(32, 32).isNull()
    assert not styled_app.windowIcon().pixmap(32, 32).isNull()  # set by create_application


def test_a_package_opened_from_explorer_is_imported(window, tmp_path, new_workspace):
    """What the installer's .ctsync association does: ctmtqg-desktop.exe "FILE"."""
    from ctmtqg_desktop.gui.app import _parser, open_given_file

    args = _parser().parse_args([str(tmp_path / "Gói đồng bộ xã Đăk Hà.ctsync")])
    assert args.file.name == "Gói đồng bộ xã Đăk Hà.ctsync"
    args.file.write_bytes(b"not a package")
    open_given_file(window, args.file)
    page = window.current_page()
    assert page is window.pages["sync"]
    assert "0/1 tệp" in page.exchange.import_summary.text()  # the one file went to import
    open_given_file(window, tmp_path / "ghi-danh.ctenroll")
    assert "ghi-danh.ctenroll" in window.statusBar().currentMessage()
