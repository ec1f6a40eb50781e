"""The children list (by validity date, enrollment, installations, last package, never
reported / stale for N days) and the mass import of a folder with the outcomes a district
meets: applied with counts, already applied, quarantined (an installation not enrolled),
refused with its reason. (A package held for an earlier one is covered by the sync tests:
it needs a second installation of the parent unit.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from ctmtqg_desktop.services import settings, villages
from ctmtqg_desktop.services.parent import _children as parent_children
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.models.sync import SyncStreamIn
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.parent.conftest import DAY, set_today

DISTRICT = "615"


def test_children_by_date_with_their_state(network, tmp_path):
    parent = network.parent(DISTRICT)
    set_today(parent)
    reporting = network.enroll(parent, "23524", "Y Thị Hoa")
    late = network.enroll(parent, "23521", "A Khang")
    from ctmtqg_desktop.services.sync import _enrollment as enrollment

    enrollment.issue_enrollment(parent, "23509@2023-06-01", tmp_path / "dak-ui.ctenroll")
    for commune in (reporting, late):
        villages.save_village(commune, name="Thôn 1")
        result = sync_export.export_package(commune, tmp_path / "mail")
        assert sync_import.import_packages(parent, [result.path]).ok
    # the second commune's last package is from long ago
    with UnitOfWork(parent) as uow:
        uow.session.execute(update(SyncStreamIn).where(SyncStreamIn.sender_unit_id == "23521")
                            .values(last_applied_at=dt.datetime(2023, 8, 1, 9)))
        uow.commit()
    listing = parent_children.list_children(parent)
    assert listing.on == DAY and len(listing.children) == 11
    by_unit = {c.unit_id: c for c in listing.children}
    assert by_unit["23524"].state == "current" and by_unit["23524"].enrollment == "enrolled"
    assert by_unit["23524"].last_package_number == 1 and by_unit["23524"].age_days is not None
    node = by_unit["23524"].nodes[0]
    assert node.label == "Y Thị Hoa" and len(node.fingerprint.split()) == 6
    assert by_unit["23521"].state == "stale" and by_unit["23521"].age_days == 76
    assert "76" in by_unit["23521"].state_label
    assert by_unit["23509"].state == "never" and by_unit["23509"].enrollment == "issued"
    assert by_unit["23512"].enrollment == "none"
    assert listing.never == 9 and listing.stale == 1
    # the setting decides what "stale" means
    settings.set_value(parent, parent_children.STALE_DAYS, 90)
    assert parent_children.list_children(parent).stale == 0
    # filtering and sorting, diacritics optional
    late_ones = parent_children.filter_children(listing, {"state": "late"}, "state")
    assert late_ones[0].state == "never" and len(late_ones) == 10
    assert [c.unit_id for c in parent_children.filter_children(
        listing, {"text": "dak la"})] == ["23524"]
    # after the 2025 reorganisation the district has no children any more
    assert parent_children.list_children(parent, on=dt.date(2025, 7, 1)).children == ()


def test_mass_import_of_a_folder_shows_each_files_outcome(network, tmp_path):
    parent = network.parent(DISTRICT)
    set_today(parent)
    mail = tmp_path / "mail"
    first = network.enroll(parent, "23524")
    second = network.enroll(parent, "23521")
    stranger = network.commune("23509@2023-06-01")  # set up without an enrollment file
    villages.save_village(first, name="Thôn 1")
    one = sync_export.export_package(first, mail)
    villages.save_village(first, name="Thôn 2")
    sync_export.export_package(first, mail)  # package 2 of the first commune
    villages.save_village(second, name="Làng Kon Gung")
    villages.save_village(second, name="Làng Kon Mong Tu")
    sync_export.export_package(second, mail)
    villages.save_village(stranger, name="Thôn 5")
    sync_export.export_package(stranger, mail)
    (mail / "zz-not-a-package.ctsync").write_bytes(b"PK\x03\x04 this is no zip")
    # the first commune's package 1 was imported before; its package 2 now comes alone first
    assert sync_import.import_packages(parent, [one.path]).ok
    files = parent_children.package_files([mail])
    assert len(files) == 5
    report = sync_import.import_packages(parent, files)
    outcomes = {o.file_name: o for o in report.files}
    by_kind = sorted(o.outcome for o in report.files)
    assert by_kind == ["already_applied", "applied", "applied", "quarantined", "rejected"]
    applied = [o for o in report.files if o.outcome == "applied"]
    assert sorted(sum(t.applied for t in o.tables) for o in applied) == [1, 2]
    assert outcomes["zz-not-a-package.ctsync"].code == "not_zip"
    assert "23509" not in {o.sender_unit_id for o in applied}
    quarantined = next(o for o in report.files if o.outcome == "quarantined")
    assert "cách ly" in quarantined.message
    listing = parent_children.list_children(parent)
    waiting = {c.unit_id: c.waiting for c in listing.children}
    assert waiting["23509"] == 1 and waiting["23521"] == 0
