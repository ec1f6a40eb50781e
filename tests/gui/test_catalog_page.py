from PySide6.QtCore import Qt

from ctmtqg_desktop.services import villages
from tests.gui.conftest import type_text


def visible_texts(tree):
    texts = []

    def visit(item):
        if not item.isHidden():
            texts.append(item.text(0))
        for i in range(item.childCount()):
            visit(item.child(i))

    for i in range(tree.topLevelItemCount()):
        visit(tree.topLevelItem(i))
    return texts


def test_unit_search_without_diacritics(window, qtbot):
    window.show_area("catalog")
    page = window.current_page()
    page.tabs.setCurrentWidget(page.units_tab)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert page.units_tab.search.hasFocus()
    qtbot.keyClicks(page.units_tab.search, "dak ha")
    shown = visible_texts(page.units_tab.tree)
    assert "Huyện Đắk Hà" in shown and "Thị trấn Đắk Hà" in shown and "Xã Đăk Hà" in shown
    assert "Xã Đắk La" not in shown


def test_programme_tree_and_details(window, qtbot):
    window.show_area("catalog")
    tab = window.current_page().programs_tab
    qtbot.keyClicks(tab.search, "duoc lieu")
    shown = visible_texts(tab.tree)
    assert any("vùng trồng dược liệu quý" in text for text in shown)
    top = [tab.tree.topLevelItem(i).text(0) for i in range(tab.tree.topLevelItemCount())]
    assert top[2] == "Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021-2025"
    tab.tree.setCurrentItem(tab.tree.topLevelItem(1))
    assert "Quyết định 90/QĐ-TTg" in tab.details.toPlainText()


def test_adding_a_village_from_the_form_saves_it(window, qtbot, demo_workspace):
    window.show_area("catalog")
    page = window.current_page()
    page.tabs.setCurrentWidget(page.villages_tab)
    form = page.villages_tab
    qtbot.mouseClick(form.new_button, Qt.LeftButton)
    type_text(qtbot, form.name, "Thôn 9")
    type_text(qtbot, form.ethnic, "Kinh, Xơ Đăng")
    form.households.setValue(88)
    form.population.setValue(340)
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)
    assert form.message.text() == "Đã lưu."
    names = [v.name for v in villages.list_villages(demo_workspace)]
    assert "Thôn 9" in names and form.table.rowCount() == 13


def test_a_duplicate_village_name_is_refused_in_vietnamese(window, qtbot, demo_workspace):
    window.show_area("catalog")
    page = window.current_page()
    page.tabs.setCurrentWidget(page.villages_tab)
    form = page.villages_tab
    form.clear_form()
    qtbot.keyClicks(form.name, "thon 1a")
    form.ethnic.setText("Xơ Đăng")
    form.save()
    # the refusal stays in the panel under the name (issue 15), what was typed is kept
    from tests.gui.test_refusal_in_plain_forms import line_under

    line = line_under(form, form.name)
    assert line.isVisible() and "đã có thôn" in line.text()
    assert form.name.text() == "thon 1a" and form.ethnic.text() == "Xơ Đăng"
    assert len(villages.list_villages(demo_workspace)) == 12
    form.name.setText("Thôn 14")
    form.save()
    assert not line.isVisible() and form.message.text() == "Đã lưu."
    assert len(villages.list_villages(demo_workspace)) == 13


def test_importing_an_old_encoded_workbook_asks_then_converts(window, qtbot, demo_workspace,
                                                             tmp_path, monkeypatch):
    from openpyxl import Workbook

    from ctmtqg_desktop.gui import workbook_dialogs

    path = tmp_path / "cu.xlsx"
    book = Workbook()
    book.active.append(["T\xaan th«n", "D©n téc"])
    book.active.append(["Th«n 11", "Kinh, M\xadêng"])
    book.save(path)
    asked = []
    monkeypatch.setattr(workbook_dialogs, "ask_convert",
                        lambda parent, message, preview: asked.append((message, preview))
                        or True)
    window.show_area("catalog")
    tab = window.current_page().villages_tab
    tab.import_file(path)
    message, preview = asked[0]
    assert "TCVN3" in message and "bảng mã cũ" in message
    assert ("A1", "Tªn th«n", "Tên thôn") in preview
    assert tab.message.text() == "Đã nhập thôn: thêm 1, cập nhật 0, không đổi 0."
    names = [v.name for v in villages.list_villages(demo_workspace)]
    assert "Thôn 11" in names


def test_the_village_form_takes_its_limits_from_the_field_rules(window, qtbot):
    """The form's widgets hold what the rule allows and no more (issue 12)."""
    import os

    from ctmtqg_desktop.domain import field_rules

    window.show_area("catalog")
    page = window.current_page()
    page.tabs.setCurrentWidget(page.villages_tab)
    form = page.villages_tab
    form.name.setText("T" * 500)
    assert len(form.name.text()) == field_rules.rule("village", "name").max_length == 120
    form.households.setValue(3_000_000_000 % 2**31)
    assert form.households.value() == field_rules.rule("village", "households").maximum
    form.population.setValue(-5)
    assert form.population.value() == 0
    if os.environ.get("CTMTQG_SHOTS"):
        window.grab().save(os.environ["CTMTQG_SHOTS"] + "/village-form-rules.png")
