"""Importing the same workbook twice changes nothing (issue 15): every importer matches a row
on its natural key, updates what changed and says how many rows were added, updated and
unchanged. Real workbooks written with openpyxl, a real workspace; the whole dump (with
versions and times) and the change journal are compared."""

import datetime as dt
from dataclasses import astuple

from ctmtqg_desktop.services import capital, households, tasks, villages
from ctmtqg_desktop.services.capital import _workbook as capital_import
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from tests.capital_support import journal_count
from tests.services import test_capital_import, test_households, test_tasks_import
from tests.services.test_workbook_import import fill_template as fill_villages


def snapshot(workspace):
    return workspaces.dump(workspace, metadata=True), journal_count(workspace)


def test_villages_imported_twice_change_nothing(new_workspace, tmp_path, capsys):
    workspace = new_workspace()
    path = tmp_path / "thon.xlsx"
    fill_villages(path, [["Thôn 1", "Kinh", 120, 480, "không"],
                         ["Làng Kon Gung", "Xơ Đăng", 97, 431, "có"]])
    assert astuple(villages.import_villages(workspace, path)) == (2, 0, 0)
    before = snapshot(workspace)
    outcome = villages.import_villages(workspace, path)
    assert astuple(outcome) == (0, 0, 2)
    assert outcome.text("thôn") == "Đã nhập thôn: thêm 0, cập nhật 0, không đổi 2."
    assert snapshot(workspace) == before
    fill_villages(path, [["thôn 1", "Kinh", 125, 480, "không"],
                         ["Làng Kon Gung", "Xơ Đăng", 97, 431, "có"],
                         ["Thôn 2", "", 10, 40, ""]])
    assert astuple(villages.import_villages(workspace, path)) == (1, 1, 1)
    assert len(villages.list_villages(workspace)) == 3


def test_tasks_imported_twice_are_not_doubled(new_workspace, tmp_path):
    workspace = new_workspace()
    tasks.save_directive(workspace, number_symbol="729/KH-UBND", doc_type="Kế hoạch",
                         issuing_body="UBND tỉnh Kon Tum", title="Kế hoạch năm 2023")
    path = tmp_path / "nhiem-vu.xlsx"
    rows = [
        ["Rà soát danh mục dự án năm 2024", "729/KH-UBND", "UBND xã Đắk La",
         "Hội Nông dân xã; Đoàn Thanh niên xã", "NTM", dt.datetime(2023, 10, 20), None, None,
         None, "Danh mục dự án", None, None],
        ["Báo cáo tháng", None, "23524", None, None, None, "hằng tháng", 20, None,
         "Báo cáo", None, None],
    ]
    test_tasks_import.fill(path, rows)
    first = tasks.import_tasks(workspace, path)
    assert (first.added, first.directive_links, first.updated, first.unchanged) == (2, 1, 0, 0)
    before = snapshot(workspace)
    again = tasks.import_tasks(workspace, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert tasks.result_text(again) == ("Đã nhập nhiệm vụ: thêm 0 (0 thuộc văn bản chỉ đạo), "
                                        "cập nhật 0, không đổi 2.")
    assert snapshot(workspace) == before
    assert len(tasks.task_ids(workspace, {})) == 2
    # a changed row updates its task (same directive and text), diacritics aside
    rows[1][0] = "bao cao thang"
    rows[1][9] = "Báo cáo tháng gửi huyện"
    test_tasks_import.fill(path, rows)
    third = tasks.import_tasks(workspace, path)
    assert (third.added, third.updated, third.unchanged) == (0, 1, 1)
    infos = [tasks.get_task(workspace, i) for i in tasks.task_ids(workspace, {})]
    assert sorted(t.expected_output for t in infos) == ["Báo cáo tháng gửi huyện",
                                                        "Danh mục dự án"]


def test_the_same_task_twice_in_a_workbook_is_named(new_workspace, tmp_path):
    import pytest

    from ctmtqg_desktop.services.workbook_import import WorkbookRejected

    workspace = new_workspace()
    path = tmp_path / "nhiem-vu.xlsx"
    row = ["Báo cáo tháng", None, None, None, None, None, "hằng tháng", 20, None, None, None,
           None]
    test_tasks_import.fill(path, [row, list(row)])
    with pytest.raises(WorkbookRejected) as caught:
        tasks.import_tasks(workspace, path)
    assert "Dòng 5, cột “Nhiệm vụ”: trùng nhiệm vụ" in str(caught.value)
    assert tasks.task_ids(workspace, {}) == []


def test_capital_lines_imported_twice_change_nothing(new_workspace, tmp_path):
    workspace = new_workspace()
    path = test_capital_import.workbook(tmp_path / "qd.xlsx", [
        [2023, "NTM", "ND02", "ĐTPT", "NSTW", 2400000000, None, None, None, "56/QĐ-UBND",
         dt.datetime(2023, 2, 10), "UBND huyện Đắk Hà", None],
        [2023, "NTM", None, "ĐTPT", "CONG_DONG_NGAY_CONG", None, 1200, "ngày công", 200000,
         "125/QĐ-UBND", "20/03/2023", "UBND xã Đắk La", "Ngày công"],
    ])
    assert astuple(capital_import.import_lines(workspace, path)) == (2, 0, 0)
    before = snapshot(workspace)
    assert astuple(capital_import.import_lines(workspace, path)) == (0, 0, 2)
    assert snapshot(workspace) == before
    assert len(capital.list_lines(workspace)) == 2


def test_households_imported_twice_change_nothing(demo_workspace, tmp_path):
    path = tmp_path / "ho.xlsx"
    test_households.fill_template(path, [
        ["A Thắm", "062080001111", 1980, "Làng Kon Gung", "Xơ Đăng", "hộ nghèo", "có", 5, ""],
        ["A Nhong", "", 1975, "Làng Kon Gung", "Xơ Đăng", "hộ nghèo", "có", 3, ""],
    ])
    assert astuple(households.import_households(demo_workspace, path)) == (2, 0, 0)
    before = snapshot(demo_workspace)
    assert astuple(households.import_households(demo_workspace, path)) == (0, 0, 2)
    assert snapshot(demo_workspace) == before
