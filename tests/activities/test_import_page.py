"""The activities page's Excel menu: the template and the import (the list, filters and
summary refreshed after), a refused workbook shown in Vietnamese, and, with a real
background runner, the progress bar and Cancel that writes nothing."""

import threading

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from ctmtqg_desktop.services import activities
from tests.activities.test_import import fill, row


def open_page(window):
    window.show_area("activities")
    page = window.current_page()
    assert page.loaded and page.options is not None
    return page


def test_the_excel_menu_writes_the_template_and_imports(window, monkeypatch, tmp_path):
    page = open_page(window)
    assert [a.text() for a in page.excel_menu.actions() if a.text()] == [
        "Nhập từ Excel…", "Tệp Excel mẫu…", "Xuất ra Excel…"]
    template = tmp_path / "mau.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(template), "")))
    page.template_action.trigger()
    assert "Đã ghi tệp mẫu" in page.message.text()
    assert load_workbook(template).sheetnames == ["Dữ liệu", "Hướng dẫn"]

    path = tmp_path / "hoat-dong.xlsx"
    fill(path, [row(**{"Tên hoạt động": "Tuyên truyền phòng chống tảo hôn năm 2024",
                       "Loại hoạt động": "truyen thong", "Từ ngày": "05/03/2024",
                       "Địa điểm/thôn": "lang kon gung", "Số người tham gia": 120}),
                row(**{"Tên hoạt động": "Tập huấn sổ sách kế toán HTX",
                       "Từ ngày": "06/03/2024"})])
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    before = len(activities.activity_ids(window.workspace))
    page.import_action.trigger()
    assert "Đã nhập: thêm 2 hoạt động (1 hoạt động tại thôn của xã)" in page.message.text()
    assert len(activities.activity_ids(window.workspace)) == before + 2
    # the new year is offered by the filter, and the list and summary show it
    year = page.year.findData(2024)
    assert year > 0
    page.year.setCurrentIndex(year)
    titles = {page.model.row_object(r).title for r in range(page.model.rowCount())}
    assert titles == {"Tuyên truyền phòng chống tảo hôn năm 2024",
                      "Tập huấn sổ sách kế toán HTX"}
    assert page.summary.text().startswith("2 hoạt động")
    assert not page.import_progress.isVisible() and not page.cancel_import_button.isVisible()


def test_a_refused_workbook_is_shown_and_changes_nothing(window, tmp_path):
    page = open_page(window)
    path = tmp_path / "sai.xlsx"
    fill(path, [row(**{"Trong đó phụ nữ": 99})])
    before = len(activities.activity_ids(window.workspace))
    page.import_workbook(str(path))
    assert "Dòng 4, cột “Trong đó phụ nữ”" in page.message.text()
    assert len(activities.activity_ids(window.workspace)) == before
    assert page.import_action.isEnabled()


def test_the_import_shows_progress_and_cancel_writes_nothing(qtbot, styled_app,
                                                             demo_workspace, monkeypatch,
                                                             tmp_path):
    """With a real background runner: the worker waits at its first row until Cancel is
    pressed, so the test does not race the import."""
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow
    from ctmtqg_desktop.services import activities as activities_import

    path = tmp_path / "hoat-dong.xlsx"
    fill(path, [row(**{"Tên hoạt động": f"Tuyên truyền lần {n}"}) for n in range(1, 5)])
    win = MainWindow(demo_workspace, runner=TaskRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.show_area("activities")
    page = win.current_page()
    qtbot.waitUntil(lambda: win.runner.pending == 0, timeout=10000)
    before = len(activities.activity_ids(demo_workspace))
    reached_first_row = threading.Event()
    release = threading.Event()
    original = activities_import.import_activities

    def held_import(workspace, chosen, **options):
        report = options["progress"]

        def progress(done, total):
            report(done, total)
            if done == 0:
                reached_first_row.set()
                release.wait(10)

        return original(workspace, chosen, **{**options, "progress": progress})

    monkeypatch.setattr(activities_import, "import_activities", held_import)
    page.import_workbook(str(path))
    qtbot.waitUntil(reached_first_row.is_set, timeout=10000)
    qtbot.waitUntil(page.cancel_import_button.isVisible, timeout=5000)
    assert page.import_progress.isVisible()
    assert page.cancel_import_button.text() == "Hủy"
    qtbot.mouseClick(page.cancel_import_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not page.cancel_import_button.isVisible(), timeout=10000)
    assert "dừng" in page.message.text()
    assert len(activities.activity_ids(demo_workspace)) == before
    assert not page.import_progress.isVisible() and page.import_action.isEnabled()
