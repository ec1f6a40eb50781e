"""One value, one rule, everywhere (issue 12): a value a receiver refuses never wedges the
commune that holds it. The commune's export checks the latest version of every record it
carries against the receiver's own checks and names the record to fix; once it is fixed, the
next package goes through and the parent stores the fixed record. Real workspaces (the
commune on a SQLite file: an old database may hold any text in any column), real packages
on disk."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.services import difficulties, villages
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.sync.conftest import COMMUNE_A
from tests.sync.test_adversarial import Bench, a_record, append_line


def _old_village(workspace, **values) -> uuid.UUID:
    """A village written as an old version of the application did: no service check."""
    with UnitOfWork(workspace) as uow:
        row = Village(sort_order=9, **values)
        uow.session.add(row)
        uow.commit()
        return row.id


def _village_payloads(workspace) -> list[dict]:
    with workspace.session_factory() as session:
        return [json.loads(p) for p in session.scalars(
            select(ChangeJournalEntry.payload).where(ChangeJournalEntry.table_name == "village"))]


@pytest.mark.parametrize("bad, fix, field", [
    ({"name": "Thôn " + "x" * 496}, {"name": "Thôn Kon Gung"}, "Tên thôn"),
    ({"name": "Thôn Đăk Rơ Wa", "households": 3_000_000_000}, {"households": 300}, "Số hộ"),
])
def test_a_value_the_parent_refuses_is_named_at_export_and_never_wedges(
        network, tmp_path, bad, fix, field):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A, sqlite=True)
    villages.save_village(commune, name="Thôn 1", households=120)
    first = sync_export.export_package(commune, tmp_path / "out").path
    assert sync_import.import_packages(parent, [first]).files[0].ok

    bad_id = _old_village(commune, **{"name": "Thôn cũ", **bad})
    villages.save_village(commune, name="Thôn 2")  # an honest edit after the old one
    with pytest.raises(sync_export.RecordBreaksRule) as refused:
        sync_export.export_package(commune, tmp_path / "refused")
    sentence = str(refused.value)
    assert "Thôn" in sentence and field in sentence, sentence
    assert not list((tmp_path / "refused").glob("*.ctsync"))  # nothing written

    # the officer fixes the village with the ordinary form; the next package goes through
    current = next(v for v in villages.list_villages(commune) if v.id == bad_id)
    villages.save_village(commune, village_id=bad_id, **{
        "name": current.name if "name" not in fix else fix["name"],
        "households": fix.get("households", min(current.households, 100)),
        "ethnic_groups": current.ethnic_groups, "population": current.population})
    package = sync_export.export_package(commune, tmp_path / "out").path
    outcome = sync_import.import_packages(parent, [package]).files[0]
    assert outcome.outcome == "applied", outcome.message
    stored = {v.id: v for v in villages.list_villages(parent, unit_id=COMMUNE_A)}
    assert {"Thôn 1", "Thôn 2"} <= {v.name for v in stored.values()}
    for key, value in fix.items():
        assert getattr(stored[bad_id], key) == value
    # the refused old version never reached the parent's journal (it would be relayed)
    for payload in _village_payloads(parent):
        assert field_rules.record_problem("village", payload) is None
        assert len(payload["name"]) <= 120


def test_the_receiver_refuses_a_value_only_the_field_rules_forbid(network, tmp_path, postgres):
    """150.000 households fit the column (a 32-bit integer) but not the rule: refused with
    the village and the field named, nothing stored."""
    bench = Bench(network, tmp_path, postgres)
    receiver = bench.fresh("parent")
    path = append_line(bench, bench.path("households"),
                       a_record(bench, name="Thôn quá đông", households=150_000))
    outcome = sync_import.import_packages(receiver, [path]).files[0]
    assert outcome.outcome != "applied"
    assert "Thôn quá đông" in outcome.message and "Số hộ" in outcome.message, outcome.message
    assert "Thôn quá đông" not in {v.name for v in villages.list_villages(receiver,
                                                                          unit_id=COMMUNE_A)}
    receiver.dispose()


def test_deleting_the_bad_record_also_unblocks_the_export(network, tmp_path):
    """The officer may delete the village instead of correcting it: its tombstone keeps only
    what the columns hold, so the next package goes through and the parent marks it
    deleted."""
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A, sqlite=True)
    bad_id = _old_village(commune, name="Thôn " + "x" * 496, households=3_000_000_000)
    with pytest.raises(sync_export.RecordBreaksRule):
        sync_export.export_package(commune, tmp_path / "refused")
    villages.delete_village(commune, bad_id)
    package = sync_export.export_package(commune, tmp_path / "out").path
    outcome = sync_import.import_packages(parent, [package]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert bad_id not in {v.id for v in villages.list_villages(parent, unit_id=COMMUNE_A)}
    tombstones = [p for p in _village_payloads(parent) if p["id"] == str(bad_id)]
    assert tombstones and all(p["deleted"] and len(p["name"]) == 120 for p in tombstones)


def _journal_and_difficulties(workspace):
    with workspace.session_factory() as session:
        journal = session.execute(select(ChangeJournalEntry.seq, ChangeJournalEntry.payload)
                                  .order_by(ChangeJournalEntry.seq)).all()
    return journal, [(d.id, d.status) for d in difficulties.list_difficulties(workspace)]


def test_a_refused_export_leaves_the_difficulties_unsent(network, tmp_path):
    """The difficulties area marks new difficulties "sent" just before an upward package is
    selected (so the package carries the sent version). An export then refused for a broken
    rule must change nothing: the hook asks the export to check first."""
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A, sqlite=True)
    difficulties.save_difficulty(commune, raised_on=commune.today(),
                                 title="Thiếu vốn đối ứng làm đường")
    _old_village(commune, name="Thôn " + "x" * 496)
    before = _journal_and_difficulties(commune)
    assert [status for _id, status in before[1]] == ["new"]
    with pytest.raises(sync_export.RecordBreaksRule):
        sync_export.export_package(commune, tmp_path / "refused")
    assert _journal_and_difficulties(commune) == before
