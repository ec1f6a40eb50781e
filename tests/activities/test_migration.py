"""Revision 0601_activities: a workspace of the parent desk's revision upgrades and gets the
table; the revision goes back down cleanly."""

from alembic import command
from sqlalchemy import inspect

from ctmtqg_desktop.services import activities, workspaces
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.workspace import Workspace


def test_the_revision_follows_the_parent_desk():
    graph = schema.revision_graph()
    assert graph["0601_activities"] == "0501_parent"
    assert schema.ordered_revisions().index("0601_activities") == \
        schema.ordered_revisions().index("0501_parent") + 1


def test_a_0501_workspace_upgrades_to_activities_and_back(tmp_path, database_url_for):
    import datetime as dt

    workspace = Workspace(tmp_path / "ws", database_url_for())
    workspace.create_folders()
    schema.migrate(workspace, "0501_parent")
    assert "activity" not in inspect(workspace.engine).get_table_names()
    workspace.dispose()
    workspaces.prepare_database(workspace)  # as opening the workspace does
    assert "activity" in inspect(workspace.engine).get_table_names()
    columns = {c["name"] for c in inspect(workspace.engine).get_columns("activity")}
    assert {"kind", "campaign", "participants_women", "participants_ethnic",
            "participants_poor", "cost", "search_text", "version", "deleted"} <= columns
    made = workspaces.init_workspace(workspace.folder, workspace.database_url, unit="23524",
                                     role="commune", officer_name="Y Thị Hoa")
    saved = activities.save_activity(made, kind="communication", title="Tuyên truyền",
                                     start_on=dt.date(2023, 5, 1), participants=10)
    assert activities.activity_ids(made) == [saved.id]
    made.dispose()
    with workspace.engine.begin() as connection:
        command.downgrade(schema._alembic_config(connection), "0501_parent")
    assert "activity" not in inspect(workspace.engine).get_table_names()
    workspace.dispose()
