"""The first frame (issue 17, sixth pass): the window paints the overview (its last-known
figures, or its waiting state) in a window built with only what that frame shows; the
menus' entries, the shortcuts and the daily backup come right after the paint
(``MainWindow.complete``), without anything visible changing, and a key or a click that
comes sooner completes the window first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.main_window import MainWindow


def _menus(window: MainWindow) -> dict[str, list[tuple[str, str, bool]]]:
    return {action.text(): [(entry.text(), entry.shortcut().toString(), entry.isVisible())
                            for entry in action.menu().actions()]
            for action in window.menuBar().actions() if action.menu() is not None}


def _shortcuts(window: MainWindow) -> list[str]:
    return sorted(shortcut.key().toString() for shortcut in window.findChildren(QShortcut))


def _first_frame_window(qtbot, folder) -> MainWindow:
    """As the start builds it: first frame only, the overview shown, then shown."""
    window = MainWindow(runner=TaskRunner(synchronous=True), first_frame_only=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show_last_known(folder)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window._painted)
    return window


def _cached(workspace) -> None:
    from ctmtqg_desktop.services import overview

    overview.compute(workspace)  # keeps cache/overview.json, as after a day's work
    assert (workspace.folder / "cache" / "overview.json").exists()


def test_the_first_frame_has_no_menu_entries_and_complete_adds_them_all(
        qtbot, styled_app, demo_workspace):
    full = MainWindow(runner=TaskRunner(synchronous=True))
    qtbot.addWidget(full)
    window = _first_frame_window(qtbot, demo_workspace.folder)
    assert not window.completed
    assert list(_menus(window)) == list(_menus(full)) == ["&Tệp", "&Đi tới", "Trợ &giúp"]
    assert all(entries == [] for entries in _menus(window).values())
    assert _shortcuts(window) == [] and not hasattr(window, "auto_backup")
    window.complete()
    window.complete()  # once
    assert _menus(window) == _menus(full)
    assert _shortcuts(window) == _shortcuts(full) == ["Ctrl+F", "Ctrl+N", "Ctrl+S"]
    assert "F1" in [key for _text, key, _shown in _menus(window)["Trợ &giúp"]]
    # on a workspace both windows are the same: the go-to keys follow the role
    full.attach(demo_workspace)
    window.attach(demo_workspace)
    assert _menus(window) == _menus(full)
    go_to = _menus(window)["&Đi tới"]
    assert ("Nhiệm vụ", "Ctrl+2", True) in go_to
    assert window.auto_backup.timer.isActive()


def test_attach_completes_a_window_built_for_its_first_frame(qtbot, styled_app,
                                                             demo_workspace):
    window = MainWindow(runner=TaskRunner(synchronous=True), first_frame_only=True)
    qtbot.addWidget(window)
    window.attach(demo_workspace)
    assert window.completed and _shortcuts(window) == ["Ctrl+F", "Ctrl+N", "Ctrl+S"]
    assert window.auto_backup.timer.isActive()


def test_a_key_pressed_before_the_window_is_complete_reaches_its_shortcut(
        qtbot, styled_app, demo_workspace):
    """Qt looks a key up among the shortcuts before the window gets it: the guard, watching
    from the first paint, completes the window on the way, so Ctrl+F finds its shortcut."""
    window = _first_frame_window(qtbot, demo_workspace.folder)
    found = []
    window._focus_search = lambda: found.append("Ctrl+F")  # what the shortcut calls
    assert not window.completed
    qtbot.keyClick(window.nav, Qt.Key_F, Qt.ControlModifier)
    assert window.completed
    assert found == ["Ctrl+F"]


def test_a_click_on_the_menu_bar_before_the_window_is_complete_opens_a_full_menu(
        qtbot, styled_app, demo_workspace):
    window = _first_frame_window(qtbot, demo_workspace.folder)
    bar = window.menuBar()
    help_title = bar.actions()[2]
    assert help_title.menu().actions() == []
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(help_title).center())
    assert window.completed
    menu = help_title.menu()
    assert [entry.text() for entry in menu.actions()] == [
        "&Hướng dẫn sử dụng (màn hình này)", "&Giới thiệu CTMTQG Desktop"]
    menu.close()


def test_completing_the_window_changes_nothing_on_the_screen(qtbot, styled_app,
                                                             demo_workspace):
    """The first frame, the window once complete, and a window built whole the way it was
    before this pass: the same pixels at 1366x768 (last-known figures shown)."""
    _cached(demo_workspace)
    window = _first_frame_window(qtbot, demo_workspace.folder)
    first = window.grab().toImage()
    # the navigation of the first frame is the commune's already (the figures' role)
    shown = [window.nav.item(row).text() for row in range(window.nav.count())
             if not window.nav.isRowHidden(row)]
    assert "Bảng theo dõi" not in shown and len(shown) == 14
    window.complete()
    qtbot.wait(20)
    completed = window.grab().toImage()
    whole = MainWindow(runner=TaskRunner(synchronous=True))
    qtbot.addWidget(whole)
    whole.resize(1366, 768)
    assert whole.show_last_known(demo_workspace.folder)
    whole.show()
    qtbot.waitExposed(whole)
    qtbot.wait(20)
    assert first.size().width() == 1366 and first.size().height() == 768
    assert first == completed
    assert first == whole.grab().toImage()


def _start(workspace, tmp_path) -> dict:
    """A real start, as a user's (``python -m ctmtqg_desktop.gui``); the probe writes its
    report once the live figures are shown, then quits."""
    report = tmp_path / "report.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CTMTQG_BENCH_T0=repr(time.time()),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    subprocess.run([sys.executable, "-m", "ctmtqg_desktop.gui", "--workspace",
                    str(workspace.folder), "--startup-report", str(report)],
                   env=env, check=True, timeout=300, capture_output=True)
    return json.loads(report.read_text(encoding="utf-8"))


def test_a_real_start_paints_the_overview_first_and_completes_the_window_after(
        demo_workspace, tmp_path):
    if not demo_workspace.uses_sqlite:
        return  # the same code path; one start is enough
    _cached(demo_workspace)
    measured = _start(demo_workspace, tmp_path)
    # the first frame is the overview with its last-known figures; the menus' entries, the
    # keyboard rules, the daily backup and the logging set-up come after it
    assert measured["first_frame"] == {"page": "overview", "figures": True,
                                       "menu_entries": 0, "deferred": []}
    assert measured["overview_paint"] == measured["first_paint"]
    assert measured["heavy_at_paint"] == []
    # once start-up is over every menu entry and shortcut is there
    completed = measured["completed"]
    assert completed["keyboard_rules"]
    assert completed["shortcuts"] == ["Ctrl+F", "Ctrl+N", "Ctrl+S"]
    menus = completed["menus"]
    assert list(menus) == ["&Tệp", "&Đi tới", "Trợ &giúp"]
    assert ["Tổng quan", "Ctrl+1"] in menus["&Đi tới"]
    assert ["Cài đặt", "Alt+4"] in menus["&Đi tới"]
    assert ["&Hướng dẫn sử dụng (màn hình này)", "F1"] in menus["Trợ &giúp"]
    assert [entry for entry, _key in menus["&Tệp"]] == ["T&hoát"]


def test_without_cached_figures_the_first_frame_is_the_overview_waiting(
        demo_workspace, tmp_path):
    if not demo_workspace.uses_sqlite:
        return
    (demo_workspace.folder / "cache" / "overview.json").unlink(missing_ok=True)
    measured = _start(demo_workspace, tmp_path)
    assert measured["first_frame"] == {"page": "overview", "figures": False,
                                       "menu_entries": 0, "deferred": []}
    assert len(measured["completed"]["shortcuts"]) == 3

