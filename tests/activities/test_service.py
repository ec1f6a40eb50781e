"""Activities: validation (a refusal changes nothing), edits, tombstones, filters, the
diacritic-insensitive search, summaries and the year's groups."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from ctmtqg_desktop.domain.errors import AttachmentTooLarge, RecordNotFound, UserError
from ctmtqg_desktop.services import activities, settings, villages
from ctmtqg_desktop.store.models.activities import Activity
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry

D = dt.date
CAMPAIGN = "Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"
MOVEMENT = "Vì người nghèo - Không để ai bị bỏ lại phía sau"


def counts(workspace) -> tuple[int, int]:
    with workspace.session_factory() as session:
        return (session.execute(select(func.count()).select_from(Activity)).scalar(),
                session.execute(select(func.count()).select_from(ChangeJournalEntry)).scalar())


def training(workspace, **changes):
    values = dict(kind="training", title="Tập huấn nghiệp vụ quản lý dự án cho cán bộ xã",
                  start_on=D(2023, 4, 12), end_on=D(2023, 4, 13), campaign="",
                  program_id="2021-2025/DTTS", organiser="UBND xã Đắk La",
                  participants=45, women=20, ethnic_minority=30, poor=0,
                  content="Hướng dẫn Nghị định 27/2022/NĐ-CP", cost=12_500_000)
    values.update(changes)
    return activities.save_activity(workspace, **values)


def test_save_edit_and_delete(new_workspace, tmp_path):
    workspace = new_workspace()
    village = villages.save_village(workspace, name="Thôn Kon Stiu")
    photo = tmp_path / "anh-tap-huan.jpg"
    photo.write_bytes(b"\xff\xd8\xff anh")
    saved = training(workspace, village_id=village.id, evidence=[photo])
    assert saved.kind == "training" and saved.village_name == "Thôn Kon Stiu"
    assert saved.where == "Thôn Kon Stiu" and saved.dates == "12/04/2023 - 13/04/2023"
    assert saved.program_label.startswith("DTTS") or "DTTS" in saved.program_label
    assert [f.original_name for f in saved.files] == ["anh-tap-huan.jpg"]
    changed = training(workspace, activity_id=saved.id, title="  Tập huấn   lần 2 ",
                       end_on=D(2023, 4, 12), village_id=None, place="Hội trường UBND xã")
    assert changed.id == saved.id and changed.title == "Tập huấn lần 2"
    assert changed.end_on is None and changed.where == "Hội trường UBND xã"
    assert len(changed.files) == 1  # an edit keeps the evidence
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(b"%PDF-1.4 bien ban")
    activities.attach_evidence(workspace, saved.id, minutes)
    assert len(activities.get_activity(workspace, saved.id).files) == 2
    activities.delete_activity(workspace, saved.id)
    assert activities.activity_ids(workspace) == []
    with pytest.raises(RecordNotFound):
        activities.get_activity(workspace, saved.id)
    with workspace.session_factory() as session:  # a tombstone, journalled
        assert session.get(Activity, saved.id).deleted
        operations = session.scalars(select(ChangeJournalEntry.operation).where(
            ChangeJournalEntry.record_id == saved.id).order_by(ChangeJournalEntry.seq)).all()
    assert operations == ["insert", "update", "delete"]


@pytest.mark.parametrize("changes, words", [
    (dict(title="   "), "Tiêu đề"),
    (dict(kind="party"), "party"),
    (dict(women=46), "46"),
    (dict(ethnic_minority=50), "50"),
    (dict(poor=-1), "âm"),
    (dict(participants=-3, women=0, ethnic_minority=0), "âm"),
    (dict(end_on=D(2023, 4, 1)), "01/04/2023"),
    (dict(cost=-5), "âm"),
    (dict(program_id="2021-2025/XYZ"), "2021-2025/XYZ"),
    (dict(component_id="2021-2025/NTM/ND1"), "2021-2025/NTM/ND1"),
])
def test_refusals_are_vietnamese_and_change_nothing(new_workspace, changes, words):
    workspace = new_workspace()
    before = counts(workspace)
    with pytest.raises(UserError) as caught:
        training(workspace, **changes)
    message = str(caught.value)
    assert words in message, message
    assert counts(workspace) == before


def test_parts_above_the_total_name_both_numbers(new_workspace):
    workspace = new_workspace()
    with pytest.raises(UserError) as caught:
        training(workspace, participants=1200, women=1250)
    assert str(caught.value) == "Phụ nữ: 1.250 nhiều hơn tổng số 1.200 người tham gia"


def test_refused_evidence_writes_nothing(new_workspace, tmp_path):
    workspace = new_workspace()
    settings.set_value(workspace, settings.ATTACHMENT_LIMIT_MB, 1)
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    before = counts(workspace)
    with pytest.raises(AttachmentTooLarge):
        training(workspace, evidence=[big])
    assert counts(workspace) == before


def test_a_village_of_another_commune_is_refused(new_workspace):
    workspace = new_workspace()
    other = new_workspace(unit="23521")
    village = villages.save_village(other, name="Thôn 3")
    with pytest.raises(UserError) as caught:
        training(workspace, village_id=village.id)
    assert "thôn" in str(caught.value).lower()


def test_filters_search_and_summary(new_workspace):
    workspace = new_workspace()
    village = villages.save_village(workspace, name="Làng Kon Mong Tu")
    first = training(workspace)
    talk = activities.save_activity(
        workspace, kind="communication", title="Tuyên truyền về xây dựng nông thôn mới",
        campaign=CAMPAIGN, start_on=D(2023, 3, 20), village_id=village.id,
        program_id="2021-2025/NTM", participants=120, women=70, ethnic_minority=100, poor=25)
    fair = activities.save_activity(
        workspace, kind="emulation", title="Ngày hội Đại đoàn kết toàn dân tộc",
        campaign=MOVEMENT, start_on=D(2022, 11, 18), participants=300, women=150,
        ethnic_minority=250, poor=60)
    meeting = activities.save_activity(
        workspace, kind="steering_meeting", title="Họp Ban Chỉ đạo quý I",
        start_on=D(2023, 3, 31), participants=15, women=4, ethnic_minority=6)

    def ids(**query):
        return set(activities.activity_ids(workspace, query))

    assert ids(text="tap huan") == {first.id}
    assert ids(text="TẬP HUẤN") == {first.id}
    assert ids(text="nong thon moi") == {talk.id}  # title and campaign
    assert ids(text="kon mong") == {talk.id}  # the village's name
    assert ids(text="dai doan ket") == {fair.id}
    assert ids(text="tập huấn cán bộ") == {first.id}
    assert ids(text="khong co gi") == set()
    assert ids(kind="communication") == {talk.id}
    assert ids(program="2021-2025/NTM") == {talk.id}
    assert ids(program=activities.NO_PROGRAM) == {fair.id, meeting.id}
    assert ids(campaign=CAMPAIGN) == {talk.id}
    assert ids(campaign="vi nguoi ngheo - khong de ai bi bo lai phia sau") == {fair.id}
    assert ids(year=2023) == {first.id, talk.id, meeting.id}
    assert ids(year=2022) == {fair.id}
    assert ids(date_from=D(2023, 4, 13), date_to=D(2023, 12, 31)) == {first.id}
    assert ids(village=village.id) == {talk.id}
    # newest first by default; sorted in SQL
    assert activities.activity_ids(workspace)[0] == first.id
    by_people = activities.activity_ids(workspace, {}, "participants", descending=True)
    assert by_people == [fair.id, talk.id, first.id, meeting.id]
    rows = activities.activity_rows(workspace, [talk.id, meeting.id])
    assert rows[talk.id].where == "Làng Kon Mong Tu" and rows[talk.id].program_label == "NTM"
    assert rows[meeting.id].program_label == "Chung"
    result = activities.summary(workspace, {"year": 2023})
    assert result.total.count == 3 and result.total.participants == 180
    assert result.total.women == 94 and result.total.ethnic_minority == 136
    assert [k for k, _t in result.by_kind] == ["communication", "training",
                                               "steering_meeting"]
    assert result.by_campaign == ((CAMPAIGN, activities.Totals(1, 120, 70, 100, 25, 0)),)
    text = activities.summary_text(result)
    assert text.startswith("3 hoạt động (1 truyền thông; 1 tập huấn, bồi dưỡng; 1 họp Ban Chỉ đạo)")
    assert "180 người tham gia" in text
    groups = activities.year_groups(workspace, 2023)
    assert [g.kind for g in groups] == ["communication", "training", "steering_meeting"]
    assert groups[1].totals.cost == 12_500_000
    options = activities.filter_options(workspace)
    assert options.years == (2023, 2022)
    assert options.campaigns[:2] == (CAMPAIGN, MOVEMENT) or set(options.campaigns[:2]) == {
        CAMPAIGN, MOVEMENT}
    assert "Kon Tum chung sức xây dựng nông thôn mới" in options.campaigns
    assert len(options.campaigns) == len({c.lower() for c in options.campaigns})
    assert options.organisers == ("UBND xã Đắk La",)


def test_nfd_input_is_stored_nfc_and_found(new_workspace):
    import unicodedata

    workspace = new_workspace()
    saved = training(workspace, title=unicodedata.normalize("NFD", "Bồi dưỡng kiến thức"))
    assert saved.title == unicodedata.normalize("NFC", "Bồi dưỡng kiến thức")
    assert activities.activity_ids(workspace, {"text": "boi duong"}) == [saved.id]
