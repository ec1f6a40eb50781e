"""Tasks, progress history, the SQL list, difficulties and answers, and the seed in the demo."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.errors import AttachmentTooLarge, UserError
from ctmtqg_desktop.services import attachments, settings, tasks
from ctmtqg_desktop.services.difficulties import _records as difficulties
from ctmtqg_desktop.services.tasks._demo import seed_body
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.tasks import Task

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
SHARED_SEED = ROOT.parent / "shared" / "seed" / "000_a476dfc20cc05e2f.txt"


def seed_bullets(text: str) -> list[str]:
    """The seed's bullet points, read independently of the app: "- " and "+ " lines."""
    return [line[2:].strip() for line in text.splitlines() if line[:2] in ("- ", "+ ")]


def test_the_shipped_seed_is_the_projects_seed_verbatim():
    shipped = (ROOT / "resources" / "demo" / "seed-directive-kontum-2023.txt").read_text(
        encoding="utf-8")
    header, _blank, body = shipped.partition("\n\n")
    import hashlib

    recorded = re.search(r"SHA-256[^:]*: ([0-9a-f]{64})", header).group(1)
    assert hashlib.sha256(body.encode("utf-8")).hexdigest() == recorded
    assert "Nguồn" in header
    if SHARED_SEED.exists():  # beside every checkout of the project, and in CI
        assert SHARED_SEED.read_text(encoding="utf-8") == body


def test_the_demo_holds_the_seed_directive_and_every_bullet_verbatim(demo_workspace):
    body = seed_body("seed-directive-kontum-2023.txt")
    bullets = seed_bullets(body)
    assert len(bullets) == 18  # 12 for the districts, 3 + 1 + 2 sub-items for the agencies
    directives = tasks.list_directives(demo_workspace)
    seed = next(d for d in directives if d.issuing_body == "Ủy ban nhân dân tỉnh Kon Tum")
    assert seed.task_count == len(bullets)
    assert seed.issuing_unit_id == "62"
    for reference in ("Nghị quyết số 13-NQ/TU", "Kế hoạch số 729/KH-UBND",
                      "Nghị định số 38/2023/NĐ-CP", "Báo cáo số 99/BC-SKHĐT"):
        assert any(r.startswith(reference) for r in seed.related_documents), reference
    assert seed.summary.startswith("Theo đó, Ủy ban nhân dân tỉnh yêu cầu:")
    ids = tasks.task_ids(demo_workspace, {"directive": seed.id}, "directive")
    texts = [tasks.get_task(demo_workspace, i).text for i in ids]
    assert texts == bullets  # word for word, in the directive's order
    infos = [tasks.get_task(demo_workspace, i) for i in ids]
    assert infos[0].section == "1. Ủy ban nhân dân các huyện, thành phố"
    assert infos[0].lead_label == "Ủy ban nhân dân các huyện, thành phố"
    assert infos[-1].section.startswith("2. Các cơ quan thành viên Ban Chỉ đạo tỉnh")
    sub_items = [t for t in infos if t.parent_task_id is not None]
    assert [t.text[:30] for t in sub_items] == [b[:30] for b in bullets if b.startswith(
        ("Tích cực theo dõi", "Khẩn trương phối hợp"))]
    files = attachments.list_attachments(demo_workspace, "directive", seed.id)
    assert files and files[0].original_name.endswith(".txt")


def test_the_demo_history_has_done_late_and_due_soon_tasks(demo_workspace):
    today = demo_workspace.today()
    assert today == D(2023, 10, 16)
    summary = tasks.summary(demo_workspace)
    assert summary.done >= 2 and summary.overdue >= 2 and summary.due_soon >= 1
    late = tasks.task_rows(demo_workspace, tasks.task_ids(demo_workspace, {"overdue": True}))
    assert all(r.state == "late" and r.next_due_on < today for r in late.values())
    soon = tasks.task_rows(demo_workspace, tasks.task_ids(demo_workspace, {"due_within": 7}))
    assert soon and all(r.state == "due_soon" for r in soon.values())
    answered = [d for d in difficulties.list_difficulties(demo_workspace) if d.answers]
    assert len(answered) == 1
    answer = answered[0].answers[0]
    assert answer.owner_unit_id == "615" and answered[0].status == "answered"


def test_history_is_kept_across_edits(new_workspace):
    workspace = new_workspace()
    task = tasks.save_task(workspace, text="Báo cáo tháng", lead="23524",
                           schedule=schedules.Schedule(schedules.MONTHLY, day=20,
                                                       start=D(2023, 7, 1)))
    assert task.lead_label == "UBND xã Đắk La" and task.lead.unit_id == "23524"
    for day, note in ((D(2023, 7, 18), "tháng 7"), (D(2023, 8, 25), "tháng 8")):
        tasks.add_progress(workspace, task.id, reported_on=day, status="in_progress",
                           narrative=note)
    edited = tasks.save_task(workspace, task_id=task.id, text="Báo cáo tháng gửi huyện",
                             lead="Phòng Tài chính - Kế hoạch huyện",
                             schedule=schedules.Schedule(schedules.MONTHLY, day=25,
                                                         start=D(2023, 7, 1)))
    assert edited.lead.agency == "Phòng Tài chính - Kế hoạch huyện"
    detail = tasks.task_detail(workspace, task.id)
    assert [p.narrative for p in detail.progress] == ["tháng 8", "tháng 7"]  # newest first
    assert detail.task.text == "Báo cáo tháng gửi huyện"
    # the new day of the month re-judges the same history
    assert [o.state for o in detail.due.occurrences[:2]] == [schedules.ON_TIME,
                                                             schedules.ON_TIME]
    with workspace.session_factory() as session:
        versions = session.scalars(select(ChangeJournalEntry.payload).where(
            ChangeJournalEntry.table_name == "task",
            ChangeJournalEntry.record_id == task.id).order_by(ChangeJournalEntry.seq)).all()
    texts = [json.loads(p)["text"] for p in versions]
    assert texts[0] == "Báo cáo tháng" and texts[-1] == "Báo cáo tháng gửi huyện"


def test_progress_rules_and_evidence_limit(new_workspace, tmp_path):
    workspace = new_workspace()
    task = tasks.save_task(workspace, text="Vận động 1.200 ngày công",
                           schedule=schedules.Schedule(schedules.ONCE, deadline=D(2030, 1, 1)),
                           target_kind="quantity", target_quantity=1200,
                           target_unit="ngày công")
    saved = tasks.add_progress(workspace, task.id, reported_on=workspace.today(),
                               status="in_progress", quantity=300)
    assert saved.percent == 25
    assert tasks.get_task(workspace, task.id).latest_percent == 25
    with pytest.raises(UserError) as caught:
        tasks.add_progress(workspace, task.id, reported_on=workspace.today()
                           + dt.timedelta(days=1), status="in_progress")
    assert "sau ngày hôm nay" in str(caught.value)
    with pytest.raises(UserError):
        tasks.add_progress(workspace, task.id, reported_on=workspace.today(),
                           status="in_progress", percent=140)
    settings.set_value(workspace, settings.ATTACHMENT_LIMIT_MB, 1)
    big = tmp_path / "anh-chup.jpg"
    big.write_bytes(b"\xff" * (1024 * 1024 + 1))
    with pytest.raises(AttachmentTooLarge) as caught:
        tasks.add_progress(workspace, task.id, reported_on=workspace.today(), status="done",
                           evidence=[big])
    assert "anh-chup.jpg" in str(caught.value) and "1.048.577" in str(caught.value)
    assert len(tasks.task_detail(workspace, task.id).progress) == 1  # nothing written
    small = tmp_path / "bien-ban.pdf"
    small.write_bytes(b"%PDF-1.4 minh chung")
    done = tasks.add_progress(workspace, task.id, reported_on=workspace.today(),
                              status="done", quantity=1200, evidence=[small])
    assert done.percent == 100 and done.attachments[0].original_name == "bien-ban.pdf"
    row = tasks.get_task(workspace, task.id)
    assert row.status == "done" and row.next_due_on is None


def test_bad_task_input_is_refused_with_a_vietnamese_reason(new_workspace):
    workspace = new_workspace()
    cases = [
        (dict(text="  "), "nội dung nhiệm vụ đang trống"),
        (dict(text="x", schedule=schedules.Schedule(schedules.ONCE)), "cần ghi ngày hết hạn"),
        (dict(text="x", target_kind="quantity", target_quantity=5), "đơn vị tính"),
        (dict(text="x", program_id="2021-2025/XYZ"), "không có chương trình"),
    ]
    for values, expected in cases:
        with pytest.raises(UserError) as caught:
            tasks.save_task(workspace, **values)
        assert expected in str(caught.value)
    assert tasks.task_ids(workspace) == []


def test_the_list_filters_and_sorts_in_sql(new_workspace):
    workspace = new_workspace()
    today = workspace.today()
    directive = tasks.save_directive(workspace, number_symbol="729/KH-UBND",
                                     doc_type="Kế hoạch", issued_on=D(2023, 3, 17),
                                     issuing_body="Ủy ban nhân dân tỉnh Kon Tum",
                                     title="Thực hiện các chương trình năm 2023")
    late = tasks.save_task(workspace, text="Giải ngân vốn đầu tư phát triển",
                           directive_id=directive.id, program_id="2021-2025/NTM",
                           lead="Sở Kế hoạch và Đầu tư",
                           schedule=schedules.Schedule(schedules.ONCE,
                                                       deadline=today - dt.timedelta(days=3)))
    soon = tasks.save_task(workspace, text="Đánh giá tiêu chí nông thôn mới", lead="23524",
                           schedule=schedules.Schedule(schedules.ONCE,
                                                       deadline=today + dt.timedelta(days=5)))
    later = tasks.save_task(workspace, text="Tuyên truyền giảm nghèo",
                            program_id="2021-2025/GNBV",
                            schedule=schedules.Schedule(schedules.ONCE,
                                                        deadline=today + dt.timedelta(days=60)))
    ongoing = tasks.save_task(workspace, text="Theo dõi thường xuyên")
    assert tasks.task_ids(workspace, {}) == [late.id, soon.id, later.id, ongoing.id]
    assert tasks.task_ids(workspace, {}, "due", True) == [later.id, soon.id, late.id,
                                                          ongoing.id]
    assert tasks.task_ids(workspace, {"overdue": True}) == [late.id]
    assert tasks.task_ids(workspace, {"due_within": 7}) == [soon.id]
    assert tasks.task_ids(workspace, {"text": "GIAI NGAN"}) == [late.id]
    assert tasks.task_ids(workspace, {"text": "đánh giá"}) == [soon.id]
    assert tasks.task_ids(workspace, {"text": "729"}) == [late.id]  # the directive's number
    assert tasks.task_ids(workspace, {"text": "100%_"}) == []
    assert tasks.task_ids(workspace, {"program": "2021-2025/GNBV"}) == [later.id]
    assert set(tasks.task_ids(workspace, {"program": tasks.NO_PROGRAM})) == {soon.id,
                                                                            ongoing.id}
    assert tasks.task_ids(workspace, {"lead": "unit:23524"}) == [soon.id]
    assert tasks.task_ids(workspace, {"directive": directive.id}) == [late.id]
    rows = tasks.task_rows(workspace, [late.id, soon.id, later.id])
    assert [rows[i].state for i in (late.id, soon.id, later.id)] == ["late", "due_soon",
                                                                     "normal"]
    options = tasks.filter_options(workspace)
    assert ("unit:23524", "UBND xã Đắk La") in options.leads
    tasks.add_progress(workspace, late.id, reported_on=today, status="done")
    assert tasks.task_ids(workspace, {"overdue": True}) == []
    assert tasks.task_ids(workspace, {"status": "done"}) == [late.id]


def test_a_task_due_today_is_not_overdue_one_due_yesterday_is(new_workspace):
    """The boundary of "quá hạn": overdue is ``next_due_on < today``, so the due day
    itself is still on time (the list's filter, the overview's count, the row's colour)."""
    workspace = new_workspace()
    today = workspace.today()

    def due(text: str, day: dt.date):
        return tasks.save_task(workspace, text=text,
                               schedule=schedules.Schedule(schedules.ONCE, deadline=day))

    yesterday = due("Hạn hôm qua", today - dt.timedelta(days=1))
    on_the_day = due("Hạn hôm nay", today)
    tomorrow = due("Hạn ngày mai", today + dt.timedelta(days=1))
    assert tasks.task_rows(workspace, [on_the_day.id])[on_the_day.id].next_due_on == today
    assert tasks.task_ids(workspace, {"overdue": True}) == [yesterday.id]
    assert tasks.task_ids(workspace, {"due_within": 0}) == [on_the_day.id]
    assert tasks.task_ids(workspace, {"due_within": 1}) == [on_the_day.id, tomorrow.id]
    assert tasks.summary(workspace).overdue == 1
    rows = tasks.task_rows(workspace, [yesterday.id, on_the_day.id, tomorrow.id])
    assert [rows[i].state for i in (yesterday.id, on_the_day.id, tomorrow.id)] == \
        ["late", "due_soon", "due_soon"]


def test_a_directive_with_its_scan(new_workspace, tmp_path):
    workspace = new_workspace()
    scan = tmp_path / "729-KH-UBND.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    saved = tasks.save_directive(workspace, number_symbol="729/KH-UBND", doc_type="Kế hoạch",
                                 issued_on=D(2023, 3, 17), issuing_unit_id="62",
                                 title="Thực hiện các chương trình mục tiêu quốc gia năm 2023",
                                 program_ids=["2021-2025/NTM"], attach=[scan])
    assert saved.issuing_body == "UBND tỉnh Kon Tum"
    assert saved.label == "Kế hoạch số 729/KH-UBND ngày 17/03/2023"
    assert [a.original_name for a in saved.attachments] == ["729-KH-UBND.pdf"]
    with pytest.raises(UserError):
        tasks.save_directive(workspace, title="", issuing_body="x")


def test_difficulty_status_new_sent_answered_resolved(new_workspace, database_url_for,
                                                      tmp_path):
    commune = new_workspace()
    raised = difficulties.save_difficulty(commune, raised_on=commune.today(),
                                          title="Chưa có hướng dẫn định mức",
                                          proposal="Đề nghị huyện hướng dẫn")
    assert raised.status == "new"
    assert difficulties.unsent_difficulty_ids(commune) == [raised.id]
    assert difficulties.mark_difficulties_sent(commune, [raised.id], D(2023, 10, 1)) == 1
    assert difficulties.get_difficulty(commune, raised.id).status == "sent"
    assert difficulties.mark_difficulties_sent(commune, [raised.id], D(2023, 10, 2)) == 0
    # a commune cannot answer its own difficulty: only its parent can
    with pytest.raises(UserError) as caught:
        difficulties.answer_difficulty(commune, raised.id, content="Tự trả lời")
    assert "cấp trên" in str(caught.value)
    # the district's workspace holds the difficulty (as sync brings it) and answers it
    district = new_workspace(unit="615", role="parent", folder=tmp_path / "district")
    from ctmtqg_desktop.store.models.tasks import Difficulty
    from ctmtqg_desktop.store.uow import UnitOfWork

    with commune.session_factory() as session:
        original = session.get(Difficulty, raised.id)
        values = {c.name: getattr(original, c.key) for c in Difficulty.__table__.columns}
    with UnitOfWork(district, remote=True) as uow:
        uow.session.add(Difficulty(**values))
        uow.commit()
    answer = difficulties.answer_difficulty(district, raised.id, content="Áp dụng định mức cũ",
                                            document_ref="Công văn số 1/UBND")
    assert answer.owner_unit_id == "615" and answer.answered_by == "UBND huyện Đắk Hà"
    from ctmtqg_desktop.store.models.tasks import DifficultyAnswer

    with district.session_factory() as session:
        row = session.get(DifficultyAnswer, answer.id)
        assert row.audience_unit_id == "23524"
        answer_values = {c.name: getattr(row, c.key) for c in DifficultyAnswer.__table__.columns}
    assert [d.id for d in difficulties.list_difficulties(district)] == [raised.id]
    with UnitOfWork(commune, remote=True) as uow:  # the answer arrives at the commune
        uow.session.add(DifficultyAnswer(**answer_values))
        uow.commit()
    shown = difficulties.get_difficulty(commune, raised.id)
    assert shown.status == "answered" and shown.answers[0].content == "Áp dụng định mức cũ"
    assert difficulties.counts(commune)["answered"] == 1
    resolved = difficulties.resolve_difficulty(commune, raised.id)
    assert resolved.status == "resolved"
    assert difficulties.list_difficulties(commune, query={"text": "dinh muc"})[0].id == \
        raised.id
    reopened = difficulties.resolve_difficulty(commune, raised.id, resolved=False)
    assert reopened.status == "answered"


def test_derived_columns_follow_withdrawn_updates(new_workspace):
    workspace = new_workspace()
    task = tasks.save_task(workspace, text="Kiểm tra quý",
                           schedule=schedules.Schedule(schedules.QUARTERLY, day=25, month=3,
                                                       start=D(2023, 1, 1)))
    first = tasks.add_progress(workspace, task.id, reported_on=D(2023, 3, 20),
                               status="in_progress")
    assert tasks.get_task(workspace, task.id).next_due_on == D(2023, 6, 25)
    tasks.withdraw_progress(workspace, first.id)
    with workspace.session_factory() as session:
        row = session.get(Task, task.id)
        assert row.next_due_on == D(2023, 3, 25) and row.status == "not_started"


def test_a_difficulty_is_linked_to_a_task_programme_project_or_unit(demo_workspace):
    from ctmtqg_desktop.store.models.tasks import Difficulty

    workspace = demo_workspace
    today = workspace.today()
    task_id = tasks.task_ids(workspace, {})[0]
    project_id, project_name = tasks.filter_options(workspace).projects[0]
    saved = {}
    for about, value in (("task_id", task_id), ("program_id", "2021-2025/DTTS"),
                         ("project_id", project_id), ("unit_id", "23524")):
        item = difficulties.save_difficulty(workspace, raised_on=today, title=f"Về {about}",
                                            **{about: value})
        saved[about] = item
    assert saved["task_id"].links == (("task", tasks.get_task(workspace, task_id).text),)
    assert saved["program_id"].links[0][0] == "program"
    assert saved["program_id"].links[0][1].startswith("DTTS: ")
    assert saved["project_id"].links == (("project", project_name),)
    assert saved["unit_id"].links == (("unit", "UBND xã Đắk La"),)
    assert difficulties.links_text(saved["unit_id"]) == "Đơn vị: UBND xã Đắk La"

    def count():
        with workspace.session_factory() as session:
            return len(list(session.scalars(select(Difficulty.id))))

    before = count()
    deleted_task = tasks.task_ids(workspace, {})[1]
    tasks.delete_task(workspace, deleted_task)
    bad = [
        (dict(task_id=deleted_task), "Nhiệm vụ: nhiệm vụ được gắn không có"),
        (dict(task_id=__import__("uuid").uuid4()), "Nhiệm vụ: nhiệm vụ được gắn không có"),
        (dict(program_id="2021-2025/XYZ"), "Chương trình: không có chương trình “2021-2025/XYZ”"),
        (dict(project_id=__import__("uuid").uuid4()), "Dự án: dự án được gắn không có"),
        (dict(unit_id="99999"), "Đơn vị: "),
    ]
    for links, words in bad:
        with pytest.raises(UserError) as caught:
            difficulties.save_difficulty(workspace, raised_on=today, title="Sai", **links)
        assert str(caught.value).startswith(words), (links, str(caught.value))
        assert "99999" in str(caught.value) or "unit_id" not in links
    # editing one with a bad link leaves it as it was
    with pytest.raises(UserError):
        difficulties.save_difficulty(workspace, difficulty_id=saved["unit_id"].id,
                                     raised_on=today, title="Đổi", unit_id="99999")
    assert difficulties.get_difficulty(workspace, saved["unit_id"].id).title == "Về unit_id"
    assert count() == before


def test_directives_are_searched_edited_without_a_scan_and_deleted_when_they_gave_no_task(
        new_workspace, tmp_path):
    workspace = new_workspace()
    scan = tmp_path / "1520.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    other = tmp_path / "phu-luc.pdf"
    other.write_bytes(b"%PDF-1.4 annex")
    first = tasks.save_directive(workspace, number_symbol="1520/UBND-TCKH", doc_type="Công văn",
                                 issued_on=D(2023, 9, 28), issuing_body="UBND huyện Đắk Hà",
                                 title="Về việc báo cáo giải ngân", attach=[scan, other])
    second = tasks.save_directive(workspace, number_symbol="729/KH-UBND", doc_type="Kế hoạch",
                                  issued_on=D(2023, 3, 17), issuing_body="UBND tỉnh Kon Tum",
                                  title="Thực hiện các chương trình năm 2023")
    tasks.save_task(workspace, text="Báo cáo", directive_id=second.id)
    assert [d.id for d in tasks.list_directives(workspace, text="GIAI NGÂN")] == [first.id]
    assert [d.id for d in tasks.list_directives(workspace, text="ke hoach kon tum")] == \
        [second.id]
    listed = tasks.list_directives(workspace, with_files=True)
    assert [d.task_count for d in listed] == [1, 0] or [d.task_count for d in listed] == [0, 1]
    by_id = {d.id: d for d in listed}
    assert [a.original_name for a in by_id[first.id].attachments] == ["1520.pdf",
                                                                      "phu-luc.pdf"]
    # the annex taken off, in the same save as the edit
    annex = by_id[first.id].attachments[1].id
    edited = tasks.save_directive(workspace, directive_id=first.id, number_symbol="1520/UBND-TCKH",
                                  doc_type="Công văn", issued_on=D(2023, 9, 28),
                                  issuing_body="UBND huyện Đắk Hà",
                                  title="Về việc báo cáo giải ngân vốn", detach=[annex])
    assert [a.original_name for a in edited.attachments] == ["1520.pdf"]
    # a file of another directive cannot be removed through this one: nothing changes
    with pytest.raises(UserError):
        tasks.save_directive(workspace, directive_id=second.id, number_symbol="729/KH-UBND",
                             issuing_body="x", title="Đổi tên", detach=[edited.attachments[0].id])
    assert tasks.get_directive(workspace, second.id).title == \
        "Thực hiện các chương trình năm 2023"
    assert len(tasks.get_directive(workspace, first.id).attachments) == 1
    # one that gave a task is refused; one that did not goes, with its files
    with pytest.raises(UserError) as caught:
        tasks.delete_directive(workspace, second.id)
    assert "có 1 nhiệm vụ thuộc văn bản này" in str(caught.value)
    tasks.delete_directive(workspace, first.id)
    assert [d.id for d in tasks.list_directives(workspace)] == [second.id]
    assert attachments.list_attachments(workspace, tasks.DIRECTIVE_TABLE, first.id) == []
