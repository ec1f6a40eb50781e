"""Drafts for every kind of form (issue 15): tasks, directives, difficulties, activities,
the projects' decisions and the archive's reports keep the typing as a draft; after a crash
(the dialog left without Save, Cancel or close) the same form offers it again and Restore
puts the typing back; Cancel then removes the draft. The dialogs are opened the way their
pages open them (``ask`` / ``FormDialog.run``); ``exec`` is replaced by the user's actions,
so no modal dialog is left unanswered."""

import datetime as dt
import json

from PySide6.QtWidgets import QDialog

from ctmtqg_desktop.gui.drafts import DraftKeeper
from ctmtqg_desktop.gui.pages.activities._dialog import ActivityDialog
from ctmtqg_desktop.gui.pages.archive._dialogs import IssueDialog
from ctmtqg_desktop.gui.pages.difficulties._page import DifficultyDialog
from ctmtqg_desktop.gui.pages.projects._dialogs import DecisionDialog
from ctmtqg_desktop.gui.pages.tasks._dialogs import DirectiveDialog, TaskDialog
from ctmtqg_desktop.gui.screenshots import wait_until_idle
from ctmtqg_desktop.gui.widgets import FormDialog
from ctmtqg_desktop.store.drafts import DRAFTS_FILE

TODAY = dt.date(2023, 10, 16)


def drafts_on_disk(window) -> dict:
    path = window.workspace.folder / DRAFTS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def page_of(window, area):
    window.show_area(area)
    wait_until_idle(window)
    return window.current_page()


def crash_then_restore(window, monkeypatch, cls, open_form, field, text):
    """Type ``text`` into the form's ``field`` and crash; open it again and restore."""

    def crash(dialog):
        widget = getattr(dialog, field)
        widget.setFocus()
        (widget.insertPlainText if hasattr(widget, "insertPlainText") else widget.insert)(text)
        keeper = dialog.findChild(DraftKeeper)
        assert keeper is not None, cls.__name__
        keeper.timer.stop()
        keeper.save_now()  # what the timer does a moment after the last keystroke
        return QDialog.Rejected  # no Save, no Cancel, no finished: the power went here

    monkeypatch.setattr(cls, "exec", crash)
    assert open_form() is None
    (key, draft), = drafts_on_disk(window).items()
    assert key.startswith(cls.__name__ + ":") and text in draft["values"][field]

    seen = []

    def reopen(dialog):
        keeper = dialog.findChild(DraftKeeper)
        assert keeper.bar is not None and keeper.bar.isVisibleTo(dialog)
        widget = getattr(dialog, field)
        read = widget.toPlainText if hasattr(widget, "toPlainText") else widget.text
        assert text not in read()  # nothing is put back before the user asks
        keeper.restore_button.click()
        seen.append(read())
        dialog.reject()  # Cancel: the draft has served
        return QDialog.Rejected

    monkeypatch.setattr(cls, "exec", reopen)
    open_form()
    assert seen and text in seen[0]
    assert drafts_on_disk(window) == {}


def test_the_task_form_keeps_a_draft(window, monkeypatch):
    page = page_of(window, "tasks")
    crash_then_restore(window, monkeypatch, TaskDialog, lambda: TaskDialog.ask(
        page, options=page.options, today=TODAY), "text", "Rà soát hộ nghèo thôn 3")


def test_the_directive_form_keeps_a_draft(window, monkeypatch):
    page = page_of(window, "tasks")
    crash_then_restore(window, monkeypatch, DirectiveDialog, lambda: DirectiveDialog.ask(
        page, programs=page.options.programs, today=TODAY), "title",
        "Kế hoạch thực hiện năm 2024")


def test_the_difficulty_form_keeps_a_draft(window, monkeypatch):
    page = page_of(window, "difficulties")
    crash_then_restore(window, monkeypatch, DifficultyDialog, lambda: DifficultyDialog.ask(
        page, today=TODAY, tasks=[]), "content", "Thiếu vốn đối ứng cho đường thôn 5")


def test_the_activity_form_keeps_a_draft(window, monkeypatch):
    page = page_of(window, "activities")
    crash_then_restore(window, monkeypatch, ActivityDialog, lambda: ActivityDialog.ask(
        page, options=page.options, today=TODAY), "title", "Tập huấn nuôi bò sinh sản")


def test_a_project_decision_keeps_a_draft(window, monkeypatch):
    page = page_of(window, "projects")
    crash_then_restore(window, monkeypatch, DecisionDialog, lambda: FormDialog.run(
        DecisionDialog(page, title="Điều chỉnh dự án Đường thôn 7", heading="",
                       today=TODAY)), "decision_number", "125/QĐ-UBND")


def test_the_archive_issue_form_keeps_a_draft(window, monkeypatch):
    page = page_of(window, "archive")
    crash_then_restore(window, monkeypatch, IssueDialog, lambda: FormDialog.run(
        IssueDialog(page, page.workspace)), "title_edit", "Báo cáo tháng 10")


def test_the_draft_of_one_record_is_not_offered_for_another(window, monkeypatch):
    page = page_of(window, "tasks")

    def crash(dialog):
        dialog.text.insertPlainText("Nội dung của nhiệm vụ mới")
        keeper = dialog.findChild(DraftKeeper)
        keeper.timer.stop()
        keeper.save_now()
        return QDialog.Rejected

    monkeypatch.setattr(TaskDialog, "exec", crash)
    TaskDialog.ask(page, options=page.options, today=TODAY)
    offered = []

    def reopen(dialog):
        offered.append(dialog.findChild(DraftKeeper).bar)
        return QDialog.Rejected

    monkeypatch.setattr(TaskDialog, "exec", reopen)
    TaskDialog.ask(page, options=page.options, today=TODAY, draft_context="another-task")
    assert offered == [None]
    assert list(drafts_on_disk(window)) == ["TaskDialog:new"]
