"""Sao lưu (backups) of a workspace that a user can see, list, carry on a USB stick and
restore (restore itself is in :func:`ctmtqg_desktop.services.workspaces.restore_backup`).

A backup is one file, ``<unit>-<yyyy-mm-dd>-<hhmmss>-<reason>.ctbackup``: a zip archive with
``manifest.json`` (time, reason, data version, unit, the size and SHA-256 of every entry and
attached file), the database (SQLite: a copy made by SQLite's online backup API, consistent
while the application writes; PostgreSQL: ``pg_dump --format=custom``, the password through
the environment, never the command line), the installation's keys and the attached files.
It is written under a temporary name, fsync'ed and renamed, so a power cut or a pulled USB
stick never leaves half a backup under a backup's name.

Backups in the workspace's own ``backups/`` folder share one content-addressed store of
attached files (``backups/attachments/ab/abcd…``), so 23 rotated backups do not hold 23
copies of every scan; a backup written anywhere else (a USB stick) carries its files inside
and stands alone. Automatic backups (daily, before an import, before an upgrade, before a
restore) are rotated by :mod:`ctmtqg_desktop.domain.backup_rotation`; a user's own backups
are never removed.

A folder that is read-only, full, or gone (a USB stick pulled out) gives a Vietnamese
sentence (:class:`BackupFolderReadOnly`, :class:`BackupFolderFull`,
:class:`BackupFolderUnavailable`) and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.engine import make_url

from ctmtqg_desktop import __version__
from ctmtqg_desktop.domain import backup_rotation
from ctmtqg_desktop.domain.errors import BackupFailed, UserError
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.store.atomic_files import publish
from ctmtqg_desktop.store.workspace import DATABASE_FILE, Workspace

log = logging.getLogger("ctmtqg.backups")

EXTENSION = ".ctbackup"
MANIFEST = "manifest.json"
FORMAT = "ctmtqg-backup"
STORE = "attachments"
CHUNK = 1024 * 1024
#: an unreferenced file in a shared store younger than this may belong to a backup being
#: written by another process right now; the clean-up leaves it for next time
STORE_GRACE = dt.timedelta(hours=1)

REASONS = {
    "manual": N_("made by the user"),
    "daily": N_("daily (automatic)"),
    "before-import": N_("before an import"),
    "before-migration": N_("before an upgrade of the data"),
    "before-restore": N_("before a restore"),
}
#: Vietnamese words, without diacritics, in the file name a user sees on a USB stick
SLUGS = {
    "manual": "thu-cong",
    "daily": "hang-ngay",
    "before-import": "truoc-khi-nhap",
    "before-migration": "truoc-khi-nang-cap",
    "before-restore": "truoc-khi-khoi-phuc",
}

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def reason_label(reason: str) -> str:
    return _(REASONS.get(reason, reason))


# ---------------------------------------------------------------------------- errors
class BackupFolderReadOnly(UserError):
    template = N_("Nothing can be written to the folder {folder}: it is read-only (a USB "
                  "stick with its write-protect switch on, or a folder you may not write "
                  "to). Unlock it or choose another folder; nothing was changed.")


class BackupFolderFull(UserError):
    template = N_("The folder {folder} is full, or the file is too large for it (a USB stick "
                  "formatted as FAT32 takes files up to 4 GB). Free some space or choose "
                  "another folder; nothing was changed.")


class BackupFolderUnavailable(UserError):
    template = N_("The folder {folder} cannot be used ({reason}). Check that the USB stick "
                  "is still plugged in, or choose another folder; nothing was changed.")


class NotABackup(UserError):
    exit_code = 2
    template = N_("{file} is not a CTMTQG backup file.")


class BackupDamaged(UserError):
    template = N_("The backup {file} is damaged or incomplete ({reason}); nothing was "
                  "restored from it.")


class DatabaseUnreadable(UserError):
    template = N_("SQLite cannot read the workspace's database ({reason}), so it cannot be "
                  "backed up. Restore it from an earlier backup (Settings, “Restore…”, or "
                  "“ctmtqg backup restore”).")


class WorkspaceUnreadable(UserError):
    """The workspace's SQLite file is damaged: SQLite refuses to read it."""

    template = N_("The workspace's database {path} cannot be read ({reason}). Restore it from "
                  "a backup: the window offers the backups when it starts; on the command "
                  "line, ctmtqg backup list, then ctmtqg backup restore.")


class BackupToolMissing(UserError):
    template = N_("The PostgreSQL program {tool} was not found; install the PostgreSQL "
                  "client tools to back up or restore this workspace.")


class BackupToolFailed(UserError):
    template = N_("The PostgreSQL program {tool} failed: {reason}")


# ---------------------------------------------------------------------------- OS errors
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def folder_error(error: OSError, folder: Path) -> UserError:
    """The sentence for an OS error met while writing into ``folder``."""
    if error.errno in _FULL:
        return BackupFolderFull(folder=str(folder))
    if error.errno in _READ_ONLY or isinstance(error, PermissionError):
        return BackupFolderReadOnly(folder=str(folder))
    return BackupFolderUnavailable(folder=str(folder), reason=error.strerror or str(error))


@contextlib.contextmanager
def writing_into(folder: Path) -> Iterator[None]:
    """Turn the OS errors of writing into ``folder`` into Vietnamese sentences."""
    try:
        yield
    except OSError as error:
        raise folder_error(error, folder) from error


def long_path(path: Path) -> str:
    """A path Windows opens even past 260 characters (``\\\\?\\`` prefix); others as is.

    The installer is per-user and cannot switch on Windows' long-path setting, so the
    files this module writes take the prefix themselves."""
    text = str(path)
    if os.name != "nt" or text.startswith("\\\\?\\") or len(text) < 240:
        return text
    text = os.path.abspath(text)
    if text.startswith("\\\\"):
        return "\\\\?\\UNC\\" + text[2:]
    return "\\\\?\\" + text


# ---------------------------------------------------------------------------- manifest
@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BackupInfo:
    """What a backup's manifest says, and where the file is."""

    path: Path
    created_at: dt.datetime
    reason: str
    database: str  # "sqlite" or "postgresql"
    schema_revision: str | None
    unit_id: str | None
    unit_name: str
    app_version: str
    entries: tuple[Entry, ...]
    attachments: tuple[Entry, ...]
    shared_store: bool
    raw_copy: bool
    file_size: int

    @property
    def database_entry(self) -> Entry:
        return next(e for e in self.entries if e.name.startswith("database/"))

    @property
    def attachment_bytes(self) -> int:
        return sum(a.size for a in self.attachments)

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)

    @property
    def stamp(self) -> backup_rotation.Stamp:
        return backup_rotation.Stamp(str(self.path), self.created_at, self.reason)


def _manifest_document(info: dict[str, Any]) -> bytes:
    return (json.dumps(info, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def _info_from(path: Path, document: dict[str, Any], file_size: int) -> BackupInfo:
    if document.get("format") != FORMAT or document.get("version") != 1:
        raise NotABackup(file=str(path))
    try:
        def entries(items: list[dict[str, Any]]) -> tuple[Entry, ...]:
            return tuple(Entry(str(i["name"]), int(i["size"]), str(i["sha256"])) for i in items)

        database = document["database"]
        return BackupInfo(
            path=path, created_at=dt.datetime.fromisoformat(document["created_at"]),
            reason=str(document["reason"]), database=str(database["kind"]),
            schema_revision=database.get("schema_revision"),
            unit_id=document.get("unit_id"), unit_name=str(document.get("unit_name") or ""),
            app_version=str(document.get("app_version") or ""),
            entries=entries(document["entries"]),
            attachments=entries(document["attachments"]["files"]),
            shared_store=document["attachments"]["store"] == "shared",
            raw_copy=database.get("copy") == "raw", file_size=file_size)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupDamaged(file=str(path), reason=_("unreadable manifest")) from error


def read_info(path: str | os.PathLike[str]) -> BackupInfo:
    """The manifest of a backup file (cheap: reads the zip directory and one small entry)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(long_path(path)) as archive:
            with archive.open(MANIFEST) as handle:
                document = json.loads(handle.read(1024 * 1024 * 16).decode("utf-8"))
        size = os.stat(long_path(path)).st_size
    except FileNotFoundError as error:
        raise BackupFolderUnavailable(folder=str(path), reason=_("the file does not exist")) \
            from error
    except KeyError as error:
        raise NotABackup(file=str(path)) from error
    except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError, EOFError) as error:
        raise BackupDamaged(file=str(path), reason=_("not a complete archive")) from error
    except OSError as error:
        raise BackupFolderUnavailable(folder=str(path.parent),
                                      reason=error.strerror or str(error)) from error
    if not isinstance(document, dict):
        raise NotABackup(file=str(path))
    return _info_from(path, document, size)


# ---------------------------------------------------------------------------- listing
@dataclass(frozen=True)
class Listing:
    folder: Path
    backups: list[BackupInfo]  # newest first
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def list_backups(folder: str | os.PathLike[str]) -> Listing:
    """Every backup file in ``folder``, newest first; files that cannot be read, with why."""
    folder = Path(folder)
    found: list[BackupInfo] = []
    unreadable: list[tuple[Path, str]] = []
    if not os.path.isdir(long_path(folder)):
        return Listing(folder, [], [])
    names = sorted(e.name for e in os.scandir(long_path(folder))
                   if e.name.endswith(EXTENSION) and e.is_file())
    for path in (folder / name for name in names):
        try:
            found.append(read_info(path))
        except UserError as error:
            unreadable.append((path, str(error)))
    found.sort(key=lambda b: b.created_at, reverse=True)
    return Listing(folder, found, unreadable)


def workspace_backups(workspace: Workspace) -> Listing:
    return list_backups(workspace.backups_dir)


# ---------------------------------------------------------------------------- writing
def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(long_path(path), "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


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


def _is_digest(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


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


# ---------------------------------------------------------------------------- verifying
def _zip_entry_hash(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_backup(path: str | os.PathLike[str]) -> BackupInfo:
    """Check every entry and attached file against the manifest's size and SHA-256."""
    info = read_info(path)
    path = info.path
    try:
        with zipfile.ZipFile(long_path(path)) as archive:
            names = set(archive.namelist())
            for entry in info.entries:
                if entry.name not in names:
                    raise BackupDamaged(file=str(path), reason=_("{name} is missing").format(
                        name=entry.name))
                if _zip_entry_hash(archive, entry.name) != (entry.sha256, entry.size):
                    raise BackupDamaged(file=str(path), reason=_("{name} has changed").format(
                        name=entry.name))
            for attached in info.attachments:
                found = attachment_source(info, attached, archive=archive)
                if found is None:
                    raise BackupDamaged(file=str(path), reason=_(
                        "the attached file {name} is missing").format(name=attached.name))
                if found() != (attached.sha256, attached.size):
                    raise BackupDamaged(file=str(path), reason=_(
                        "the attached file {name} has changed").format(name=attached.name))
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise BackupDamaged(file=str(path), reason=_("not a complete archive")) from error
    except OSError as error:
        raise BackupFolderUnavailable(folder=str(path.parent),
                                      reason=error.strerror or str(error)) from error
    return info


def attachment_source(info: BackupInfo, attached: Entry, *,
                      archive: zipfile.ZipFile) -> Callable[[], tuple[str, int]] | None:
    """A function hashing one attached file of a backup where it is kept, or None."""
    if info.shared_store:
        stored = info.path.parent / STORE / attached.name[:2] / attached.name
        if not stored.is_file():
            return None
        return lambda: _hash_file(stored)
    name = f"{STORE}/{attached.name[:2]}/{attached.name}"
    try:
        archive.getinfo(name)
    except KeyError:
        return None
    return lambda: _zip_entry_hash(archive, name)


# ---------------------------------------------------------------------------- rotation
def prune_backups(folder: str | os.PathLike[str], *, now: dt.datetime | None = None) -> list[Path]:
    """Remove the automatic backups the rotation does not keep, then the attached files no
    backup needs; returns the backups removed. Files that are not readable backups are
    never touched."""
    folder = Path(folder)
    now = now or local_now()
    listing = list_backups(folder)
    kept = backup_rotation.keep([b.stamp for b in listing.backups], now)
    removed = []
    for backup in listing.backups:
        if str(backup.path) not in kept:
            with contextlib.suppress(FileNotFoundError):
                backup.path.unlink()
            removed.append(backup.path)
    if removed:
        log.info("backups rotated: %d removed", len(removed))
    _clean_store(folder, [b for b in listing.backups if str(b.path) in kept],
                 keep_everything=bool(listing.unreadable), now=now)
    return removed


def _clean_store(folder: Path, kept: list[BackupInfo], *, keep_everything: bool,
                 now: dt.datetime) -> None:
    store = folder / STORE
    if keep_everything or not store.is_dir():
        return  # a backup we cannot read may need any of them
    needed = {a.name for b in kept if b.shared_store for a in b.attachments}
    limit = (now - STORE_GRACE).timestamp()
    for path in store.glob("??/*"):
        if path.name in needed or not _is_digest(path.name):
            continue
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


# ---------------------------------------------------------------------------- automatic
def last_backup(workspace: Workspace) -> BackupInfo | None:
    backups = workspace_backups(workspace).backups
    return backups[0] if backups else None


def daily_backup_due(workspace: Workspace, *, clock: Clock | None = None) -> bool:
    """No backup of any kind was taken today (local time) in the workspace's folder."""
    today = (clock or local_now)().date()
    return not any(b.created_at.date() == today for b in workspace_backups(workspace).backups)


def daily_backup(workspace: Workspace, *, clock: Clock | None = None) -> BackupInfo | None:
    """The automatic daily backup: taken when none was taken today, then rotated."""
    if not daily_backup_due(workspace, clock=clock):
        return None
    return create_backup(workspace, reason="daily", clock=clock)


def before_import(workspace: Workspace) -> BackupInfo:
    """The backup taken before every import (a refused backup refuses the import)."""
    return create_backup(workspace, reason="before-import")


def before_migration(workspace: Workspace, current: str | None = None) -> Path:
    """The backup taken before the data is upgraded; the upgrade waits for it."""
    try:
        return create_backup(workspace, reason="before-migration").path
    except UserError as error:
        raise BackupFailed(reason=str(error)) from error
