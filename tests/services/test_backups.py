"""Backups and restore on real workspaces (SQLite files; PostgreSQL in the suite's PostgreSQL
pass through the same fixtures): written, listed, verified, restored, rotated."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile

import pytest

from ctmtqg_desktop.services import backups, villages, workspaces
from ctmtqg_desktop.services.backups import BackupDamaged, _archive, _writing
from ctmtqg_desktop.services.workspaces import _restore
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.workspace import DATABASE_FILE, Workspace

VIETNAMESE = "Dữ liệu xã Đăk Hà"
TZ = dt.timezone(dt.timedelta(hours=7))


class Clock:
    """An injected clock: each call returns the set time (no sleeping in tests)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def test_backup_list_and_restore_give_back_the_same_records(demo_workspace, tmp_path):
    workspace = demo_workspace
    taken = backups.create_backup(workspace)
    saved_dump = workspaces.dump(workspace)
    (listed,) = backups.workspace_backups(workspace).backups
    assert listed.path == taken.path and listed.reason == "manual"
    assert listed.schema_revision == schema.head_revision()
    assert listed.attachments and listed.shared_store
    assert listed.unit_id == "23524" and listed.unit_name.endswith("Đắk La")
    backups.verify_backup(taken.path)

    villages.save_village(workspace, name="Thôn làm sau khi sao lưu")
    attached = backups.attachment_files(workspace)
    attached[0].unlink()  # a scan lost from the workspace comes back too
    assert workspaces.dump(workspace) != saved_dump

    report = workspaces.restore_backup(workspace, taken.path)
    assert report.ok, report.problems
    assert workspaces.dump(workspace) == saved_dump
    assert workspaces.check(workspace).ok
    assert report.attachments_restored == 1 and attached[0].is_file()
    # the state before the restore was kept, and restoring it brings the new village back
    assert report.safety.reason == "before-restore"
    workspaces.restore_backup(workspace, report.safety.path)
    names = [v.name for v in villages.list_villages(workspace)]
    assert "Thôn làm sau khi sao lưu" in names


def test_a_backup_on_a_usb_stick_stands_alone_and_restores_into_a_new_folder(
        demo_workspace, tmp_path, database_url_for):
    usb = tmp_path / VIETNAMESE / "USB sao lưu"
    taken = backups.create_backup(demo_workspace, folder=usb)
    assert taken.path.parent == usb and not taken.shared_store
    assert not (usb / backups.STORE).exists()  # the scans are inside the one file
    with zipfile.ZipFile(taken.path) as archive:
        assert f"database/{DATABASE_FILE}" in archive.namelist() or \
            "database/database.pgdump" in archive.namelist()
        assert any(n.startswith("keys/") for n in archive.namelist())
    expected = workspaces.dump(demo_workspace, metadata=True)

    # a new laptop: an empty workspace of the same kind of database
    blank = Workspace(tmp_path / "máy mới" / VIETNAMESE, database_url_for())
    workspaces.prepare_database(blank)
    report = workspaces.restore_backup(blank, taken.path)
    assert report.ok, report.problems
    assert workspaces.dump(blank, metadata=True) == expected
    assert blank.installation(refresh=True).unit_id == "23524"
    assert sorted(p.name for p in backups.attachment_files(blank)) == sorted(
        a.name for a in taken.attachments)
    assert sorted(p.name for p in blank.keys_dir.iterdir()) == sorted(
        p.name for p in demo_workspace.keys_dir.iterdir())
    blank.dispose()


def _corrupt(database, offset: int, length: int) -> None:
    with open(database, "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xde\xad\xbe\xef" * (length // 4))


@pytest.mark.parametrize("where", ["header", "pages"])
def test_restore_after_the_database_file_was_damaged(tmp_path, where):
    """A power cut or a failing disk damages ctmtqg.sqlite3; the user restores yesterday's
    backup: the check passes again and the records are the backup's."""
    from ctmtqg_desktop.services import demo

    folder = tmp_path / VIETNAMESE
    workspace = workspaces.init_workspace(folder, unit="23524", officer_name="Y Thị Hoa",
                                          simulated_today=demo.demo_today())
    demo.build_demo(workspace)
    taken = backups.create_backup(workspace)
    saved_dump = workspaces.dump(workspace)
    with workspace.engine.connect() as connection:  # everything into the main file
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    workspace.dispose()
    database = workspace.database_file
    size = database.stat().st_size
    _corrupt(database, 0 if where == "header" else size // 2, 8192)
    broken = Workspace(folder)
    try:
        damaged = not workspaces.check(broken).ok
    except Exception:  # noqa: BLE001 - SQLite's own error, whatever it is
        damaged = True
    assert damaged, "the damage went unnoticed"
    broken.dispose()

    restored = Workspace(folder)
    report = workspaces.restore_backup(restored, taken.path)
    assert report.ok, report.problems
    assert workspaces.check(restored).ok
    assert workspaces.dump(restored) == saved_dump
    # the damaged state was kept (as raw files when SQLite could not read it at all)
    assert report.safety.reason == "before-restore"
    assert report.safety.raw_copy == (where == "header")
    if report.safety.raw_copy:
        with pytest.raises(workspaces.BackupIsRawCopy) as caught:
            workspaces.restore_backup(restored, report.safety.path)
        assert "đã hỏng" in str(caught.value)
    restored.dispose()


def test_a_damaged_backup_is_refused_and_changes_nothing(demo_workspace, tmp_path):
    taken = backups.create_backup(demo_workspace, folder=tmp_path / "usb")
    villages.save_village(demo_workspace, name="Thôn giữ nguyên")
    before = workspaces.dump(demo_workspace)
    data = bytearray(taken.path.read_bytes())
    with zipfile.ZipFile(taken.path) as archive:
        entry = archive.getinfo(taken.database_entry.name)
    middle = entry.header_offset + 100 + entry.compress_size // 2
    data[middle] ^= 0xFF
    damaged = tmp_path / "hỏng.ctbackup"
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupDamaged) as caught:
        workspaces.restore_backup(demo_workspace, damaged)
    assert "bị hỏng" in str(caught.value)
    assert workspaces.dump(demo_workspace) == before
    assert [b.reason for b in backups.workspace_backups(demo_workspace).backups] == []
    # a shared store that lost a scan: the backup is refused too
    own = backups.create_backup(demo_workspace)
    lost = own.attachments[0].name
    (demo_workspace.backups_dir / backups.STORE / lost[:2] / lost).unlink()
    with pytest.raises(BackupDamaged) as caught:
        backups.verify_backup(own.path)
    assert lost in str(caught.value)
    # something that is not a backup at all
    other = tmp_path / "khac.ctbackup"
    other.write_bytes(b"PK not really")
    with pytest.raises(BackupDamaged):
        backups.read_info(other)
    listing = backups.list_backups(tmp_path)
    assert {p.name for p, _reason in listing.unreadable} == {"hỏng.ctbackup", "khac.ctbackup"} \
        or {p.name for p, _reason in listing.unreadable} == {"khac.ctbackup"}


def test_rotation_keeps_7_daily_4_weekly_12_monthly_and_the_users_own(new_workspace):
    workspace = new_workspace()
    clock = Clock(dt.datetime(2025, 1, 1, 9, 0, tzinfo=TZ))
    manual = backups.create_backup(workspace, clock=clock)
    for _day in range(100):  # one automatic backup a day for 100 days, on the injected clock
        clock.now += dt.timedelta(days=1)
        made = backups.daily_backup(workspace, clock=clock)
        assert made is not None
        assert backups.daily_backup(workspace, clock=clock) is None  # once a day
    remaining = backups.workspace_backups(workspace).backups
    daily = sorted(b.created_at.date() for b in remaining if b.reason == "daily")
    last = clock.now.date()  # 11/04/2025
    assert [last - dt.timedelta(days=n) for n in range(6, -1, -1)] == daily[-7:]
    # before the last 7 days: the newest of each of the 4 newest weeks, then of each month
    # (weeks 15 and 14 end inside the last 7 days; weeks 13 and 12 end on a Sunday)
    sundays = [dt.date(2025, 3, 30), dt.date(2025, 3, 23)]
    assert set(sundays) <= set(daily) and dt.date(2025, 3, 16) not in daily
    assert {dt.date(2025, 1, 31), dt.date(2025, 2, 28), dt.date(2025, 3, 31)} <= set(daily)
    assert len(daily) == len(set(daily)) == 7 + len(sundays) + 3
    assert manual.path in [b.path for b in remaining]  # the user's own is never removed


def test_event_backups_stay_a_week_and_the_shared_store_is_cleaned(demo_workspace):
    clock = Clock(dt.datetime.now(TZ) + dt.timedelta(days=1))
    first = backups.create_backup(demo_workspace, reason="before-import", clock=clock)
    clock.now += dt.timedelta(hours=1)
    second = backups.create_backup(demo_workspace, reason="before-import", clock=clock)
    kept = {b.path for b in backups.workspace_backups(demo_workspace).backups}
    assert {first.path, second.path} <= kept  # both kept: within the week
    store = demo_workspace.backups_dir / backups.STORE
    assert sorted(p.name for p in store.glob("??/*")) == sorted(
        a.name for a in first.attachments)  # one copy of each scan for both backups
    clock.now += dt.timedelta(days=8)
    backups.create_backup(demo_workspace, reason="daily", clock=clock)
    kept = {b.path for b in backups.workspace_backups(demo_workspace).backups}
    assert first.path not in kept and second.path in kept  # newest of its day stays
    # a scan no kept backup names leaves the store once it is old enough
    orphan = store / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"old")
    clock.now += dt.timedelta(days=1)
    backups.create_backup(demo_workspace, reason="daily", clock=clock)
    assert not orphan.exists()


def test_imports_and_upgrades_take_a_backup_first(new_workspace, tmp_path):
    from tests.services.test_workbook_import import fill_template

    workspace = new_workspace()
    path = tmp_path / VIETNAMESE / "thôn.xlsx"
    path.parent.mkdir()
    fill_template(path, [["Thôn 1", "Kinh", 120, 480, "không"]])
    villages.import_villages(workspace, path)
    (taken,) = backups.workspace_backups(workspace).backups
    assert taken.reason == "before-import" and "truoc-khi-nhap" in taken.path.name
    # the backup holds the state before the import: no village yet
    blank = Workspace(tmp_path / "check", workspace.database_url if not
                      workspace.uses_sqlite else None)
    if workspace.uses_sqlite:
        workspaces.prepare_database(blank)
        workspaces.restore_backup(blank, taken.path)
        assert villages.list_villages(blank) == []
        blank.dispose()


def test_a_restore_refuses_a_backup_of_the_other_kind_of_database(tmp_path):
    info = backups.BackupInfo(
        path=tmp_path / "x.ctbackup", created_at=dt.datetime.now(TZ), reason="manual",
        database="postgresql", schema_revision=None, unit_id=None, unit_name="",
        app_version="", entries=(), attachments=(), shared_store=False, raw_copy=False,
        file_size=0)
    workspace = Workspace(tmp_path / "ws")  # a SQLite file
    with pytest.raises(workspaces.BackupOfOtherDatabase) as caught:
        _restore._check_kind(workspace, info)
    assert "PostgreSQL" in str(caught.value) and "SQLite" in str(caught.value)


def test_long_paths_and_vietnamese_names_work(new_workspace, tmp_path):
    workspace = new_workspace(folder=tmp_path / VIETNAMESE / "thư mục làm việc")
    deep = tmp_path / VIETNAMESE
    while len(str(deep)) < 320:
        deep = deep / "Thư mục con có dấu và khoảng trắng"
    taken = backups.create_backup(workspace, folder=deep)
    assert len(str(taken.path)) > 300
    (listed,) = backups.list_backups(deep).backups
    assert listed.path == taken.path
    report = workspaces.restore_backup(workspace, taken.path)
    assert report.ok


def test_windows_long_path_prefix():
    import ntpath

    long_name = "C:\\Users\\Hoa\\AppData\\Local\\" + "Dữ liệu xã Đăk Hà\\" * 20 + "a.ctbackup"
    os_module = _archive.os  # the module's own view of the platform
    original = os_module.name, os_module.path
    os_module.name, os_module.path = "nt", ntpath
    try:
        assert backups.long_path(long_name).startswith("\\\\?\\C:\\Users")
        assert backups.long_path("C:\\short") == "C:\\short"
        assert backups.long_path("\\\\server\\share\\" + "x" * 250).startswith(
            "\\\\?\\UNC\\server\\share")
    finally:
        os_module.name, os_module.path = original


def test_the_postgres_password_travels_in_the_environment_only():
    env = backups.postgres_environment(
        "postgresql+psycopg://hoa:bí mật@db.local:5433/ctmtqg?sslmode=require")
    assert (env["PGUSER"], env["PGPASSWORD"], env["PGHOST"], env["PGPORT"],
            env["PGDATABASE"], env["PGSSLMODE"]) == ("hoa", "bí mật", "db.local", "5433",
                                                      "ctmtqg", "require")


def test_a_backup_is_never_left_half_written(new_workspace, tmp_path, monkeypatch):
    workspace = new_workspace()
    target = tmp_path / "usb"
    target.mkdir()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_writing, "_bytes_into_zip", fail)  # the manifest, written last
    with pytest.raises(backups.BackupFolderFull) as caught:
        backups.create_backup(workspace, folder=target)
    assert "đã đầy" in str(caught.value)
    assert list(target.iterdir()) == []
    assert shutil.disk_usage(target).free > 0
