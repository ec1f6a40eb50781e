"""A refusal after Save stays in the form on the tasks, directives, difficulties and
activities forms too (issue 15; ``gui.widgets.SavingDialog``): the real service refuses
(a schedule that ends before it starts, a text past its rule injected beyond the widget's
own limit, a date after today), the sentence shows in red under the field it is about, the
form stays open with everything typed, nothing is written; once corrected, the same form
saves and closes. Each form is opened by its page's own action, as a user would."""

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.gui.pages.activities._dialog import ActivityDialog
from ctmtqg_desktop.gui.pages.difficulties._page import DifficultyDialog
from ctmtqg_desktop.gui.pages.tasks._dialogs import DirectiveDialog, TaskDialog
from ctmtqg_desktop.gui.screenshots import wait_until_idle
from ctmtqg_desktop.services import activities, difficulties, tasks


def line_under(dialog: QDialog, widget: QWidget) -> QLabel:
    """The red line in the form row right under ``widget``'s row."""
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            shown = item.widget() if item is not None else None
            holds = shown is not None and (shown is widget or shown.isAncestorOf(widget))
            if not holds and item is not None and item.layout() is not None:
                layout = item.layout()
                holds = any(layout.itemAt(i).widget() is widget for i in range(layout.count()))
            if holds:
                below = form.itemAt(row + 1, QFormLayout.ItemRole.FieldRole)
                label = below.widget() if below is not None else None
                assert isinstance(label, QLabel) and label.objectName() == "fieldError", \
                    "no error line under the field"
                return label
    raise AssertionError("the field is not in a form row")


def save(dialog: QDialog) -> None:
    """Press the form's Save (whatever it is called: the accepting button)."""
    buttons = dialog.findChild(QDialogButtonBox)
    accepting = [b for b in buttons.buttons()
                 if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole]
    assert len(accepting) == 1
    accepting[0].click()


def assert_refused_beside(dialog, widget, words: str) -> None:
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    label = line_under(dialog, widget)
    assert label.isVisible() and words in label.text(), label.text()
    assert words in widget.accessibleDescription()


def page_of(window, area):
    window.show_area(area)
    wait_until_idle(window)
    return window.current_page()


def test_a_task_and_a_directive_refused_stay_in_their_forms(window, monkeypatch):
    page = page_of(window, "tasks")
    workspace = window.workspace
    before = len(tasks.task_ids(workspace, {}))
    seen = []

    def user(dialog):
        dialog.show()
        dialog.text.setPlainText("Báo cáo tình hình giải ngân hằng tháng")
        dialog.lead.setText("Công chức Tài chính - Kế toán")
        dialog.kind.setCurrentIndex(dialog.kind.findData(schedules.MONTHLY))
        dialog.start.setDate(dt.date(2023, 10, 1))
        dialog.has_end.setChecked(True)
        dialog.end.setDate(dt.date(2023, 6, 30))  # before it starts
        save(dialog)
        assert_refused_beside(dialog, dialog.kind, "ngày kết thúc trước ngày bắt đầu")
        seen.append(line_under(dialog, dialog.kind).text())
        assert dialog.text.toPlainText() == "Báo cáo tình hình giải ngân hằng tháng"
        assert dialog.lead.text() == "Công chức Tài chính - Kế toán"
        assert len(tasks.task_ids(workspace, {})) == before
        dialog.has_end.setChecked(False)
        save(dialog)
        assert not line_under(dialog, dialog.kind).isVisible()
        return dialog.result()

    monkeypatch.setattr(TaskDialog, "exec", user)
    page.add_task()
    assert seen, "the form was not shown"
    assert len(tasks.task_ids(workspace, {})) == before + 1
    assert page.current.task.text == "Báo cáo tình hình giải ngân hằng tháng"

    long_title = "Về việc " + "rà soát " * 80  # 648 characters; the rule allows 500

    def directive_user(dialog):
        dialog.show()
        dialog.number.setText("1530/UBND-VP")
        dialog.issuing_body.setText("UBND huyện Đắk Hà")
        dialog.title.setMaxLength(5000)  # injected past the widget's own limit
        dialog.title.setText(long_title)
        save(dialog)
        assert_refused_beside(dialog, dialog.title, "chỉ được tối đa 500 ký tự")
        assert dialog.title.text() == long_title and dialog.number.text() == "1530/UBND-VP"
        assert not any("1530/UBND-VP" in label for _i, label in tasks.filter_options(
            workspace).directives)
        dialog.title.setText("Về việc rà soát hộ nghèo")
        save(dialog)
        return dialog.result()

    monkeypatch.setattr(DirectiveDialog, "exec", directive_user)
    page.add_directive()
    assert "1530/UBND-VP" in page.message.text()


def test_a_difficulty_dated_after_today_stays_in_its_form(window, monkeypatch):
    page = page_of(window, "difficulties")
    workspace = window.workspace
    before = len(difficulties.list_difficulties(workspace))
    today = workspace.today()
    seen = []

    def user(dialog):
        dialog.show()
        dialog.title.setText("Thiếu kinh phí duy tu đường thôn")
        dialog.content.setPlainText("Đường thôn 3 xuống cấp sau mùa mưa.")
        dialog.raised_on.setDate(today + dt.timedelta(days=20))
        save(dialog)
        assert_refused_beside(dialog, dialog.raised_on, "sau ngày hôm nay")
        seen.append(True)
        assert dialog.title.text() == "Thiếu kinh phí duy tu đường thôn"
        assert dialog.content.toPlainText() == "Đường thôn 3 xuống cấp sau mùa mưa."
        assert len(difficulties.list_difficulties(workspace)) == before
        dialog.raised_on.setDate(today)
        save(dialog)
        return dialog.result()

    monkeypatch.setattr(DifficultyDialog, "exec", user)
    page.add_difficulty()
    wait_until_idle(window)
    assert seen, "the form was not shown"
    titles = [d.title for d in difficulties.list_difficulties(workspace)]
    assert len(titles) == before + 1 and "Thiếu kinh phí duy tu đường thôn" in titles


def test_an_activity_refused_stays_in_its_form(window, monkeypatch):
    page = page_of(window, "activities")
    workspace = window.workspace
    before = len(activities.activity_ids(workspace))
    long_title = "Tập huấn " * 40  # 360 characters; the rule allows 300
    seen = []

    def user(dialog):
        dialog.show()
        dialog.organiser.setText("Hội Nông dân xã")
        dialog.title.setMaxLength(5000)  # injected past the widget's own limit
        dialog.title.setText(long_title)
        save(dialog)
        assert_refused_beside(dialog, dialog.title, "300")
        seen.append(True)
        assert dialog.title.text() == long_title
        assert dialog.organiser.text() == "Hội Nông dân xã"
        assert len(activities.activity_ids(workspace)) == before
        dialog.title.setText("Tập huấn kỹ thuật trồng cà phê")
        save(dialog)
        return dialog.result()

    monkeypatch.setattr(ActivityDialog, "exec", user)
    page.add_activity()
    assert seen, "the form was not shown"
    assert page.current.title == "Tập huấn kỹ thuật trồng cà phê"
    assert len(activities.activity_ids(workspace)) == before + 1


def test_a_household_refused_stays_in_its_panel(window):
    """The households panel (Hồ sơ › Hộ gia đình) keeps what was typed and shows the
    refusal of ``households.save_household`` under the field: a head's name past its rule,
    injected beyond the widget's own limit."""
    from ctmtqg_desktop.services import households

    tab = page_of(window, "dossiers").households
    workspace = window.workspace
    before = len(households.list_households(workspace))
    tab.new_household()
    long_name = "Nguyễn Thị " * 30  # 330 characters
    tab.head.setMaxLength(5000)  # injected past the widget's own limit
    tab.head.setText(long_name)
    tab.ethnicity.setText("Xơ Đăng")
    tab.save()
    assert "ký tự" not in tab.message.text(), tab.message.text()
    line = line_under(tab, tab.head)
    assert line.isVisibleTo(tab) and "120 ký tự" in line.text(), line.text()
    assert tab.head.text() == long_name and tab.ethnicity.text() == "Xơ Đăng"
    assert len(households.list_households(workspace)) == before
    tab.head.setText("Nguyễn Thị Hoa")
    tab.save()
    assert not line.isVisibleTo(tab) and tab.message.text() == "Đã lưu."
    assert len(households.list_households(workspace)) == before + 1
