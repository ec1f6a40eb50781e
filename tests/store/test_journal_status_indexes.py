"""Revision 1211_journal_status_indexes (issue 17): an old workspace's journal gets the
indexes the sync status's counts read (the audience with the sequence number; on PostgreSQL
the owner's index carrying the counted columns), its rows kept; and back."""

from __future__ import annotations

import datetime as dt
import uuid

from alembic import command
from sqlalchemy import inspect, text

from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from ctmtqg_desktop.store import schema

BEFORE = "1105_journal_checked"


def _indexes(workspace) -> dict[str, tuple[list[str], list[str]]]:
    """``{name: (key columns, included columns)}`` of the journal's indexes."""
    found = {}
    for index in inspect(workspace.engine).get_indexes("change_journal"):
        options = index.get("dialect_options") or {}
        found[index["name"]] = (list(index["column_names"]),
                                list(options.get("postgresql_include") or ()))
    return found


def _journal(workspace) -> list[tuple]:
    with workspace.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT seq, table_name, owner_unit_id, audience_unit_id, payload "
            "FROM change_journal ORDER BY seq"))]


def test_an_old_journal_gets_the_status_indexes_with_its_rows(new_workspace):
    workspace = new_workspace(unit="615", role="parent")
    with workspace.engine.begin() as connection:
        command.downgrade(schema._alembic_config(connection), BEFORE)
        for seq, audience in ((900001, "23524"), (900002, "*"), (900003, None)):
            record = uuid.uuid4()
            connection.execute(text(
                "INSERT INTO change_journal (seq, table_name, record_id, operation, version, "
                "origin_node_id, owner_unit_id, audience_unit_id, payload, recorded_at) "
                "VALUES (:seq, 'task', :record, 'insert', :version, :node, '615', :audience, "
                "'{}', :at)"),
                {"seq": seq, "record": record.hex if workspace.uses_sqlite else record,
                 "version": f"v{seq}", "node": uuid.uuid4().hex if workspace.uses_sqlite
                 else uuid.uuid4(), "audience": audience, "at": dt.datetime(2023, 10, 16)})
    old = _indexes(workspace)
    assert old["ix_change_journal_audience_unit_id"] == (["audience_unit_id"], [])
    assert "ix_change_journal_audience_seq" not in old
    assert old["ix_change_journal_owner_seq"] == (["owner_unit_id", "seq"], [])
    rows = _journal(workspace)
    workspace.dispose()

    workspaces.prepare_database(workspace)  # as opening the workspace does
    assert schema.schema_state(workspace).status == "current"
    new = _indexes(workspace)
    assert new["ix_change_journal_audience_seq"] == (["audience_unit_id", "seq"], [])
    assert "ix_change_journal_audience_unit_id" not in new
    included = [] if workspace.uses_sqlite else ["table_name", "operation", "recorded_at"]
    assert new["ix_change_journal_owner_seq"] == (["owner_unit_id", "seq"], included)
    assert _journal(workspace) == rows

    with workspace.engine.begin() as connection:
        command.downgrade(schema._alembic_config(connection), BEFORE)
    assert _indexes(workspace) == old
    assert _journal(workspace) == rows
