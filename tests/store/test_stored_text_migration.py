"""Revision 0901_stored_text (issue 12): text written before the one-form rule (NFD, a
terminal escape, NUL, C1 controls, a right-to-left override) is cleaned once, in the records
and in the change journal's payloads alike, so that ``check`` finds every live record equal
to its latest journal entry; an old database on a real file is upgraded as opening it
does."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import text

from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.codec import canonical_json

OLD_NAME = "Tho\u0302n\x1b[31m 3\x07\u202e\x9b"
CLEAN_NAME = "Thôn[31m 3"


def test_old_text_is_cleaned_once_in_records_and_journal(new_workspace):
    workspace = new_workspace()
    villages.save_village(workspace, name="Thôn 3", ethnic_groups="Xơ Đăng")
    with workspace.engine.begin() as connection:
        # what an old version of the application left: raw SQL, no text column type
        connection.execute(text("UPDATE village SET name = :name, ethnic_groups = :groups"),
                           {"name": OLD_NAME, "groups": "Xo\u031b Đa\u0306ng"})
        seq, payload = connection.execute(text(
            "SELECT seq, payload FROM change_journal WHERE table_name = 'village' "
            "ORDER BY seq DESC LIMIT 1")).one()
        record = json.loads(payload)
        record.update(name=OLD_NAME, ethnic_groups="Xo\u031b Đa\u0306ng")
        connection.execute(text("UPDATE change_journal SET payload = :p WHERE seq = :s"),
                           {"p": canonical_json(record), "s": seq})
        command.stamp(schema._alembic_config(connection), "0903_report_figures")
    workspace.dispose()
    workspaces.prepare_database(workspace)  # as opening the workspace does
    assert schema.schema_state(workspace).status == "current"
    with workspace.engine.connect() as connection:
        name, groups = connection.execute(text("SELECT name, ethnic_groups FROM village")).one()
        payload = connection.execute(text(
            "SELECT payload FROM change_journal WHERE seq = :s"), {"s": seq}).scalar_one()
    assert (name, groups) == (CLEAN_NAME, "Xơ Đăng")
    assert json.loads(payload)["name"] == CLEAN_NAME
    assert "\\u" not in payload and "\u202e" not in payload
    assert [v.name for v in villages.list_villages(workspace)] == [CLEAN_NAME]
    report = workspaces.check(workspace)
    assert report.ok, report
