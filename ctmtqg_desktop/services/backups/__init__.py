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

The package: ``_archive`` (the file, its manifest, errors, listing, verification, rotation),
``_writing`` (making one), and here the automatic backups.
"""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.domain.errors import BackupFailed, UserError
from ctmtqg_desktop.services.backups._archive import (
    CHUNK,
    EXTENSION,
    FORMAT,
    MANIFEST,
    REASONS,
    SLUGS,
    STORE,
    STORE_GRACE,
    BackupDamaged,
    BackupFolderFull,
    BackupFolderReadOnly,
    BackupFolderUnavailable,
    BackupInfo,
    BackupToolFailed,
    BackupToolMissing,
    Clock,
    DatabaseUnreadable,
    Entry,
    Listing,
    NotABackup,
    WorkspaceUnreadable,
    attachment_source,
    folder_error,
    hash_file,
    list_backups,
    local_now,
    long_path,
    prune_backups,
    read_info,
    reason_label,
    verify_backup,
    workspace_backups,
    writing_into,
)
from ctmtqg_desktop.services.backups._writing import (
    attachment_files,
    create_backup,
    postgres_environment,
    postgres_tool,
)
from ctmtqg_desktop.store.workspace import Workspace


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



__all__ = [
    "BackupDamaged",
    "BackupFolderFull",
    "BackupFolderReadOnly",
    "BackupFolderUnavailable",
    "BackupInfo",
    "BackupToolFailed",
    "BackupToolMissing",
    "CHUNK",
    "Clock",
    "DatabaseUnreadable",
    "EXTENSION",
    "Entry",
    "FORMAT",
    "Listing",
    "MANIFEST",
    "NotABackup",
    "REASONS",
    "SLUGS",
    "STORE",
    "STORE_GRACE",
    "WorkspaceUnreadable",
    "attachment_files",
    "attachment_source",
    "before_import",
    "before_migration",
    "create_backup",
    "daily_backup",
    "daily_backup_due",
    "folder_error",
    "hash_file",
    "last_backup",
    "list_backups",
    "local_now",
    "long_path",
    "postgres_environment",
    "postgres_tool",
    "prune_backups",
    "read_info",
    "reason_label",
    "verify_backup",
    "workspace_backups",
    "writing_into",
]
