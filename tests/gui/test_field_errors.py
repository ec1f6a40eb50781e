"""Errors sit beside their field (issue 15): a form's refusal naming a field (a UserError's
``field_name()``) is shown in red under that field, the form grows instead of squeezing the
fields, and a refusal naming no field stays on the form's message line."""

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.gui.pages.capital._dialogs import PaymentDialog
from ctmtqg_desktop.services import capital
from tests.gui.test_capital_page import open_capital, select_line

D = dt.date
LINE = "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương"


@pytest.fixture
def payment(window, qtbot):
    page = open_capital(window)
    select_line(page, LINE)
    dialog = PaymentDialog(page, line=page.current_line, allocations=page.allocations,
                           today=D(2023, 10, 16))
    qtbot.addWidget(dialog)
    dialog.allocation.setCurrentIndex(
        next(i for i in range(dialog.allocation.count())
             if dialog.allocation.itemText(i).startswith("Nhà văn hóa thôn 7")))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def under(dialog, widget):
    label = dialog.field_errors.label_of(widget)
    assert label is not None
    return label


def assert_beside(dialog, widget, words: str, qtbot) -> None:
    label = under(dialog, widget)
    qtbot.waitUntil(lambda: label.isVisible())
    assert words in label.text()
    assert dialog.message.text() == ""  # not repeated at the bottom
    assert words in widget.accessibleDescription()  # read out with the field
    assert label.objectName() == "fieldError"
    field_box = widget.geometry()
    label_box = label.geometry()
    assert label_box.top() >= field_box.bottom() - 1  # under the field …
    assert abs(label_box.left() - field_box.left()) <= 2  # … in its column
    # the form grew: every field keeps at least the height it needs to be read
    for field in (dialog.allocation, dialog.paid_on, dialog.amount, dialog.voucher):
        assert field.height() >= field.minimumSizeHint().height()
    assert dialog.height() >= dialog.layout().totalMinimumSize().height()


def test_an_amount_above_the_allocation_is_shown_under_the_amount(payment, qtbot):
    ok = payment.buttons.button(QDialogButtonBox.Ok)
    payment.amount.setText("40.000.000")
    assert not ok.isEnabled()
    assert_beside(payment, payment.amount, "vượt số vốn đã phân bổ", qtbot)
    assert not under(payment, payment.paid_on).isVisible()
    payment.amount.setText("30.000.000")
    assert ok.isEnabled()
    assert not under(payment, payment.amount).isVisible()
    assert under(payment, payment.amount).text() == ""
    assert payment.amount.accessibleDescription() == ""


def test_a_date_after_today_is_shown_under_the_date(payment, qtbot):
    payment.amount.setText("1.000.000")
    payment.paid_on.setDate(payment.paid_on.date().addDays(3))
    assert_beside(payment, payment.paid_on, "sau ngày hôm nay", qtbot)


def test_a_refusal_of_the_service_is_shown_under_its_field(payment, window, qtbot):
    """What the service says after Save (here: the real service on the demo's workspace)
    lands under the field it names."""
    allocation_id = payment.allocation.currentData()
    with pytest.raises(UserError) as refused:
        capital.save_payment(window.workspace, allocation_id=allocation_id,
                             paid_on=D(2023, 10, 1), amount=900_000_000)
    assert refused.value.field_name() == "amount"
    payment.amount.setText("900.000.000")
    payment.show_error(refused.value)
    assert_beside(payment, payment.amount, "870.000.000 đồng", qtbot)
    with pytest.raises(UserError) as future:
        capital.save_payment(window.workspace, allocation_id=allocation_id,
                             paid_on=D(2099, 1, 1), amount=1)
    payment.show_error(future.value)
    assert_beside(payment, payment.paid_on, "01/01/2099", qtbot)


def test_a_refusal_naming_no_field_stays_on_the_message_line(payment, qtbot):
    class Refused(UserError):
        template = "Không ghi được."

    label = payment.show_error(Refused())
    assert label is payment.message and payment.message.text() == "Không ghi được."
    assert not any(lab.isVisible() for lab in payment.field_errors.labels.values())
