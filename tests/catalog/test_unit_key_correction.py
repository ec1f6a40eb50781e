"""Migration 0701_today: a workspace made by the application before catalog version 3, with
an inferred 2025 key (23494@2025-07-01 for Kon Braih, whose official code is 23497), is
re-keyed on opening: a backup first, every record and its journal follow the key, nothing
is lost.

The fixture was produced by commit 1d9f8dc (``main`` of 05/12/2026, catalog version 2):
province 51@2025-07-01 (parent) enrolled 23494@2025-07-01; the commune was set up from the
enrollment file, given villages, projects, capital and activities (the demo's steps), exported
a package, and the province imported it.
"""

import sqlite3
import zipfile
from pathlib import Path

import pytest

from ctmtqg_desktop.services import backups, catalog, parent, workspaces

FIXTURE = Path(__file__).parent / "fixtures" / "main-2026-12-05-kon-braih-23494.zip"
WRONG, RIGHT = "23494@2025-07-01", "23497@2025-07-01"
_SKIPPED = {"admin_unit", "unit_succession", "alembic_version", "catalog_meta",
            "capital_kind", "capital_source", "program", "program_component", "program_period",
            "ntm_criterion", "project_kind", "dossier_template", "unit_key_correction",
            "unit_attribute_history"}


def _columns(database: Path) -> dict[str, list[str]]:
    """Each table's columns (later revisions add some, such as the journal's check mark)."""
    connection = sqlite3.connect(database)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {table: [r[1] for r in connection.execute(f'PRAGMA table_info("{table}")')]
                for table in tables}
    finally:
        connection.close()


def _dump(database: Path, only: dict[str, list[str]] | None = None
          ) -> dict[str, list[tuple]]:
    """Every row of every non-catalog table, as text, sorted; with ``only``, only those
    columns of the tables it names (the columns an older database had)."""
    connection = sqlite3.connect(database)
    try:
        dump = {}
        for table, names in _columns(database).items():
            if table in _SKIPPED:
                continue
            if only is not None and table in only:
                names = [name for name in names if name in only[table]]
            listed = ", ".join(f'"{name}"' for name in names)
            rows = connection.execute(f'SELECT {listed} FROM "{table}"').fetchall()
            dump[table] = sorted(tuple("" if v is None else str(v) for v in row)
                                 for row in rows)
        return dump
    finally:
        connection.close()


def _mapped(dump: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {table: sorted(tuple(v.replace(WRONG, RIGHT) for v in row) for row in rows)
            for table, rows in dump.items()}


@pytest.fixture
def old_workspaces(tmp_path) -> Path:
    with zipfile.ZipFile(FIXTURE) as archive:
        archive.extractall(tmp_path)
    return tmp_path


@pytest.mark.parametrize("which", ["commune", "parent"])
def test_an_old_workspace_is_rekeyed_with_a_backup_and_no_record_lost(old_workspaces, which):
    folder = old_workspaces / which
    old_columns = _columns(folder / "ctmtqg.sqlite3")
    before = _dump(folder / "ctmtqg.sqlite3")
    assert any(WRONG in v for rows in before.values() for row in rows for v in row)

    workspace = workspaces.open_workspace(folder)

    (taken,) = backups.workspace_backups(workspace).backups
    assert taken.reason == "before-migration" and taken.schema_revision == "0601_activities"
    backups.verify_backup(taken.path)
    workspace.dispose()
    # tables that later revisions add (empty after the upgrade) are not the old records
    after = {table: rows for table, rows in _dump(folder / "ctmtqg.sqlite3", old_columns).items()
             if table in before or rows}
    # the same records, every one of them, with the key mapped; the wrong key is gone
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    assert after == _mapped(before)
    assert not any(WRONG in v for rows in after.values() for row in rows for v in row)
    assert catalog.corrected_unit_keys(workspace) == {WRONG: RIGHT}
    assert catalog.key_corrections(workspace)[WRONG] == RIGHT
    assert catalog.get_unit(workspace, RIGHT).name == "Kon Braih"


def test_the_province_lists_kon_braih_with_its_records_after_the_upgrade(old_workspaces):
    workspace = workspaces.open_workspace(old_workspaces / "parent")
    children = {c.unit_id: c for c in parent.list_children(workspace).children}
    assert RIGHT in children and WRONG not in children
    assert children[RIGHT].enrollment == "enrolled" and children[RIGHT].packages_applied == 1


def test_the_commune_is_kon_braih_after_the_upgrade(old_workspaces):
    workspace = workspaces.open_workspace(old_workspaces / "commune")
    summary = workspaces.summary(workspace)
    assert summary.unit_name.startswith("Xã Kon Braih")
    assert workspaces.check(workspace).ok


def test_a_new_workspace_records_no_correction(new_workspace):
    workspace = new_workspace(unit="23497@2025-07-01")
    assert catalog.corrected_unit_keys(workspace) == {}


def test_the_correction_runs_on_the_configured_database_too(tmp_path, database_url_for):
    """The same migration on a database at revision 0601 holding the wrong key in a unit
    column and quoted in a journal payload (PostgreSQL when CTMTQG_TEST_DATABASE_URL is set)."""
    import datetime as dt
    import uuid

    from sqlalchemy import text

    from ctmtqg_desktop.store import schema
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(tmp_path / "old", database_url_for())
    workspace.create_folders()
    schema.migrate(workspace, "0601_activities")
    node, village = uuid.uuid4(), uuid.uuid4()

    def as_id(value: uuid.UUID):
        return value.hex if workspace.uses_sqlite else value

    now = dt.datetime(2025, 8, 1)
    version = f"{1754006400000:013d}.00000.{node.hex}"  # a hybrid logical clock stamp
    with workspace.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO installation (id, node_id, unit_id, role, officer_name, created_at) "
            "VALUES (1, :node, :unit, 'commune', 'Y Thị Hoa', :now)"),
            {"node": as_id(node), "unit": WRONG, "now": now})
        connection.execute(text(
            "INSERT INTO village (id, name, ethnic_groups, households, population, "
            "extremely_disadvantaged, sort_order, owner_unit_id, origin_node_id, created_at, "
            "updated_at, version, deleted) VALUES (:id, 'Thôn 1', 'Ba Na', 10, 40, false, 1, "
            ":unit, :node, :now, :now, :version, false)"),
            {"id": as_id(village), "unit": WRONG, "node": as_id(node), "now": now,
             "version": version})
        connection.execute(text(
            "INSERT INTO change_journal (table_name, record_id, operation, version, "
            "origin_node_id, owner_unit_id, payload, recorded_at) VALUES ('village', :id, "
            "'insert', :version, :node, :unit, :payload, :now)"),
            {"id": as_id(village), "node": as_id(node), "unit": WRONG, "now": now,
             "version": version, "payload": f'{{"name": "Thôn 1", "owner_unit_id": "{WRONG}"}}'})
        connection.execute(text(
            "INSERT INTO catalog_meta (key, value) VALUES ('catalog_version', '2')"))
    workspace.dispose()

    opened = workspaces.open_workspace(workspace.folder, workspace.database_url)
    with opened.engine.connect() as connection:
        assert connection.execute(text("SELECT unit_id FROM installation")).scalar() == RIGHT
        assert connection.execute(text("SELECT owner_unit_id FROM village")).scalar() == RIGHT
        owner, payload = connection.execute(text(
            "SELECT owner_unit_id, payload FROM change_journal")).one()
    assert owner == RIGHT and f'"{RIGHT}"' in payload and WRONG not in payload
    assert catalog.corrected_unit_keys(opened) == {WRONG: RIGHT}
    opened.dispose()


# -- a package from a peer that has not upgraded yet ---------------------------------------
#: made by commit 1d9f8dc (the code before 0701_today) in the fixture's commune: a new
#: village "Thôn Đăk Tơ Kan", then package no. 2 to the province (not imported by the
#: fixture's province): every unit key in it is the inferred 23494@2025-07-01
OLD_PACKAGE = Path(__file__).parent / "fixtures" / \
    "main-2026-12-05-kon-braih-23494-package-2.ctsync"


def _package_lines(workspace, path: Path) -> list[dict]:
    """The package's records as sent (no key mapped), read with the province's key."""
    from ctmtqg_desktop.services.sync._nodes import local_keys
    from ctmtqg_desktop.sync.package_reader import PackageReader

    with PackageReader(path) as reader:
        reader.verify_entries()
        reader.unlock(workspace.installation().node_id, local_keys(workspace).box_private)
        assert reader.manifest.sender_unit == WRONG and reader.manifest.recipient_unit == \
            "51@2025-07-01"
        return [change for _n, change, _line in reader.iter_change_lines()]


def test_a_package_of_a_peer_not_yet_upgraded_imports_with_its_keys_mapped(old_workspaces):
    import json

    from sqlalchemy import select

    from ctmtqg_desktop.services import sync, villages
    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
    from ctmtqg_desktop.store.uow import UnitOfWork

    workspace = workspaces.open_workspace(old_workspaces / "parent")
    sent = _package_lines(workspace, OLD_PACKAGE)
    assert sent and all(c["record"]["owner_unit_id"] == WRONG for c in sent)

    report = sync.import_packages(workspace, [OLD_PACKAGE])

    (outcome,) = report.files
    assert outcome.outcome == "applied", outcome.message
    assert outcome.sender_unit_id == RIGHT and "Kon Braih" in outcome.message
    assert outcome.changes == len(sent) == 243
    names = {v.name for v in villages.list_villages(workspace, unit_id=RIGHT)}
    assert "Thôn Đăk Tơ Kan" in names
    # dumps compared after mapping keys: every record the package carries is, in the
    # province, the record as sent with the old key mapped (its latest journal entry)
    with UnitOfWork.read(workspace) as session:
        latest = {}
        for row in session.scalars(select(ChangeJournalEntry)
                                   .order_by(ChangeJournalEntry.seq)):
            latest[(row.table_name, str(row.record_id))] = json.loads(row.payload)
    for change in sent:
        mapped = {k: (RIGHT if v == WRONG else v) for k, v in change["record"].items()}
        assert latest[(change["table"], change["record"]["id"])] == mapped
    assert not any(WRONG in v for rows in _dump(old_workspaces / "parent" /
                                                 "ctmtqg.sqlite3").values()
                   for row in rows for v in row)
    children = {c.unit_id: c for c in parent.list_children(workspace).children}
    assert children[RIGHT].packages_applied == 2 and WRONG not in children
    assert workspaces.check(workspace).ok


def test_the_old_package_is_still_checked_on_its_bytes_as_sent(old_workspaces, tmp_path):
    """Mapping reads the package differently; it does not make it trusted: the manifest
    rewritten to name the right key (without the sender's key to sign it) is refused."""
    import zipfile as zf

    from ctmtqg_desktop.services import sync

    forged = tmp_path / "forged.ctsync"
    with zf.ZipFile(OLD_PACKAGE) as source, zf.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "manifest.json":
                data = data.replace(WRONG.encode(), RIGHT.encode())
            target.writestr(info, data)
    workspace = workspaces.open_workspace(old_workspaces / "parent")
    (outcome,) = sync.import_packages(workspace, [forged]).files
    assert outcome.outcome == "rejected" and outcome.code == "bad_signature"
