"""The capital-plan decision workbook: a documented template, then all rows or none, with
row-level errors in Vietnamese; programmes, kinds and sources written as officers write them."""

import datetime as dt
from dataclasses import astuple

import pytest
from openpyxl import Workbook, load_workbook

from ctmtqg_desktop.services import capital
from ctmtqg_desktop.services.capital import _workbook as capital_import
from ctmtqg_desktop.services.workbook_import import ImportStopped, WorkbookRejected
from ctmtqg_desktop.store.models.capital import CapitalLine
from tests.capital_support import count, journal_count, project

HEADERS = ["Năm kế hoạch", "Chương trình", "Dự án, tiểu dự án, nội dung", "Loại vốn",
           "Nguồn vốn", "Số tiền (đồng)", "Số lượng (ngày công, hiện vật)", "Đơn vị tính",
           "Giá trị quy đổi mỗi đơn vị (đồng)", "Số quyết định", "Ngày quyết định",
           "Cơ quan giao", "Ghi chú"]


def workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["QUYẾT ĐỊNH GIAO KẾ HOẠCH VỐN NĂM 2023"])
    sheet.append([])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_template_documents_every_column(tmp_path):
    path = capital_import.write_template(tmp_path / "mau.xlsx")
    book = load_workbook(path)
    data, guide = book.worksheets
    assert [c.value for c in data[3]] == HEADERS
    assert data["B4"].value == "NTM" and data["F4"].value == 2400000000
    notes = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "tất cả các dòng hoặc không nhập dòng nào" in notes.lower() or \
        "không nhập dòng nào" in notes
    assert "ĐTPT (đầu tư phát triển) hoặc SN (sự nghiệp)" in notes


def test_a_good_workbook_is_imported_as_officers_write_it(new_workspace, tmp_path):
    ws = new_workspace()
    path = workbook(tmp_path / "qd.xlsx", [
        [2023, "NTM", "ND02", "ĐTPT", "Ngân sách trung ương", 2400000000, None, None, None,
         "56/QĐ-UBND", dt.datetime(2023, 2, 10), "UBND huyện Đắk Hà", None],
        [2023, "ctmtqg dtts&mn", "DA3/TDA2", "dtpt", "NSTW", "2.100.000.000", None, None, None,
         "57/QĐ-UBND", "10/02/2023", "UBND huyen Dak Ha", None],
        [2023, "GNBV", None, "Sự nghiệp", "ngan sach huyen (von doi ung)", 78000000, None,
         None, None, "59/QĐ-UBND", "15/02/2023", None, "Vốn đối ứng"],
        [2023, "NTM", None, "ĐTPT", "CONG_DONG_NGAY_CONG", None, 1200, "ngày công", 200000,
         "125/QĐ-UBND", "20/03/2023", "UBND xã Đắk La", None],
    ])
    assert astuple(capital_import.import_lines(ws, path)) == (4, 0, 0)
    lines = {(x.program_id, x.source): x for x in capital.list_lines(ws, year=2023)}
    ntm = lines[("2021-2025/NTM", "NSTW")]
    assert (ntm.amount, ntm.component_id, ntm.decision_date) == (
        2_400_000_000, "2021-2025/NTM/ND02", dt.date(2023, 2, 10))
    dtts = lines[("2021-2025/DTTS", "NSTW")]
    assert (dtts.amount, dtts.capital_kind, dtts.component_id) == (
        2_100_000_000, "DTPT", "2021-2025/DTTS/DA3/TDA2")
    assert lines[("2021-2025/GNBV", "NSDP_HUYEN")].capital_kind == "SN"
    labour = lines[("2021-2025/NTM", "CONG_DONG_NGAY_CONG")]
    assert (labour.amount, labour.quantity, labour.quantity_unit) == (240_000_000, 1200,
                                                                      "ngày công")
    # the same workbook again finds the lines instead of doubling them: nothing changes
    assert astuple(capital_import.import_lines(ws, path)) == (0, 0, 4)
    assert len(capital.list_lines(ws)) == 4


def test_a_bad_workbook_lists_every_row_and_imports_nothing(new_workspace, tmp_path):
    ws = new_workspace()
    path = workbook(tmp_path / "sai.xlsx", [
        [2023, "NTM", None, "ĐTPT", "NSTW", 1000, None, None, None, "1/QĐ", "01/02/2023"],
        [2023, "XYZ", None, "ĐTPT", "NSTW", 1000, None, None, None, "2/QĐ", "01/02/2023"],
        [2023, "NTM", "DA9", "vay", "ngân hàng", "1,5", None, None, None, "3/QĐ", "31/02/2023"],
        [2023, "NTM", None, "ĐTPT", "NSTW", 1000, None, None, None, "1/QĐ", "01/02/2023"],
        [2023, "NTM", None, "ĐTPT", "CONG_DONG_HIEN_VAT", None, 5, "tấn", None, "4/QĐ",
         "01/02/2023"],
    ])
    journal = journal_count(ws)
    with pytest.raises(WorkbookRejected) as caught:
        capital_import.import_lines(ws, path)
    text = str(caught.value)
    assert text.startswith("Chưa nhập tệp sai.xlsx, không có gì bị thay đổi")
    rows = {(p.row, p.column) for p in caught.value.problems}
    assert (6, "Ngày quyết định") in rows and (6, "Số tiền (đồng)") in rows
    assert count(ws, CapitalLine) == 0 and journal_count(ws) == journal
    # cross-row checks are reported after every cell reads
    fixed = workbook(tmp_path / "sai2.xlsx", [
        [2023, "NTM", None, "ĐTPT", "NSTW", 1000, None, None, None, "1/QĐ", "01/02/2023"],
        [2023, "XYZ", None, "ĐTPT", "NSTW", 1000, None, None, None, "2/QĐ", "01/02/2023"],
        [2023, "NTM", "DA9", "vay", "ngân hàng", 5, None, None, None, "3/QĐ", "01/02/2023"],
        [2023, "NTM", None, "ĐTPT", "NSTW", 1000, None, None, None, "1/QĐ", "01/02/2023"],
        [2023, "NTM", None, "ĐTPT", "CONG_DONG_HIEN_VAT", None, 5, "tấn", None, "4/QĐ",
         "01/02/2023"],
    ])
    with pytest.raises(WorkbookRejected) as caught:
        capital_import.import_lines(ws, fixed)
    messages = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "“XYZ” không phải là chương trình" in messages[(5, "Chương trình")]
    assert "“DA9” không phải là nội dung" in messages[(6, "Dự án, tiểu dự án, nội dung")]
    assert "“vay” không phải là loại vốn" in messages[(6, "Loại vốn")]
    assert "“ngân hàng” không phải là nguồn vốn" in messages[(6, "Nguồn vốn")]
    assert "dòng 4" in messages[(7, "Số quyết định")]
    assert "số lượng và giá trị quy đổi" in messages[(8, "Số tiền (đồng)")]
    assert count(ws, CapitalLine) == 0


def test_an_update_below_the_allocations_is_a_row_error(new_workspace, tmp_path):
    ws = new_workspace()
    path = workbook(tmp_path / "qd.xlsx", [
        [2023, "NTM", None, "ĐTPT", "NSTW", 2400000000, None, None, None, "56/QĐ-UBND",
         "10/02/2023"]])
    capital_import.import_lines(ws, path)
    (line,) = capital.list_lines(ws)
    road = project(ws, "Đường thôn 4 đi thôn 5")
    capital.save_allocation(ws, line_id=line.id, project_id=road.id, amount=2_000_000_000)
    lower = workbook(tmp_path / "qd2.xlsx", [
        [2023, "NTM", None, "ĐTPT", "NSTW", 1500000000, None, None, None, "56/QĐ-UBND",
         "10/02/2023"],
        [2023, "GNBV", None, "SN", "NSTW", 900000000, None, None, None, "59/QĐ-UBND",
         "15/02/2023"]])
    with pytest.raises(WorkbookRejected) as caught:
        capital_import.import_lines(ws, lower)
    (problem,) = caught.value.problems
    assert problem.row == 4 and "500.000.000 đồng" in problem.message
    assert [x.amount for x in capital.list_lines(ws)] == [2_400_000_000]  # nothing changed


def test_the_import_reports_progress_and_can_be_stopped(new_workspace, tmp_path):
    ws = new_workspace()
    path = workbook(tmp_path / "qd.xlsx", [
        [2023, "NTM", None, "ĐTPT", "NSTW", 1000 + n, None, None, None, f"{n}/QĐ", "10/02/2023"]
        for n in range(5)])
    seen = []
    assert astuple(capital_import.import_lines(
        ws, path, progress=lambda d, t: seen.append((d, t)))) == (5, 0, 0)
    assert seen[0] == (1, 10) and seen[-1] == (10, 10)
    calls = {"n": 0}

    def stop_after_the_reading() -> bool:
        calls["n"] += 1
        return calls["n"] > 6  # stops while writing: the unit of work rolls back

    other = workbook(tmp_path / "qd2.xlsx", [
        [2024, "NTM", None, "ĐTPT", "NSTW", 1000 + n, None, None, None, f"{n}/QĐ", "10/02/2024"]
        for n in range(5)])
    journal = journal_count(ws)
    with pytest.raises(ImportStopped) as caught:
        capital_import.import_lines(ws, other, stop_requested=stop_after_the_reading)
    assert str(caught.value) == "Người dùng đã dừng; không có gì bị thay đổi."
    assert count(ws, CapitalLine) == 5 and journal_count(ws) == journal
