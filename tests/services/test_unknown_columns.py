"""A column whose header an importer does not know is named before anything is written
(issue 15), like the legacy-encoding question and the cells not read: every importer
(villages, tasks, capital, households, activities) refuses the workbook with the column,
its header and the values under it, in the service and on the command line; the whole
dump is unchanged; ``skip_unknown_columns`` (``--skip-unknown-columns``) imports the rows
without that column. Real workbooks written with openpyxl, a real workspace."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import households, tasks, villages
from ctmtqg_desktop.services.activities import import_activities
from ctmtqg_desktop.services.capital import _workbook as capital_import
from ctmtqg_desktop.services.workbook_import import WorkbookUnknownColumns
from tests.activities import test_import as activities_import
from tests.services import test_capital_import, test_households, test_tasks_import
from tests.services.test_workbook_import import fill_template as fill_villages
from tests.services.test_workbook_reimport import snapshot


def add_column(path, header, values, *, header_row=3):
    """``header`` in the first free column of the header row, ``values`` under it."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    column = sheet.max_column + 1
    sheet.cell(row=header_row, column=column, value=header)
    for offset, value in enumerate(values, 1):
        sheet.cell(row=header_row + offset, column=column, value=value)
    book.save(path)
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def villages_workbook(path):
    fill_villages(path, [["Thôn 1", "Kinh", 120, 480, "không"]])
    return path


def tasks_workbook(path):
    test_tasks_import.fill(path, [["Báo cáo tháng", None, None, None, None, None,
                                   "hằng tháng", 20, None, "Báo cáo", None, None]])
    return path


def capital_workbook(path):
    return test_capital_import.workbook(path, [
        [2023, "NTM", "ND02", "ĐTPT", "NSTW", 2400000000, None, None, None, "56/QĐ-UBND",
         dt.datetime(2023, 2, 10), "UBND huyện Đắk Hà", None]])


def households_workbook(path):
    test_households.fill_template(path, [
        ["A Thắm", "062080001111", 1980, "Làng Kon Gung", "Xơ Đăng", "hộ nghèo", "có", 5, ""]])
    return path


def activities_workbook(path):
    activities_import.fill(path, [activities_import.row()])
    return path


IMPORTERS = {
    "villages": (villages_workbook, villages.import_villages),
    "tasks": (tasks_workbook, tasks.import_tasks),
    "capital": (capital_workbook, capital_import.import_lines),
    "households": (households_workbook, households.import_households),
    "activities": (activities_workbook, import_activities),
}


def cli_args(workspace):
    extra = [] if workspace.uses_sqlite else ["--database-url", workspace.database_url]
    return ["--workspace", str(workspace.folder), *extra]


@pytest.mark.parametrize("area", list(IMPORTERS))
def test_an_unknown_header_is_named_before_anything_is_written(area, demo_workspace,
                                                               tmp_path, capsys):
    make, run = IMPORTERS[area]
    path = make(tmp_path / f"{area}.xlsx")
    letter = add_column(path, "Ghi chú riêng của xã", ["đã rà soát"])
    before = snapshot(demo_workspace)
    with pytest.raises(WorkbookUnknownColumns) as caught:
        run(demo_workspace, path)
    error = caught.value
    assert error.preview == [(letter, "Ghi chú riêng của xã",
                              "1 giá trị: “đã rà soát”")]
    assert f"{letter}: “Ghi chú riêng của xã” (1 giá trị" in str(error)
    assert "--skip-unknown-columns" in str(error)
    assert snapshot(demo_workspace) == before
    # the command line names it too, and writes nothing
    code = main([area, "import-xlsx", str(path), *cli_args(demo_workspace)])
    err = capsys.readouterr().err
    assert code != 0 and "“Ghi chú riêng của xã”" in err and "Traceback" not in err
    assert snapshot(demo_workspace) == before
    # asked to leave it out, the rows are imported
    code = main([area, "import-xlsx", str(path), "--skip-unknown-columns",
                 *cli_args(demo_workspace)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert snapshot(demo_workspace) != before


def test_an_unknown_header_without_values_and_a_repeated_header_are_named(new_workspace,
                                                                          tmp_path):
    workspace = new_workspace()
    path = villages_workbook(tmp_path / "thon.xlsx")
    first = add_column(path, "STT", [])
    second = add_column(path, "Tên thôn", ["Thôn 9"])
    with pytest.raises(WorkbookUnknownColumns) as caught:
        villages.import_villages(workspace, path)
    assert caught.value.preview == [
        (first, "STT", "không có giá trị"),
        (second, "Tên thôn", "trùng tiêu đề của một cột khác; 1 giá trị: “Thôn 9”")]
    assert villages.list_villages(workspace) == []
    villages.import_villages(workspace, path, skip_unknown_columns=True)
    assert [v.name for v in villages.list_villages(workspace)] == ["Thôn 1"]


def test_the_templates_own_headers_are_all_known(new_workspace, tmp_path):
    """The app's own templates (with their example row) never raise the question."""
    workspace = new_workspace()
    path = tmp_path / "mau.xlsx"
    villages.write_villages_template(path)
    assert villages.import_villages(workspace, path).added == 1


@pytest.mark.parametrize("area", list(IMPORTERS))
def test_the_command_line_says_which_columns_it_left_out(area, demo_workspace, tmp_path,
                                                         capsys):
    """``--skip-unknown-columns`` prints one Vietnamese line per column it left out, with
    its letter and its header, through the real entry point; a workbook without such
    columns prints none."""
    make, _run = IMPORTERS[area]
    path = make(tmp_path / f"{area}.xlsx")
    first = add_column(path, "Ghi chú riêng của xã", ["đã rà soát"])
    second = add_column(path, "Người rà soát", [])
    code = main([area, "import-xlsx", str(path), "--skip-unknown-columns",
                 *cli_args(demo_workspace)])
    out, err = capsys.readouterr()
    assert code == 0, err
    skipped = [line for line in out.splitlines() if line.startswith("Đã bỏ qua cột")]
    assert skipped == [
        f"Đã bỏ qua cột {first}: “Ghi chú riêng của xã” không phải tiêu đề của mẫu.",
        f"Đã bỏ qua cột {second}: “Người rà soát” không phải tiêu đề của mẫu."], out
    assert "Traceback" not in err
    # the same rows without the extra columns: nothing left out, nothing said (the rows
    # are the ones just imported: matched and kept, or refused as already there)
    clean = make(tmp_path / f"{area}-mau.xlsx")
    main([area, "import-xlsx", str(clean), "--skip-unknown-columns", *cli_args(demo_workspace)])
    out, err = capsys.readouterr()
    assert "bỏ qua cột" not in out + err and "Traceback" not in err
