"""The parent's answer to a child's difficulty stays in its form when the service refuses
it (issue 15, ``gui.widgets.SavingDialog``): a document reference past its rule (200
characters), injected beyond the widget's own limit, is refused by ``parent.answer`` and
shown under the field; the answer typed is kept, nothing is recorded; corrected, the same
form records it and closes."""

from ctmtqg_desktop.gui.pages.parent import _dialogs as parent_dialogs
from ctmtqg_desktop.services.difficulties import _records as difficulties
from tests.gui.test_refusal_in_plain_forms import assert_refused_beside, save


def test_an_answer_refused_stays_in_its_form(parent_window, monkeypatch):
    parent_window.show_area("difficulties")
    page = parent_window.current_page()
    waiting = next(r for r, item in enumerate(page.model.items)
                   if item.status in ("new", "sent"))
    page.table.selectRow(waiting)
    item = page.current_item()
    reference = "Công văn số 5/UBND " + "kèm phụ lục " * 20  # 259 characters
    seen = []

    def officer(dialog):
        dialog.show()
        dialog.content.setPlainText("Huyện sẽ bố trí vốn trong quý IV.")
        dialog.document.setMaxLength(5000)  # injected past the widget's own limit
        dialog.document.setText(reference)
        save(dialog)
        assert_refused_beside(dialog, dialog.document, "chỉ được tối đa 200 ký tự")
        seen.append(True)
        assert dialog.content.toPlainText() == "Huyện sẽ bố trí vốn trong quý IV."
        assert difficulties.get_difficulty(parent_window.workspace, item.id).answers == ()
        dialog.document.setText("Công văn số 5/UBND")
        save(dialog)
        return dialog.result()

    monkeypatch.setattr(parent_dialogs.AnswerDialog, "exec", officer)
    page.answer()
    assert seen, "the form was not shown"
    answered = difficulties.get_difficulty(parent_window.workspace, item.id)
    assert [a.document_ref for a in answered.answers] == ["Công văn số 5/UBND"]


def test_an_assignment_refused_stays_in_its_form(parent_window, monkeypatch):
    """"Giao nhiệm vụ" with no task written: ``parent.assign_directive`` refuses it; the
    form stays open with the subject and the units chosen, and sends once a task is
    written."""
    parent_window.show_area("children")
    page = parent_window.current_page()
    sent = page.sent
    page.tabs.setCurrentWidget(sent)
    before = sent.table.rowCount()
    seen = []

    def officer(dialog):
        dialog.show()
        dialog.picker.set_checked(["23524"])
        dialog.title.setText("Rà soát hộ nghèo cuối năm")
        save(dialog)
        assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
        assert "hãy ghi ít nhất một nhiệm vụ" in dialog.error.text(), dialog.error.text()
        seen.append(True)
        assert dialog.title.text() == "Rà soát hộ nghèo cuối năm"
        assert dialog.picker.chosen() == ["23524"]
        assert sent.table.rowCount() == before
        dialog.tasks.item(0, 0).setText("Lập danh sách hộ nghèo")
        save(dialog)
        assert not dialog.error.text()
        return dialog.result()

    monkeypatch.setattr(parent_dialogs.AssignTasksDialog, "exec", officer)
    sent.assign_tasks()
    assert seen, "the form was not shown"
    assert "Đã giao cho 1 đơn vị cấp dưới" in page.message.text()
    assert sent.table.rowCount() == before + 1
