"""Workspace (thư mục làm việc): set up, open, check and dump a workspace, its settings and
the change journal as people read it."""

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services import report_catalog, settings
from ctmtqg_desktop.services.area import Area
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.identity import Installation, Node, Setting
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry

AREA = Area(
    key="workspaces", label=N_("Settings"),
    records=(Installation, Node, Setting, ChangeJournalEntry, Attachment),
    settings=(settings.DUE_SOON_DAYS, settings.ATTACHMENT_LIMIT_MB, report_catalog.SIGNER_NAME,
              report_catalog.SIGNER_TITLE, report_catalog.SIGNER_AUTHORITY,
              report_catalog.RECIPIENTS),
)
