"""Beneficiary households: search, duplicates across programmes, all-or-nothing import,
export, and ID numbers that never leak into an export or a log unless asked for."""

import datetime as dt
import logging
from dataclasses import astuple

import pytest
from openpyxl import load_workbook

from ctmtqg_desktop.app_logging import setup_logging
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.services import households, projects
from ctmtqg_desktop.services.workbook_import import WorkbookRejected


def village_id(workspace, name):
    return next(v for v, n in households.village_choices(workspace) if n == name)


def test_the_demo_has_a_few_hundred_households_across_the_villages(demo_workspace):
    counts = households.counts(demo_workspace)
    assert 300 <= counts["total"] <= 600
    assert counts["poor"] and counts["near_poor"] and counts["recently_out"]
    rows = households.list_households(demo_workspace)
    assert len({r.village_name for r in rows}) == 12
    assert {r.ethnicity for r in rows} >= {"Kinh", "Xơ Đăng", "Ba Na"}
    assert all(r.id_number.startswith("*********") and len(r.id_number) == 12 for r in rows)


def test_search_ignores_diacritics_and_matches_words(demo_workspace):
    found = households.list_households(demo_workspace, {"text": "y blut"})
    assert found and all(r.head_name == "Y Blứt" for r in found)
    village = village_id(demo_workspace, "Làng Đăk Lấp")
    in_village = households.list_households(demo_workspace, {"village_id": village})
    assert in_village and {r.village_name for r in in_village} == {"Làng Đăk Lấp"}
    poor = households.household_ids(demo_workspace, {"status": "poor", "minority": True},
                                     "supports", True)
    rows = households.household_rows(demo_workspace, poor)
    assert all(rows[i].poverty_status == "poor" and rows[i].ethnic_minority for i in poor)
    assert [rows[i].supports for i in poor] == sorted((rows[i].supports for i in poor),
                                                     reverse=True)


def test_a_household_supported_twice_across_programmes_is_flagged(demo_workspace):
    duplicates = households.duplicate_supports(demo_workspace)
    assert len(duplicates) == 2
    for duplicate in duplicates:
        assert duplicate.group == "housing"
        assert duplicate.programs == ("2021-2025/DTTS", "2021-2025/GNBV")
        assert len(duplicate.supports) == 2
    flagged = households.list_households(demo_workspace, {"duplicates": True})
    assert {r.id for r in flagged} == {d.household_id for d in duplicates}
    assert all(r.duplicated for r in flagged)
    # the projects' overlap check can ask about one project
    cattle = next(p for p in projects.list_projects(demo_workspace) if "nuôi bò" in p.name)
    assert households.duplicate_supports(demo_workspace, project_id=cattle.id) == []


def test_recording_the_same_content_again_returns_the_duplicate(demo_workspace):
    household = households.list_households(demo_workspace, {"village_id": village_id(
        demo_workspace, "Thôn 1A")})[0]
    road, coffee = [next(p for p in projects.list_projects(demo_workspace) if name in p.name)
                    for name in ("Bê tông hóa", "cà phê")]
    _info, duplicates = households.add_support(demo_workspace, household_id=household.id,
                                               project_id=coffee.id, content="seedlings",
                                               amount=9_200_000,
                                               received_on=dt.date(2023, 9, 5))
    assert duplicates == []
    info, duplicates = households.add_support(demo_workspace, household_id=household.id,
                                              project_id=road.id, content="seedlings",
                                              amount=1_000_000)
    assert len(duplicates) == 1 and info.id in [s.id for s in duplicates[0].supports]
    households.remove_support(demo_workspace, info.id)
    assert all(d.household_id != household.id
               for d in households.duplicate_supports(demo_workspace))
    with pytest.raises(BadArgument):
        households.add_support(demo_workspace, household_id=household.id, project_id=road.id,
                               content="gold")


def test_saving_checks_the_id_number_and_keeps_it_when_not_shown(demo_workspace):
    village = village_id(demo_workspace, "Thôn 3")
    row = households.save_household(demo_workspace, head_name="  Nguyễn  Thị Mai ",
                                    id_number="062190004321", village_id=village,
                                    ethnicity="Kinh", poverty_status="near_poor", members=4)
    assert row.head_name == "Nguyễn Thị Mai" and row.id_number == "*********321"
    with pytest.raises(BadArgument) as caught:
        households.save_household(demo_workspace, head_name="Trần Văn Bình",
                                  id_number="062190004321")
    assert "đã được ghi cho hộ Nguyễn Thị Mai" in str(caught.value)
    with pytest.raises(BadArgument) as caught:
        households.save_household(demo_workspace, head_name="Trần Văn Bình", id_number="12345")
    assert "12 chữ số" in str(caught.value)
    households.save_household(demo_workspace, household_id=row.id, head_name="Nguyễn Thị Mai",
                              village_id=village, poverty_status="poor", members=5)
    again = households.get_household(demo_workspace, row.id, reveal=True)
    assert again.id_number == "062190004321" and again.poverty_status == "poor"


def fill_template(path, rows):
    households.write_households_template(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(4)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            sheet.cell(row=4 + offset, column=column, value=value)
    book.save(path)


def test_import_is_all_or_nothing_with_row_errors_in_vietnamese(demo_workspace, tmp_path):
    before = households.counts(demo_workspace)["total"]
    path = tmp_path / "ho.xlsx"
    fill_template(path, [
        ["A Thắm", "062080001111", 1980, "Làng Kon Gung", "Xơ Đăng", "hộ nghèo", "có", 5, ""],
        ["Y Hoa", "062080001111", 1985, "Làng Kon Gung", "Xơ Đăng", "hộ nghèo", "có", 4, ""],
        ["A Nhong", "", 1975, "Thôn 99", "Xơ Đăng", "giàu", "có", 3, ""],
        ["", "062080002222", 1990, "Thôn 1A", "Kinh", "", "", 2, ""],
    ])
    with pytest.raises(WorkbookRejected) as caught:
        households.import_households(demo_workspace, path)
    message = str(caught.value)
    assert message.startswith("Chưa nhập tệp ho.xlsx, không có gì bị thay đổi: cần sửa 2 lỗi")
    assert "Dòng 6, cột “Diện hộ”" in message  # the bad status
    assert "Dòng 7, cột “Chủ hộ”: ô này không được để trống" in message
    assert households.counts(demo_workspace)["total"] == before
    fill_template(path, [
        ["A Thắm", "062080001111", 1980, "lang kon gung", "Xơ Đăng", "hộ nghèo", "có", 5, ""],
        ["Y Hoa", "062080003333", 1985, "Làng Kon Gung", "Xơ Đăng", "cận nghèo", "có", 4, ""],
    ])
    assert astuple(households.import_households(demo_workspace, path)) == (2, 0, 0)
    fill_template(path, [
        ["A Thắm", "062080001111", 1980, "Làng Kon Gung", "Xơ Đăng", "mới thoát nghèo", "có",
         6, "đã thoát nghèo năm 2023"]])
    assert astuple(households.import_households(demo_workspace, path)) == (0, 1, 0)
    tham = households.list_households(demo_workspace, {"text": "a tham"}, reveal=True)
    tham = [r for r in tham if r.id_number == "062080001111"][0]
    assert tham.poverty_status == "recently_out" and tham.members == 6
    assert households.counts(demo_workspace)["total"] == before + 2
    # a household without an ID number is matched by its head and village on a second import
    fill_template(path, [["A Nhong", "", 1975, "Làng Kon Gung", "Xơ Đăng", "hộ nghèo", "có", 3,
                          ""]])
    assert astuple(households.import_households(demo_workspace, path)) == (1, 0, 0)
    assert astuple(households.import_households(demo_workspace, path)) == (0, 0, 1)
    assert households.counts(demo_workspace)["total"] == before + 3


def test_a_row_problem_across_rows_is_found_too(demo_workspace, tmp_path):
    path = tmp_path / "ho.xlsx"
    fill_template(path, [
        ["A Thắm", "062080001111", 1980, "Làng Kon Gung", "Xơ Đăng", "hộ nghèo", "có", 5, ""],
        ["Y Hoa", "062080001111", 1985, "Thôn 99", "Xơ Đăng", "hộ nghèo", "có", 4, ""]])
    with pytest.raises(WorkbookRejected) as caught:
        households.import_households(demo_workspace, path)
    message = str(caught.value)
    assert "số định danh này đã có ở dòng 4" in message
    assert "“Thôn 99” không phải là thôn, làng của xã" in message


def test_id_numbers_never_reach_an_export_or_the_log_unless_asked(demo_workspace, tmp_path):
    log_file = setup_logging(demo_workspace.logs_dir)
    logging.getLogger("ctmtqg").setLevel(logging.DEBUG)
    try:
        full = [r.id_number for r in households.list_households(demo_workspace, reveal=True)]
        assert all(len(n) == 12 and n.isdigit() for n in full)
        masked_file = tmp_path / "ho-che.xlsx"
        households.export_households(demo_workspace, masked_file)
        path = tmp_path / "ho.xlsx"
        fill_template(path, [["A Thắm", "062080009999", 1980, "Làng Kon Gung", "Xơ Đăng",
                              "hộ nghèo", "có", 5, ""],
                             ["Y Hoa", "062080009999", 1980, "Làng Kon Gung", "Xơ Đăng",
                              "hộ nghèo", "có", 5, ""]])
        with pytest.raises(WorkbookRejected):
            households.import_households(demo_workspace, path)
        with pytest.raises(BadArgument):
            households.save_household(demo_workspace, head_name="X", id_number=full[0])
        logging.getLogger("ctmtqg.test").info("export and import done")
    finally:
        logging.getLogger("ctmtqg").setLevel(logging.INFO)
    cells = [str(c.value) for ws in load_workbook(masked_file).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    text = "\n".join(cells)
    assert "ẩn" in text or "che bớt" in text
    assert not any(number in text for number in full)
    assert "*********" in text
    logged = log_file.read_text(encoding="utf-8")
    assert "export and import done" in logged  # the log was really written
    assert not any(number in logged for number in full + ["062080009999"])
    shown_file = tmp_path / "ho-day-du.xlsx"
    households.export_households(demo_workspace, shown_file, reveal=True)
    shown = "\n".join(str(c.value) for ws in load_workbook(shown_file).worksheets
                      for row in ws.iter_rows() for c in row if c.value is not None)
    assert all(number in shown for number in full)


def test_support_contents_are_checked_data():
    contents = households.support_contents()
    assert {"housing_new", "housing_repair", "livestock"} <= {c.code for c in contents}
    assert {c.group for c in contents if c.code.startswith("housing")} == {"housing"}
