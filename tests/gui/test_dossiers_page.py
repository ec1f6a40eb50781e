"""The Hồ sơ and Sổ tay pages with real widgets on a copy of the demo."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from ctmtqg_desktop.services import dossiers, households
from tests.gui.conftest import type_text


def open_page(window):
    window.show_area("dossiers")
    return window.current_page()


def row_of(model, fragment):
    return next(r for r in range(model.rowCount())
                if fragment in model.row_object(r).project_name)


def test_dossier_list_model_filters_and_bars(window, qtbot, qtmodeltester):
    page = open_page(window)
    screen = page.list_screen
    qtmodeltester.check(screen.model)
    assert screen.model.rowCount() == 9
    headers = [screen.model.headerData(c, Qt.Horizontal) for c in range(6)]
    assert headers[:4] == ["Dự án, công trình", "Thôn", "Giai đoạn", "Mức đầy đủ"]
    screen.state.setCurrentIndex(screen.state.findData("warnings"))
    names = {screen.model.row_object(r).project_name for r in range(screen.model.rowCount())}
    assert names == {"Đường giao thông nội làng Kon Mong Tu",
                     "Truyền thông về giảm nghèo đa chiều năm 2023"}
    index = screen.model.index(0, 0)
    assert screen.model.data(index, Qt.ForegroundRole).color() == QColor("#b3261e")
    screen.state.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert screen.search.hasFocus()
    qtbot.keyClicks(screen.search, "nha van hoa")
    assert screen.model.rowCount() == 1
    assert screen.model.data(screen.model.index(0, 3)) == "58%"
    assert "Nhà văn hóa thôn 7" in screen.summary_title.text()
    assert screen.stage_bars[0][1].value() == 100


def test_starting_then_filling_a_dossier_by_keyboard(window, qtbot, demo_workspace):
    page = open_page(window)
    screen = page.list_screen
    wanted = "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023"
    screen.new_project.setCurrentIndex(screen.new_project.findText(wanted))
    assert screen.new_project.currentText() == wanted
    qtbot.mouseClick(screen.new_button, Qt.LeftButton)
    view = page.view
    assert page.dossier_stack.currentWidget() is view
    assert view.title.text() == "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023"
    assert view.tree.topLevelItem(0).text(0) == "Chuẩn bị (0/3)"
    assert screen.new_project.findText(wanted) == -1  # it has a dossier now
    view.select_document("application")
    view.open_form()
    editor = view.editor
    assert view.right.currentWidget() is editor
    fields = {e.field.key: e for e in editor.editors}
    type_text(qtbot, fields["head_name"].widget, "Y Thị Nhung")
    qtbot.keyClicks(fields["id_number"].widget, "06219")
    assert fields["id_number"].error.isVisible()
    assert "12 chữ số" in fields["id_number"].error.text()
    assert not editor.save_button.isEnabled()
    qtbot.keyClicks(fields["id_number"].widget, "0001234")
    assert not fields["id_number"].error.isVisible()
    fields["household_status"].widget.setCurrentIndex(1)
    fields["support_kind"].widget.setCurrentIndex(2)
    fields["current_house"].widget.setPlainText("Nhà tạm, vách gỗ, mái tôn cũ dột nát")
    assert editor.save_button.isEnabled()
    asked = []
    view.confirm = lambda title, text: asked.append(text) or False
    qtbot.mouseClick(view.back_button, Qt.LeftButton)  # unsaved: asks, and the user stays
    assert asked and "chưa lưu" in asked[0]
    assert page.dossier_stack.currentWidget() is view and view.right.currentWidget() is editor
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert editor.message.text() == "Đã lưu biểu mẫu."
    detail = dossiers.get_dossier(demo_workspace, view.detail.summary.id)
    application = next(line for line in detail.documents if line.code == "application")
    saved = dossiers.form_values(demo_workspace, application.id)
    assert saved["id_number"] == "062190001234" and saved["support_kind"] == "Sửa chữa nhà ở"
    assert application.status == "drafting"
    qtbot.keyClick(editor, Qt.Key_Escape)
    assert view.right.currentWidget() is view.panel
    qtbot.keyClick(view, Qt.Key_Escape)
    assert page.dossier_stack.currentWidget() is screen


def test_amounts_are_read_in_words_and_rules_checked_as_typed(window, qtbot):
    page = open_page(window)
    screen = page.list_screen
    screen.table.selectRow(row_of(screen.model, "cà phê"))
    qtbot.keyClick(screen.table, Qt.Key_Return)
    view = page.view
    view.select_document("proposal")
    view.open_form()
    fields = {e.field.key: e for e in view.editor.editors}
    total, support = fields["total_amount"].widget, fields["state_support"].widget
    assert fields["total_amount"].words.text() == \
        "Bằng chữ: Một trăm chín mươi tám triệu đồng"
    total.clear()
    qtbot.keyClicks(total, "1,5")
    assert "không phải là số tiền" in fields["total_amount"].error.text()
    total.clear()
    qtbot.keyClicks(total, "100.000.000")
    assert view.editor.rule_errors.isVisible()
    assert "không được lớn hơn tổng kinh phí" in view.editor.rule_errors.text()
    support.clear()
    qtbot.keyClicks(support, "90.000.000")
    assert not view.editor.rule_errors.isVisible()
    assert fields["state_support"].words.text() == "Bằng chữ: Chín mươi triệu đồng"


def test_a_status_change_warns_and_files_show_as_thumbnails(window, qtbot, tmp_path,
                                                             demo_workspace):
    page = open_page(window)
    screen = page.list_screen
    screen.table.selectRow(row_of(screen.model, "kênh mương"))
    screen.open_current()
    view = page.view
    view.select_document("assignment_contract")
    panel = view.panel
    panel.status.setCurrentIndex(panel.status.findData("signed"))
    panel.document_date.setText("32/10/2023")
    assert panel.date_error.isVisible() and not panel.save_button.isEnabled()
    panel.document_date.setText("12/10/2023")
    qtbot.mouseClick(panel.save_button, Qt.LeftButton)
    assert "Giai đoạn “Thực hiện” đã bắt đầu" in view.message.text()
    assert view.warnings.isVisible()
    image = QImage(300, 400, QImage.Format_RGB32)
    image.fill(QColor("white"))
    photo = tmp_path / "hien-truong.png"
    assert image.save(str(photo))
    view.select_document("simplified_dossier")
    view.attach_files([photo])
    assert view.message.text() == "Đã đính kèm 1 tệp."
    assert panel.files.count() == 1
    icon = panel.files.item(0).icon()
    assert not icon.isNull()
    assert icon.actualSize(panel.files.iconSize()).height() <= 96
    opened = []
    view.open_url = opened.append
    panel.files.setCurrentRow(0)
    view._open_file()
    assert opened and Path(opened[0]).name == "hien-truong.png" and Path(opened[0]).is_file()


def test_printing_and_locking_from_the_dossier_screen(window, qtbot, tmp_path):
    page = open_page(window)
    screen = page.list_screen
    screen.table.selectRow(row_of(screen.model, "nuôi bò"))
    screen.open_current()
    view = page.view
    opened = []
    view.open_url = opened.append
    view.select_document("approval_decision")
    assert view.panel.print_button.isEnabled()
    view.print_to(tmp_path / "qd.pdf")
    assert opened == [tmp_path / "qd.pdf"] and (tmp_path / "qd.pdf").stat().st_size > 1000
    view.confirm = lambda title, text: True
    view.lock()
    assert "Chưa thể khóa hồ sơ" in view.message.text()
    page.show_list()
    screen.table.selectRow(row_of(screen.model, "Tập huấn"))
    screen.open_current()
    assert not view.lock_button.isEnabled() and not view.stage.isEnabled()
    view.select_document("plan")
    assert not view.panel.save_button.isEnabled()
    view.open_form()
    assert view.editor.read_only and not view.editor.save_button.isEnabled()
    assert "đã khóa" in view.editor.message.text()


def test_household_list_reveals_ids_only_when_asked(window, qtbot, qtmodeltester, tmp_path,
                                                     demo_workspace):
    page = open_page(window)
    page.tabs.setCurrentWidget(page.households)
    tab = page.households
    qtmodeltester.check(tab.model)
    assert tab.model.rowCount() == households.counts(demo_workspace)["total"]
    assert tab.count.text() == f"{tab.model.rowCount()} hộ"
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert tab.search.hasFocus()
    qtbot.keyClicks(tab.search, "y blut")
    assert tab.model.rowCount() >= 1
    first = tab.model.data(tab.model.index(0, 1))
    assert first.startswith("*********")
    tab.reveal.setChecked(True)
    assert tab.model.data(tab.model.index(0, 1)).isdigit()
    tab.reveal.setChecked(False)
    tab.search.clear()
    tab.duplicates.setChecked(True)
    assert tab.model.rowCount() == 2
    tab.table.selectRow(0)
    assert tab.duplicate_warning.isVisible()
    assert "Được hỗ trợ trùng nội dung" in tab.duplicate_warning.text()
    assert tab.supports.rowCount() == 2
    assert tab.model.data(tab.model.index(0, 0), Qt.ForegroundRole).color() == \
        QColor("#b3261e")
    tab.duplicates.setChecked(False)
    tab.new_household()
    type_text(qtbot, tab.head, "Đinh Văn Tuấn")
    qtbot.keyClicks(tab.id_number, "062199001122")
    tab.village_edit.setCurrentIndex(3)
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert tab.message.text() == "Đã lưu."
    found = households.list_households(demo_workspace, {"text": "dinh van tuan"}, reveal=True)
    assert [r.id_number for r in found] == ["062199001122"]
    export = tmp_path / "ho.xlsx"
    tab.export_file(export)
    assert export.is_file() and "Đã ghi tệp" in tab.count.text()


def test_household_import_from_the_tab_refuses_a_bad_workbook(window, tmp_path,
                                                              demo_workspace):
    from tests.services.test_households import fill_template

    page = open_page(window)
    page.tabs.setCurrentWidget(page.households)
    tab = page.households
    before = tab.model.rowCount()
    path = tmp_path / "ho.xlsx"
    fill_template(path, [["A Thắm", "062080001111", 1980, "Làng Kon Gung", "Xơ Đăng",
                          "hộ nghèo", "có", 5, ""],
                         ["Y Hoa", "", 1985, "Thôn 99", "Kinh", "", "", 4, ""]])
    tab.import_file(path)
    assert "Thôn 99" in tab.message.text() and tab.model.rowCount() == before
    fill_template(path, [["A Thắm", "062080001111", 1980, "Làng Kon Gung", "Xơ Đăng",
                          "hộ nghèo", "có", 5, ""]])
    tab.import_file(path)
    assert tab.message.text() == "Đã nhập hộ: thêm 1, cập nhật 0, không đổi 0."
    assert tab.model.rowCount() == before + 1
    assert not tab.progress.isVisible()


def test_handbook_search_and_the_link_from_a_dossier(window, qtbot):
    window.show_area("handbook")
    book = window.current_page()
    assert book.reader.toPlainText().startswith("Cơ chế quản lý")
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert book.search.hasFocus()
    qtbot.keyClicks(book.search, "nen cung")
    visible = [i for i in book._items() if i.data(0, Qt.UserRole) and not i.isHidden()]
    assert {i.data(0, Qt.UserRole) for i in visible} == {"housing_support"}
    assert "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo" in book.reader.toPlainText()
    assert "Bộ hồ sơ mẫu hỗ trợ nhà ở" in book.reader.toPlainText()
    assert book.result.text() == "1 trang"
    book.search.clear()
    page = open_page(window)
    screen = page.list_screen
    screen.table.selectRow(row_of(screen.model, "Nhà văn hóa"))
    screen.open_current()
    qtbot.mouseClick(page.view.handbook_button, Qt.LeftButton)
    assert window.current_page() is book
    assert book.current_code() == "construction_special"
    assert "5 tỷ đồng" in book.reader.toPlainText()


def test_a_record_form_asks_for_the_time_place_chair_and_participants(window, qtbot,
                                                                        tmp_path):
    page = open_page(window)
    screen = page.list_screen
    screen.table.selectRow(row_of(screen.model, "kênh mương"))
    qtbot.keyClick(screen.table, Qt.Key_Return)
    view = page.view
    view.select_document("village_minutes")
    view.open_form()
    fields = {e.field.key: e for e in view.editor.editors}
    for key in ("start_time", "end_time", "place", "chair", "chair_position", "secretary",
                "secretary_position", "participants"):
        assert key in fields, key
    start, end = fields["start_time"].widget, fields["end_time"].widget
    assert start.text() == "14:00" and start.placeholderText() == "giờ:phút, ví dụ 08:30"
    assert "Đại diện 92 hộ dân thôn 2" in fields["participants"].widget.toPlainText()
    start.clear()
    qtbot.keyClicks(start, "25:00")
    assert "không phải là giờ trong ngày" in fields["start_time"].error.text()
    start.clear()
    qtbot.keyClicks(start, "16h30")
    assert not fields["start_time"].error.isVisible()
    assert "Giờ kết thúc phải sau giờ bắt đầu." in view.editor.rule_errors.text()
    end.clear()
    qtbot.keyClicks(end, "17:00")
    assert not view.editor.rule_errors.isVisible()
    window.resize(1366, 768)
    window.grab().save(str(tmp_path / "bien-ban-form.png"))
