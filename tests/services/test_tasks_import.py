"""Tasks from a district's workbook: the template, all rows or none, each bad cell named."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.services import tasks
from ctmtqg_desktop.services.workbook_import import WorkbookRejected

COMPONENT = "Dự án / tiểu dự án thành phần"
HEADERS = ["Nhiệm vụ", "Số, ký hiệu văn bản", "Chủ trì", "Phối hợp", "Chương trình",
           COMPONENT, "Thời hạn", "Định kỳ", "Ngày trong kỳ", "Tháng của kỳ đầu",
           "Sản phẩm đầu ra", "Chỉ tiêu (số lượng)", "Đơn vị tính"]
#: the rows below are written in the columns of the first template (no component column)
OLD_HEADERS = [h for h in HEADERS if h != COMPONENT]


def fill(path, rows, headers=OLD_HEADERS):
    """The template with ``rows``, each value put in the column of its header."""
    tasks.write_tasks_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(4)
    where = {cell.value: cell.column for cell in sheet[3]}
    for offset, row in enumerate(rows):
        for header, value in zip(headers, row):
            sheet.cell(row=4 + offset, column=where[header], value=value)
    book.save(path)


def old_workbook(path, rows):
    """A workbook made from the first template, which had no component column."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for column, header in enumerate(OLD_HEADERS, 1):
        sheet.cell(row=3, column=column, value=header)
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
    assert "Đã nhập nhiệm vụ: thêm 1" in capsys.readouterr().out
    task_id = tasks.task_ids(workspace, {})[0]
    assert cli(workspace, "tasks", "progress", str(task_id)[:8], "--status", "in_progress",
               "--percent", "30", "--note", "Đang tổng hợp số liệu") == 0
    assert "đang thực hiện" in capsys.readouterr().out
    assert tasks.get_task(workspace, task_id).latest_percent == 30
    assert cli(workspace, "tasks", "list", "--search", "bao cao") == 0
    assert "Báo cáo quý" in capsys.readouterr().out
    assert cli(workspace, "tasks", "progress", "zzzzzzzz", "--status", "done") == 2
    assert "không xác định được một nhiệm vụ" in capsys.readouterr().err


def test_a_task_names_the_project_or_sub_project_of_its_programme(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "thanh-phan.xlsx"
    headers = ["Nhiệm vụ", "Chương trình", COMPONENT, "Thời hạn"]
    fill(path, [
        ["Hỗ trợ chuỗi giá trị dược liệu", "DTTS", "DA3 › TDA2", "20/10/2023"],
        ["Hỗ trợ nhà ở hộ nghèo", "GNBV", "ho tro nha o cho ho ngheo, ho can ngheo tren dia "
                                          "ban cac huyen ngheo", "20/11/2023"],
        ["Quy hoạch dân cư", "DTTS", "da2", None],
        ["Không thành phần", "NTM", None, None],
    ], headers)
    assert tasks.import_tasks(workspace, path).added == 4
    by_text = {t.text: t for t in (tasks.get_task(workspace, i)
                                   for i in tasks.task_ids(workspace, {}))}
    assert by_text["Hỗ trợ chuỗi giá trị dược liệu"].component_id == "2021-2025/DTTS/DA3/TDA2"
    assert by_text["Hỗ trợ nhà ở hộ nghèo"].component_id == "2021-2025/GNBV/DA5"
    assert by_text["Quy hoạch dân cư"].component_id == "2021-2025/DTTS/DA2"
    assert by_text["Không thành phần"].component_id is None
    detail = tasks.task_detail(workspace, by_text["Hỗ trợ chuỗi giá trị dược liệu"].id)
    assert detail.component_label.startswith("DA3 › TDA2: Hỗ trợ phát triển sản xuất")


def test_a_bad_component_names_its_row_and_column_and_imports_nothing(new_workspace,
                                                                      tmp_path):
    workspace = new_workspace()
    path = tmp_path / "sai-thanh-phan.xlsx"
    headers = ["Nhiệm vụ", "Chương trình", COMPONENT]
    fill(path, [
        ["Đúng", "DTTS", "DA3/TDA2"],
        ["Thành phần của chương trình khác", "NTM", "DA3/TDA2"],
        ["Mã trùng ở nhiều dự án", "DTTS", "TDA2"],
        ["Không có chương trình", None, "DA3"],
    ], headers)
    with pytest.raises(WorkbookRejected) as caught:
        tasks.import_tasks(workspace, path)
    message = str(caught.value)
    assert f"Dòng 5, cột “{COMPONENT}”" in message and "“DA3/TDA2”" in message
    assert f"Dòng 6, cột “{COMPONENT}”" in message
    assert f"Dòng 7, cột “{COMPONENT}”" in message and "Chương trình" in message
    assert "Dòng 4" not in message
    assert tasks.task_ids(workspace, {}) == []


def test_a_workbook_of_the_first_template_without_the_component_column_imports(
        new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "cu.xlsx"
    old_workbook(path, [["Báo cáo năm", None, None, None, "DTTS", "31/12/2023", None, None,
                         None, None, None, None]])
    assert tasks.import_tasks(workspace, path).added == 1
    task = tasks.get_task(workspace, tasks.task_ids(workspace, {})[0])
    assert task.program_id == "2021-2025/DTTS" and task.component_id is None


def test_a_stopped_import_writes_nothing_and_progress_follows_the_rows(new_workspace,
                                                                        tmp_path):
    from sqlalchemy import func, select

    from ctmtqg_desktop.services.workbook_import import ImportStopped
    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
    from ctmtqg_desktop.store.models.tasks import Task

    workspace = new_workspace()
    path = tmp_path / "nhiem-vu.xlsx"
    fill(path, [[f"Nhiệm vụ số {n}", None, None, None, "NTM", "20/12/2023"]
                for n in range(1, 7)])

    def counts():
        with workspace.session_factory() as session:
            return (session.scalar(select(func.count(Task.id))),
                    session.scalar(select(func.count()).select_from(ChangeJournalEntry)))

    before = counts()
    seen = []
    # stop while the rows are being written: the transaction is rolled back
    with pytest.raises(ImportStopped) as stopped:
        tasks.import_tasks(workspace, path, progress=lambda done, total: seen.append(
            (done, total)), stop_requested=lambda: len(seen) >= 9)
    assert str(stopped.value) == "Người dùng đã dừng; không có gì bị thay đổi."
    assert counts() == before
    assert seen[:3] == [(0, 12), (1, 12), (2, 12)] and seen[-1][0] > 6
    seen.clear()
    result = tasks.import_tasks(workspace, path, progress=lambda done, total: seen.append(
        (done, total)), stop_requested=lambda: False)
    assert result.added == 6 and seen[-1] == (12, 12)
