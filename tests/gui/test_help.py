"""F1 opens the user guide at the section of the current screen; the guide is reachable from
the Help menu and read from the installation (offline)."""

import re
from pathlib import Path

from PySide6.QtCore import Qt

from ctmtqg_desktop.gui.help import SECTIONS, guide_path
from ctmtqg_desktop.gui.pages import PAGES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"


def test_every_page_has_a_section_of_the_guide():
    headings = set(re.findall(r"^#+ (.+)$", GUIDE.read_text(encoding="utf-8"), re.M))
    assert {spec.key for spec in PAGES} <= set(SECTIONS)
    assert set(SECTIONS.values()) <= headings
    assert guide_path() == GUIDE


def test_f1_opens_the_guide_at_the_current_screen(window, qtbot):
    titles = [a.text() for a in window.help_menu.actions()]
    assert "&Hướng dẫn sử dụng (màn hình này)" in titles
    window.show_area("capital")
    qtbot.keyClick(window, Qt.Key_F1)
    guide = window.guide
    assert guide is not None and guide.isVisible()
    assert guide.section_shown() == "Kế hoạch vốn"
    top = guide.browser.cursorForPosition(guide.browser.viewport().rect().topLeft())
    assert top.blockNumber() <= guide.browser.textCursor().blockNumber() + 1
    window.show_area("sync")
    qtbot.keyClick(window, Qt.Key_F1)
    assert window.guide.section_shown().startswith("Đồng bộ dữ liệu")
    window.guide.close()
