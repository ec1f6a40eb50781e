"""A refusal after Save stays in the form, beside its field (issue 15): the archive's
"Issue a report" form issues on Save; the real service refusing a number already in the
register shows under the number, the form stays open with what was typed and the register
is unchanged; with the next free number the same form issues and closes. (The capital
page's payment form: tests/gui/test_capital_page.py.)"""

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from ctmtqg_desktop.gui.pages.archive._dialogs import IssueDialog
from ctmtqg_desktop.gui.screenshots import wait_until_idle
from ctmtqg_desktop.services import archive
from tests.gui.test_field_errors import under


def test_a_number_already_used_stays_in_the_issue_form(window, monkeypatch, qtbot):
    window.show_area("archive")
    wait_until_idle(window)
    page = window.current_page()
    workspace = window.workspace
    seen = []

    def user(dialog):
        dialog.show()
        dialog.title_edit.setText("Báo cáo kết quả thực hiện 6 tháng")
        number = dialog.number.value()
        # meanwhile the same number is taken (another window, the command line)
        first = IssueDialog(page, workspace)
        first.done_building()
        values = first.values()
        values["title"] = "Báo cáo tháng 9"
        archive.issue_report(workspace, **values)
        before = len(archive.issued_reports(workspace))
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        assert dialog.isVisible() and dialog.result() != QDialog.Accepted
        label = under(dialog, dialog.number)
        qtbot.waitUntil(label.isVisible)
        seen.append(label.text())
        assert dialog.message.text() == ""
        assert dialog.title_edit.text() == "Báo cáo kết quả thực hiện 6 tháng"
        assert len(archive.issued_reports(workspace)) == before
        dialog.number.setValue(number + 1)
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        return dialog.result()

    monkeypatch.setattr(IssueDialog, "exec", user)
    page.issue()
    assert seen and "đã dùng cho báo cáo" in seen[0], seen
    titles = [r.title for r in archive.issued_reports(workspace)]
    assert "Báo cáo kết quả thực hiện 6 tháng" in titles and "Báo cáo tháng 9" in titles
    assert "Báo cáo kết quả thực hiện 6 tháng" in page.message.text()


def test_a_report_signed_meanwhile_stays_in_the_sign_off_form(window, monkeypatch, qtbot):
    """A refusal naming no field (the report was signed off meanwhile, in another window)
    is shown at the bottom of the form, which stays open; Cancel changes nothing."""
    from ctmtqg_desktop.gui.pages.archive._dialogs import SignOffDialog

    window.show_area("archive")
    wait_until_idle(window)
    page = window.current_page()
    workspace = window.workspace
    form = IssueDialog(page, workspace)
    form.done_building()
    values = form.values()
    values["title"] = "Báo cáo tháng 10"
    report = archive.issue_report(workspace, **values)
    page.reload()
    wait_until_idle(window)
    page.register.selectRow(next(i for i, r in enumerate(page.reports) if r.id == report.id))
    seen = []

    def user(dialog):
        dialog.show()
        dialog.approver.setText("Nguyễn Văn Bình")
        archive.sign_off(workspace, report.id, approver="Trần Thị Lan")
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        assert dialog.isVisible() and dialog.result() != QDialog.Accepted
        qtbot.waitUntil(dialog.message.isVisible)
        seen.append(dialog.message.text())
        assert dialog.approver.text() == "Nguyễn Văn Bình"
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(SignOffDialog, "exec", user)
    page.sign()
    assert seen and "Trần Thị Lan" in seen[0], seen
    signed = next(r for r in archive.issued_reports(workspace) if r.id == report.id)
    assert signed.approved_by == "Trần Thị Lan"
