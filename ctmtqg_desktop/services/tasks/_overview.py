"""The overview's "Nhiệm vụ" section: counts, what is overdue and the next deadlines."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.overview import DUE_SOON, LATE, NORMAL, Figure, Section
from ctmtqg_desktop.services.tasks._listing import summary
from ctmtqg_desktop.store.workspace import Workspace


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def tasks_section(workspace: Workspace) -> Section | None:
    result = summary(workspace)
    if not result.total:
        return None
    lines = []
    for _ident, text, due, state in result.next_deadlines:
        lines.append((_("{date}: {task}").format(date=format_date(due), task=_short(text)),
                      state))
    return Section(_("Tasks"), "tasks", (
        Figure(_("Open tasks"), format_number(result.open)),
        Figure(_("Overdue"), format_number(result.overdue), LATE if result.overdue else NORMAL),
        Figure(_("Due soon"), format_number(result.due_soon),
               DUE_SOON if result.due_soon else NORMAL),
        Figure(_("Done"), format_number(result.done)),
    ), tuple(lines), order=10)
