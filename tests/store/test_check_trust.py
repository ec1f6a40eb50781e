"""Issue 12: ``ctmtqg check`` finds a record that differs from its latest journal entry (what
a forged package with a repeated key left behind), and on a damaged database says so in a
sentence naming the latest backup instead of ending in an internal error."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import backups, villages
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces


def test_check_compares_every_record_with_its_latest_journal_entry(new_workspace):
    workspace = new_workspace()
    village = villages.save_village(workspace, name="Thôn 1", households=120)
    villages.save_village(workspace, name="Thôn 2", households=30)
    assert workspaces.check(workspace).ok
    # the store says 999 while the journal (what is sent on) says 120; the version agrees
    with workspace.engine.begin() as connection:
        connection.execute(text("UPDATE village SET households = 999 WHERE id = :id"),
                           {"id": village.id.hex if workspace.uses_sqlite else village.id})
    report = workspaces.check(workspace)
    assert not report.ok
    assert any("1 bản ghi khác với mục mới nhất" in p for p in report.problems), report.problems


def _damage(database: Path) -> None:
    """Overwrite the content of the last pages (the schema pages stay readable)."""
    data = bytearray(database.read_bytes())
    for offset in range(len(data) - 4096 * 60, len(data) - 4096, 4096):
        data[offset + 8:offset + 1000] = b"\x07" * 992
    database.write_bytes(bytes(data))


def test_check_on_a_damaged_database_names_the_latest_backup(tmp_path, capsys):
    folder = tmp_path / "ws"
    workspace = workspaces.init_workspace(folder, f"sqlite:///{folder / 'ctmtqg.sqlite3'}",
                                          unit="23524", role="commune", officer_name="A")
    for number in range(300):
        villages.save_village(workspace, name=f"Thôn {number}", households=number)
    made = backups.create_backup(workspace)
    workspace.dispose()
    _damage(folder / "ctmtqg.sqlite3")

    code = main(["check", "--workspace", str(folder)])

    out = capsys.readouterr()
    assert code == 1
    assert "Lỗi nội bộ" not in out.out + out.err
    assert "Cơ sở dữ liệu bị hỏng" in out.out
    assert made.path.name in out.out
    assert "On tree page" not in out.out.split("(")[0]


def test_the_database_and_the_logs_are_owner_only(tmp_path):
    """Issue 12: the database holds every ID number, the log names files and records: both
    0600 (folders 0700), like the keys; an older workspace's 0644 file is narrowed when it
    is opened."""
    import logging
    import os
    import stat

    from ctmtqg_desktop.app_logging import setup_logging

    folder = tmp_path / "ws"
    workspace = workspaces.init_workspace(folder, f"sqlite:///{folder / 'ctmtqg.sqlite3'}",
                                          unit="23524", role="commune", officer_name="A")
    villages.save_village(workspace, name="Thôn 1")
    database = folder / "ctmtqg.sqlite3"

    def mode(path: Path) -> int:
        return stat.S_IMODE(os.stat(path).st_mode)

    assert mode(database) == 0o600
    for name in ("attachments", "keys", "backups", "logs"):
        assert mode(folder / name) == 0o700, name
    log = setup_logging(workspace.logs_dir)
    logging.getLogger("ctmtqg.test").warning("a line")
    assert mode(log) == 0o600
    setup_logging(None)
    workspace.dispose()
    os.chmod(database, 0o644)
    reopened = workspaces.open_workspace(folder)
    assert villages.list_villages(reopened)
    assert mode(database) == 0o600
    reopened.dispose()


def test_a_database_error_never_carries_personal_data_into_the_log(new_workspace, tmp_path):
    """The text of a database error (what an internal error logs) leaves out the values of
    the statement: a household's name and ID number never reach ``logs/ctmtqg.log``."""
    import logging
    import uuid

    import pytest
    from sqlalchemy.exc import DBAPIError

    from ctmtqg_desktop.app_logging import setup_logging

    workspace = new_workspace()
    target = setup_logging(tmp_path / "logs")
    try:
        with pytest.raises(DBAPIError) as failed, workspace.engine.begin() as connection:
            ident = uuid.uuid4()
            values = {"id": ident.hex if workspace.uses_sqlite else ident,
                      "name": "Y Thị Hoa", "number": "079123456789"}
            connection.execute(text("INSERT INTO household (id, head_name, id_number) "
                                    "VALUES (:id, :name, :number)"), values)
        logging.getLogger("ctmtqg.sync").error("internal error", exc_info=failed.value)
    finally:
        setup_logging(None)
    logged = target.read_text(encoding="utf-8")
    assert "internal error" in logged
    assert "079123456789" not in logged and "Y Thị Hoa" not in logged
