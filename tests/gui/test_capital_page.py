"""The "Kế hoạch vốn" page on the demo: the grid by year and programme, drill-down to
payments, entries through dialogs (refusals shown, nothing changed), the disbursement overview
with its chart, the counterpart check, Excel export, keyboard."""

import datetime as dt

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from ctmtqg_desktop.gui.pages.capital._dialogs import AllocationDialog, LineDialog, PaymentDialog
from ctmtqg_desktop.gui.pages.capital._page import CapitalPage
from ctmtqg_desktop.services import capital

D = dt.date


def open_capital(window) -> CapitalPage:
    window.show_area("capital")
    page = window.current_page()
    assert isinstance(page, CapitalPage) and page.loaded
    return page


def select_line(page, label: str) -> None:
    model = page.line_model
    row = next(r for r in range(model.rowCount()) if model.row_object(r).label == label)
    page.line_view.selectRow(row)
    assert page.current_line.label == label


def test_grid_by_year_and_programme_passes_the_model_tester(window, qtmodeltester, qtbot):
    page = open_capital(window)
    assert page.title.text() == "Kế hoạch vốn"
    assert page.year.currentText() == "2023"
    assert page.tabs.tabText(0) == "Kế hoạch vốn"
    model = page.line_model
    assert model.rowCount() == 10
    qtmodeltester.check(model)
    totals = [page.program_table.item(r, 0).text() for r in range(page.program_table.rowCount())]
    assert totals == ["CTMTQG DTTS&MN", "CTMTQG GNBV", "CTMTQG NTM", "Tổng năm 2023"]
    assert page.program_table.item(3, 1).text() == "7.398.000.000"
    # sorting happens in SQL and keeps the model valid
    model.sort(2, Qt.DescendingOrder)
    assert model.row_object(0).figures.assigned == 2_400_000_000
    qtmodeltester.check(model)
    # clicking a programme in the summary filters the grid (moving the current row with
    # the keyboard does not: tests/gui/test_keyboard.py)
    table = page.program_table
    qtbot.mouseClick(table.viewport(), Qt.LeftButton,
                     pos=table.visualItemRect(table.item(2, 0)).center())
    assert page.program.currentText() == "CTMTQG NTM" and model.rowCount() == 4
    page.year.setCurrentIndex(page.year.findText("2022"))
    page.program.setCurrentIndex(0)
    assert model.rowCount() == 5
    assert {model.row_object(r).year for r in range(5)} == {2022}


def test_drill_down_from_a_line_to_its_payments(window, qtmodeltester):
    page = open_capital(window)
    select_line(page, "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương")
    assert page.allocation_table.rowCount() == 3
    assert "Nhà văn hóa thôn 7" in [page.allocation_table.item(r, 0).text() for r in range(3)]
    assert page.figure_labels[0][1].text() == "2.400.000.000"
    assert page.figure_labels[2][1].text() == "100.000.000"
    assert "Thấp hơn đường tiến độ" in page.line_state.text()
    assert page.payment_model.rowCount() == 7
    qtmodeltester.check(page.payment_model)
    house = next(r for r in range(3)
                 if page.allocation_table.item(r, 0).text() == "Nhà văn hóa thôn 7")
    page.allocation_table.selectRow(house)
    page.payments_of_button.click()
    assert page.detail_tabs.currentIndex() == 1
    assert page.payment_model.rowCount() == 3
    assert page.payment_filter.text() == "Giải ngân cho Nhà văn hóa thôn 7."
    first = page.payment_model.row_object(0)
    assert first.paid_on == D(2023, 9, 5)  # newest first
    page.all_payments_button.click()
    assert page.payment_model.rowCount() == 7


def test_a_line_added_through_its_dialog_appears_in_the_grid(window, monkeypatch):
    page = open_capital(window)
    monkeypatch.setattr(LineDialog, "ask", classmethod(lambda cls, parent, **kw: dict(
        year=2023, program_id="2021-2025/NTM", component_id="2021-2025/NTM/ND07",
        capital_kind="SN", source="NSTW", amount=300_000_000, quantity=None,
        quantity_unit="", unit_value=None, decision_number="230/QĐ-UBND",
        decision_date=D(2023, 9, 15), decision_body="UBND huyện Đắk Hà", note="")))
    page.add_line_button.click()
    assert page.line_model.rowCount() == 11
    assert page.message.text() == "Đã lưu dòng kế hoạch vốn."
    assert page.current_line.label == \
        "CTMTQG NTM năm 2023, vốn sự nghiệp, Ngân sách trung ương (ND07)"


def test_a_refused_payment_stays_in_the_form_beside_its_field(window, demo_workspace,
                                                              monkeypatch, qtbot):
    """Save saves while the form is open (issue 15): a refusal of the real service lands
    under the field it names, the form stays open with what was typed, nothing changes;
    corrected, the same form saves and closes. The refusal: another payment recorded
    meanwhile (another window, the command line) leaves less than the form knew."""
    from tests.gui.test_field_errors import assert_beside

    page = open_capital(window)
    select_line(page, "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương")
    house = next(a for a in page.allocations if a.project_name == "Nhà văn hóa thôn 7")
    results = []

    def user(dialog):
        dialog.show()
        dialog.allocation.setCurrentIndex(dialog.allocation.findData(house.id))
        dialog.amount.setText("30.000.000")
        capital.save_payment(demo_workspace, allocation_id=house.id,
                             paid_on=D(2023, 10, 9), amount=20_000_000, voucher="CLI")
        before = capital.get_line(demo_workspace, page.current_line.id).figures
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        assert dialog.isVisible() and dialog.result() != QDialog.Accepted
        assert_beside(dialog, dialog.amount, "Nhà văn hóa thôn 7", qtbot)
        assert dialog.amount.text() == "30.000.000"  # what was typed is kept
        assert capital.get_line(demo_workspace, page.current_line.id).figures == before
        results.append(page.message.text())
        dialog.amount.setText("10.000.000")
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        return dialog.result()

    monkeypatch.setattr(PaymentDialog, "exec", user)
    page.pay_button.click()
    assert results and "Không ghi được" not in results[0]  # not on the page
    assert page.message.text() == "Đã ghi giải ngân."
    assert page.figure_labels[3][1].text() == "1.310.000.000"


def test_dialogs_check_while_typing(window, qtbot):
    page = open_capital(window)
    select_line(page, "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương")
    dialog = PaymentDialog(page, line=page.current_line, allocations=page.allocations,
                           today=D(2023, 10, 16))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    dialog.allocation.setCurrentIndex(
        next(i for i in range(dialog.allocation.count())
             if dialog.allocation.itemText(i).startswith("Nhà văn hóa thôn 7")))
    dialog.amount.setText("40.000.000")
    dialog.refresh()
    amount_error = dialog.field_errors.label_of(dialog.amount)  # shown under the amount
    assert not ok.isEnabled() and "vượt số vốn đã phân bổ" in amount_error.text()
    dialog.amount.setText("1,5")
    dialog.refresh()
    assert "không phải là số tiền" in amount_error.text().lower() or \
        "1,5" in amount_error.text()
    dialog.amount.setText("30.000.000")
    dialog.refresh()
    assert ok.isEnabled() and dialog.message.text() == "" and amount_error.text() == ""
    assert dialog.values()["amount"] == 30_000_000
    allocation = AllocationDialog(page, line=page.current_line, projects=page.project_choices,
                                  today=D(2023, 10, 16))
    qtbot.addWidget(allocation)
    assert allocation.amount.value() == 100_000_000  # the unallocated rest is proposed
    allocation.amount.setValue(100_000_001)
    allocation.refresh()
    shown = allocation.field_errors.label_of(allocation.amount).text()
    assert "vượt số vốn được giao" in shown and "1 đồng" in shown


def test_disbursement_overview_chart_and_warnings(window):
    page = open_capital(window)
    page.tabs.setCurrentIndex(1)
    assert page.overview_figures[3].value.text() == "41,1%"
    assert page.overview_figures[3].caption.text() == "Đã giải ngân (đường tiến độ 79,2%)"
    assert page.overview_figures[4].value.text() == "58,6%"
    bars = [page.program_bars.itemAt(i).widget() for i in range(page.program_bars.count())]
    assert [(b.label, round(b.rate, 3)) for b in bars] == [
        ("CTMTQG DTTS&MN", 0.336), ("CTMTQG GNBV", 0.23), ("CTMTQG NTM", 0.559)]
    assert all(b.state == "due_soon" for b in bars)
    chart = page.chart
    assert chart.title == "Giải ngân năm 2023"
    assert chart.points[-1][1] == 3_037_000_000 / 7_398_000_000
    assert round(chart.today_x, 2) == round(12 * 289 / 365, 2)
    assert chart.grab().width() > 300  # it paints
    assert page.alert_list.count() >= 10
    assert page.alert_list.item(0).foreground().color().name() == "#b3261e"
    assert page.project_rates.rowCount() == 12  # the projects with capital of 2023


def test_counterpart_check_and_rules(window):
    page = open_capital(window)
    page.tabs.setCurrentIndex(2)
    rows = {(page.check_table.item(r, 0).text(), page.check_table.item(r, 1).text()):
            [page.check_table.item(r, c).text() for c in range(7)]
            for r in range(page.check_table.rowCount())}
    assert rows[("CTMTQG DTTS&MN", "vốn ĐTPT")][4:7] == ["210.000.000", "150.000.000",
                                                         "60.000.000"]
    assert page.rules_table.rowCount() == 5
    assert "mặc định của phần mềm" in page.rules_table.item(0, 5).text()
    assert "không áp dụng" not in page.rules_table.item(0, 5).text()


def test_export_every_list_and_keyboard(window, qtbot, tmp_path):
    page = open_capital(window)
    target = tmp_path / "von.xlsx"
    page.export_to(target)
    assert "Đã tạo báo cáo" in page.message.text()
    assert "Giải ngân" in load_workbook(target).sheetnames
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "dak ha 57")
    assert page.line_model.rowCount() == 2


def test_import_from_the_page_and_overlap_warning_when_allocating(window, qtbot, tmp_path):
    from ctmtqg_desktop.services.capital import _workbook as capital_import

    page = open_capital(window)
    template = capital_import.write_template(tmp_path / "mau.xlsx")
    page.import_from(template)
    assert page.message.text() == "Đã nhập dòng kế hoạch vốn: thêm 1, cập nhật 0, không đổi 0."
    assert not page.cancel_button.isVisible() and not page.busy.isVisible()
    assert page.line_model.rowCount() == 11
    select_line(page, "CTMTQG NTM năm 2023, vốn ĐTPT, Ngân sách trung ương")
    dialog = AllocationDialog(page, line=page.current_line, projects=page.project_choices,
                              today=D(2023, 10, 16), overlaps=page.flagged_projects)
    qtbot.addWidget(dialog)
    index = next(i for i in range(dialog.project.count()) if dialog.project.itemText(i) ==
                 "Bê tông hóa đường giao thông nội làng Kon Mong Tu")
    dialog.project.setCurrentIndex(index)
    assert dialog.overlap_warning.isVisibleTo(dialog)
    assert "có thể trùng lặp" in dialog.overlap_warning.text()
    dialog.project.setCurrentIndex(dialog.project.findText("Nhà văn hóa thôn 7"))
    assert not dialog.overlap_warning.isVisibleTo(dialog)
