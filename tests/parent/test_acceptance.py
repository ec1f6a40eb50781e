"""Issue 7's acceptance: a district and its twelve communes, enrolled with real enrollment
files, exchanging real signed packages. After the district imports the communes' packages
(all at once, as a folder), the board's figures equal what each commune's own workspace
says; answers and assignments reach the right commune and only it, and the commune cannot
change them; the commune's progress and payments on what it was given come back to the
board, with its acknowledgement of what was sent."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.services import activities, capital, dossiers, projects, tasks
from ctmtqg_desktop.services.capital import _status as capital_status
from ctmtqg_desktop.services.difficulties import _records as difficulties
from ctmtqg_desktop.services.parent import _board as parent_board
from ctmtqg_desktop.services.parent import _children as parent_children
from ctmtqg_desktop.services.parent import _dispatch as parent_dispatch
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from ctmtqg_desktop.store.models.capital import CapitalLine
from ctmtqg_desktop.store.models.tasks import DifficultyAnswer, Directive, Task
from tests.parent.conftest import DAY, fill, send, set_today

DISTRICT = "610"  # huyện Đắk Glei: twelve communes and a town
COMMUNES = ["23341", "23344", "23347", "23350", "23353", "23356", "23359", "23362", "23365",
            "23368", "23371", "23374"]


def commune_figures(workspace) -> dict:
    """What the commune's own screens say, through its own services."""
    summary = tasks.summary(workspace)
    money = capital_status.year_summary(workspace, DAY.year).total
    dossier_list = dossiers.list_dossiers(workspace)
    counts = difficulties.counts(workspace)
    # the activities of the year held up to the day, as the commune's activities page says
    held = activities.summary(workspace, {"year": DAY.year, "date_to": DAY})
    by_kind = dict(held.by_kind)
    return {
        "activities": held.total.count, "activity_participants": held.total.participants,
        "activity_women": held.total.women, "activity_ethnic": held.total.ethnic_minority,
        **{parent_board.ACTIVITY_FIELDS[kind]: by_kind[kind].count if kind in by_kind else 0
           for kind in activities.KINDS},
        "tasks_total": summary.total, "tasks_done": summary.done,
        "tasks_overdue": summary.overdue, "assigned": money.assigned,
        "allocated": money.allocated, "disbursed": money.disbursed,
        "dossiers": len(dossier_list),
        "dossiers_complete": sum(1 for d in dossier_list if d.complete),
        "documents_required": sum(d.required for d in dossier_list),
        "documents_done": sum(d.required_done for d in dossier_list),
        "difficulties_open": counts["new"] + counts["sent"] + counts["answered"],
        "difficulties_unanswered": counts["new"] + counts["sent"],
    }


def board_figures(row) -> dict:
    return {key: getattr(row, key) for key in (
        "tasks_total", "tasks_done", "tasks_overdue", "assigned", "allocated", "disbursed",
        "dossiers", "dossiers_complete", "documents_required", "documents_done",
        "difficulties_open", "difficulties_unanswered", "activities", "activity_participants",
        "activity_women", "activity_ethnic", *parent_board.ACTIVITY_FIELDS.values())}


def add_activities(commune, index: int) -> None:
    """Besides the demo's activities of the year: those at the year's edges, which the
    commune's own summary counts or not (begun the year before and still going on 1
    January: counted; wholly in the year before, after the day, or deleted: not)."""
    people = {"participants": 40 + index, "women": 15, "ethnic_minority": 20 + index % 5}
    activities.save_activity(commune, kind="training", title="Tập huấn cuối năm",
                             start_on=dt.date(DAY.year - 1, 12, 28),
                             end_on=dt.date(DAY.year, 1, 3), **people)
    activities.save_activity(commune, kind="other", title="Hội nghị tổng kết",
                             start_on=dt.date(DAY.year - 1, 12, 10), **people)
    activities.save_activity(commune, kind="inspection", title="Kiểm tra sau ngày của bảng",
                             start_on=DAY + dt.timedelta(days=10), **people)
    gone = activities.save_activity(commune, kind="communication", title="Ghi nhầm",
                                    start_on=DAY - dt.timedelta(days=3), **people)
    activities.delete_activity(commune, gone.id)
    if index % 2:
        activities.save_activity(commune, kind="other", title="Ngày hội đại đoàn kết",
                                 start_on=DAY - dt.timedelta(days=1), **people)


@pytest.fixture
def district(network, tmp_path):
    parent = network.parent(DISTRICT, "Phòng Tài chính - Kế hoạch huyện Đắk Glei")
    set_today(parent)
    communes = {}
    for index, unit in enumerate(COMMUNES):
        commune = network.enroll(parent, f"{unit}@2023-06-01", f"Cán bộ {index + 1}",
                                 sqlite=True)
        set_today(commune)
        fill(commune, f"acceptance-{unit}")
        add_activities(commune, index)
        if index % 3 == 0:
            difficulties.save_difficulty(
                commune, raised_on=DAY - dt.timedelta(days=5),
                title="Chưa có hướng dẫn định mức hỗ trợ sản xuất",
                content="Xã chưa nhận được hướng dẫn.", proposal="Đề nghị huyện hướng dẫn.")
        communes[unit] = commune
    return parent, communes


def test_the_board_equals_the_communes_own_figures_and_work_goes_down_to_the_right_one(
        district, tmp_path):
    parent, communes = district
    mail = tmp_path / "mail"
    for commune in communes.values():
        sync_export.export_package(commune, mail)
    # mass import: the whole folder, in one go
    files = parent_children.package_files([mail])
    assert len(files) == 12
    report = sync_import.import_packages(parent, files)
    assert [o.outcome for o in report.files] == ["applied"] * 12

    board = parent_board.compute(parent)
    assert {r.unit_id for r in board.rows} == set(COMMUNES)
    expected_total: dict = {}
    for unit, commune in communes.items():
        mine = commune_figures(commune)
        row = board.row(unit)
        assert board_figures(row) == mine, unit
        assert row.report_state == "current" and row.last_report_at is not None
        for key, value in mine.items():
            expected_total[key] = expected_total.get(key, 0) + value
    assert board_figures(board.total) == expected_total
    # the activities' edges: the training begun the year before counts, the after-the-day
    # inspection is the commune's year but not yet the board's; the "other" kind is only
    # what the test added in the year (every second commune)
    assert all(r.activities_training >= 1 for r in board.rows)
    assert board.total.activities > 24 and board.total.activities_other == 6
    for unit, commune in communes.items():
        whole_year = activities.summary(commune, {"year": DAY.year}).total.count
        assert whole_year == board.row(unit).activities + 1, unit
    assert board.total.rate == pytest.approx(expected_total["disbursed"]
                                             / expected_total["assigned"])
    listing = parent_children.list_children(parent)
    assert {c.unit_id for c in listing.children} == set(COMMUNES) | {"23341"}
    assert all(c.state == "current" and c.enrollment == "enrolled" for c in listing.children)

    # -- acting downward -----------------------------------------------------------------
    first, second = COMMUNES[0], COMMUNES[1]
    raised = parent_dispatch.children_difficulties(parent, unit_id=first)[0]
    parent_dispatch.answer(parent, raised.id, content="Áp dụng Quyết định số 12/2023 của UBND "
                           "tỉnh.", document_ref="Công văn số 77/UBND-TCKH")
    assignment = parent_dispatch.assign_directive(
        parent, children=[first, second], title="Đẩy nhanh giải ngân quý IV",
        number_symbol="88/KH-UBND", doc_type="Kế hoạch", issued_on=DAY,
        task_drafts=[parent_dispatch.TaskDraft("Báo cáo tiến độ giải ngân", schedules.Schedule(
            schedules.ONCE, deadline=DAY + dt.timedelta(days=20)))])
    assert parent_dispatch.assignment_records(parent, assignment.id) == {first: 2, second: 2}
    parent_dispatch.assign_capital(parent, amounts={first: 500_000_000}, year=DAY.year,
                                   program_id="2021-2025/NTM", capital_kind="DTPT",
                                   source="NSTW", decision_number="501/QĐ-UBND",
                                   decision_date=DAY)
    sent = {i.kind: i for i in parent_dispatch.sent_items(parent)}
    assert sent["tasks"].recipients == (first, second) and not sent["tasks"].acknowledged
    assert sent["capital"].recipients == (first,)
    for unit, commune in communes.items():
        _result, outcome = send(parent, commune, tmp_path / "down", to=unit)
        assert outcome.outcome == "applied", outcome.message

    # each commune holds only what was addressed to it
    for unit, commune in communes.items():
        with commune.session_factory() as session:
            directives = session.scalars(select(Directive).where(
                Directive.owner_unit_id == DISTRICT)).all()
            answers = session.scalars(select(DifficultyAnswer)).all()
            lines = session.scalars(select(CapitalLine).where(
                CapitalLine.owner_unit_id == DISTRICT)).all()
        assert [d.audience_unit_id for d in directives] == ([unit] if unit in (first, second)
                                                            else [])
        assert [a.audience_unit_id for a in answers] == ([unit] if unit == first else [])
        assert [(line.audience_unit_id, line.amount) for line in lines] == \
            ([(unit, 500_000_000)] if unit == first else [])
    mine = communes[first]
    shown = difficulties.get_difficulty(mine, raised.id)
    assert shown.status == "answered" and shown.answers[0].document_ref == \
        "Công văn số 77/UBND-TCKH"
    assigned_task = next(t for t in tasks.task_rows(mine, tasks.task_ids(mine, {})).values()
                         if t.text == "Báo cáo tiến độ giải ngân")
    other_task = next(t for t in tasks.task_rows(
        communes[second], tasks.task_ids(communes[second], {})).values()
        if t.text == "Báo cáo tiến độ giải ngân")
    assert assigned_task.id != other_task.id  # each commune has its own copy
    line = next(li for li in capital.list_lines(mine, year=DAY.year)
                if li.owner_unit_id == DISTRICT)

    # the commune cannot change what it was given (and nothing changes when it tries)
    before = workspaces.dump(mine)
    with pytest.raises(UserError) as edit:
        tasks.save_task(mine, task_id=assigned_task.id, text="Sửa nhiệm vụ của huyện")
    assert "đơn vị khác" in str(edit.value)
    with pytest.raises(UserError):
        tasks.delete_task(mine, assigned_task.id)
    with pytest.raises(UserError) as changed:
        capital.save_line(mine, line_id=line.id, year=DAY.year, program_id="2021-2025/NTM",
                          capital_kind="DTPT", source="NSTW", amount=900_000_000)
    assert "UBND huyện Đắk Glei" in str(changed.value)
    with pytest.raises(UserError):
        capital.delete_line(mine, line.id)
    assert workspaces.dump(mine) == before

    # …but reports on it: progress on the task, an allocation and a payment from the line
    tasks.add_progress(mine, assigned_task.id, reported_on=DAY, status="done",
                       narrative="Đã báo cáo")
    assert tasks.get_task(mine, assigned_task.id).status == "done"
    project = projects.list_projects(mine)[0]
    allocation = capital.save_allocation(mine, line_id=line.id, project_id=project.id,
                                         amount=300_000_000)
    capital.save_payment(mine, allocation_id=allocation.id, paid_on=DAY,
                         amount=120_000_000, voucher="GRV-0001")
    up = sync_export.export_package(mine, tmp_path / "up")
    assert "task" not in {t.table for t in up.tables}  # the district's task never goes up
    with parent.session_factory() as session:
        parents_task_before = session.get(Task, assigned_task.id).version
    assert sync_import.import_packages(parent, [up.path]).files[0].outcome == "applied"

    board = parent_board.compute(parent)
    assert board_figures(board.row(first)) == commune_figures(mine)
    assert board.row(first).assigned == commune_figures(mine)["assigned"]
    with parent.session_factory() as session:
        refreshed = session.get(Task, assigned_task.id)
        # the status follows the commune's progress; the district's record keeps its version
        assert refreshed.status == "done" and refreshed.version == parents_task_before
        assert refreshed.owner_unit_id == DISTRICT
    # what was sent down: the first commune has acknowledged everything, the others not
    row = board.row(first)
    assert row.sent_down == 4 and row.acknowledged == 4  # directive, task, line, answer
    assert board.row(second).sent_down == 2 and board.row(second).acknowledged == 0
    sent = {i.kind: i for i in parent_dispatch.sent_items(parent)}
    assert sent["tasks"].acknowledged == (first,) and sent["capital"].complete
    assert sent["answer"].complete
    # nothing is left to send to it but the receipt; the commune's view is unchanged
    _result, outcome = send(parent, mine, tmp_path / "down2", to=first)
    assert outcome.outcome == "applied" and outcome.changes == 0
    assert tasks.get_task(mine, assigned_task.id).status == "done"
