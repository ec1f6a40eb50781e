"""A long refusal under a form never squeezes its fields (the disbursement dialog's amount
became unreadable)."""

from PySide6.QtWidgets import QApplication, QLineEdit

from ctmtqg_desktop.gui.widgets import FormDialog, MoneyEdit, date_edit

LONG = ("Không ghi được: số giải ngân cho “Đường giao thông nội làng Kon Mong Tu” từ dòng "
        "“CTMTQG DTTS&MN năm 2023, vốn ĐTPT, Ngân sách tỉnh (vốn đối ứng)” sẽ là "
        "100.049.999.999 đồng, vượt số vốn đã phân bổ 150.000.000 đồng là 99.899.999.999 "
        "đồng. Không có gì bị thay đổi.")


def test_a_long_message_grows_the_dialog_instead_of_squeezing_the_fields(qtbot, styled_app):
    class Form(FormDialog):
        def problem(self):
            return LONG if self.amount.value() and self.amount.value() > 1000 else ""

        def values(self):
            return {}

    form = Form(None, "Ghi giải ngân", "CTMTQG DTTS&MN năm 2023")
    qtbot.addWidget(form)
    form.day = form.row("Ngày giải ngân", date_edit())
    form.amount = form.row("Số tiền (đồng)", MoneyEdit())
    form.voucher = form.row("Số chứng từ", QLineEdit())
    form.done_building()
    form.show()
    qtbot.waitExposed(form)
    form.amount.setText("99999999999")
    QApplication.processEvents()
    assert form.message.text() == LONG
    for field in (form.day, form.amount, form.voucher):
        assert field.height() >= field.sizeHint().height(), field
