"""The main window on the demo: every area, Vietnamese labels, the truth in the status bar."""

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from ctmtqg_desktop.gui.pages.overview import OverviewPage, SectionCard

AREAS = ["Tổng quan", "Nhiệm vụ", "Kế hoạch vốn", "Dự án, công trình", "Hồ sơ",
         "Hoạt động (truyền thông, tập huấn, kiểm tra giám sát)", "Khó khăn, kiến nghị",
         "Báo cáo", "Báo cáo đã ban hành", "Chuyển tiếp", "Đồng bộ", "Danh mục",
         "Sổ tay hướng dẫn", "Cài đặt"]


def test_navigation_lists_every_area_in_vietnamese(window):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())
              if not window.nav.isRowHidden(i)]
    assert labels == AREAS
    assert "Dữ liệu mẫu" in window.demo_label.text() and "16/10/2023" in window.demo_label.text()
    assert window.unit_label.text().startswith("Xã Đắk La")


def test_overview_shows_figures_from_the_records(window):
    page = window.page("overview")
    assert isinstance(page, OverviewPage) and page.loaded
    assert page.unit_title.text() == "Xã Đắk La"
    cards = page.findChildren(SectionCard)
    villages = next(c for c in cards if c.section.title == "Thôn, làng")
    values = [f.value for f in villages.section.figures]
    assert values == ["12", "3", "1.797"]


def test_every_area_opens_with_its_own_page_and_title(window, qtbot):
    from ctmtqg_desktop.gui.pages import PAGES

    shown = []
    for row in range(window.nav.count()):
        if window.nav.isRowHidden(row):
            continue
        window.nav.setCurrentRow(row)
        page = window.current_page()
        assert page is not None
        shown.append((window.nav.currentItem().text(), type(page).__name__))
    assert [label for label, _page in shown][:6] == [
        "Tổng quan", "Nhiệm vụ", "Kế hoạch vốn", "Dự án, công trình", "Hồ sơ",
        "Hoạt động (truyền thông, tập huấn, kiểm tra giám sát)"]
    # every area has a page of its own (none is a stand-in shared by several)
    assert len({name for _label, name in shown}) == len(shown)
    assert len(shown) == sum(1 for spec in PAGES if "commune" in spec.roles)


def test_keyboard_shortcuts_move_between_areas(window, qtbot):
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)
    assert window.nav.currentItem().text() == "Nhiệm vụ"
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    assert window.nav.currentItem().text() == "Tổng quan"


def test_window_state_is_remembered(window, demo_workspace, qtbot):
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow

    window.show_area("catalog")
    window.resize(780, 560)
    window.close()
    again = MainWindow(demo_workspace, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(again)
    assert again.nav.currentItem().text() == "Danh mục"
    assert again.size().width() == 780


def test_window_state_is_kept_per_workspace(window, demo_workspace, new_workspace, qtbot):
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow

    window.show_area("catalog")
    window.resize(780, 560)
    window.close()
    other = MainWindow(new_workspace(), runner=TaskRunner(synchronous=True))
    qtbot.addWidget(other)
    assert other.nav.currentItem().text() == "Tổng quan"
    assert other.size().width() == 1366
    other.close()
    again = MainWindow(demo_workspace, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(again)
    assert (again.size().width(), again.nav.currentItem().text()) == (780, "Danh mục")


def test_a_tiny_or_off_screen_window_is_not_restored(window, demo_workspace, qtbot):
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow

    window.resize(458, 272)
    window.close()
    again = MainWindow(demo_workspace, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(again)
    assert again.size().width() == 1366
    again.move(5000, 4000)
    again.close()
    third = MainWindow(demo_workspace, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(third)
    assert third.geometry().top() < 800 and third.geometry().left() < 800


def test_usable_geometry_needs_size_and_a_title_bar_on_a_screen():
    from PySide6.QtCore import QRect

    from ctmtqg_desktop.gui.main_window import usable_geometry

    screens = [QRect(0, 0, 1366, 768)]
    assert usable_geometry(QRect(10, 10, 1000, 700), screens)
    assert not usable_geometry(QRect(10, 10, 458, 272), screens)
    assert not usable_geometry(QRect(1300, 10, 1000, 700), screens)  # 66 px left to grab
    assert not usable_geometry(QRect(10, 760, 1000, 700), screens)
    assert usable_geometry(QRect(1400, 10, 1000, 700), screens + [QRect(1366, 0, 1920, 1080)])


def test_the_run_command_without_a_display_draws_every_page(tmp_path):
    config = tmp_path / "config"
    env_script = ("import os, sys\n"
                  "os.environ.pop('DISPLAY', None); os.environ.pop('WAYLAND_DISPLAY', None)\n"
                  "from ctmtqg_desktop.gui.app import main\n"
                  f"sys.exit(main(['--workspace', r'{tmp_path / 'ws'}', '--demo']))\n")
    result = subprocess.run([sys.executable, "-c", env_script], capture_output=True, text=True,
                            timeout=180, env={**os.environ, "XDG_CONFIG_HOME": str(config)})
    assert result.returncode == 0, result.stderr
    # drawing pages leaves the user's settings alone (the next real start would otherwise
    # open a small window on the last page drawn)
    assert not list(config.rglob("*.conf"))
    assert "PNG" in result.stdout
    shots = tmp_path / "ws" / "screenshots"
    files = sorted(shots.glob("*.png"))
    assert len(files) == len(AREAS)
    image = QImage(str(files[0]))
    assert (image.width(), image.height()) == (1366, 768)
    # today's demo commune (``ctmtqg demo``), not the 2023 one of the seed directive
    from ctmtqg_desktop.services import workspaces

    made = workspaces.open_workspace(tmp_path / "ws")
    try:
        assert made.installation().unit_id == "23500@2025-07-01"
    finally:
        made.dispose()


def test_last_known_figures_show_before_the_workspace_opens(qtbot, styled_app, demo_workspace):
    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.main_window import MainWindow
    from ctmtqg_desktop.services import overview

    overview.compute(demo_workspace)  # what the last session left
    window = MainWindow(runner=TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    assert window.show_last_known(demo_workspace.folder)
    page = window.pages["overview"]
    assert page.shown and not page.loaded
    assert page.unit_title.text() == "Xã Đắk La"
    assert "đang cập nhật" in page.freshness.text()
    window.attach(demo_workspace)
    assert page.loaded and "Số liệu tính lúc" in page.freshness.text()


def test_a_damaged_last_known_copy_is_ignored(qtbot, styled_app, tmp_path):
    from ctmtqg_desktop.gui.main_window import MainWindow

    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "overview.json").write_text("{not json", encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.show_last_known(tmp_path)


def test_every_page_fits_1366x768_beside_a_readable_navigation(window):
    """No page asks for more width than 1366x768 leaves it, so none squeezes the navigation
    or clips its filters ("Tất cả chương trì", "Mọi văn bản chỉ đạ")."""
    from ctmtqg_desktop.gui.main_window import NAVIGATION_MINIMUM

    for spec in window.specs:
        window.show_area(spec.key)
        page = window.current_page()
        assert window.nav.width() >= NAVIGATION_MINIMUM, spec.key
        assert page.minimumSizeHint().width() <= window.stack.width(), spec.key
        assert page.width() <= window.stack.width(), spec.key
