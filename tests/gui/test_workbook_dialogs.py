"""The import dialog offers the conversion of text typed in TCVN3 with a preview of the
converted cells (issue 15), on every page that imports a workbook (here: households)."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

from ctmtqg_desktop.gui import workbook_dialogs
from ctmtqg_desktop.services import households
from tests.gui.test_dossiers_page import open_page
from tests.services.test_workbook_reading import tcvn3_rows_in_the_template


def test_households_tab_previews_and_converts_tcvn3(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "ho-tcvn3.xlsx"
    tcvn3_rows_in_the_template(path, [["Hoµng V¨n L©m", "", 1980, "Lµng Kon Gung", "Kinh",
                                       "hé nghÌo", "kh«ng", 4, ""]])
    shown = []

    def answer(parent, message, preview):
        dialog = workbook_dialogs.LegacyPreviewDialog(parent, message, preview)
        table = dialog.table
        shown.append({(table.item(r, 0).text(), table.item(r, 1).text(),
                       table.item(r, 2).text()) for r in range(table.rowCount())})
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.grab().save(str(tmp_path / "legacy-preview.png"))
        QTimer.singleShot(0, dialog.convert_button.click)
        return dialog.exec() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(workbook_dialogs, "ask_convert", answer)
    page = open_page(window)
    page.tabs.setCurrentWidget(page.households)
    tab = page.households
    tab.import_file(path)
    assert ("A5", "Hoµng V¨n L©m", "Hoàng Văn Lâm") in shown[0]
    assert ("G5", "kh«ng", "không") in shown[0]
    assert tab.message.text().startswith("Đã nhập hộ: thêm 2")
    assert households.list_households(window.workspace, {"text": "hoang van lam"})
    assert not tab.progress.isVisible()


def test_refusing_the_conversion_imports_nothing(window, tmp_path, monkeypatch):
    path = tmp_path / "ho-tcvn3.xlsx"
    tcvn3_rows_in_the_template(path, [["Hoµng V¨n L©m", "", 1980, "Lµng Kon Gung", "Kinh",
                                       "hé nghÌo", "kh«ng", 4, ""]])
    monkeypatch.setattr(workbook_dialogs, "ask_convert", lambda *args: False)
    page = open_page(window)
    tab = page.households
    before = households.counts(window.workspace)["total"]
    tab.import_file(path)
    assert tab.message.text() == "Chưa nhập dữ liệu nào."
    assert households.counts(window.workspace)["total"] == before


def test_import_as_it_is_keeps_the_text_unconverted(window, qtbot, tmp_path, monkeypatch):
    """A Unicode workbook in a font named like a legacy one: the officer sees the preview
    is wrong and imports the text as it is (the command line's --legacy-encoding unicode)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    path = tmp_path / "ho-unicode.xlsx"
    households.write_households_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    for column, value in enumerate(["Lò Thị Sèo", "", 1990, "Làng Kon Gung", "Thái", "",
                                    "có", 3, ""], 1):
        sheet.cell(row=5, column=column, value=value).font = Font(name=".VnTime")
    book.save(path)

    def answer(parent, message, preview):
        dialog = workbook_dialogs.LegacyPreviewDialog(parent, message, preview)
        QTimer.singleShot(0, dialog.as_is_button.click)
        result = dialog.exec()
        return "unicode" if result == workbook_dialogs.AS_IS else False

    monkeypatch.setattr(workbook_dialogs, "ask_convert", answer)
    page = open_page(window)
    tab = page.households
    tab.import_file(path)
    assert tab.message.text().startswith("Đã nhập hộ: thêm 2")
    found = households.list_households(window.workspace, {"text": "lo thi seo"})
    assert [r.head_name for r in found] == ["Lò Thị Sèo"]


def test_an_unknown_column_is_asked_about_before_anything_is_written(window, qtbot, tmp_path,
                                                                     monkeypatch):
    """The columns whose header the importer does not know are named with their values
    (issue 15); declining imports nothing, agreeing imports the rows without them."""
    from tests.services.test_unknown_columns import add_column, households_workbook
    from tests.services.test_workbook_reimport import snapshot

    path = households_workbook(tmp_path / "ho.xlsx")
    letter = add_column(path, "Số điện thoại", ["0912 345 678"])
    shown, answers = [], [False, True]

    def answer(parent, message, preview):
        dialog = workbook_dialogs.UnknownColumnsDialog(parent, message, preview)
        table = dialog.table
        shown.append((message, [tuple(table.item(r, c).text() for c in range(3))
                                for r in range(table.rowCount())]))
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.grab().save(str(tmp_path / "unknown-columns.png"))
        button = dialog.skip_button if answers.pop(0) else \
            dialog.buttons.buttons()[-1]
        QTimer.singleShot(0, button.click)
        return dialog.exec() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(workbook_dialogs, "ask_skip_columns", answer)
    page = open_page(window)
    tab = page.households
    before = snapshot(window.workspace)
    tab.import_file(path)
    message, rows = shown[0]
    assert "ho.xlsx" in message and "không thuộc mẫu" in message
    assert rows == [(letter, "Số điện thoại", "1 giá trị: “0912 345 678”")]
    assert tab.message.text() == "Chưa nhập dữ liệu nào."
    assert snapshot(window.workspace) == before
    tab.import_file(path)
    assert tab.message.text().startswith("Đã nhập hộ: thêm 1")
    assert households.list_households(window.workspace, {"text": "a tham"})
