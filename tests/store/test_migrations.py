"""The schema only changes through Alembic; old workspaces upgrade with their data."""

import datetime as dt
import shutil
import sqlite3
import subprocess
import uuid
import zipfile
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ctmtqg_desktop.resource_paths import migrations_dir
from ctmtqg_desktop.services import workspaces
from ctmtqg_desktop.store import (
    models,  # noqa: F401
    schema,
)
from ctmtqg_desktop.store.base import Base
from ctmtqg_desktop.store.workspace import Workspace


def test_cheap_head_detection_agrees_with_alembic():
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(config)
    assert schema.head_revision() == script.get_current_head()
    assert schema.oldest_revision() == "0001_core"
    assert len(schema.ordered_revisions()) == len(list(script.walk_revisions()))


def _read_backup(backup, database_url_for) -> tuple[str, str, str]:
    """The data version and the installation row, read from a backup file: a SQLite copy
    is opened; a pg_dump archive is restored into an empty database first."""
    query = ("SELECT (SELECT version_num FROM alembic_version), officer_name, unit_id "
             "FROM installation WHERE id = 1")
    if backup.suffix == ".sqlite3":
        connection = sqlite3.connect(backup)
        try:
            return tuple(connection.execute(query).fetchone())
        finally:
            connection.close()
    url = make_url(database_url_for())
    restored = subprocess.run(
        [shutil.which("pg_restore") or "pg_restore", "--no-owner",
         f"--dbname={url.set(drivername='postgresql').render_as_string(hide_password=False)}",
         str(backup)], capture_output=True, text=True, timeout=300)
    assert restored.returncode == 0, restored.stderr
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return tuple(connection.execute(text(query)).one())
    finally:
        engine.dispose()


def test_a_workspace_from_the_oldest_revision_upgrades_with_its_data(tmp_path, database_url_for):
    workspace = Workspace(tmp_path / "old", database_url_for())
    workspace.create_folders()
    schema.migrate(workspace, schema.oldest_revision())
    node = uuid.uuid4()
    with workspace.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO admin_unit (id, code, name, name_folded, kind, confidence, source, "
            "retired) VALUES ('23524', '23524', 'Đắk La', 'dak la', 'commune', 'confirmed', "
            "'', false)"))
        connection.execute(text(
            "INSERT INTO installation (id, node_id, unit_id, role, officer_name, created_at) "
            "VALUES (1, :node, '23524', 'commune', 'Y Thị Hoa', :now)"),
            {"node": node.hex if workspace.uses_sqlite else node, "now": dt.datetime(2023, 1, 2)})
        connection.execute(text(
            "INSERT INTO catalog_meta (key, value) VALUES ('catalog_version', '0')"))
    workspace.dispose()
    assert schema.schema_state(workspace).status == "behind"

    opened = workspaces.open_workspace(workspace.folder, workspace.database_url)

    assert schema.schema_state(opened).status == "current"
    info = opened.installation(refresh=True)
    assert info.node_id == node and info.officer_name == "Y Thị Hoa"
    from ctmtqg_desktop.services import backups

    (taken,) = backups.workspace_backups(opened).backups  # the backup the upgrade waited for
    assert taken.reason == "before-migration" and taken.schema_revision == "0001_core"
    assert "truoc-khi-nang-cap" in taken.path.name
    backups.verify_backup(taken.path)
    # the backup holds a whole database at the old revision, with the record in it
    with zipfile.ZipFile(taken.path) as archive:
        (entry,) = [name for name in archive.namelist()
                    if name.startswith("database/") and not name.endswith(("-wal", "-shm"))]
        copy = tmp_path / Path(entry).name
        copy.write_bytes(archive.read(entry))
    assert _read_backup(copy, database_url_for) == ("0001_core", "Y Thị Hoa", "23524")
    # the old catalog row survived and the shipped catalog was loaded over it
    summary = workspaces.summary(opened)
    assert summary.catalog_version >= 1 and summary.unit_name.startswith("Xã Đắk La")
    opened.dispose()


def test_models_and_migrations_agree(new_workspace):
    workspace = new_workspace(initialise=False)
    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_workspace_from_a_newer_application_is_refused(new_workspace):
    import pytest

    from ctmtqg_desktop.domain.errors import SchemaNewerThanApp

    workspace = new_workspace()
    with workspace.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaNewerThanApp) as caught:
        workspaces.open_workspace(workspace.folder, workspace.database_url)
    assert "phiên bản mới hơn" in str(caught.value)
