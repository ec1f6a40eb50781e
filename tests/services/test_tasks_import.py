"""Tasks from a district's workbook: the template, all rows or none, each bad cell named."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.services import tasks
from ctmtqg_desktop.services.workbook_import import WorkbookRejected

HEADERS = ["Nhiệm vụ", "Số, ký hiệu văn bản", "Chủ trì", "Phối hợp", "Chương trình",
           "Thời hạn", "Định kỳ", "Ngày trong kỳ", "Tháng của kỳ đầu", "Sản phẩm đầu ra",
           "Chỉ tiêu (số lượng)", "Đơn vị tính"]


def fill(path, rows):
    tasks.write_tasks_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(4)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            sheet.cell(row=4 + offset, column=column, value=value)
    book.save(path)


def cli(workspace, *args):
    extra = [] if workspace.uses_sqlite else ["--database-url", workspace.database_url]
    return main([*map(str, args), "--workspace", str(workspace.folder), *extra])


def test_the_template_documents_every_column(tmp_path):
    path = tmp_path / "mau.xlsx"
    tasks.write_tasks_template(path)
    book = load_workbook(path)
    assert [c.value for c in book.worksheets[0][3]] == HEADERS
    guide = " ".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row
                     if c.value)
    assert "không nhập dòng nào" in guide and "hằng tháng" in guide


def test_a_good_workbook_imports_every_row(new_workspace, tmp_path):
    workspace = new_workspace()
    tasks.save_directive(workspace, number_symbol="729/KH-UBND", doc_type="Kế hoạch",
                         issuing_body="UBND tỉnh Kon Tum", title="Kế hoạch năm 2023")
    path = tmp_path / "nhiem-vu.xlsx"
    fill(path, [
        ["Rà soát danh mục dự án năm 2024", "729/KH-UBND", "UBND xã Đắk La",
         "Hội Nông dân xã; Đoàn Thanh niên xã", "NTM", dt.datetime(2023, 10, 20), None, None,
         None, "Danh mục dự án", None, None],
        ["Báo cáo tháng", None, "23524", None, None, None, "hằng tháng", 20, None,
         "Báo cáo", None, None],
        ["Giải ngân vốn năm 2023", None, None, None, "gnbv", "31/01/2024", None, None,
         None, None, 4350000000, "đồng"],
    ])
    result = tasks.import_tasks(workspace, path)
    assert result.added == 3 and result.directive_links == 1
    infos = [tasks.get_task(workspace, i) for i in tasks.task_ids(workspace, {}, "text")]
    by_text = {t.text: t for t in infos}
    first = by_text["Rà soát danh mục dự án năm 2024"]
    assert first.lead.unit_id == "23524" and first.program_id == "2021-2025/NTM"
    assert first.coordinator_labels == ("Hội Nông dân xã", "Đoàn Thanh niên xã")
    assert first.schedule == schedules.Schedule(schedules.ONCE, deadline=dt.date(2023, 10, 20))
    monthly = by_text["Báo cáo tháng"].schedule
    assert monthly.kind == schedules.MONTHLY and monthly.day == 20
    money = by_text["Giải ngân vốn năm 2023"]
    assert money.target_kind == "amount" and money.target_quantity == 4_350_000_000
    assert money.program_id == "2021-2025/GNBV"


def test_a_bad_workbook_imports_nothing_and_names_the_bad_rows(new_workspace, tmp_path,
                                                               capsys):
    workspace = new_workspace()
    path = tmp_path / "sai.xlsx"
    # cells that cannot be read at all
    fill(path, [
        ["Nhiệm vụ đúng", None, None, None, None, "20/10/2023", None, None, None, None, None,
         None],
        [None, None, None, None, None, "31/02/2023", None, None, None, None, None, None],
        ["Định kỳ sai", None, None, None, None, None, "mỗi tuần", "hai mươi", None, None,
         None, None],
    ])
    with pytest.raises(WorkbookRejected) as caught:
        tasks.import_tasks(workspace, path)
    message = str(caught.value)
    assert "không có gì bị thay đổi" in message
    assert "Dòng 5, cột “Nhiệm vụ”" in message and "Dòng 5, cột “Thời hạn”" in message
    assert "Dòng 6, cột “Định kỳ”" in message and "Dòng 6, cột “Ngày trong kỳ”" in message
    assert "Dòng 4" not in message
    assert tasks.task_ids(workspace, {}) == []
    code = cli(workspace, "tasks", "import-xlsx", path)
    err = capsys.readouterr().err
    assert code == 1 and "Dòng 5" in err and "Traceback" not in err
    # cells that read well but do not make a task
    fill(path, [
        ["Nhiệm vụ đúng", None, None, None, None, "20/10/2023", None, None, None, None, None,
         None],
        ["Chương trình lạ", None, None, None, "XYZ", None, None, None, None, None, None, None],
        ["Định kỳ thiếu ngày", None, None, None, None, "01/10/2023", "hằng quý", None, 14,
         None, 5, None],
    ])
    with pytest.raises(WorkbookRejected) as caught:
        tasks.import_tasks(workspace, path)
    message = str(caught.value)
    assert "Dòng 5, cột “Chương trình”" in message
    for column in ("Thời hạn", "Ngày trong kỳ", "Tháng của kỳ đầu", "Đơn vị tính"):
        assert f"Dòng 6, cột “{column}”" in message, column
    assert "Dòng 4" not in message
    assert tasks.task_ids(workspace, {}) == []


def test_an_unknown_directive_number_is_named(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "vb.xlsx"
    fill(path, [["Nhiệm vụ", "123/KH-UBND", None, None, None, None, None, None, None, None,
                 None, None]])
    with pytest.raises(WorkbookRejected) as caught:
        tasks.import_tasks(workspace, path)
    assert "Dòng 4, cột “Số, ký hiệu văn bản”" in str(caught.value)
    assert "123/KH-UBND" in str(caught.value)


def test_the_cli_writes_the_template_imports_and_records_progress(new_workspace, tmp_path,
                                                                  capsys):
    workspace = new_workspace()
    template = tmp_path / "mau.xlsx"
    assert cli(workspace, "tasks", "template", "--out", template) == 0
    fill(template, [["Báo cáo quý", None, None, None, None, "30/12/2023", None, None, None,
                     None, None, None]])
    assert cli(workspace, "tasks", "import-xlsx", template) == 0
    assert "thêm 1 nhiệm vụ" in capsys.readouterr().out
    task_id = tasks.task_ids(workspace, {})[0]
    assert cli(workspace, "tasks", "progress", str(task_id)[:8], "--status", "in_progress",
               "--percent", "30", "--note", "Đang tổng hợp số liệu") == 0
    assert "đang thực hiện" in capsys.readouterr().out
    assert tasks.get_task(workspace, task_id).latest_percent == 30
    assert cli(workspace, "tasks", "list", "--search", "bao cao") == 0
    assert "Báo cáo quý" in capsys.readouterr().out
    assert cli(workspace, "tasks", "progress", "zzzzzzzz", "--status", "done") == 2
    assert "không xác định được một nhiệm vụ" in capsys.readouterr().err
