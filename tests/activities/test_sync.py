"""An activity, its evidence and its deletion go up to the parent unit in real signed
packages; the parent holds it as the commune's record and cannot change it."""

import datetime as dt

import pytest
from sqlalchemy import select

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.services import activities, attachments, villages
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.models.activities import Activity


def test_an_activity_travels_up_with_its_evidence(network, tmp_path):
    parent = network.parent("615")
    commune = network.enroll(parent, "23524", "Y Thị Hoa")
    village = villages.save_village(commune, name="Thôn Kon Gung")
    photo = tmp_path / "anh-giam-sat.jpg"
    photo.write_bytes(b"\xff\xd8\xff giam sat")
    saved = activities.save_activity(
        commune, kind="inspection", title="Giám sát của Ủy ban MTTQ xã về hỗ trợ nhà ở",
        start_on=dt.date(2023, 9, 14), village_id=village.id,
        organiser="Ủy ban MTTQ Việt Nam xã Đắk La", participants=9, women=3,
        ethnic_minority=4, results="Hỗ trợ đúng đối tượng", recommendations="Đẩy nhanh tiến độ",
        evidence=[photo])
    result = sync_export.export_package(commune, tmp_path / "mail")
    assert sync_import.import_packages(parent, [result.path]).ok
    with parent.session_factory() as session:
        row = session.get(Activity, saved.id)
        assert row is not None and row.owner_unit_id == "23524"
        assert row.title == saved.title and row.participants == 9 and not row.deleted
    files = attachments.list_attachments(parent, activities.ATTACHMENT_TABLE, saved.id)
    assert [f.original_name for f in files] == ["anh-giam-sat.jpg"]
    assert attachments.attachment_store(parent).path_for(files[0].digest).read_bytes() == \
        photo.read_bytes()
    # the board's drill-down lists it with the commune's records
    from ctmtqg_desktop.services.parent import _detail as parent_detail

    detail = parent_detail.child_detail(parent, "23524", on=dt.date(2023, 10, 16), year=2023)
    assert [(a.title, a.participants) for a in detail.activities] == [(saved.title, 9)]
    # the parent sees it as the commune's, not in its own list, and cannot change it
    assert activities.activity_ids(parent) == []
    with pytest.raises(UserError):
        activities.delete_activity(parent, saved.id)
    # a deletion travels too
    activities.delete_activity(commune, saved.id)
    result = sync_export.export_package(commune, tmp_path / "mail")
    assert sync_import.import_packages(parent, [result.path]).ok
    with parent.session_factory() as session:
        assert session.scalars(select(Activity.deleted).where(Activity.id == saved.id)).one()
