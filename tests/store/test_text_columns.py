"""Text is stored NFC, whatever writes it: one boundary (``store.base.StoredString`` and
``StoredText``, through ``store.base.stored_text``) on every text column of every table.

A village named in NFD (a Vietnamese keyboard in "Unicode tổ hợp" mode) looks the same as
its NFC twin and compares different: stored both ways, searches, duplicate checks and the
sync dump would disagree. These tests walk every mapped text column, then write NFD text
through the paths that do not normalise on their own (the ORM, Core, a sync package) and
read the database back raw."""

from __future__ import annotations

import importlib
import json
import pkgutil
import unicodedata
import uuid

import pytest
from sqlalchemy import String, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.services import sync, villages
from ctmtqg_desktop.store import models  # noqa: F401  (every table)
from ctmtqg_desktop.store.base import (
    Base,
    StoredJSONText,
    StoredString,
    StoredText,
    stored_text,
    utc_now,
)
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.sync import SyncConflict
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.sync.conftest import COMMUNE_A, Network
from tests.sync.forge import keys_of, rebuild

NFC = "Thôn Đắk Lung – buôn Kơ Ênh, làng Plei Ia Mơ Nông"
NFD = unicodedata.normalize("NFD", NFC)
ETHNIC = "Xơ Đăng, Ba Na, Gia Rai"
ETHNIC_NFD = unicodedata.normalize("NFD", ETHNIC)


def _every_model() -> None:
    """Every module of ``store.models`` (the package imports none: the areas load theirs,
    some only on first use), so that the walk below sees every table."""
    for module in pkgutil.iter_modules(models.__path__):
        importlib.import_module(f"{models.__name__}.{module.name}")


def _text_columns():
    _every_model()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type
            base = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
            if isinstance(base, String):  # VARCHAR and TEXT
                yield table, column


def test_the_sample_really_differs_between_the_forms():
    assert NFD != NFC and len(NFD) > len(NFC)
    assert not unicodedata.is_normalized("NFC", NFD)


def test_every_text_column_of_every_table_goes_through_the_boundary():
    columns = list(_text_columns())
    assert len(columns) > 150  # every area's tables, not a handful
    plain = [f"{t.name}.{c.name}" for t, c in columns
             if not isinstance(c.type, (StoredString, StoredText))]
    assert plain == [], "text columns that would store NFD: " + ", ".join(plain)
    # a record's JSON (its text values each stored NFC by their own columns) is kept as it
    # is, without the characters no text keeps
    json_columns = sorted(f"{t.name}.{c.name}" for t, c in columns
                          if isinstance(c.type, StoredJSONText))
    assert json_columns == ["change_journal.payload", "sync_conflict.kept_payload",
                            "sync_conflict.overridden_payload"]
    record = json.dumps({"name": NFC, "note": "a\n\u0301b"}, ensure_ascii=False)
    # and the boundary turns NFD into NFC for each of them, on both databases
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        wrong = []
        for table, column in columns:
            processor = column.type.dialect_impl(dialect).bind_processor(dialect)
            if isinstance(column.type, StoredJSONText):
                assert processor(record) == record
                assert processor(record.replace("a", "a\u202e\x00")) == record
                continue
            value = processor(NFD) if processor else NFD
            if value != NFC:
                wrong.append(f"{table.name}.{column.name}")
        assert wrong == [], f"{dialect.name}: " + ", ".join(wrong)
    assert stored_text(NFD) == NFC and stored_text(NFC) == NFC
    # an attribute takes its column's stored form when set: a record's JSON as it is
    conflict = SyncConflict(kept_payload=record.replace("a", "a\u202e", 1))
    assert conflict.kept_payload == record
    assert Village(name=NFD).name == NFC


def _raw_text_values(workspace) -> dict[str, list[str]]:
    """Every text value in the database, read without any SQLAlchemy type processing."""
    found: dict[str, list[str]] = {}
    with workspace.engine.connect() as connection:
        for table, column in _text_columns():
            quote = connection.dialect.identifier_preparer.quote
            rows = connection.execute(text(
                f"SELECT {quote(column.name)} FROM {quote(table.name)} "
                f"WHERE {quote(column.name)} IS NOT NULL")).scalars()
            found[f"{table.name}.{column.name}"] = list(rows)
    return found


def _not_nfc(workspace) -> list[str]:
    return [f"{where}: {value[:60]!r}" for where, values in _raw_text_values(workspace).items()
            for value in values if not unicodedata.is_normalized("NFC", value)]


def test_text_written_by_the_orm_and_by_core_is_stored_nfc(new_workspace):
    workspace = new_workspace()
    with UnitOfWork(workspace) as uow:  # no service in between: nothing else normalises
        village = Village(name=NFD, ethnic_groups=ETHNIC_NFD)
        assert village.name == NFC  # the object holds what will be stored
        uow.session.add(village)
        uow.commit()
    ident = uuid.uuid4()
    with workspace.engine.begin() as connection:
        connection.execute(insert(Village.__table__).values(
            id=ident, owner_unit_id="23524", origin_node_id=uuid.uuid4(),
            created_at=utc_now(), updated_at=utc_now(),
            version="0", deleted=False, name=NFD + " 2", ethnic_groups="", households=0,
            population=0, extremely_disadvantaged=False, sort_order=0))
    stored = _raw_text_values(workspace)
    assert sorted(stored["village.name"]) == [NFC, NFC + " 2"]
    assert sorted(stored["village.ethnic_groups"]) == ["", ETHNIC]
    # the journal's copy of the record is NFC as well (what export sends)
    assert any(NFC in payload for payload in stored["change_journal.payload"])
    assert not any(NFD in payload for payload in stored["change_journal.payload"])
    # comparisons go through the boundary too: an NFD query finds the NFC row
    with workspace.session_factory() as session:
        assert session.scalar(select(Village.id).where(Village.name == NFD + " 2")) == ident
    assert _not_nfc(workspace) == []


def test_a_package_carrying_nfd_text_is_stored_nfc(new_workspace, tmp_path):
    network = Network(new_workspace, tmp_path)
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    real = sync.export_package(commune, tmp_path / "out", encrypt=False).path

    def to_nfd(manifest, lines):
        for line in lines:
            if line["table"] == "village":
                line["record"]["name"] = NFD
        return manifest, lines

    forged = rebuild(real, tmp_path / "nfd.ctsync", None, edit=to_nfd, signer=keys_of(commune))
    outcome = sync.import_packages(parent, [forged]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert [v.name for v in villages.list_villages(parent, unit_id=COMMUNE_A)] == [NFC]
    with parent.session_factory() as session:
        payloads = session.scalars(select(ChangeJournalEntry.payload).where(
            ChangeJournalEntry.table_name == "village")).all()
    assert payloads and all(NFC in p and NFD not in p for p in payloads)
    assert _not_nfc(parent) == []
    network.close()


def test_a_village_typed_in_nfd_is_one_village(new_workspace):
    """The village form: NFD and NFC spellings of one name are one village."""
    workspace = new_workspace()
    saved = villages.save_village(workspace, name=NFD)
    assert _raw_text_values(workspace)["village.name"] == [NFC]
    assert saved.name == NFC
    with pytest.raises(UserError, match="đã có thôn"):
        villages.save_village(workspace, name=NFC)


def test_the_demo_workspace_holds_only_nfc_text(demo_workspace):
    values = _raw_text_values(demo_workspace)
    assert sum(len(v) for v in values.values()) > 1000
    assert _not_nfc(demo_workspace) == []


def test_stored_text_strips_controls_nul_and_direction_overrides(new_workspace):
    """Issue 12: one boundary for every writer: ESC, NUL, C1 and bidi overrides never
    reach the store (tab and line breaks stay)."""
    from ctmtqg_desktop.store.base import stored_text

    assert stored_text("Thôn\x1b[31m 1\x00\x9b\u202e\u2066\x7f") == "Thôn[31m 1"
    assert stored_text("dòng 1\ndòng 2\tcột\r\n") == "dòng 1\ndòng 2\tcột\r\n"
    workspace = new_workspace()
    saved = villages.save_village(workspace, name="Thôn\x1b[2J 5\u202e")
    assert saved.name == "Thôn[2J 5"
    assert [v.name for v in villages.list_villages(workspace)] == ["Thôn[2J 5"]


def test_the_cli_never_prints_a_raw_terminal_escape(new_workspace, capsys):
    """A name stored before the boundary existed (written here past it, in SQL) is shown
    with its escapes spelled out: ``villages list`` does not recolour the terminal."""
    from sqlalchemy import text as sql

    from ctmtqg_desktop.cli import main

    workspace = new_workspace()
    village = villages.save_village(workspace, name="Thôn 7")
    with workspace.engine.begin() as connection:
        connection.execute(sql("UPDATE village SET name = :name WHERE id = :id"),
                           {"name": "Thôn\x1b[31m 7\u202e",
                            "id": village.id.hex if workspace.uses_sqlite else village.id})
    code = main(["villages", "list", "--workspace", str(workspace.folder)]
                + ([] if workspace.uses_sqlite else ["--database-url",
                                                     workspace.database_url]))
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "\x1b" not in out.out and "\u202e" not in out.out
    assert "Thôn\\x1b[31m 7\\u202e" in out.out


def test_a_line_that_begins_with_a_combining_mark_keeps_the_journal_json(new_workspace,
                                                                          tmp_path):
    """A text value whose line begins with a combining mark is in the stored form (a line
    break composes with nothing), and its JSON is ``"…\\n\u0301…"``: the journal keeps that
    JSON as it is. NFC over the whole payload composed the escape's ``n`` with the mark
    (``\\ń``): the journal row was no longer JSON and every export stopped on it."""
    network = Network(new_workspace, tmp_path)
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    strange = "Thôn 1\n\u0301ghi chú\r\u0303"
    assert stored_text(strange) == strange
    with UnitOfWork(commune) as uow:
        uow.session.add(Village(name="Thôn 1", ethnic_groups=strange))
        uow.commit()
    with commune.session_factory() as session:
        [payload] = session.scalars(select(ChangeJournalEntry.payload).where(
            ChangeJournalEntry.table_name == "village")).all()
    assert json.loads(payload)["ethnic_groups"] == strange
    package = sync.export_package(commune, tmp_path / "out").path
    outcome = sync.import_packages(parent, [package]).files[0]
    assert outcome.outcome == "applied", outcome.message
    [village] = villages.list_villages(parent, unit_id=COMMUNE_A)
    assert village.ethnic_groups == strange
    with parent.session_factory() as session:
        [payload] = session.scalars(select(ChangeJournalEntry.payload).where(
            ChangeJournalEntry.table_name == "village")).all()
    assert json.loads(payload)["ethnic_groups"] == strange
    network.close()
