"""Workspace (thư mục làm việc): set up, open, check and dump a workspace, its settings and
the change journal as people read it."""

from typing import TYPE_CHECKING

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services import report_catalog, settings
from ctmtqg_desktop.services.area import Area, lazy_exports
from ctmtqg_desktop.services.roles import ROLE_UNIT_KINDS, ROLES, role_label
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.identity import Installation, Node, Setting
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.workspace import Workspace

if TYPE_CHECKING:  # the same names, imported lazily below (issue 17)
    from ctmtqg_desktop.services.workspaces._journal import journal_ids, journal_rows
    from ctmtqg_desktop.services.workspaces._restore import (
        BackupIsRawCopy,
        BackupOfOtherDatabase,
        RestoreReport,
        restore_backup,
    )
    from ctmtqg_desktop.services.workspaces._workspaces import (
        check,
        dump,
        init_workspace,
        open_workspace,
        prepare_database,
        summary,
        write_dump,
    )

__getattr__, __dir__ = lazy_exports(__name__, {
    "_journal": (
        "journal_ids", "journal_rows",
    ),
    "_restore": (
        "BackupIsRawCopy", "BackupOfOtherDatabase", "RestoreReport", "restore_backup",
    ),
    "_workspaces": (
        "check", "dump", "init_workspace", "open_workspace", "prepare_database", "summary",
        "write_dump",
    ),
})


AREA = Area(
    key="workspaces", label=N_("Settings"),
    records=(Installation, Node, Setting, ChangeJournalEntry, Attachment),
    settings=(settings.DUE_SOON_DAYS, settings.ATTACHMENT_LIMIT_MB, report_catalog.SIGNER_NAME,
              report_catalog.SIGNER_TITLE, report_catalog.SIGNER_AUTHORITY,
              report_catalog.RECIPIENTS),
)

__all__ = [
    "BackupIsRawCopy",
    "BackupOfOtherDatabase",
    "ROLES",
    "ROLE_UNIT_KINDS",
    "RestoreReport",
    "Workspace",
    "check",
    "dump",
    "init_workspace",
    "journal_ids",
    "journal_rows",
    "open_workspace",
    "prepare_database",
    "restore_backup",
    "role_label",
    "summary",
    "write_dump",
    "AREA",
]
