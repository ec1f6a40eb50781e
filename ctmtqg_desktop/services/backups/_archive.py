"""The backup file: its name, manifest, errors, listing, verification and rotation
(part of :mod:`ctmtqg_desktop.services.backups`)."""


from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain import backup_rotation
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.store.workspace import Workspace

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



def _is_digest(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


def hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(long_path(path), "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


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
        return lambda: hash_file(stored)
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


