"""Field rules declared once (issue 12): every rule names a real column of a synced record
and is never looser than it; the service the forms and the CLI call, and the workbook import,
refuse what the rule refuses, with the field named in Vietnamese."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, String

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.services import area, villages
from ctmtqg_desktop.services import workbook_import as wb
from ctmtqg_desktop.sync.columns import _kind
from tests.services.test_workbook_import import fill_template


def test_every_rule_names_a_synced_column_and_is_never_looser_than_it():
    tables = {m.__tablename__: m.__table__ for m in area.synced_records()}
    assert set(field_rules.RULES) <= set(tables)
    for table, rules in field_rules.RULES.items():
        for field, rule in rules.items():
            column = tables[table].columns[field]
            kind = _kind(column)
            if rule.max_length is not None:
                assert isinstance(kind, String), (table, field)
                assert kind.length is None or rule.max_length <= kind.length, (table, field)
            if rule.maximum is not None:
                assert isinstance(kind, Integer), (table, field)
                assert rule.maximum < 2**63 and (rule.minimum or 0) >= -(2**31)
                if type(kind) is Integer:  # a 32-bit column
                    assert rule.maximum <= 2**31 - 1, (table, field)
    for table, field in field_rules.NAMING_FIELD.items():
        assert field in tables[table].columns, (table, field)


def test_every_text_and_number_a_user_types_has_a_rule():
    """The kinds the brief lists: villages, households, supports, projects, capital lines,
    disbursements, tasks, progress, activities, difficulties, dossiers' documents."""
    for table, fields in {
        "village": ("name", "households", "population"), "household": ("head_name", "members"),
        "household_support": ("amount",), "project": ("name", "physical_progress"),
        "capital_line": ("amount", "note"), "capital_payment": ("amount", "voucher"),
        "task": ("text",), "task_progress": ("percent", "narrative"),
        "activity": ("title", "participants", "cost"), "difficulty": ("title", "content"),
        "dossier_document": ("number", "signer"),
    }.items():
        assert set(fields) <= set(field_rules.RULES[table]), table


def test_a_rule_names_the_field_and_the_limit():
    rule = field_rules.rule("village", "households")
    assert rule.problem(100_000) is None
    assert rule.problem(3_000_000_000) == "3.000.000.000 lớn hơn mức cao nhất cho phép, 100.000"
    assert rule.problem(-1) == "không được âm"
    with pytest.raises(field_rules.FieldRuleBroken) as caught:
        field_rules.check("village", {"name": "T" * 500})
    assert str(caught.value) == "“Tên thôn”: 500 ký tự, chỉ được tối đa 120 ký tự."
    assert field_rules.record_problem("village", {"deleted": True, "households": -1}) is None


def test_the_form_and_the_workbook_refuse_a_count_the_receiver_refuses(new_workspace, tmp_path):
    workspace = new_workspace()
    with pytest.raises(field_rules.FieldRuleBroken) as caught:
        villages.save_village(workspace, name="Thôn 1", households=3_000_000_000)
    assert "“Số hộ”" in str(caught.value)
    path = tmp_path / "thon.xlsx"
    fill_template(path, [["Thôn 1", "", 3_000_000_000, 1, ""], ["Thôn 2", "", 1, -5, ""]])
    with pytest.raises(wb.WorkbookRejected) as rejected:
        villages.import_villages(workspace, path)
    message = str(rejected.value)
    assert "Dòng 4, cột “Số hộ”: 3.000.000.000 lớn hơn" in message, message
    assert "Dòng 5, cột “Nhân khẩu”: không được âm" in message, message
    assert villages.list_villages(workspace) == []
    fill_template(path, [["Thôn 1", "", 100_000, 1, ""]])
    assert villages.import_villages(workspace, path).added == 1


def test_projects_difficulties_and_progress_refuse_what_a_receiver_refuses(demo_workspace):
    """The services of the other record kinds apply the same declaration."""
    from ctmtqg_desktop.services import difficulties, projects, tasks

    project = projects.list_projects(demo_workspace)[0]
    with pytest.raises(field_rules.FieldRuleBroken) as caught:
        projects.save_project(demo_workspace, project_id=project.id, name=project.name,
                              program_id=project.program_id, kind=project.kind,
                              description="m" * (field_rules.LONG_TEXT + 1))
    assert "“Mô tả”" in str(caught.value) or "20.000" in str(caught.value), str(caught.value)
    today = demo_workspace.today()
    with pytest.raises(field_rules.FieldRuleBroken):
        difficulties.save_difficulty(demo_workspace, raised_on=today, title="T" * 301)
    task_id = tasks.task_ids(demo_workspace)[0]
    with pytest.raises(field_rules.FieldRuleBroken):
        tasks.add_progress(demo_workspace, task_id, reported_on=today, status="in_progress",
                           quantity=field_rules.MAX_AMOUNT + 1)
