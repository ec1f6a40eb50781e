"""All-or-nothing Excel import, through the villages workbook."""

from dataclasses import astuple

import pytest
from openpyxl import Workbook, load_workbook

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.workbook_import import WorkbookRejected, WorkbookUnreadable


def fill_template(path, rows):
    villages.write_villages_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(4)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            sheet.cell(row=4 + offset, column=column, value=value)
    book.save(path)


def test_template_lists_the_columns_and_explains_them(tmp_path):
    path = tmp_path / "mau.xlsx"
    villages.write_villages_template(path)
    book = load_workbook(path)
    headers = [c.value for c in book.worksheets[0][3]]
    assert headers == ["Tên thôn", "Dân tộc", "Số hộ", "Nhân khẩu", "Thôn đặc biệt khó khăn"]
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    guide = [c.value for row in book["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert any("bắt buộc" in str(v) for v in guide)


def test_a_good_workbook_imports_every_row(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "thon.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"],
                         ["Làng Kon Gung", "Xơ Đăng", "97", "431", "Có"]])
    assert astuple(villages.import_villages(workspace, path)) == (2, 0, 0)
    fill_template(path, [["thon 1", "Kinh, Mường", 125, 490, ""]])
    assert astuple(villages.import_villages(workspace, path)) == (0, 1, 0)
    rows = {v.name: v for v in villages.list_villages(workspace)}
    assert rows["Thôn 1"].households == 125 and rows["Làng Kon Gung"].extremely_disadvantaged


def test_a_bad_workbook_imports_nothing_and_names_each_bad_row(new_workspace, tmp_path,
                                                                capsys):
    workspace = new_workspace()
    path = tmp_path / "sai.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"],
                         ["", "Kinh", 10, 20, "không"],
                         ["Thôn 3", "Kinh", "mười", 20, "có lẽ"],
                         ["Thôn 1", "Kinh", 5, 9, "không"]])
    with pytest.raises(WorkbookRejected) as caught:
        villages.import_villages(workspace, path)
    message = str(caught.value)
    assert "Dòng 5, cột “Tên thôn”" in message
    assert "Dòng 6, cột “Số hộ”" in message and "Dòng 6, cột “Thôn đặc biệt khó khăn”" in message
    assert villages.list_villages(workspace) == []
    code = main(["villages", "import-xlsx", str(path), "--workspace", str(workspace.folder),
                 *(["--database-url", workspace.database_url] if not workspace.uses_sqlite
                   else [])])
    err = capsys.readouterr().err
    assert code == 1 and "không có gì bị thay đổi" in err and "Traceback" not in err


def test_duplicates_across_rows_are_refused(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "trung.xlsx"
    fill_template(path, [["Thôn 1", "", 1, 1, ""], ["THÔN 1", "", 2, 2, ""]])
    with pytest.raises(WorkbookRejected) as caught:
        villages.import_villages(workspace, path)
    assert "đã có ở dòng 4" in str(caught.value)
    assert villages.list_villages(workspace) == []


def test_not_a_workbook(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "khong-phai.xlsx"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(WorkbookUnreadable) as caught:
        villages.import_villages(workspace, path)
    assert "không phải tệp Excel" in str(caught.value)


def test_a_workbook_without_the_header_is_refused(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "khac.xlsx"
    book = Workbook()
    book.active.append(["Họ tên", "Số CCCD"])
    book.save(path)
    with pytest.raises(Exception) as caught:
        villages.import_villages(workspace, path)
    assert "Tên thôn" in str(caught.value)


def test_a_tcvn3_workbook_is_recognised_and_converted_on_request(new_workspace, tmp_path,
                                                                 capsys):
    from openpyxl.styles import Font

    from ctmtqg_desktop.services.workbook_import import WorkbookLegacyEncoding

    workspace = new_workspace()
    path = tmp_path / "tcvn3.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["T\xaan th«n", "D©n téc", "Sè hé"])  # the header typed in TCVN3 too
    sheet.append(["Lµng §¾k LÊp", "Ba Na", 84])
    sheet.append(["Th«n 5", "Kinh, Tµy", 176])
    for row in sheet.iter_rows():
        for cell in row:
            cell.font = Font(name=".VnTime")
    book.save(path)
    with pytest.raises(WorkbookLegacyEncoding) as caught:
        villages.import_villages(workspace, path)
    assert "TCVN3" in str(caught.value) and "--legacy-encoding tcvn3" in str(caught.value)
    assert villages.list_villages(workspace) == []
    assert astuple(villages.import_villages(workspace, path,
                                            legacy_encoding="tcvn3")) == (2, 0, 0)
    names = [v.name for v in villages.list_villages(workspace)]
    assert names == ["Làng Đắk Lấp", "Thôn 5"]
