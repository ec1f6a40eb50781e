"""The keyboard never traps: tables are one Tab stop, Ctrl+N / Ctrl+S do the same thing on
every page, every page has a "Đi tới" key in both roles."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from ctmtqg_desktop.gui.background import TaskRunner
from ctmtqg_desktop.gui.main_window import MainWindow


def tab_through(qtbot, start, presses: int) -> list:
    start.setFocus()
    seen = []
    for _press in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_leaves_the_capital_tables_and_reaches_disburse(window, qtbot):
    window.show_area("capital")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.pay_button.isEnabled())
    program = page.program.currentIndex()
    seen = tab_through(qtbot, page.year, 60)
    assert page.pay_button in seen  # "Giải ngân…" is reachable going forward
    assert page.program.currentIndex() == program  # moving through never filters
    # the programme table is one stop per round of the page, not a loop of its cells
    first = seen.index(page.program_table)
    assert seen[first + 1] is not page.program_table
    rounds = seen.count(page.year)
    assert seen.count(page.program_table) <= rounds + 1


def test_arrow_keys_in_the_programme_table_do_not_change_the_filter(window, qtbot):
    window.show_area("capital")
    page = window.current_page()
    page.program_table.setFocus()
    before = page.program.currentIndex()
    qtbot.keyClick(page.program_table, Qt.Key_Down)
    qtbot.keyClick(page.program_table, Qt.Key_Down)
    assert page.program.currentIndex() == before
    chosen = page.program_table.current_key()
    assert chosen is not None
    qtbot.keyClick(page.program_table, Qt.Key_Return)  # a deliberate choice filters
    assert page.program.currentData() == chosen


def close_next_dialog(found: list) -> None:
    def close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, close)
            return
        found.append(type(dialog).__name__)
        dialog.reject()

    QTimer.singleShot(0, close)


def test_ctrl_n_starts_a_new_record_on_projects_and_difficulties(window, qtbot):
    window.show_area("projects")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.form.program.count() > 0)
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    assert page.form.project_id is None and page.form.name.text() == ""
    window.show_area("difficulties")
    found: list = []
    close_next_dialog(found)
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    assert found == ["DifficultyDialog"]


def test_a_new_project_starts_from_the_defaults(window, qtbot):
    window.show_area("projects")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    last = page.form.stage.count() - 1
    page.form.stage.setCurrentIndex(last)
    page.form.village.setCurrentIndex(page.form.village.count() - 1)
    page.new_project()
    assert page.form.stage.currentIndex() == 0
    assert page.form.village.currentIndex() == 0
    assert page.form.program.currentIndex() == 0


def go_keys(window) -> list[str]:
    return [action.shortcut().toString() for action in window.go_actions
            if action.isVisible()]


def test_every_page_has_its_own_go_to_key_in_both_roles(window, new_workspace, qtbot):
    from ctmtqg_desktop.gui.pages import pages_for

    commune = go_keys(window)
    wanted = len(pages_for("commune"))  # 13 with the archive of issued reports
    assert len(commune) == wanted and all(commune) and len(set(commune)) == wanted
    assert commune[:2] == ["Ctrl+1", "Ctrl+2"] and commune[9] == "Ctrl+0"
    district = MainWindow(new_workspace(unit="615", role="parent"),
                          runner=TaskRunner(synchronous=True))
    qtbot.addWidget(district)
    keys = go_keys(district)
    wanted = len(pages_for("parent"))  # 15
    assert len(keys) == wanted and all(keys) and len(set(keys)) == wanted
    assert keys[-1] == f"Alt+{wanted - 10}"


def answer_next_question(found: list, discard: bool) -> None:
    from PySide6.QtWidgets import QMessageBox

    def answer() -> None:
        box = next((w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, answer)
            return
        found.append(box.text())
        wanted = "Bỏ thay đổi" if discard else "Tiếp tục nhập"
        next(b for b in box.buttons() if b.text() == wanted).click()

    QTimer.singleShot(0, answer)


def test_esc_on_a_changed_form_asks_before_discarding(qtbot, styled_app):
    from ctmtqg_desktop.gui.keyboard import ask_before_discarding
    from ctmtqg_desktop.gui.widgets import FormDialog, MoneyEdit

    class Form(FormDialog):
        def values(self):
            return {}

    form = Form(None, "Giải ngân")
    qtbot.addWidget(form)
    form.amount = form.row("Số tiền", MoneyEdit())
    form.done_building()
    form.show()
    form.amount.setFocus()
    qtbot.keyClick(form.amount, Qt.Key_Escape)  # nothing typed: Esc closes at once
    assert not form.isVisible()
    form.show()
    ask_before_discarding(form)
    form.amount.setFocus()
    qtbot.keyClicks(form.amount, "1250000")
    found: list = []
    answer_next_question(found, discard=False)
    qtbot.keyClick(form.amount, Qt.Key_Escape)
    assert found == ["Bỏ nội dung đang nhập?"]
    assert form.isVisible() and form.amount.value() == 1250000
    answer_next_question(found, discard=True)
    qtbot.keyClick(form.amount, Qt.Key_Escape)
    assert len(found) == 2 and not form.isVisible()
