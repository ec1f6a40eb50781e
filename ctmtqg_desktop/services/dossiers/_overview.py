"""The overview's dossier section: dossiers not complete, documents missing in a stage that
has already started (red), order warnings, and households supported twice (amber)."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import households
from ctmtqg_desktop.services.dossiers import _records as dossiers
from ctmtqg_desktop.services.overview import DUE_SOON, LATE, NORMAL, Figure, Section
from ctmtqg_desktop.store.workspace import Workspace


def dossier_section(workspace: Workspace) -> Section | None:
    summaries = dossiers.list_dossiers(workspace)
    if not summaries:
        return None
    incomplete = [s for s in summaries if not s.complete and not s.locked]
    missing = sum(s.missing_in_started for s in summaries if not s.locked)
    warned = [s for s in summaries if s.warnings and not s.locked]
    duplicated = households.counts(workspace)["duplicated"]
    lines = []
    for summary in sorted(warned, key=lambda s: -s.warnings)[:3]:
        lines.append((_("{project}: a later stage started before an earlier required document "
                        "was done").format(project=summary.project_name), LATE))
    if duplicated:
        lines.append((_("{count} households are supported twice for the same content").format(
            count=format_number(duplicated)), DUE_SOON))
    return Section(_("Dossiers"), "dossiers", (
        Figure(_("Dossiers"), format_number(len(summaries))),
        Figure(_("Dossiers incomplete"), format_number(len(incomplete)),
               NORMAL if not incomplete else DUE_SOON),
        Figure(_("Documents missing in a started stage"), format_number(missing),
               LATE if missing else NORMAL),
    ), tuple(lines), order=40)
