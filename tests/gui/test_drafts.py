"""Drafts survive a crash while typing (issue 15): a form with changes writes a draft to the
workspace's drafts file as it is typed; after a crash (the dialog dropped without Save or
Cancel) the same form offers "Khôi phục nội dung đang nhập dở?" and restores the typing;
Save and Cancel remove the draft; the form of another record does not see it."""

import datetime as dt
import json

import pytest
import shiboken6
from PySide6.QtCore import Qt

from ctmtqg_desktop.gui.drafts import DraftKeeper
from ctmtqg_desktop.gui.pages.capital._dialogs import PaymentDialog
from ctmtqg_desktop.store.drafts import DRAFTS_FILE
from tests.gui.test_capital_page import open_capital, select_line

LINE = "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương"


@pytest.fixture
def page(window):
    page = open_capital(window)
    select_line(page, LINE)
    return page


def open_payment(page, qtbot):
    dialog = PaymentDialog(page, line=page.current_line, allocations=page.allocations,
                           today=dt.date(2023, 10, 16))
    dialog.show()  # a child of the page: closed with the window (qtbot closes that)
    return dialog


def drafts_on_disk(page) -> dict:
    path = page.workspace.folder / DRAFTS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def type_payment(dialog, qtbot) -> None:
    dialog.allocation.setCurrentIndex(
        next(i for i in range(dialog.allocation.count())
             if dialog.allocation.itemText(i).startswith("Nhà văn hóa thôn 7")))
    qtbot.keyClicks(dialog.amount, "12345000")
    qtbot.keyClicks(dialog.voucher, "KB-77")
    dialog.note.setFocus()
    dialog.note.insert("Tạm ứng đợt 2")


def test_a_crash_while_typing_keeps_the_draft_and_the_form_offers_it(page, qtbot):
    dialog = open_payment(page, qtbot)
    type_payment(dialog, qtbot)
    qtbot.waitUntil(lambda: any(v["values"].get("note") == "Tạm ứng đợt 2"
                                for v in drafts_on_disk(page).values()), timeout=5000)
    (key, draft), = drafts_on_disk(page).items()
    assert key.startswith("PaymentDialog:")
    assert draft["values"]["amount"] in ("12345000", "12.345.000")
    assert draft["values"]["voucher"] == "KB-77"
    assert not list(page.workspace.folder.glob(f".{DRAFTS_FILE}.*"))  # written atomically

    shiboken6.delete(dialog)  # the crash: no Save, no Cancel, no close

    again = open_payment(page, qtbot)
    keeper = again.findChild(DraftKeeper)
    assert keeper is not None and keeper.bar is not None and keeper.bar.isVisible()
    assert keeper.bar.accessibleName() == "Khôi phục nội dung đang nhập dở?"
    assert again.amount.text() == "" and again.voucher.text() == ""  # not before asked
    qtbot.mouseClick(keeper.restore_button, Qt.LeftButton)
    assert not keeper.bar.isVisible()
    assert again.amount.value() == 12_345_000 and again.amount.text() == "12.345.000"
    assert again.voucher.text() == "KB-77" and again.note.text() == "Tạm ứng đợt 2"
    assert again.allocation.currentText().startswith("Nhà văn hóa thôn 7")

    again.reject()  # Cancel: the draft has served
    assert drafts_on_disk(page) == {}


def test_save_removes_the_draft_and_another_record_does_not_see_it(page, qtbot):
    dialog = open_payment(page, qtbot)
    type_payment(dialog, qtbot)
    qtbot.waitUntil(lambda: drafts_on_disk(page) != {}, timeout=5000)
    shiboken6.delete(dialog)

    other_line = next(page.line_model.row_object(r).label
                      for r in range(page.line_model.rowCount())
                      if page.line_model.row_object(r).label != LINE)
    select_line(page, other_line)  # a payment of another line: no offer
    other = open_payment(page, qtbot)
    assert other.findChild(DraftKeeper).bar is None
    other.reject()
    assert len(drafts_on_disk(page)) == 1  # the first line's draft is still kept

    select_line(page, LINE)
    again = open_payment(page, qtbot)
    keeper = again.findChild(DraftKeeper)
    keeper.restore()
    assert again.buttons.button(again.buttons.StandardButton.Ok).isEnabled()
    again.accept()  # Save
    assert drafts_on_disk(page) == {}


def test_discarding_the_offer_removes_the_draft(page, qtbot):
    dialog = open_payment(page, qtbot)
    type_payment(dialog, qtbot)
    qtbot.waitUntil(lambda: drafts_on_disk(page) != {}, timeout=5000)
    shiboken6.delete(dialog)
    again = open_payment(page, qtbot)
    keeper = again.findChild(DraftKeeper)
    qtbot.mouseClick(keeper.drop_button, Qt.LeftButton)
    assert drafts_on_disk(page) == {} and again.amount.text() == ""
