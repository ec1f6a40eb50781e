"""Khôi phục (restore) a workspace from a backup made by :mod:`services.backups`.

A restore never loses the present: it first checks the whole backup (every entry and every
attached file against the manifest's SHA-256) and then backs up the current state (even a
database SQLite can no longer read is kept, as raw files). Only then is the database
replaced: SQLite's file is written under a temporary name beside the live one, checked by
SQLite (``PRAGMA integrity_check``), fsync'ed and renamed over it (the stale ``-wal`` and
``-shm`` removed first, so SQLite never replays an old journal onto the restored file);
PostgreSQL's tables are dropped and ``pg_restore`` runs in one transaction. Attached files
missing or damaged in the workspace are put back (files the backup does not name are left:
they are content-addressed, harmless, and may be someone's newer scans); the keys are put
back. Finally the workspace is opened as usual (an older backup is upgraded, with its own
backup first) and checked the same way as ``ctmtqg check``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ctmtqg_desktop.domain.errors import SchemaNewerThanApp, UserError
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import backups
from ctmtqg_desktop.services.backups import (
    CHUNK,
    STORE,
    BackupDamaged,
    BackupInfo,
    Clock,
    long_path,
    writing_into,
)
from ctmtqg_desktop.store.atomic_files import atomic_write, publish
from ctmtqg_desktop.store.workspace import Workspace


class BackupOfOtherDatabase(UserError):
    template = N_("The backup {file} holds a {kind} database, but this workspace keeps its "
                  "records in {workspace_kind}; nothing was restored.")


class BackupIsRawCopy(UserError):
    template = N_("The backup {file} is a copy of a database that was already damaged when "
                  "it was taken; it is kept for a specialist, but cannot be restored here. "
                  "Choose an earlier backup.")


class WorkspaceInUse(UserError):
    template = N_("The workspace's database is open in another program (another window of "
                  "CTMTQG Desktop, or a command). Close it and restore again; nothing was "
                  "restored.")


@dataclass(frozen=True)
class RestoreReport:
    restored: BackupInfo
    safety: BackupInfo  # the state before the restore, kept as a backup
    problems: list[str]
    facts: list[str]
    attachments_restored: int

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_kind(workspace: Workspace, info: BackupInfo) -> None:
    from ctmtqg_desktop.store import schema

    kind = "sqlite" if workspace.uses_sqlite else "postgresql"
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    if info.database != kind:
        raise BackupOfOtherDatabase(file=str(info.path), kind=names.get(info.database,
                                                                         info.database),
                                    workspace_kind=names[kind])
    if info.raw_copy:
        raise BackupIsRawCopy(file=str(info.path))
    if info.schema_revision and info.schema_revision not in schema.revision_graph():
        raise SchemaNewerThanApp(workspace_revision=info.schema_revision)


def restore_backup(workspace: Workspace, path: str | os.PathLike[str], *,
                   clock: Clock | None = None) -> RestoreReport:
    """Replace the workspace's data by the backup at ``path``; see the module docstring."""
    info = backups.verify_backup(path)
    _check_kind(workspace, info)
    # no rotation yet: it could remove the very backup being restored
    safety = backups.create_backup(workspace, reason="before-restore", clock=clock, prune=False)
    workspace.dispose()
    with zipfile.ZipFile(long_path(info.path)) as archive:
        if workspace.uses_sqlite:
            _restore_sqlite(workspace, info, archive)
        else:
            _restore_postgres(workspace, info, archive)
        restored_files = _restore_attachments(workspace, info, archive)
        _restore_keys(workspace, info, archive)
    workspace.dispose()
    from ctmtqg_desktop.services.workspaces import _workspaces

    _workspaces.prepare_database(workspace)
    workspace.installation(refresh=True)
    report = _workspaces.check(workspace)
    backups.prune_backups(workspace.backups_dir, now=safety.created_at)
    return RestoreReport(restored=info, safety=safety, problems=list(report.problems),
                         facts=list(report.facts), attachments_restored=restored_files)


def _extract(archive: zipfile.ZipFile, name: str, target_folder: Path, expected: str,
             info: BackupInfo) -> Path:
    """Extract one entry into a temporary file of ``target_folder``, checking its hash."""
    fd, temporary = tempfile.mkstemp(prefix=".restore-", suffix=".part",
                                     dir=long_path(target_folder))
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, archive.open(name) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != expected:
            raise BackupDamaged(file=str(info.path), reason=_("{name} has changed").format(
                name=name))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return Path(temporary)


def _restore_sqlite(workspace: Workspace, info: BackupInfo, archive: zipfile.ZipFile) -> None:
    database = workspace.database_file
    assert database is not None
    entry = info.database_entry
    with writing_into(database.parent):
        temporary = _extract(archive, entry.name, database.parent, entry.sha256, info)
    try:
        connection = sqlite3.connect(long_path(temporary))
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            connection.close()
        if verdict != "ok":
            raise BackupDamaged(file=str(info.path), reason=verdict)
        for suffix in ("-wal", "-shm"):  # never replay the old journal onto the new file
            Path(str(temporary) + suffix).unlink(missing_ok=True)
            Path(str(database) + suffix).unlink(missing_ok=True)
        publish(temporary, database)
    except PermissionError as error:  # Windows: the file is open in another process
        raise WorkspaceInUse() from error
    except OSError as error:
        if error.errno in (errno.EBUSY, errno.ETXTBSY):
            raise WorkspaceInUse() from error
        raise backups.folder_error(error, database.parent) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _restore_postgres(workspace: Workspace, info: BackupInfo,
                      archive: zipfile.ZipFile) -> None:
    from sqlalchemy import MetaData

    entry = info.database_entry
    with tempfile.TemporaryDirectory(prefix="ctmtqg-restore-") as scratch:
        dump = _extract(archive, entry.name, Path(scratch), entry.sha256, info)
        tool = backups.postgres_tool("pg_restore")
        with workspace.engine.begin() as connection:  # the current tables go first
            metadata = MetaData()
            metadata.reflect(connection)
            metadata.drop_all(connection)
        workspace.dispose()
        result = subprocess.run(
            [tool, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
             f"--dbname={backups.postgres_environment(workspace.database_url)['PGDATABASE']}",
             str(dump)],
            env=backups.postgres_environment(workspace.database_url),
            capture_output=True, text=True, timeout=6 * 3600)
        if result.returncode != 0:
            raise backups.BackupToolFailed(tool="pg_restore",
                                           reason=result.stderr.strip()[-500:])


def _restore_attachments(workspace: Workspace, info: BackupInfo,
                         archive: zipfile.ZipFile) -> int:
    """Put back every attached file the workspace lacks or holds damaged."""
    from ctmtqg_desktop.services.backups import hash_file

    restored = 0
    for attached in info.attachments:
        target = workspace.attachments_dir / attached.name[:2] / attached.name
        if target.is_file() and hash_file(target)[0] == attached.sha256:
            continue
        with writing_into(workspace.attachments_dir), atomic_write(long_path(target)) as out:
            digest = hashlib.sha256()
            with _open_attachment(info, attached.name, archive) as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != attached.sha256:
                raise BackupDamaged(file=str(info.path), reason=_(
                    "the attached file {name} has changed").format(name=attached.name))
        restored += 1
    return restored


def _open_attachment(info: BackupInfo, name: str, archive: zipfile.ZipFile) -> IO[bytes]:
    if info.shared_store:
        return open(long_path(info.path.parent / STORE / name[:2] / name), "rb")
    return archive.open(f"{STORE}/{name[:2]}/{name}")


def _restore_keys(workspace: Workspace, info: BackupInfo, archive: zipfile.ZipFile) -> None:
    for entry in info.entries:
        if not entry.name.startswith("keys/"):
            continue
        data = archive.read(entry.name)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise BackupDamaged(file=str(info.path), reason=_("{name} has changed").format(
                name=entry.name))
        target = workspace.keys_dir / entry.name.removeprefix("keys/")
        if target.is_file() and target.read_bytes() == data:
            continue
        with writing_into(workspace.keys_dir), atomic_write(target) as out:
            out.write(data)


