"""Workbooks people actually have (issues 12 and 15): bounded reading, a wrong declared
dimension, text typed in TCVN3 into the application's template, and cells or columns that
could not be read, named before anything is written. Real .xlsx files written with openpyxl
(some patched afterwards, as other programs write them) and read back by the importers."""

import html
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import astuple

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import capital, households, villages
from ctmtqg_desktop.services import workbook_import as wb
from ctmtqg_desktop.services.capital import _workbook as capital_import
from tests.services import test_capital_import
from tests.services.test_workbook_import import fill_template


def cli_args(workspace):
    return ["--workspace", str(workspace.folder),
            *(["--database-url", workspace.database_url] if not workspace.uses_sqlite else [])]


def run_limited(args, memory_mb=1500, timeout=120):
    """The CLI in a child process whose address space is capped: a reader that expands a
    sheet's declared dimension fails here instead of taking the machine down."""
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} * 2**20, {memory_mb} * 2**20))
        from ctmtqg_desktop.cli import main
        sys.exit(main({args!r}))
    """)
    env = dict(os.environ, CTMTQG_LANGUAGE=os.environ.get("CTMTQG_LANGUAGE", "vi"))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=env)


def rewrite_member(path, member, change):
    """Rewrite one XML part of an .xlsx (as another program would have written it)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts[member] = change(parts[member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# ------------------------------------------------------------------------- bounds
def test_a_value_at_xfd1048576_is_refused_without_exhausting_memory(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "xa.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"]])
    book = load_workbook(path)
    book.worksheets[0]["XFD1048576"] = "x"
    book.save(path)
    assert path.stat().st_size < 12_000
    done = run_limited(["villages", "import-xlsx", str(path), *cli_args(workspace)])
    assert done.returncode == 1, done.stderr[-2000:]
    assert "XFD1048576" in done.stderr and "không có gì bị thay đổi" in done.stderr
    assert "Traceback" not in done.stderr
    assert villages.list_villages(workspace) == []


def test_a_formatted_empty_cell_far_away_is_ignored_and_the_list_read(new_workspace,
                                                                       tmp_path):
    workspace = new_workspace()
    path = tmp_path / "xa.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"]])
    book = load_workbook(path)
    book.worksheets[0]["XFD1048576"].font = Font(bold=True)
    book.save(path)
    done = run_limited(["villages", "import-xlsx", str(path), *cli_args(workspace)])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "thêm 1" in done.stdout
    assert [v.name for v in villages.list_villages(workspace)] == ["Thôn 1"]


def test_too_many_rows_are_refused_with_a_sentence(new_workspace, tmp_path, monkeypatch):
    workspace = new_workspace()
    path = tmp_path / "dai.xlsx"
    fill_template(path, [[f"Thôn {n}", "", n, n, ""] for n in range(1, 31)])
    monkeypatch.setattr(wb, "MAX_ROWS", 20)
    with pytest.raises(wb.WorkbookTooLarge) as caught:
        villages.import_villages(workspace, path)
    assert "không có gì bị thay đổi: tệp có 30 dòng" in str(caught.value)
    monkeypatch.setattr(wb, "MAX_ROWS", 10)  # refused while streaming, at the first far row
    with pytest.raises(wb.WorkbookTooLarge) as caught:
        villages.import_villages(workspace, path)
    assert "có giá trị ở ô A26" in str(caught.value)
    monkeypatch.setattr(wb, "MAX_CELLS", 50)
    monkeypatch.setattr(wb, "MAX_ROWS", 20_000)
    with pytest.raises(wb.WorkbookTooLarge) as caught:
        villages.import_villages(workspace, path)
    assert "nhiều hơn 50 ô" in str(caught.value)
    assert villages.list_villages(workspace) == []


def test_rows_beyond_a_wrong_declared_dimension_are_read(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "kich-thuoc.xlsx"
    fill_template(path, [["Thôn 1", "", 1, 1, ""], ["Thôn 2", "", 2, 2, ""],
                         ["Thôn 3", "", 3, 3, ""]])
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace('<dimension ref="A1:E6"',
                                           '<dimension ref="A1:E4"'))
    # (openpyxl writes '<dimension ref=… />' by itself and '<dimension ref=…/>' with lxml)
    assert '<dimension ref="A1:E4"' in zipfile.ZipFile(path).read(
        "xl/worksheets/sheet1.xml").decode()
    assert astuple(villages.import_villages(workspace, path)) == (3, 0, 0)


# ------------------------------------------------------------------------- TCVN3
def tcvn3_rows_in_the_template(path, rows):
    """The application's own template (Unicode headers, Times New Roman) with rows typed in
    TCVN3 in a .VnTime font, under the template's Unicode example row."""
    households.write_households_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=5 + offset, column=column, value=value)
            cell.font = Font(name=".VnTime")
    book.save(path)


def test_tcvn3_typed_into_the_template_is_detected_per_cell(demo_workspace, tmp_path,
                                                            capsys):
    path = tmp_path / "ho-tcvn3.xlsx"
    # "Hoàng Văn Lâm", "Làng Kon Gung", "hộ nghèo", "không"
    tcvn3_rows_in_the_template(path, [["Hoµng V¨n L©m", "", 1980, "Lµng Kon Gung", "Kinh",
                                       "hé nghÌo", "kh«ng", 4, ""]])
    with pytest.raises(wb.WorkbookLegacyEncoding) as caught:
        households.import_households(demo_workspace, path)
    error = caught.value
    assert error.encoding == "tcvn3"
    assert ("A5", "Hoµng V¨n L©m", "Hoàng Văn Lâm") in error.preview
    assert ("G5", "kh«ng", "không") in error.preview
    # the template's own Unicode cells (headers, the example row) are not converted
    assert not any(cell.endswith(("3", "4")) for cell, _b, _a in error.preview)
    assert "A5: “Hoµng V¨n L©m” → “Hoàng Văn Lâm”" in str(error)
    before = households.counts(demo_workspace)["total"]
    # the command line of every importer converts on request
    code = main(["households", "import-xlsx", str(path), "--legacy-encoding", "tcvn3",
                 *cli_args(demo_workspace)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Đã nhập hộ: thêm 2" in out  # the example row Y Thị Hoa, and Hoàng Văn Lâm
    found = households.list_households(demo_workspace, {"text": "hoang van lam"})
    assert [(r.head_name, r.village_name, r.poverty_status, r.ethnic_minority)
            for r in found] == [("Hoàng Văn Lâm", "Làng Kon Gung", "poor", False)]
    assert households.counts(demo_workspace)["total"] == before + 2


def test_every_importer_has_the_legacy_option(new_workspace, tmp_path, capsys):
    workspace = new_workspace()
    path = test_capital_import.workbook(tmp_path / "qd.xlsx", [
        [2023, "NTM", None, "§TPT", "NSTW", 1000000, None, None, None, "56/Q§-UBND",
         "10/02/2023", "UBND huyÖn §¾k Hµ", None]])
    with pytest.raises(wb.WorkbookLegacyEncoding):
        capital_import.import_lines(workspace, path)
    code = main(["capital", "import-xlsx", str(path), "--legacy-encoding", "tcvn3",
                 *cli_args(workspace)])
    assert code == 0, capsys.readouterr().err
    [line] = capital.list_lines(workspace, year=2023)
    assert (line.decision_number, line.decision_body) == ("56/QĐ-UBND", "UBND huyện Đắk Hà")
    for command in (["villages"], ["tasks"], ["activities"], ["capital"], ["households"]):
        with pytest.raises(SystemExit):
            main([*command, "import-xlsx", "--help"])
        assert "--legacy-encoding" in capsys.readouterr().out, command


# ------------------------------------------------------------------------- unread cells
def test_a_formula_without_its_saved_result_is_named(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "cong-thuc.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"],
                         ["Thôn 2", "Kinh", 100, "=D4*2", "không"]])
    with pytest.raises(wb.WorkbookRejected) as caught:
        villages.import_villages(workspace, path)
    message = str(caught.value)
    assert "Dòng 5, cột “Nhân khẩu”" in message and "D5" in message
    assert villages.list_villages(workspace) == []
    # once saved by a program that calculates (the result cached), the value is read
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda xml: re.sub(r"<f>D4\*2</f>(<v ?/>|<v></v>)",
                                      "<f>D4*2</f><v>960</v>", xml))
    assert astuple(villages.import_villages(workspace, path)) == (2, 0, 0)
    assert {v.name: v.population for v in villages.list_villages(workspace)}["Thôn 2"] == 960


def test_a_merged_header_cell_names_the_column_it_hides(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "gop.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"],
                         ["Thôn 2", "Kinh", 100, 400, "có"]])
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet["C3"] = "Số hộ"
    sheet.merge_cells("C3:D3")  # "Nhân khẩu" disappears under the merge
    book.save(path)
    with pytest.raises(wb.WorkbookRejected) as caught:
        villages.import_villages(workspace, path)
    message = str(caught.value)
    assert "Dòng 3, cột “D3”" in message and "C3" in message and "D4" in message
    assert villages.list_villages(workspace) == []


def test_a_value_hidden_by_a_merge_of_data_cells_is_named(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "gop-du-lieu.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "có"],
                         ["Thôn 2", "Kinh", 100, 400, None]])
    book = load_workbook(path)
    book.worksheets[0].merge_cells("E4:E5")
    book.save(path)
    with pytest.raises(wb.WorkbookRejected) as caught:
        villages.import_villages(workspace, path)
    assert "Dòng 5, cột “Thôn đặc biệt khó khăn”: ô E5 được gộp với ô E4" in \
        str(caught.value)



def test_a_merge_over_the_whole_sheet_is_bounded(new_workspace, tmp_path, monkeypatch):
    workspace = new_workspace()
    path = tmp_path / "gop-ca-trang.xlsx"
    fill_template(path, [[f"Thôn {n}", "", n, n, ""] for n in range(1, 8)])
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "</sheetData>",
        '</sheetData><mergeCells count="1"><mergeCell ref="B1:XFD1048576"/></mergeCells>'))
    monkeypatch.setattr(wb, "MAX_CELLS", 1000)  # the rows read hold far fewer cells
    with pytest.raises(wb.WorkbookTooLarge) as caught:
        villages.import_villages(workspace, path)
    assert "các ô gộp của tệp phủ hơn 1.000 ô" in str(caught.value)
    assert villages.list_villages(workspace) == []


# ------------------------------------------------------------------ hostile XML inside
BOMB = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'
                  for n in range(9))
        + ']>')


def _with_doctype(doctype, entity, text):
    """Put ``doctype`` after the XML declaration and ``&entity;`` in place of ``text``."""
    def change(xml):
        assert text in xml
        if xml.startswith("<?xml"):
            head, _, rest = xml.partition("?>")
            return f"{head}?>{doctype}{rest}".replace(text, f"&{entity};", 1)
        return f"{doctype}{xml}".replace(text, f"&{entity};", 1)
    return change


def as_excel_saves(path):
    """Rewrite an openpyxl workbook the way Microsoft Excel and LibreOffice save one: every
    text cell of every sheet is an index into one shared strings part (openpyxl writes the
    text inside each cell instead)."""
    table: list[str] = []

    def share(match):
        text = html.unescape(re.sub(r"<[^>]+>", "", match.group("inner")))
        table.append(text)
        return f'<c{match.group("attrs")} t="s"><v>{len(table) - 1}</v></c>'

    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
    for sheet in sheets:
        rewrite_member(path, sheet, lambda xml: re.sub(
            r'<c(?P<attrs>[^>]*?) t="inlineStr"><is>(?P<inner>.*?)</is></c>', share, xml))
    rewrite_member(path, "[Content_Types].xml", lambda xml: xml.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')))
    rewrite_member(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        "</Relationships>", (
            '<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            "</Relationships>")))
    items = "".join(f"<si><t xml:space=\"preserve\">{html.escape(text, quote=False)}</t></si>"
                    for text in table)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
            f'.org/spreadsheetml/2006/main" count="{len(table)}" uniqueCount="{len(table)}">'
            f"{items}</sst>"))
    assert table, "the workbook had no text"
    return path


def test_a_workbook_saved_by_excel_imports(new_workspace, tmp_path):
    """Excel keeps every text in the shared strings part: the importers read it (they read
    an empty list and stopped on an internal error for any workbook saved by Excel)."""
    workspace = new_workspace()
    path = tmp_path / "excel.xlsx"
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"],
                         ["Làng Kon  Gung", "Xơ Đăng", 85, 340, "có"]])
    as_excel_saves(path)
    with zipfile.ZipFile(path) as archive:
        assert b"inlineStr" not in archive.read("xl/worksheets/sheet1.xml")
    done = run_limited(["villages", "import-xlsx", str(path), *cli_args(workspace)])
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted((v.name, v.households) for v in villages.list_villages(workspace)) == [
        ("Làng Kon Gung", 85), ("Thôn 1", 120)]
    lines = as_excel_saves(test_capital_import.workbook(tmp_path / "qd.xlsx", [
        [2023, "NTM", None, "ĐTPT", "NSTW", 1000000, None, None, None, "56/QĐ-UBND",
         "10/02/2023", "UBND huyện Đắk Hà", None]]))
    capital_import.import_lines(workspace, lines)
    [line] = capital.list_lines(workspace, year=2023)
    assert (line.decision_number, line.decision_body) == ("56/QĐ-UBND", "UBND huyện Đắk Hà")


def test_a_cell_naming_a_missing_shared_string_is_refused(new_workspace, tmp_path):
    workspace = new_workspace()
    path = as_excel_saves(fill_template_at(tmp_path / "hong.xlsx"))
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(
        r'(<c r="A4"[^>]*t="s"><v>)\d+', r"\g<1>999", xml))
    with pytest.raises(wb.WorkbookUnreadable) as caught:
        villages.import_villages(workspace, path)
    assert "không phải tệp Excel (.xlsx) hoặc đã bị hỏng" in str(caught.value)
    assert villages.list_villages(workspace) == []


def fill_template_at(path):
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"]])
    return path


@pytest.mark.parametrize("member, kind", [
    ("xl/sharedStrings.xml", "bomb"),
    ("xl/sharedStrings.xml", "external"),
    ("xl/worksheets/sheet1.xml", "bomb"),
    ("xl/worksheets/sheet1.xml", "external"),
    ("xl/workbook.xml", "bomb"),
    ("xl/workbook.xml", "external"),
])
def test_entities_in_a_workbook_are_refused_and_nothing_is_read_or_changed(
        new_workspace, tmp_path, member, kind):
    """An entity bomb (a billion laughs) or an external entity (XXE: a file of this machine
    pulled into a cell) in any part of the .xlsx: the workbook is refused with a sentence,
    no memory is exhausted, the file's text never appears anywhere and nothing is written."""
    workspace = new_workspace()
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MAT-KHAU-BI-MAT-42", encoding="utf-8")
    path = tmp_path / "doc-hai.xlsx"
    as_excel_saves(fill_template_at(path))
    text = {"xl/sharedStrings.xml": "Thôn 1", "xl/worksheets/sheet1.xml": "<v>120</v>",
            "xl/workbook.xml": "Dữ liệu"}[member]
    if kind == "bomb":
        doctype, entity = BOMB, "j"
    else:
        doctype, entity = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', "xxe"
    rewrite_member(path, member, _with_doctype(doctype, entity, text))
    done = run_limited(["villages", "import-xlsx", str(path), *cli_args(workspace)],
                       memory_mb=1000, timeout=60)
    assert done.returncode == 1, (done.stdout[-1000:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    assert "MAT-KHAU-BI-MAT-42" not in done.stdout + done.stderr
    assert "aaaaaaaaaa" not in done.stdout + done.stderr
    assert "không phải tệp Excel (.xlsx) hoặc đã bị hỏng" in done.stderr, done.stderr[-2000:]
    assert villages.list_villages(workspace) == []
