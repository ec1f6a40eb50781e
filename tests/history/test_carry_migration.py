"""Revision 1001_carried_records: a workspace made before it (at 0901_stored_text) is upgraded
as opening it does, keeps its records, and can then carry over."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from ctmtqg_desktop.services import history, villages, workspaces
from ctmtqg_desktop.store import schema


def test_an_old_workspace_gets_the_carried_records_table(new_workspace):
    workspace = new_workspace(unit="21548@2025-07-01")
    villages.save_village(workspace, name="Thôn Đông", ethnic_groups="Kinh")
    with workspace.engine.begin() as connection:
        # what the version before this revision left: no carried_record table
        connection.execute(text("DROP TABLE carried_record"))
        command.stamp(schema._alembic_config(connection), "0901_stored_text")
    workspace.dispose()
    assert schema.schema_state(workspace).status != "current"
    workspaces.prepare_database(workspace)  # as opening the workspace does
    assert schema.schema_state(workspace).status == "current"
    assert "carried_record" in inspect(workspace.engine).get_table_names()
    assert [v.name for v in villages.list_villages(workspace)] == ["Thôn Đông"]
    assert history.carried_records(workspace) == []
    assert workspaces.check(workspace).ok
