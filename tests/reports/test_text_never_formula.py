"""User text that starts like a formula (= + - @) is written as text in every generated
workbook, never as a live formula (issue 12): the villages report, the households export
and any ReportWorkbook. Written to disk and read back, cell types and the raw XML checked."""

import zipfile

from openpyxl import load_workbook

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook, XlsxColumn
from ctmtqg_desktop.services import households, villages

TRICKY = ["=1+1", "=HYPERLINK(\"http://x.invalid\",\"bấm\")", "+84 123", "-3 hộ", "@SUM(A1)"]


def no_formula_in(path):
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def cells_holding(path, texts):
    book = load_workbook(path)  # formulas are not evaluated: "=1+1" would read as a formula
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in texts:
                    found[cell.value] = cell.data_type
    return found


def test_any_report_workbook_writes_text_as_text(tmp_path):
    book = ReportWorkbook()
    sheet = book.add_sheet("Thử")
    sheet.note(TRICKY[0])
    sheet.table([XlsxColumn("Tên"), XlsxColumn("=Cột")], [[text, 1] for text in TRICKY])
    path = tmp_path / "thu.xlsx"
    book.write(path)
    no_formula_in(path)
    assert cells_holding(path, set(TRICKY) | {"=Cột"}) == {
        **{text: "s" for text in TRICKY}, "=Cột": "s"}


def test_the_villages_report_writes_a_formula_like_name_as_text(new_workspace, tmp_path):
    workspace = new_workspace()
    for text in TRICKY:
        villages.save_village(workspace, name=text, ethnic_groups="=Kinh")
    out = tmp_path / "thon.xlsx"
    assert main(["report", "villages", "--format", "xlsx", "--out", str(out),
                 "--workspace", str(workspace.folder),
                 *(["--database-url", workspace.database_url]
                   if not workspace.uses_sqlite else [])]) == 0
    no_formula_in(out)
    assert cells_holding(out, set(TRICKY)) == {text: "s" for text in TRICKY}


def test_the_households_export_writes_a_formula_like_name_as_text(demo_workspace, tmp_path):
    village = households.village_choices(demo_workspace)[0][0]
    households.save_household(demo_workspace, head_name="=1+1", village_id=village,
                              ethnicity="@SUM(A1)", note="-1")
    out = tmp_path / "ho.xlsx"
    households.export_households(demo_workspace, out)
    no_formula_in(out)
    assert cells_holding(out, {"=1+1", "@SUM(A1)"}) == {"=1+1": "s", "@SUM(A1)": "s"}
