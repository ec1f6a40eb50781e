"""Packages between a parent unit and its communes: enrollment, receipts, quarantine, gaps,
forks, conflicts, catalog updates, attachments and schema versions, on real workspaces."""

from __future__ import annotations

import json
import zipfile

from sqlalchemy import select

from ctmtqg_desktop.services import attachments, villages, workspaces
from ctmtqg_desktop.services import sync as sync_nodes
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.sync import _status as sync_status
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.sync import package_format
from ctmtqg_desktop.sync.package_reader import PackageReader
from tests.sync.conftest import COMMUNE_A, COMMUNE_B, PARENT, dump


def send(source, target, out, *, to=None, encrypt=True):
    result = sync_export.export_package(source, out, to=to, encrypt=encrypt)
    report = sync_import.import_packages(target, [result.path])
    return result, report.files[0]


def test_enrollment_trusts_both_sides_and_encrypts(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A, "Y Thị Hoa")
    villages.save_village(commune, name="Thôn Kon Mong Tu", households=120)

    result, outcome = send(commune, parent, tmp_path / "out")

    assert result.encrypted and result.recipient_nodes == 1 and result.changes == 1
    assert outcome.outcome == "applied", outcome.message
    assert "Đã áp dụng gói số 1" in outcome.message
    nodes = {n.unit_id: n for n in sync_nodes.list_nodes(parent) if not n.is_local}
    assert nodes[COMMUNE_A].status == "trusted"
    assert nodes[COMMUNE_A].fingerprint == sync_nodes.local_node(commune).fingerprint
    assert [v.name for v in villages.list_villages(parent, unit_id=COMMUNE_A)] == \
        ["Thôn Kon Mong Tu"]
    # the payload is unreadable without the parent's key: no record text in the file
    with zipfile.ZipFile(result.path) as archive:
        assert b"Kon Mong Tu" not in archive.read(package_format.CHANGES)
    assert workspaces.check(parent).ok and workspaces.check(commune).ok
    # both journals hold the same change, byte for byte (what a relay passes on)
    payloads = []
    for workspace in (commune, parent):
        with workspace.session_factory() as session:
            payloads.append(session.execute(select(ChangeJournalEntry.version,
                                                   ChangeJournalEntry.payload)).all())
    assert payloads[0] == payloads[1]


def test_receipts_shrink_the_next_package_and_a_lost_file_heals(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    lost = sync_export.export_package(commune, tmp_path / "lost")  # never delivered
    villages.save_village(commune, name="Thôn 2")

    second, outcome = send(commune, parent, tmp_path / "out")
    assert outcome.outcome == "applied"
    assert second.number == lost.number + 1 and second.changes == 2  # resends the lost one
    # the parent's package carries its receipt; afterwards nothing is pending any more
    down, back = send(parent, commune, tmp_path / "out", to=COMMUNE_A)
    assert back.outcome == "applied" and down.acknowledgements == 1
    pending = sync_export.pending(commune)
    assert pending.unsent_total == 0 and pending.unconfirmed_total == 0
    villages.save_village(commune, name="Thôn 3")
    third = sync_export.export_package(commune, tmp_path / "out")
    assert third.changes == 1 and third.first_seq > 1
    # the lost file turns up late: its changes already came, it changes nothing
    before = dump(parent)
    late = sync_import.import_packages(parent, [lost.path]).files[0]
    assert late.outcome == "already_applied" and late.ok
    assert dump(parent) == before


def test_unknown_installation_is_quarantined_until_accepted(network, tmp_path):
    parent = network.parent()
    commune = network.commune(COMMUNE_A)  # set up without an enrollment file
    villages.save_village(commune, name="Thôn Đắk Rơ Wang")

    result, outcome = send(commune, parent, tmp_path / "out")

    assert not result.encrypted  # the parent's key is not known yet
    assert outcome.outcome == "quarantined" and outcome.code == "unknown_sender"
    fingerprint = sync_nodes.local_node(commune).fingerprint
    assert fingerprint in outcome.message and "cách ly" in outcome.message
    assert villages.list_villages(parent, unit_id=COMMUNE_A) == []
    waiting = sync_status.waiting_packages(parent)
    assert len(waiting) == 1 and waiting[0].status == "quarantined"

    node, retried = sync_nodes.accept_node(parent, fingerprint.replace(" ", "")[:12])

    assert node.status == "trusted"
    assert [o.outcome for o in retried] == ["applied"]
    assert [v.name for v in villages.list_villages(parent, unit_id=COMMUNE_A)] == \
        ["Thôn Đắk Rơ Wang"]
    assert sync_status.waiting_packages(parent) == []
    # going down, the commune quarantines the parent the same way, then accepts it
    down, back = send(parent, commune, tmp_path / "out", to=COMMUNE_A)
    assert down.encrypted and back.outcome == "quarantined"
    sync_nodes.accept_node(commune, sync_nodes.local_node(parent).fingerprint)
    assert sync_export.pending(commune).unconfirmed_total == 0


def test_revoked_installation_is_refused(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    send(commune, parent, tmp_path / "out")
    sync_nodes.revoke_node(parent, str(sync_nodes.local_node(commune).id)[:8])
    villages.save_village(commune, name="Thôn 2")
    before = dump(parent)
    _result, outcome = send(commune, parent, tmp_path / "out")
    assert outcome.outcome == "rejected" and outcome.code == "revoked"
    assert "thu hồi" in outcome.message and dump(parent) == before


def test_gap_held_then_applied_when_the_earlier_package_arrives(network, tmp_path):
    """A second installation of the parent unit that the commune does not know yet: the
    commune's packages start after what the first one acknowledged, so the second one
    holds them until the earlier packages arrive."""
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    one = sync_export.export_package(commune, tmp_path / "x", encrypt=False)
    villages.save_village(commune, name="Thôn 2")
    two = sync_export.export_package(commune, tmp_path / "x", encrypt=False)
    assert sync_import.import_packages(parent, [two.path]).files[0].ok
    send(parent, commune, tmp_path / "x", to=COMMUNE_A)  # receipt: next one starts later
    villages.save_village(commune, name="Thôn 3")
    three = sync_export.export_package(commune, tmp_path / "x", encrypt=False)
    assert three.first_seq > 1
    second_parent = network.parent(name="Máy thứ hai của huyện")

    outcome = sync_import.import_packages(second_parent, [three.path]).files[0]
    assert outcome.outcome == "quarantined"  # trust comes before the sequence
    sync_nodes.accept_node(second_parent, str(sync_nodes.local_node(commune).id))
    waiting = sync_status.waiting_packages(second_parent)
    assert [w.status for w in waiting] == ["held"]
    assert "sẽ được áp dụng" in waiting[0].reason

    before = dump(second_parent)
    report = sync_import.import_packages(second_parent, [one.path, two.path])
    assert [f.outcome for f in report.files] == ["applied", "applied"]
    assert [o.outcome for o in report.retried] == ["applied"]
    assert dump(second_parent) != before
    assert sorted(v.name for v in villages.list_villages(second_parent, unit_id=COMMUNE_A)) \
        == ["Thôn 1", "Thôn 2", "Thôn 3"]
    assert sync_status.waiting_packages(second_parent) == []


def test_same_number_with_other_content_is_an_alert(network, tmp_path):
    """The receiver (the district) is on PostgreSQL in the suite's PostgreSQL pass; the
    commune is a laptop (a SQLite file), whose restore from a copy is a folder copy."""
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A, sqlite=True)
    villages.save_village(commune, name="Thôn 1")
    copy_folder = tmp_path / "copy"
    # the commune's computer is restored from a copy taken now …
    backup = commune.folder.parent / "backup"
    import shutil

    commune.dispose()
    shutil.copytree(commune.folder, backup)
    first, outcome = send(commune, parent, tmp_path / "out")
    assert outcome.ok
    commune.dispose()
    shutil.rmtree(commune.folder)
    shutil.copytree(backup, commune.folder)
    villages.save_village(commune, name="Thôn khác")
    forked = sync_export.export_package(commune, copy_folder)
    assert forked.number == first.number
    before = dump(parent)
    outcome = sync_import.import_packages(parent, [forked.path]).files[0]
    assert outcome.outcome == "alert" and outcome.code == "fork"
    assert "Cảnh báo" in outcome.message
    assert dump(parent) == before
    (waiting,) = sync_status.waiting_packages(parent)
    assert waiting.status == "alert"
    # the district calls the commune, learns its laptop was restored, takes the new history
    node, outcomes = sync_nodes.accept_new_history(parent, str(waiting.sender_node_id))
    assert [o.outcome for o in outcomes] == ["applied"]
    assert sorted(v.name for v in villages.list_villages(parent, unit_id=COMMUNE_A)) == \
        ["Thôn 1", "Thôn khác"]
    villages.save_village(commune, name="Thôn mới")
    later, outcome = send(commune, parent, tmp_path / "later")
    assert outcome.outcome == "applied" and later.number == 2


def test_two_installations_of_one_commune_edit_the_same_village(network, tmp_path):
    parent = network.parent()
    first = network.enroll(parent, COMMUNE_A, "Máy 1")
    second = network.enroll(parent, COMMUNE_A, "Máy 2")
    village = villages.save_village(first, name="Thôn 5", households=100)
    send(first, parent, tmp_path / "o")
    # a package made before the parent knew the second installation is not for it
    early = sync_export.export_package(parent, tmp_path / "o", to=COMMUNE_A)
    refused = sync_import.import_packages(second, [early.path]).files[0]
    assert refused.code == "other_installation" and "máy khác" in refused.message
    send(second, parent, tmp_path / "o")  # its first package introduces it
    down = sync_export.export_package(parent, tmp_path / "o", to=COMMUNE_A)
    for node in (first, second):
        assert sync_import.import_packages(node, [down.path]).files[0].ok
    # a later edit on the second installation, after it saw the first: no conflict
    villages.save_village(second, name="Thôn 5", households=101, village_id=village.id)
    send(second, parent, tmp_path / "o")
    send(parent, first, tmp_path / "o", to=COMMUNE_A)
    assert sync_status.conflicts(parent) == [] and sync_status.conflicts(first) == []
    # now both edit without seeing each other
    villages.save_village(first, name="Thôn 5", households=110, village_id=village.id)
    villages.save_village(second, name="Thôn Năm", households=120, village_id=village.id)
    send(first, parent, tmp_path / "o")
    send(second, parent, tmp_path / "o")
    down = sync_export.export_package(parent, tmp_path / "o", to=COMMUNE_A)
    for node in (first, second):
        assert sync_import.import_packages(node, [down.path]).files[0].ok
    for node in (first, second):
        send(node, parent, tmp_path / "o")
    down = sync_export.export_package(parent, tmp_path / "o", to=COMMUNE_A)
    for node in (first, second):
        sync_import.import_packages(node, [down.path])

    assert dump(parent) == dump(first) == dump(second)
    final = villages.list_villages(parent, unit_id=COMMUNE_A)[0]
    assert (final.name, final.households) == ("Thôn Năm", 120)  # the newer edit
    for workspace in (parent, first):
        shown = sync_status.conflicts(workspace)
        assert len(shown) == 1, workspace.folder
        fields = {f.field: (f.kept, f.overridden) for f in shown[0].fields}
        assert fields == {"Tên": ("Thôn Năm", "Thôn 5"), "Số hộ": ("120", "110")}
        assert shown[0].kept_by.startswith("Máy 2")


def test_catalog_update_and_parent_records_go_down_only_to_their_audience(network, tmp_path):
    parent = network.parent()
    a = network.enroll(parent, COMMUNE_A)
    b = network.enroll(parent, COMMUNE_B)
    with UnitOfWork(parent) as uow:
        for audience, name in ((COMMUNE_A, "Đường cho Đắk La"), ("*", "Hướng dẫn chung"),
                               (None, "Việc riêng của huyện")):
            uow.session.add(Project(name=name, program_id="2021-2025/NTM", kind="road",
                                    audience_unit_id=audience))
        uow.commit()
    for child, code in ((a, COMMUNE_A), (b, COMMUNE_B)):
        send(parent, child, tmp_path / "o", to=code)

    def names(workspace):
        with workspace.session_factory() as session:
            return sorted(session.scalars(select(Project.name)))

    assert names(a) == ["Hướng dẫn chung", "Đường cho Đắk La"]
    assert names(b) == ["Hướng dẫn chung"]
    assert "Việc riêng của huyện" in names(parent)
    # the parent's own records never travel back up from a child
    result, _outcome = send(a, parent, tmp_path / "o")
    assert result.changes == 0


def test_attachments_travel_once_per_digest(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    village = villages.save_village(commune, name="Thôn 1")
    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 40)
    for caption in ("Biên bản họp thôn", "Bản sao"):
        attachments.attach_file(commune, scan, parent_table="village", parent_id=village.id,
                                caption=caption)

    result, outcome = send(commune, parent, tmp_path / "o")

    assert result.attachments == 1 and outcome.ok
    stored = attachments.list_attachments(parent, "village", village.id)
    assert len(stored) == 2
    assert attachments.attachment_store(parent).verify(stored[0].digest)


def test_a_newer_catalog_goes_down_and_is_passed_on(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    from ctmtqg_desktop.services import catalog

    newer = catalog.shipped_catalog_version() + 1  # newer than the one shipped, whatever it is
    folder = tmp_path / f"catalog-{newer}"
    shutil_copy_catalog(folder, version=newer)

    catalog.update_catalog(parent, folder)
    # the parent keeps a copy to pass on (as it would after receiving it in a package)
    from ctmtqg_desktop.services.catalog import _updates as sync_catalog

    sync_catalog.keep_copy(parent, sync_catalog.pack(folder), newer)
    result, outcome = send(parent, commune, tmp_path / "o", to=COMMUNE_A)
    assert result.catalog_version == newer and outcome.ok
    assert f"phiên bản {newer}" in outcome.message
    assert sync_catalog.loaded_version(commune) == newer
    # once the commune reports that version, it is not sent again
    send(commune, parent, tmp_path / "o")
    again, _o = send(parent, commune, tmp_path / "o", to=COMMUNE_A)
    assert again.catalog_version is None


def shutil_copy_catalog(target, *, version):
    import shutil

    from ctmtqg_desktop.services.catalog._loading import shipped_catalog_dir

    shutil.copytree(shipped_catalog_dir(), target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["catalog_version"] = version
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                          encoding="utf-8")


def test_a_district_relays_its_communes_up_to_the_province(network, tmp_path):
    province = network.parent(unit="62")
    district = network.enroll(province, PARENT)
    commune = network.enroll(district, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    send(commune, district, tmp_path / "o")
    result, outcome = send(district, province, tmp_path / "o")
    assert outcome.ok and result.changes == 1
    assert [v.name for v in villages.list_villages(province, unit_id=COMMUNE_A)] == ["Thôn 1"]
    with province.session_factory() as session:
        origin = session.get(Node, sync_nodes.local_node(commune).id)
    assert origin is not None and origin.unit_id == COMMUNE_A and origin.status == "relayed"


def test_an_older_package_is_upgraded(network, tmp_path):
    """A package written at data version 0005 (before sync existed) is read and upgraded;
    0004 had no audience column, so a record without it gets the default."""
    from tests.sync.forge import rebuild

    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn cũ")
    result = sync_export.export_package(commune, tmp_path / "o", encrypt=False)

    def to_0004(manifest, lines):
        manifest["schema"]["revision"] = "0004_attachments"
        for line in lines:
            del line["record"]["audience_unit_id"]
        for table in manifest["tables"].values():
            table["columns"].pop("audience_unit_id", None)
        return manifest, lines

    old = rebuild(result.path, tmp_path / "old.ctsync", commune, edit=to_0004)
    outcome = sync_import.import_packages(parent, [old]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert [v.name for v in villages.list_villages(parent, unit_id=COMMUNE_A)] == ["Thôn cũ"]


def test_a_package_for_a_newer_application_is_kept_aside(network, tmp_path):
    from tests.sync.forge import rebuild

    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    result = sync_export.export_package(commune, tmp_path / "o", encrypt=False)

    def future(manifest, lines):
        manifest["schema"]["revision"] = "9999_future"
        manifest["app_version"] = "3.0.0"
        return manifest, lines

    newer = rebuild(result.path, tmp_path / "new.ctsync", commune, edit=future)
    before = dump(parent)
    outcome = sync_import.import_packages(parent, [newer]).files[0]
    assert outcome.outcome == "newer" and "3.0.0" in outcome.message
    assert "cập nhật" in outcome.message
    assert dump(parent) == before
    assert sync_status.status(parent).newer_waiting == 1


def test_sync_status_reports_what_each_peer_acknowledged(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    send(commune, parent, tmp_path / "o")
    send(parent, commune, tmp_path / "o", to=COMMUNE_A)
    state = sync_status.status(commune)
    (peer,) = state.peers
    assert peer.unit_id == PARENT and peer.relation == "parent"
    (node,) = peer.nodes
    assert node.acknowledged_number == 1 and node.acknowledged_through >= 1
    assert peer.pending.last_package_number == 1
    history = sync_status.history(commune)
    assert {h.outcome for h in history} >= {"exported", "applied", "enrolled"}
    with PackageReader(sync_export.export_package(commune, tmp_path / "p").path) as reader:
        assert reader.manifest.first_seq == node.acknowledged_through + 1


def test_a_tombstone_wins_over_an_older_edit_everywhere(network, tmp_path):
    parent = network.parent()
    first = network.enroll(parent, COMMUNE_A, "Máy 1")
    second = network.enroll(parent, COMMUNE_A, "Máy 2")
    village = villages.save_village(first, name="Thôn 7", households=70)
    send(first, parent, tmp_path / "o")
    send(second, parent, tmp_path / "o")
    down = sync_export.export_package(parent, tmp_path / "o", to=COMMUNE_A)
    for node in (first, second):
        sync_import.import_packages(node, [down.path])
    villages.save_village(second, name="Thôn 7", households=75, village_id=village.id)
    villages.delete_village(first, village.id)  # later than the edit
    send(first, parent, tmp_path / "o")
    send(second, parent, tmp_path / "o")  # the older edit arrives after the deletion
    down = sync_export.export_package(parent, tmp_path / "o", to=COMMUNE_A)
    for node in (first, second):
        sync_import.import_packages(node, [down.path])
    for workspace in (parent, first, second):
        assert villages.list_villages(workspace, unit_id=COMMUNE_A) == []
    assert dump(parent) == dump(first) == dump(second)


def test_an_import_can_be_stopped_between_and_inside_files(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    other = network.enroll(parent, COMMUNE_B)
    with UnitOfWork(commune) as uow:
        from ctmtqg_desktop.store.models.villages import Village

        uow.session.add_all(Village(name=f"Thôn {n}") for n in range(5000))
        uow.commit()
    villages.save_village(other, name="Làng 1")
    big = sync_export.export_package(commune, tmp_path / "o").path
    small = sync_export.export_package(other, tmp_path / "o").path
    calls = {"count": 0}

    def stop_inside_the_big_one():
        calls["count"] += 1
        if calls["count"] > 3:
            raise InterruptedError("the user pressed Cancel")

    before = dump(parent)
    report = sync_import.import_packages(parent, [small, big], check=stop_inside_the_big_one)
    assert report.cancelled and [f.outcome for f in report.files] == ["applied"]
    assert len(villages.list_villages(parent, unit_id=COMMUNE_A)) == 0  # rolled back
    assert dump(parent) != before  # the first file stays applied
    assert workspaces.check(parent).ok
    again = sync_import.import_packages(parent, [small, big])
    assert [f.outcome for f in again.files] == ["already_applied", "applied"]
