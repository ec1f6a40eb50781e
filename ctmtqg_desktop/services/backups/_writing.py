"""Writing a backup: the database copy, the archive, the shared store of attached files
(part of :mod:`ctmtqg_desktop.services.backups`)."""


from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.engine import make_url

from ctmtqg_desktop import __version__
from ctmtqg_desktop.services.backups._archive import (
    CHUNK,
    EXTENSION,
    FORMAT,
    MANIFEST,
    REASONS,
    SLUGS,
    STORE,
    BackupFolderFull,
    BackupInfo,
    BackupToolFailed,
    BackupToolMissing,
    Clock,
    DatabaseUnreadable,
    Entry,
    _is_digest,
    _manifest_document,
    folder_error,
    local_now,
    long_path,
    prune_backups,
    read_info,
    verify_backup,
    writing_into,
)
from ctmtqg_desktop.store.atomic_files import publish
from ctmtqg_desktop.store.workspace import DATABASE_FILE, Workspace

log = logging.getLogger("ctmtqg.backups")

# ---------------------------------------------------------------------------- writing
def _copy_into_zip(archive: zipfile.ZipFile, name: str, source: Path, *,
                   compress: bool) -> Entry:
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    # a backup before every import must be quick: level 1 (level 6 saves about a tenth);
    # ZipInfo.compress_level is public from Python 3.13, _compresslevel before
    info._compresslevel = 1  # type: ignore[attr-defined]
    info.external_attr = 0o600 << 16
    with open(long_path(source), "rb") as handle, \
            archive.open(info, "w", force_zip64=True) as out:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return Entry(name, size, digest.hexdigest())


def _bytes_into_zip(archive: zipfile.ZipFile, name: str, data: bytes) -> Entry:
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    archive.writestr(info, data)
    return Entry(name, len(data), hashlib.sha256(data).hexdigest())




def attachment_files(workspace: Workspace) -> list[Path]:
    """The files of the workspace's content-addressed store (named by their SHA-256)."""
    root = workspace.attachments_dir
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("??/*") if p.is_file() and _is_digest(p.name))


def _installation_facts(workspace: Workspace) -> tuple[str | None, str]:
    """The unit of the workspace, read without the ORM: the schema may be old or damaged."""
    from sqlalchemy import text

    try:
        with workspace.engine.connect() as connection:
            unit_id = connection.execute(
                text("SELECT unit_id FROM installation WHERE id = 1")).scalar()
            name = connection.execute(
                text("SELECT name FROM admin_unit WHERE id = :unit"), {"unit": unit_id}
            ).scalar() if unit_id else None
        return unit_id, name or ""
    except Exception:  # noqa: BLE001 - a damaged database still gets its raw copy
        log.warning("backup: the installation could not be read", exc_info=True)
        return None, ""


def _schema_revision(workspace: Workspace) -> str | None:
    from ctmtqg_desktop.store import schema

    try:
        return schema.current_revision(workspace)
    except Exception:  # noqa: BLE001 - see _installation_facts
        return None


def _sqlite_copy(database: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while others read and write."""
    source = sqlite3.connect(long_path(database), timeout=30)
    try:
        destination = sqlite3.connect(long_path(target))
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def postgres_environment(database_url: str) -> dict[str, str]:
    """libpq's environment for a database URL: the password travels here, never on the
    command line where other users of the computer could read it."""
    url = make_url(database_url)
    env = dict(os.environ)
    for variable, value in (("PGHOST", url.host), ("PGPORT", url.port),
                            ("PGUSER", url.username), ("PGPASSWORD", url.password),
                            ("PGDATABASE", url.database)):
        if value is not None:
            env[variable] = str(value)
    for option, variable in (("sslmode", "PGSSLMODE"), ("passfile", "PGPASSFILE"),
                             ("host", "PGHOST")):
        given = url.query.get(option)
        if isinstance(given, str):
            env[variable] = given
    return env


def postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupToolMissing(tool=name)
    return found


def _pg_dump(workspace: Workspace, target: Path) -> None:
    tool = postgres_tool("pg_dump")
    result = subprocess.run([tool, "--format=custom", "--no-owner", f"--file={target}"],
                            env=postgres_environment(workspace.database_url),
                            capture_output=True, text=True, timeout=6 * 3600)
    if result.returncode != 0:
        raise BackupToolFailed(tool="pg_dump", reason=result.stderr.strip()[-500:])


def _backup_name(unit_id: str | None, reason: str, moment: dt.datetime, folder: Path) -> Path:
    unit = (unit_id or "ctmtqg").split("@")[0]
    stem = f"{unit}-{moment:%Y-%m-%d-%H%M%S}-{SLUGS.get(reason, reason)}"
    candidate = folder / f"{stem}{EXTENSION}"
    number = 2
    while os.path.exists(long_path(candidate)):
        candidate = folder / f"{stem}-{number}{EXTENSION}"
        number += 1
    return candidate


def _estimated_size(workspace: Workspace, attachments: list[Path],
                    store: Path | None) -> int:
    total = 0
    if workspace.uses_sqlite and workspace.database_file:
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += Path(str(workspace.database_file) + suffix).stat().st_size
    for path in attachments:
        if store is not None and (store / path.parent.name / path.name).exists():
            continue
        total += path.stat().st_size
    return total


def _probe_writable(folder: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=".probe-", dir=long_path(folder))
    os.close(fd)
    os.unlink(name)


def _check_space(folder: Path, needed: int) -> None:
    try:
        free = shutil.disk_usage(long_path(folder)).free
    except OSError:
        return
    if needed > free:
        raise BackupFolderFull(folder=str(folder))


def _add_to_store(store: Path, source: Path) -> Entry:
    """Put one attached file in a shared store (verified against its name) and return it.

    A file already there is only touched, so a clean-up running in another process does
    not take it for unreferenced while this backup is being written."""
    target = store / source.parent.name / source.name
    try:
        os.utime(long_path(target))
        return Entry(source.name, target.stat().st_size, source.name)
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".incoming-", dir=long_path(target.parent))
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out, open(long_path(source), "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != source.name:
            raise _DamagedAttachment(source.name)
        os.replace(temporary, long_path(target))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return Entry(source.name, size, source.name)


class _DamagedAttachment(Exception):
    """An attached file whose content no longer matches its SHA-256 name."""


def create_backup(workspace: Workspace, *, reason: str = "manual",
                  folder: str | os.PathLike[str] | None = None, clock: Clock | None = None,
                  prune: bool = True, verify: bool | None = None) -> BackupInfo:
    """Write one backup of ``workspace`` into ``folder`` (default: its ``backups/``).

    A database SQLite cannot read any more (a damaged file) is copied as raw files instead,
    so the state before a restore is kept whatever it is. ``verify`` reads the written file
    back and checks every hash (default: when writing outside the workspace, e.g. to a USB
    stick). Automatic backups in the workspace's folder are rotated afterwards."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    moment = (clock or local_now)()
    own_folder = folder is None or Path(folder).resolve() == workspace.backups_dir.resolve()
    target_folder = workspace.backups_dir if folder is None else Path(folder)
    store = target_folder / STORE if own_folder else None
    attachments = attachment_files(workspace)
    unit_id, unit_name = _installation_facts(workspace)
    with writing_into(target_folder):
        os.makedirs(long_path(target_folder), exist_ok=True)
        _probe_writable(target_folder)  # a locked stick says so, rather than "full"
        _check_space(target_folder, _estimated_size(workspace, attachments, store))
        target = _backup_name(unit_id, reason, moment, target_folder)
    # the database copy is made on the workspace's own disk, then archived into the target
    with writing_into(workspace.backups_dir):
        workspace.backups_dir.mkdir(parents=True, exist_ok=True)
        scratch = tempfile.TemporaryDirectory(prefix=".copy-", dir=workspace.backups_dir)
    with scratch:
        with writing_into(workspace.backups_dir):
            database, copy = _database_copy(workspace, Path(scratch.name), reason)
        with writing_into(target_folder):
            temporary = _write_archive(
                workspace, target, database=database, copy=copy, attachments=attachments,
                store=store, document={
                    "format": FORMAT, "version": 1, "created_at": moment.isoformat(),
                    "reason": reason, "unit_id": unit_id, "unit_name": unit_name,
                    "app_version": __version__, "workspace": str(workspace.folder)})
            publish(temporary, long_path(target))
    info = read_info(target)
    if verify if verify is not None else not own_folder:
        verify_backup(target)
    log.info("backup written: %s (%s)", target, reason)
    if own_folder and prune:
        prune_backups(target_folder, now=moment)
    return info


def _database_copy(workspace: Workspace, scratch: Path,
                   reason: str) -> tuple[list[tuple[str, Path]], dict[str, Any]]:
    """The database as files to archive, and the manifest's ``database`` object."""
    revision = _schema_revision(workspace)
    if not workspace.uses_sqlite:
        dump = scratch / "database.pgdump"
        _pg_dump(workspace, dump)
        return [("database/database.pgdump", dump)], {
            "kind": "postgresql", "copy": "pg_dump", "schema_revision": revision}
    database = workspace.database_file
    assert database is not None
    copy = scratch / DATABASE_FILE
    try:
        _sqlite_copy(database, copy)
        return [(f"database/{DATABASE_FILE}", copy)], {
            "kind": "sqlite", "copy": "online-backup", "schema_revision": revision}
    except sqlite3.DatabaseError as error:
        name = getattr(error, "sqlite_errorname", "")
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")):
            raise folder_error(OSError(errno.EACCES, str(error)), scratch) from error
        if name.startswith("SQLITE_FULL") or name in ("SQLITE_IOERR_WRITE",
                                                       "SQLITE_IOERR_FSYNC",
                                                       "SQLITE_IOERR_TRUNCATE"):
            # the copy could not be written (a full disk): the folder's sentence
            raise folder_error(OSError(errno.ENOSPC, str(error)), scratch) from error
        if reason != "before-restore":
            raise DatabaseUnreadable(reason=str(error)) from error
        # SQLite cannot read it: keep the files as they are, for an expert
        log.warning("backup: the database cannot be read; copying its files as they are",
                    exc_info=True)
        files = [(f"database/{DATABASE_FILE}", database)]
        wal = Path(str(database) + "-wal")
        if wal.is_file():
            files.append((f"database/{DATABASE_FILE}-wal", wal))
        return files, {"kind": "sqlite", "copy": "raw", "schema_revision": revision}


def _write_archive(workspace: Workspace, target: Path, *, database: list[tuple[str, Path]],
                   copy: dict[str, Any], attachments: list[Path], store: Path | None,
                   document: dict[str, Any]) -> Path:
    """Write the archive under a temporary name beside ``target``; fsync'ed, not renamed."""
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=long_path(target.parent))
    try:
        with os.fdopen(fd, "w+b") as handle:
            _fill_archive(handle, workspace, database=database, copy=copy,
                          attachments=attachments, store=store, document=document)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return Path(temporary)


def _fill_archive(handle: BinaryIO, workspace: Workspace, *, database: list[tuple[str, Path]],
                  copy: dict[str, Any], attachments: list[Path], store: Path | None,
                  document: dict[str, Any]) -> None:
    entries: list[Entry] = []
    files: list[Entry] = []
    skipped: list[str] = []
    with zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
        for name, path in database:
            entries.append(_copy_into_zip(archive, name, path, compress=True))
        keys = workspace.keys_dir
        if keys.is_dir():
            for path in sorted(p for p in keys.iterdir() if p.is_file()):
                entries.append(_copy_into_zip(archive, f"keys/{path.name}", path,
                                              compress=True))
        config = workspace.folder / "workspace.json"
        if config.is_file():
            entries.append(_copy_into_zip(archive, "workspace.json", config, compress=True))
        for path in attachments:
            try:
                if store is not None:
                    files.append(_add_to_store(store, path))
                else:
                    entry = _copy_into_zip(archive, f"{STORE}/{path.parent.name}/{path.name}",
                                           path, compress=False)
                    if entry.sha256 != path.name:
                        raise _DamagedAttachment(path.name)
                    files.append(Entry(path.name, entry.size, entry.sha256))
            except _DamagedAttachment:
                # a damaged scan must not stop the backup of everything else
                log.warning("backup: attached file %s is damaged; left out", path.name)
                skipped.append(path.name)
        manifest = dict(document)
        manifest["database"] = copy
        manifest["entries"] = [e.__dict__ for e in entries]
        manifest["attachments"] = {"store": "shared" if store is not None else "inside",
                                   "files": [f.__dict__ for f in files],
                                   "damaged_left_out": skipped}
        _bytes_into_zip(archive, MANIFEST, _manifest_document(manifest))


