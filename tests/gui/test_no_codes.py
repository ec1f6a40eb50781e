"""No raw internal code is visible (issue 15): every page of both roles, and every view of a
page (its tabs), is walked; the text of every visible label, button, combo item, tab, table
cell and header, text view, placeholder and tooltip must hold no snake_case identifier
(``not_started``, ``construction_special``, ``0601_activities``) and no English value of an
internal enumeration."""

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from ctmtqg_desktop.gui.screenshots import wait_until_idle

SNAKE = re.compile(r"(?<![\w/\\.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/\\.-])")
#: English values of internal enumerations (statuses, states, kinds, roles)
ENGLISH_VALUES = re.compile(r"\b(not_started|in_progress|done|pending|overdue|missed|on_time|"
                            r"late_done|due_soon|commune|parent|province|district|quarterly|"
                            r"monthly|yearly|once|construction|investment|production|"
                            r"support|career|recurrent|active|draft|issued|sent|received|"
                            r"applied|refused|accepted|cancelled)\b")
#: paths, file names, addresses and URLs may hold underscores of their own
NOT_WORDS = re.compile(r"\S*[/\\@]\S*|\S+\.(?:xlsx|pdf|ctsync|ctenroll|docx|png|jpg|db)\b|"
                       r"https?://\S+")
ROWS = 60


def _plain(text: str) -> str:
    return NOT_WORDS.sub(" ", re.sub(r"<[^>]+>", " ", text or ""))


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a user can read in ``root`` now."""
    found: list[tuple[str, str]] = []

    def add(widget, text, what=""):
        if text:
            found.append((f"{type(widget).__name__} {widget.objectName()} {what}".strip(),
                          str(text)))

    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        add(widget, widget.toolTip(), "tooltip")
        add(widget, widget.accessibleName(), "accessible name")
        if isinstance(widget, QLabel):
            add(widget, widget.text())
        elif isinstance(widget, QAbstractButton):
            add(widget, widget.text())
        elif isinstance(widget, QComboBox):
            for index in range(widget.count()):
                add(widget, widget.itemText(index), f"item {index}")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget, widget.tabText(index), "tab")
                add(widget, widget.tabToolTip(index), "tab tooltip")
        elif isinstance(widget, QLineEdit):
            add(widget, widget.placeholderText(), "placeholder")
            if widget.isReadOnly():
                add(widget, widget.text())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            add(widget, widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list model: one column, its count is private
                columns = 1
            for column in range(columns):
                add(widget, model.headerData(column, Qt.Horizontal), "header")
            for row in range(min(model.rowCount(), ROWS)):
                for column in range(columns):
                    index = model.index(row, column)
                    add(widget, model.data(index, Qt.DisplayRole), f"cell {row},{column}")
                    add(widget, model.data(index, Qt.ToolTipRole), f"tip {row},{column}")
    return found


def codes_in(window) -> list[str]:
    problems = []

    def check(page_name: str) -> None:
        wait_until_idle(window)
        for where, text in visible_texts(window):
            plain = _plain(text)
            for pattern in (SNAKE, ENGLISH_VALUES):
                for match in pattern.finditer(plain):
                    problems.append(f"{page_name}: {where}: “{match.group(0)}” in “{text[:90]}”")

    for spec in window.specs:
        window.show_area(spec.key)
        check(spec.key)
        page = window.current_page()
        for name, show in (page.screenshot_views() if hasattr(page, "screenshot_views")
                           else []):
            show()
            check(f"{spec.key}/{name}")
    return sorted(set(problems))


def test_no_page_of_a_commune_shows_an_internal_code(window):
    assert codes_in(window) == []


def test_no_page_of_a_parent_unit_shows_an_internal_code(parent_window):
    assert codes_in(parent_window) == []


def test_the_walk_finds_a_planted_code_in_a_label_a_combo_and_a_table(window):
    """The check itself: codes planted on the overview are found (and the walk reads a
    realistic amount of text)."""
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    window.show_area("overview")
    page = window.current_page()
    label = QLabel("Trạng thái: not_started", page)
    combo = QComboBox(page)
    combo.addItems(["Tất cả", "construction_special"])
    table = QTableWidget(1, 1, page)
    table.setItem(0, 0, QTableWidgetItem("overdue"))
    for widget in (label, combo, table):
        widget.show()
    assert len(visible_texts(window)) > 20
    found = "\n".join(problem for problem in codes_in(window) if problem.startswith("overview"))
    assert "“not_started”" in found and "“construction_special”" in found
    assert "“overdue”" in found
    assert "/tmp/ctmtqg_x/bao_cao.xlsx" not in _plain("Lưu vào /tmp/ctmtqg_x/bao_cao.xlsx")
