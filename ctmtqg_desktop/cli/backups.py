"""``ctmtqg backup create|list|restore``: the workspace's backups (sao lưu, khôi phục).

``create`` writes into the workspace's ``backups/`` folder or, with ``--to``, any folder
(a USB stick); ``--daily`` is the automatic backup (only when none was taken today, then the
rotation), for the Windows Task Scheduler or cron on a parent's server. ``restore`` works
on a workspace whose database can no longer be opened: it never opens it the usual way.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ctmtqg_desktop.app_logging import setup_logging
from ctmtqg_desktop.cli.common import print_table
from ctmtqg_desktop.domain.formats import format_datetime, format_number, format_size
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import backups
from ctmtqg_desktop.store.workspace import Workspace


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("backup", parents=[common],
                                   help=_("back up the workspace, list or restore backups"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    create = actions.add_parser("create", parents=[common], help=_("make a backup now"))
    create.add_argument("--to", type=Path, metavar=_("FOLDER"),
                        help=_("write the backup into this folder (a USB stick) instead of "
                               "the workspace's backups folder"))
    create.add_argument("--daily", action="store_true",
                        help=_("the automatic daily backup: only if none was taken today, "
                               "then remove the old ones (7 daily, 4 weekly, 12 monthly)"))
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", parents=[common], help=_("list the backups"))
    listing.add_argument("--from", dest="source", type=Path, metavar=_("FOLDER"),
                         help=_("list the backups in this folder (default: the workspace's)"))
    listing.set_defaults(handler=_list)
    restore = actions.add_parser(
        "restore", parents=[common],
        help=_("replace the workspace's data by a backup (the current state is backed up "
               "first)"))
    restore.add_argument("file", metavar=_("FILE"),
                         help=_("a backup file, or the name of one in the backups folder"))
    restore.set_defaults(handler=_restore)


def _workspace(args: argparse.Namespace) -> Workspace:
    """The workspace, opened the usual way (schema upgraded, catalog loaded)."""
    from ctmtqg_desktop.cli.common import workspace_from

    return workspace_from(args)


def _create(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    if args.daily:
        if args.to:
            print(_("--daily writes into the workspace's backups folder; leave out --to."))
            return 2
        info = backups.daily_backup(workspace)
        if info is None:
            print(_("A backup was already taken today; nothing to do."))
            return 0
    else:
        info = backups.create_backup(workspace, folder=args.to)
    print(_("Backup written: {path}").format(path=info.path))
    print(_("Size: {size}; data version {revision}; {count} attached files.").format(
        size=format_size(info.file_size), revision=info.schema_revision or "?",
        count=format_number(len(info.attachments))))
    if args.to:
        print(_("Read back: every file matches its SHA-256."))
    return 0


def _list(args: argparse.Namespace) -> int:
    if args.source:
        folder = args.source
    else:
        workspace = Workspace(args.workspace, args.database_url)
        setup_logging(workspace.logs_dir)
        folder = workspace.backups_dir
    listing = backups.list_backups(folder)
    print(_("Backups in {folder}:").format(folder=folder))
    if not listing.backups and not listing.unreadable:
        print(_("No backup yet."))
        return 0
    print_table([_("Taken at"), _("Why"), _("Data version"), _("Size"), _("Attached files"),
                 _("File")],
                [[format_datetime(b.created_at), b.reason_label, b.schema_revision or "?",
                  format_size(b.file_size), format_number(len(b.attachments)), b.path.name]
                 for b in listing.backups])
    for path, reason in listing.unreadable:
        print(_("UNREADABLE: {file}: {reason}").format(file=path.name, reason=reason))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from ctmtqg_desktop.services import workspaces

    workspace = Workspace(args.workspace, args.database_url)  # it may not open: never upgrade
    setup_logging(workspace.logs_dir)
    path = Path(args.file)
    if not path.exists() and (workspace.backups_dir / path.name).exists():
        path = workspace.backups_dir / path.name
    report = workspaces.restore_backup(workspace, path)
    print(_("The state before the restore was kept: {path}").format(path=report.safety.path))
    print(_("Restored the backup taken at {when} ({why}).").format(
        when=format_datetime(report.restored.created_at), why=report.restored.reason_label))
    if report.attachments_restored:
        print(_("{count} attached files put back.").format(
            count=format_number(report.attachments_restored)))
    for fact in report.facts:
        print(_("OK: {fact}").format(fact=fact))
    for problem in report.problems:
        print(_("PROBLEM: {problem}").format(problem=problem))
    if not report.ok:
        return 1
    print(_("The workspace is sound."))
    return 0
