"""The user guide inside the program, offline: Help > "Hướng dẫn sử dụng" opens
docs/user-guide.md, and F1 opens it at the section of the screen in front of the user.

The guide ships with the program (``build.spec`` puts ``docs/user-guide.md`` beside the
other shipped folders); from a checkout it is read where it is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ctmtqg_desktop.i18n import _

GUIDE = ("docs", "user-guide.md")

#: the guide's section (its heading, as written) for each page; F1 opens it there
SECTIONS = {
    "overview": "Các khu vực",
    "tasks": "Nhiệm vụ",
    "capital": "Kế hoạch vốn",
    "projects": "Dự án, công trình",
    "dossiers": "Hồ sơ dự án",
    "activities": "Hoạt động (truyền thông, tập huấn, kiểm tra giám sát)",
    "difficulties": "Khó khăn, kiến nghị",
    "reports": "Báo cáo theo biểu mẫu và kỳ báo cáo",
    "archive": "Báo cáo đã ban hành",
    "carry": "Chuyển tiếp việc của đơn vị trước sắp xếp sang năm 2026",
    "children": "Đơn vị cấp dưới",
    "board": "Bảng theo dõi",
    "sync": "Đồng bộ dữ liệu với đơn vị cấp trên và cấp dưới",
    "catalog": "Nhập danh sách thôn từ Excel",
    "handbook": "Sổ tay hướng dẫn",
    "settings": "Sao lưu và khôi phục",
}


def guide_path() -> Path | None:
    """Where this installation's user guide is (None if it was left out)."""
    package = Path(__file__).resolve().parents[1]
    roots = [Path(getattr(sys, "_MEIPASS", package)), package, package.parent]
    for root in roots:
        candidate = root.joinpath(*GUIDE)
        if candidate.is_file():
            return candidate
    return None


class GuideDialog(QDialog):
    """The user guide, formatted, opened at a section."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("User guide"))
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(openExternalLinks=True)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        path = guide_path()
        if path is None:
            self.browser.setPlainText(_("The user guide was not installed with the program."))
        else:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))

    def show_section(self, heading: str) -> bool:
        """Scroll so that the section ``heading`` starts at the top; False if absent."""
        document = self.browser.document()
        cursor = document.find(heading, 0, QTextDocument.FindFlag.FindCaseSensitively)
        while not cursor.isNull() and cursor.block().blockFormat().headingLevel() == 0:
            cursor = document.find(heading, cursor, QTextDocument.FindFlag.FindCaseSensitively)
        if cursor.isNull():
            return False
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        self.browser.setTextCursor(cursor)
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())  # then back, so that the heading ends at the top
        self.browser.ensureCursorVisible()
        return True

    def section_shown(self) -> str:
        return self.browser.textCursor().block().text()


def open_guide(parent: QWidget, page_key: str = "") -> GuideDialog:
    dialog = GuideDialog(parent)
    dialog.show()
    if page_key in SECTIONS:
        dialog.show_section(SECTIONS[page_key])
    return dialog
