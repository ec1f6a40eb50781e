"""One limit per text field (issue 15): the workbook column declares it, the import refuses a
longer cell with its row and column, and the service the forms and the CLI call refuses the
same text; text at the limit passes both ways."""

import pytest

from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.services import capital, households, tasks, villages
from ctmtqg_desktop.services import workbook_import as wb
from ctmtqg_desktop.services.capital import _workbook as capital_import
from ctmtqg_desktop.services.households._workbook import import_columns as household_columns
from ctmtqg_desktop.services.tasks._records import TaskInputInvalid
from ctmtqg_desktop.services.tasks._workbook import import_columns as task_columns
from tests.services import test_capital_import, test_households, test_tasks_import
from tests.services.test_workbook_import import fill_template


def limit(columns, key):
    return next(c.max_length for c in columns if c.key == key)


def test_every_imported_text_column_declares_a_limit():
    from ctmtqg_desktop.services.villages._records import _import_columns as village_columns

    for columns in (village_columns(), household_columns(), task_columns(),
                    capital_import.import_columns()):
        texts = [c for c in columns if c.parse is wb.text]
        assert texts and all(c.max_length for c in texts), [c.key for c in texts]


def test_a_village_name_has_one_limit_for_the_form_and_the_workbook(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "thon.xlsx"
    fill_template(path, [["T" * 121, "", 1, 1, ""], ["Thôn 2", "K" * 201, 1, 1, ""]])
    with pytest.raises(wb.WorkbookRejected) as caught:
        villages.import_villages(workspace, path)
    message = str(caught.value)
    assert "Dòng 4, cột “Tên thôn”: 121 ký tự" in message and "tối đa 120" in message
    assert "Dòng 5, cột “Dân tộc”: 201 ký tự" in message
    assert villages.list_villages(workspace) == []
    with pytest.raises(BadArgument) as caught:
        villages.save_village(workspace, name="T" * 121)
    assert "“Tên thôn”: 121 ký tự" in str(caught.value)
    villages.save_village(workspace, name="T" * 120, ethnic_groups="K" * 200)
    fill_template(path, [["T" * 120, "K" * 200, 2, 2, ""]])
    assert villages.import_villages(workspace, path).updated == 1


def test_households_have_one_limit(demo_workspace, tmp_path):
    path = tmp_path / "ho.xlsx"
    test_households.fill_template(path, [["A" * 121, "", 1980, "Làng Kon Gung", "", "", "", 1,
                                          "n" * 1001]])
    with pytest.raises(wb.WorkbookRejected) as caught:
        households.import_households(demo_workspace, path)
    assert "cột “Chủ hộ”: 121 ký tự" in str(caught.value)
    assert "cột “Ghi chú”: 1.001 ký tự" in str(caught.value)
    village = households.village_choices(demo_workspace)[0][0]
    with pytest.raises(BadArgument) as caught:
        households.save_household(demo_workspace, head_name="A Thắm", village_id=village,
                                  ethnicity="X" * (limit(household_columns(), "ethnicity") + 1))
    assert "“Dân tộc”: 61 ký tự" in str(caught.value)


def test_tasks_have_one_limit(new_workspace, tmp_path):
    workspace = new_workspace()
    path = tmp_path / "nv.xlsx"
    test_tasks_import.fill(path, [["Nhiệm vụ", None, "L" * 301, None, None, None, None, None,
                                   None, None, None, None]])
    with pytest.raises(wb.WorkbookRejected) as caught:
        tasks.import_tasks(workspace, path)
    assert "Dòng 4, cột “Chủ trì”: 301 ký tự" in str(caught.value)
    with pytest.raises((BadArgument, TaskInputInvalid)) as caught:
        tasks.save_task(workspace, text="N" * 2001)
    assert "2.001 ký tự" in str(caught.value)
    with pytest.raises((BadArgument, TaskInputInvalid)) as caught:
        tasks.save_task(workspace, text="Nhiệm vụ", lead="L" * 301)
    assert "“Chủ trì”: 301 ký tự" in str(caught.value)
    assert tasks.task_ids(workspace, {}) == []


def test_capital_lines_have_one_limit(new_workspace, tmp_path):
    workspace = new_workspace()
    path = test_capital_import.workbook(tmp_path / "qd.xlsx", [
        [2023, "NTM", None, "ĐTPT", "NSTW", 1000, None, None, None, "5" * 61, "10/02/2023",
         None, None]])
    with pytest.raises(wb.WorkbookRejected) as caught:
        capital_import.import_lines(workspace, path)
    assert "Dòng 4, cột “Số quyết định”: 61 ký tự" in str(caught.value)
    with pytest.raises(BadArgument) as caught:
        capital.save_line(workspace, year=2023, program_id="2021-2025/NTM",
                          capital_kind="DTPT", source="NSTW", amount=1000,
                          decision_number="5" * 61)
    assert "“Số quyết định”: 61 ký tự" in str(caught.value)
    assert capital.list_lines(workspace) == []
