"""The overview's "Khó khăn, kiến nghị" section: the difficulties not yet sent, waiting for
an answer, answered and resolved."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.difficulties import _records as difficulties
from ctmtqg_desktop.services.overview_data import DUE_SOON, NORMAL, Figure, Section
from ctmtqg_desktop.store.workspace import Workspace


def difficulties_section(workspace: Workspace) -> Section | None:
    counts = difficulties.counts(workspace)
    if not sum(counts.values()):
        return None
    return Section(_("Difficulties and proposals"), "difficulties", (
        Figure(_("Not yet sent"), format_number(counts["new"]),
               DUE_SOON if counts["new"] else NORMAL),
        Figure(_("Waiting for an answer"), format_number(counts["sent"])),
        Figure(_("Answered"), format_number(counts["answered"])),
        Figure(_("Resolved"), format_number(counts["resolved"])),
    ), order=60)
