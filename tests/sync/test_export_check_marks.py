"""The journal's check marks (issue 17, revision ``1105_journal_checked``): a row written by
the services gets a mark when its record passes the receiver's checks, and an export spares
the checks of a row only while the mark is the keyed digest of the payload it reads. A row
edited outside the services, a row without a mark and a row marked under other checks are
checked in full: each is refused with the same sentence as an unmarked bad row. Real
workspaces (the commune on the test database: SQLite, or PostgreSQL with
CTMTQG_TEST_DATABASE_URL), real packages on disk."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry as J
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.sync.conftest import COMMUNE_A

TABLE = Village.__table__


def _rows(workspace) -> list[J]:
    with workspace.session_factory() as session:
        rows = list(session.scalars(select(J).where(J.table_name == "village").order_by(J.seq)))
        session.expunge_all()
        return rows


def _set(workspace, seq: int, **values) -> None:
    """Change a journal row as a tool outside the application would (no services)."""
    with workspace.session_factory() as session:
        session.execute(update(J).where(J.seq == seq).values(**values))
        session.commit()


def _refusal_of(commune, tmp_path) -> str:
    with pytest.raises(sync_export.RecordBreaksRule) as refused:
        sync_export.export_package(commune, tmp_path / "refused")
    assert not list((tmp_path / "refused").glob("*.ctsync"))  # nothing written
    return str(refused.value)


@pytest.fixture
def commune(network):
    parent = network.parent()
    return parent, network.enroll(parent, COMMUNE_A)


def test_the_services_mark_a_good_record_and_not_a_bad_one(commune):
    _parent, workspace = commune
    villages.save_village(workspace, name="Thôn Kon Mong Tu", households=120)
    with UnitOfWork(workspace) as uow:  # old data, written without the services' checks
        uow.session.add(Village(name="Thôn cũ", households=150_000, sort_order=2))
        uow.commit()
    good, bad = _rows(workspace)
    key = sync_export._MARKS.key(TABLE)
    assert good.checked == sync_export._CheckMarks.digest(key, good.payload)
    assert bad.checked is None


def test_a_row_edited_outside_the_services_is_checked_again(commune, tmp_path):
    parent, workspace = commune
    villages.save_village(workspace, name="Thôn 1", households=120)
    row = _rows(workspace)[0]
    assert row.checked is not None
    record = json.loads(row.payload)
    record["households"] = 150_000  # fits the column, breaks the rule
    _set(workspace, row.seq, payload=json.dumps(record, sort_keys=True, separators=(",", ":"),
                                                 ensure_ascii=False))
    sentence = _refusal_of(workspace, tmp_path)
    assert "Thôn 1" in sentence and "Số hộ" in sentence, sentence
    # the same sentence as for the same row without a mark
    _set(workspace, row.seq, checked=None)
    assert _refusal_of(workspace, tmp_path) == sentence


def test_a_row_without_a_mark_is_checked_and_a_good_one_still_goes(commune, tmp_path):
    parent, workspace = commune
    villages.save_village(workspace, name="Thôn 1", households=120)
    villages.save_village(workspace, name="Thôn 2", households=80)
    first, second = _rows(workspace)
    _set(workspace, first.seq, checked=None)  # as written before 1105_journal_checked
    package = sync_export.export_package(workspace, tmp_path / "out").path
    assert sync_import.import_packages(parent, [package]).files[0].outcome == "applied"
    assert {"Thôn 1", "Thôn 2"} <= {v.name for v in villages.list_villages(
        parent, unit_id=COMMUNE_A)}
    record = json.loads(second.payload)
    record["name"] = "Thôn " + "x" * 200
    _set(workspace, second.seq, checked=None, payload=json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    villages.save_village(workspace, name="Thôn 3")  # a later change: the package is new
    assert "Tên thôn" in _refusal_of(workspace, tmp_path)


def test_a_row_marked_under_other_checks_is_checked_again(commune, tmp_path, monkeypatch):
    """An update that tightens a rule changes the marks' key: the rows marked before are
    checked by the new rule."""
    _parent, workspace = commune
    villages.save_village(workspace, name="Thôn 1", households=120)
    old_key = sync_export._CheckMarks().key(TABLE)
    tighter = dict(field_rules.RULES["village"])
    tighter["households"] = field_rules.FieldRule(
        tighter["households"].label, minimum=0, maximum=100)
    monkeypatch.setitem(field_rules.RULES, "village", tighter)
    monkeypatch.setattr(sync_export, "_MARKS", sync_export._CheckMarks())
    assert sync_export._MARKS.key(TABLE) != old_key
    sentence = _refusal_of(workspace, tmp_path)
    assert "Thôn 1" in sentence and "Số hộ" in sentence, sentence


def test_the_marks_key_follows_the_columns_and_the_checking_code(monkeypatch):
    key = sync_export._CheckMarks().key(TABLE)
    assert sync_export._CheckMarks().key(TABLE) == key  # stable
    monkeypatch.setattr(sync_export, "CHECK_MARKS_FORMAT", "ctmtqg-export-check/other")
    assert sync_export._CheckMarks().key(TABLE) != key
    monkeypatch.undo()
    monkeypatch.setattr(field_rules.FieldRule, "problem", lambda self, value: None)
    assert sync_export._CheckMarks().key(TABLE) != key


def test_the_exported_lines_are_the_stored_payloads_in_canonical_form(commune, tmp_path):
    """The export writes each stored payload as it is (no parse and re-encoding): it is
    the canonical form the receiver's strict reader asks for."""
    parent, workspace = commune
    villages.save_village(workspace, name="Thôn Đăk Rơ Wa", households=12,
                          ethnic_groups="Xơ Đăng, Kinh")
    package = sync_export.export_package(workspace, tmp_path / "out").path
    for row in _rows(workspace):
        assert row.payload == json.dumps(json.loads(row.payload), sort_keys=True,
                                         separators=(",", ":"), ensure_ascii=False)
    assert sync_import.import_packages(parent, [package]).files[0].outcome == "applied"


def test_the_marks_key_is_the_same_in_another_process():
    """A mark written by one process holds in the export's process (no address or random
    value in the key)."""
    import subprocess
    import sys

    script = ("from ctmtqg_desktop.services.sync import _export as e\n"
              "from ctmtqg_desktop.store.models.villages import Village\n"
              "print(e._MARKS.key(Village.__table__).hex())\n")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert other == sync_export._MARKS.key(TABLE).hex()


def test_a_failing_checker_never_stops_a_write(commune, monkeypatch):
    from ctmtqg_desktop.store import journal

    def broken(table, payload):
        raise RuntimeError("a checker bug")

    monkeypatch.setattr(journal, "_checker", [broken])
    _parent, workspace = commune
    villages.save_village(workspace, name="Thôn 1", households=120)
    (row,) = _rows(workspace)
    assert row.checked is None and json.loads(row.payload)["name"] == "Thôn 1"
