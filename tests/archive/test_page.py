"""The "Báo cáo đã ban hành" page in both roles at 1366x768: a commune issues and signs off a
report through the page (then it is locked), the parent sees it on time and the silent child
missing, and opens the signed file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ctmtqg_desktop.gui.pages.archive._dialogs import IssueDialog, RequestDialog
from ctmtqg_desktop.services import archive
from tests.archive.conftest import two_communes
from tests.archive.test_travel import DUE, H1, _send
from tests.parent.conftest import fill, open_window, set_today
from tests.sync.conftest import COMMUNE_A, PARENT

pytestmark = pytest.mark.gui


def _grab(window, name: str, tmp_path) -> Path:
    QApplication.processEvents()
    image = window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    folder = Path(os.environ.get("CTMTQG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"archive-{name}.png"
    assert image.save(str(target))
    return target


def test_issue_sign_and_see_it_arrive(qtbot, styled_app, network, tmp_path):
    parent, a, b = two_communes(network, "page")
    archive.save_request(parent, kind="capital", period_start=H1[0], period_end=H1[1],
                         due_on=DUE)
    _send(parent, a, tmp_path / "mail", to=COMMUNE_A)

    window = open_window(qtbot, a)
    window.show_area("archive")
    page = window.current_page()
    dialog = IssueDialog(page, a)
    dialog.done_building()
    assert dialog.period.period() == H1  # the last closed half-year
    assert dialog.number.value() == 1
    values = dialog.values()
    values["kind"] = "capital"
    page.issue_with(values)
    assert page.register.rowCount() == 1 and page.register.item(0, 0).text() == "1/BC-UBND"
    page.register.selectRow(0)
    assert page.sign_button.isEnabled() and page.delete_button.isEnabled()
    page.sign_with(page.reports[0].id, {"approver": "Nguyễn Văn Bình",
                                        "approved_on": dt.date(2023, 7, 12),
                                        "signed_file": None})
    page.register.selectRow(0)
    assert not page.sign_button.isEnabled() and not page.delete_button.isEnabled()
    assert "Nguyễn Văn Bình" in page.register.item(0, 5).text()
    page.withdraw_report(page.reports[0].id)  # refused with a sentence, nothing changes
    assert "Nguyễn Văn Bình" in page.message.text()
    assert len(archive.issued_reports(a)) == 1
    page.tabs.setCurrentIndex(1)
    assert page.due.rowCount() == 1
    assert page.due.item(0, 7).text() == archive.state_label("on_time")
    page.tabs.setCurrentIndex(0)
    _grab(window, "commune-register", tmp_path)
    window.close()

    for commune in (a, b):
        _send(commune, parent, tmp_path / "mail")
    set_today(parent, dt.date(2023, 7, 16))
    window = open_window(qtbot, parent)
    window.show_area("archive")
    page = window.current_page()
    assert page.request_button.isVisible()
    RequestDialog(page, parent).done_building()
    page.tabs.setCurrentIndex(1)
    states = {page.due.item(r, 0).text(): page.due.item(r, 7).text()
              for r in range(page.due.rowCount())}
    assert states["Xã Đắk La"] == archive.state_label("on_time")
    assert states["Xã Hà Mòn"] == archive.state_label("missing")
    opened: list[Path] = []
    page.open_path = opened.append
    row = next(r for r in range(page.due.rowCount()) if page.due.item(r, 0).text() ==
               "Xã Đắk La")
    page.due.selectRow(row)
    page.open_due()
    assert len(opened) == 1 and opened[0].suffix == ".pdf" and opened[0].is_file()
    _grab(window, "parent-completeness", tmp_path)
    window.show_area("overview")
    _grab(window, "parent-overview", tmp_path)
    window.close()

    # a correction arrives after the due date: still on time, the correction shown beside it
    set_today(a, dt.date(2023, 7, 20))
    fixed = archive.issue_report(a, kind="capital", period_start=H1[0], period_end=H1[1])
    archive.sign_off(a, fixed.id, approver="Nguyễn Văn Bình", approved_on=dt.date(2023, 7, 20))
    set_today(parent, dt.date(2023, 7, 22))
    _send(a, parent, tmp_path / "mail")
    window = open_window(qtbot, parent)
    window.show_area("archive")
    page = window.current_page()
    page.tabs.setCurrentIndex(1)
    states = {page.due.item(r, 0).text(): page.due.item(r, 7).text()
              for r in range(page.due.rowCount())}
    assert states["Xã Đắk La"] == "đúng hạn; bản đính chính 2/BC-UBND nhận ngày 22/07/2023"
    _grab(window, "parent-completeness-corrected", tmp_path)
    window.close()


def test_the_parent_issues_the_consolidated_form_from_the_page(qtbot, styled_app, network,
                                                                tmp_path):
    form = "form-gnbv-tt10-2022-bieu02"
    parent = network.parent(PARENT, "Phòng Tài chính - Kế hoạch huyện Đắk Hà")
    set_today(parent, dt.date(2023, 7, 10))
    a = network.enroll(parent, COMMUNE_A, "Y Thị Hoa", sqlite=True)
    set_today(a, dt.date(2023, 7, 10))
    fill(a, "page-form")
    archive.save_request(parent, kind=form, period_start=H1[0], period_end=H1[1],
                         due_on=DUE)
    issued = archive.issue_report(a, kind=form, period_start=H1[0], period_end=H1[1])
    archive.sign_off(a, issued.id, approver="Nguyễn Văn Bình")
    _send(a, parent, tmp_path / "mail")
    set_today(parent, dt.date(2023, 7, 20))
    window = open_window(qtbot, parent)
    window.show_area("archive")
    page = window.current_page()
    dialog = IssueDialog(page, parent)
    dialog.done_building()
    keys = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    assert form in keys
    dialog.kind.setCurrentIndex(keys.index(form))
    values = dialog.values()
    assert values["kind"] == form and (values["period_start"], values["period_end"]) == H1
    page.issue_with(values)
    assert page.register.rowCount() == 1 and page.register.item(0, 0).text() == "1/BC-UBND"
    mine = page.reports[0]
    assert mine.consolidated and "Xã Hà Mòn" in mine.not_reported and mine.figures
    page.tabs.setCurrentIndex(1)
    row = next(r for r in range(page.due.rowCount()) if page.due.item(r, 0).text() ==
               "Xã Đắk La")
    assert page.due.item(row, 6).text() == "10/07/2023"  # the day it arrived
    assert page.due.item(row, 7).text() == archive.state_label("on_time")
    page.tabs.setCurrentIndex(0)
    _grab(window, "parent-consolidated-form", tmp_path)
    window.close()


def test_the_consolidated_report_is_made_off_the_gui_thread_with_a_busy_form(
        qtbot, styled_app, network, tmp_path, monkeypatch):
    """Issuing at a parent sums every child's signed report and writes xlsx and PDF (seconds
    with hundreds of children): the form stays open with a busy bar while the worker makes
    it, Esc cannot leave it half made, and a refusal comes back beside its field."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    from ctmtqg_desktop.gui.background import TaskRunner
    from ctmtqg_desktop.gui.widgets import FormDialog

    form = "form-gnbv-tt10-2022-bieu02"
    parent = network.parent(PARENT, "Phòng Tài chính - Kế hoạch huyện Đắk Hà")
    set_today(parent, dt.date(2023, 7, 10))
    a = network.enroll(parent, COMMUNE_A, "Y Thị Hoa", sqlite=True)
    set_today(a, dt.date(2023, 7, 10))
    fill(a, "busy-form")
    issued = archive.issue_report(a, kind=form, period_start=H1[0], period_end=H1[1])
    archive.sign_off(a, issued.id, approver="Nguyễn Văn Bình")
    _send(a, parent, tmp_path / "mail")
    window = open_window(qtbot, parent)
    window.show_area("archive")
    page = window.current_page()

    shown: list[IssueDialog] = []  # the page hands its own background runner to the form
    monkeypatch.setattr(FormDialog, "run_saving",
                        classmethod(lambda cls, dialog, save: (shown.append(dialog),
                                                               (False, None))[1]))
    page.issue()
    assert shown and shown[0].runner is page.context.runner
    monkeypatch.undo()

    runner = TaskRunner()  # a real worker thread, as in the application
    dialog = IssueDialog(page, parent, runner)
    dialog.saver = lambda values: archive.issue_consolidated(parent, **values)
    dialog.done_building()
    keys = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    dialog.kind.setCurrentIndex(keys.index(form))
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    # the worker's answer reaches the form only through the event loop: until then it waits
    assert dialog.saving and dialog.progress.isVisible() and dialog.isVisible()
    assert not dialog.buttons.isEnabled() and not dialog.number.isEnabled()
    dialog.reject()  # Esc while the report is being made
    assert dialog.isVisible()
    folder = Path(os.environ.get("CTMTQG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(folder / "archive-issue-busy.png"))
    qtbot.waitUntil(lambda: not dialog.saving, timeout=120_000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved.consolidated and dialog.saved.number_symbol == "1/BC-UBND"
    assert not dialog.progress.isVisible()

    again = IssueDialog(page, parent, runner)  # the same number again: refused, stays open
    again.saver = lambda values: archive.issue_consolidated(parent, **values)
    again.done_building()
    again.kind.setCurrentIndex(keys.index(form))
    again.number.setValue(1)
    again.show()
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not again.saving, timeout=120_000)
    assert again.isVisible() and again.result() != QDialog.DialogCode.Accepted
    assert again.buttons.isEnabled() and again.number.isEnabled()
    shown_texts = [label.text() for label in again.findChildren(type(again.message))
                   if label.isVisible()]
    assert any("1/BC-UBND" in text for text in shown_texts), shown_texts
    assert len(archive.issued_reports(parent)) == 1
    again.close()
    runner.wait()
    window.close()
