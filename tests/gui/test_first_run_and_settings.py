from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from ctmtqg_desktop.gui.first_run import FirstRunDialog
from ctmtqg_desktop.services import settings
from tests.gui.conftest import type_text


def test_first_run_finds_the_commune_without_diacritics(qtbot, styled_app, new_workspace):
    workspace = new_workspace(initialise=False)
    dialog = FirstRunDialog(workspace)
    qtbot.addWidget(dialog)
    ok = dialog.ui.buttons.button(QDialogButtonBox.Ok)
    assert ok.text() == "Bắt đầu" and not ok.isEnabled()
    qtbot.keyClicks(dialog.ui.unitSearch, "kon braih")
    dialog._timer.timeout.emit()
    first = dialog.ui.unitList.item(0).text()
    assert first == "Xã Kon Braih, tỉnh Quảng Ngãi (từ 01/07/2025)"
    dialog.ui.unitList.setCurrentRow(0)
    type_text(qtbot, dialog.ui.officerName, "Y Thị Hoa")
    assert ok.isEnabled() and dialog.ended is None
    choice = dialog.choice()
    assert (choice.unit_id, choice.role, choice.officer_name) == (
        "23497@2025-07-01", "commune", "Y Thị Hoa")


def test_first_run_hides_dissolved_units_and_warns_when_one_is_chosen(qtbot, styled_app,
                                                                     new_workspace):
    workspace = new_workspace(initialise=False)
    dialog = FirstRunDialog(workspace)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.ui.unitSearch, "dak la")
    dialog._timer.timeout.emit()
    texts = [dialog.ui.unitList.item(i).text() for i in range(dialog.ui.unitList.count())]
    assert not any("Kon Tum" in t for t in texts)  # dissolved on 30/06/2025: not offered
    dialog.show_history.setChecked(True)
    first = dialog.ui.unitList.item(0).text()
    assert first.startswith("Xã Đắk La, huyện Đắk Hà, tỉnh Kon Tum (đến 30/06/2025)")
    dialog.ui.unitList.setCurrentRow(0)
    shown = dialog.ui.unitChosen.text()
    assert "30/06/2025" in shown and "Xã Đăk Hà, tỉnh Quảng Ngãi (23500@2025-07-01)" in shown
    asked = []
    dialog.confirm_ended_unit = lambda notice: asked.append(notice) or False
    dialog.accept()
    assert asked and dialog.result() != dialog.DialogCode.Accepted  # said no: stays open
    dialog.confirm_ended_unit = lambda notice: True
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.choice().unit_id == "23524"


def test_first_run_as_a_parent_lists_provinces_and_shows_homonyms(qtbot, styled_app,
                                                                  new_workspace):
    workspace = new_workspace(initialise=False)
    dialog = FirstRunDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.ui.roleParent.setChecked(True)
    qtbot.keyClicks(dialog.ui.unitSearch, "quang ngai")
    dialog._timer.timeout.emit()
    texts = [dialog.ui.unitList.item(i).text() for i in range(dialog.ui.unitList.count())]
    assert texts == ["Tỉnh Quảng Ngãi (từ 01/07/2025)"]
    dialog.show_history.setChecked(True)
    qtbot.keyClicks(dialog.ui.unitSearch, "")
    dialog.ui.unitSearch.setText("kon tum")
    dialog._timer.timeout.emit()
    texts = [dialog.ui.unitList.item(i).text() for i in range(dialog.ui.unitList.count())]
    assert any(t.startswith("Tỉnh Kon Tum") for t in texts)
    assert any(t.startswith("Thành phố Kon Tum, tỉnh Kon Tum") for t in texts)
    assert dialog.ui.fromEnrollment.isEnabled()  # set up from the parent's file


def test_settings_are_saved_to_the_workspace(window, qtbot, demo_workspace):
    window.show_area("settings")
    page = window.current_page()
    page.editors["due_soon_days"].setValue(14)
    page.editors["signer_name"].setText("Nguyễn Văn Hùng")
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert page.message.text() == "Đã lưu."
    assert settings.get(demo_workspace, settings.DUE_SOON_DAYS) == 14
    assert "Xã Đắk La" in page.facts.text()


def test_change_journal_table_passes_the_model_tester(window, qtmodeltester, demo_workspace):
    from sqlalchemy import func, select

    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry

    window.show_area("settings")
    page = window.current_page()
    model = page.journal_model
    with demo_workspace.session_factory() as session:  # every area's demo records, journalled
        journalled = session.execute(select(func.count()).select_from(ChangeJournalEntry)).scalar()
    assert journalled >= 22  # at least the 12 villages and 10 projects of the demo
    assert model.rowCount() == journalled
    assert model.data(model.index(0, 3)) == "thêm mới"
    qtmodeltester.check(model)
    model.sort(0, Qt.AscendingOrder)
    assert model.data(model.index(0, 0)) == "1"
    qtmodeltester.check(model)


def test_reports_page_makes_a_report_in_the_background(window, tmp_path):
    window.show_area("reports")
    page = window.current_page()
    assert page.list.count() >= 1 and page.list.item(0).text() == "Danh sách thôn, làng"
    target = tmp_path / "thon.xlsx"
    page.generate("villages", "xlsx", target)
    assert target.exists() and "Đã tạo báo cáo" in page.result.text()


def test_qt_standard_words_and_numbers_are_vietnamese(qtbot, styled_app):
    from PySide6.QtWidgets import QDialogButtonBox, QSpinBox

    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel
                               | QDialogButtonBox.Yes | QDialogButtonBox.No)
    qtbot.addWidget(buttons)
    texts = {b.text().replace("&", "") for b in buttons.buttons()}
    assert texts == {"Đồng ý", "Hủy", "Có", "Không"}
    spin = QSpinBox(maximum=100000, groupSeparatorShown=True)
    qtbot.addWidget(spin)
    spin.setValue(1020)
    assert spin.text() == "1.020"


def test_reports_page_lists_the_forms_and_takes_a_period(window, tmp_path):
    """Issue 14: the forms with their mark, the note that no 2026-2035 form is published,
    the last closed period by default, a form made for the year chosen, a range refused."""
    import os

    from openpyxl import load_workbook
    from PySide6.QtCore import QDate, Qt

    window.show_area("reports")
    page = window.current_page()
    texts = [page.list.item(i).text() for i in range(page.list.count())]
    assert any(t.startswith("Biểu mẫu: Kết quả thực hiện Chương trình mục tiêu quốc gia giảm "
                            "nghèo") and "kiểm chứng một phần" in t for t in texts)
    assert "2026 - 2035" in page.not_found.text()
    keys = [page.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.list.count())]
    assert page.period().label == "năm 2023"  # the application's own report: the year
    page.list.setCurrentRow(keys.index("form-gnbv-tt10-2022-bieu02"))
    assert page.period().label == "6 tháng đầu năm 2023"  # a form: the last closed period
    page.period_kind.setCurrentIndex(page.period_kind.findData("year"))
    assert page.period().label == "năm 2023"
    target = tmp_path / "bieu02.xlsx"
    page.generate("form-gnbv-tt10-2022-bieu02", "xlsx", target)
    assert "năm 2023" in " ".join(str(c.value) for row in load_workbook(target).worksheets[0]
                                  .iter_rows() for c in row if c.value)
    page.list.setCurrentRow(keys.index("form-ntm-qd51-2025-tu-danh-gia"))
    assert page.parameter.isVisibleTo(page) and page.parameter.count() == 3
    page.parameter.setCurrentText("Xã nhóm 3")
    grouped = tmp_path / "qd51.xlsx"
    page.generate("form-ntm-qd51-2025-tu-danh-gia", "xlsx", grouped)
    assert "Xã nhóm 3" in " ".join(str(c.value) for sheet in load_workbook(grouped)
                                   for row in sheet.iter_rows() for c in row if c.value)
    window.grab().save(str(tmp_path / "reports-form.png"))
    if os.environ.get("CTMTQG_SHOTS"):
        window.grab().save(os.environ["CTMTQG_SHOTS"] + "/reports-form.png")
    page.list.setCurrentRow(0)
    assert not page.parameter.isVisibleTo(page)
    page.period_kind.setCurrentIndex(page.period_kind.findData("range"))
    assert page.range_start.isVisibleTo(page) and not page.period_year.isVisibleTo(page)
    page.range_start.setDate(QDate(2023, 6, 30))
    page.range_end.setDate(QDate(2023, 1, 1))
    bad = tmp_path / "bad.pdf"
    page.generate("tasks", "pdf", bad)
    assert "trước ngày bắt đầu" in page.result.text() and not bad.exists()
    assert not page.open_button.isVisibleTo(page)
    window.grab().save(str(tmp_path / "reports.png"))
    if os.environ.get("CTMTQG_SHOTS"):
        window.grab().save(os.environ["CTMTQG_SHOTS"] + "/reports.png")
