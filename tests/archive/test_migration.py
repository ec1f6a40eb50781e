"""Revision 0801_archive: a workspace of the activities revision upgrades (through 0701_today)
and gets the two tables; the revision goes back down cleanly."""

from alembic import command
from sqlalchemy import inspect

from ctmtqg_desktop.services import workspaces
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.workspace import Workspace


def test_the_revision_follows_today():
    assert schema.revision_graph()["0801_archive"] == "0701_today"


def test_a_0601_workspace_upgrades_to_archive_and_back(tmp_path, database_url_for):
    workspace = Workspace(tmp_path / "ws", database_url_for())
    workspace.create_folders()
    schema.migrate(workspace, "0601_activities")
    assert "issued_report" not in inspect(workspace.engine).get_table_names()
    workspace.dispose()
    workspaces.prepare_database(workspace)  # as opening the workspace does
    tables = inspect(workspace.engine).get_table_names()
    assert {"issued_report", "report_request"} <= set(tables)
    columns = {c["name"] for c in inspect(workspace.engine).get_columns("issued_report")}
    assert {"number", "symbol", "files", "approved_by", "approved_on", "not_reported"} <= columns
    with workspace.engine.begin() as connection:
        command.downgrade(schema._alembic_config(connection), "0701_today")
    assert "issued_report" not in inspect(workspace.engine).get_table_names()
    workspace.dispose()


def test_a_0801_workspace_gets_the_figures_and_the_arrivals_and_goes_back(
        tmp_path, database_url_for):
    assert schema.revision_graph()["0903_report_figures"] == "0902_attribute_history"
    workspace = Workspace(tmp_path / "ws", database_url_for())
    workspace.create_folders()
    schema.migrate(workspace, "0902_attribute_history")
    assert "report_arrival" not in inspect(workspace.engine).get_table_names()
    workspace.dispose()
    workspaces.prepare_database(workspace)
    assert "report_arrival" in inspect(workspace.engine).get_table_names()
    columns = {c["name"] for c in inspect(workspace.engine).get_columns("issued_report")}
    assert "figures" in columns
    with workspace.engine.begin() as connection:
        command.downgrade(schema._alembic_config(connection), "0902_attribute_history")
    assert "report_arrival" not in inspect(workspace.engine).get_table_names()
    columns = {c["name"] for c in inspect(workspace.engine).get_columns("issued_report")}
    assert "figures" not in columns
    workspace.dispose()
