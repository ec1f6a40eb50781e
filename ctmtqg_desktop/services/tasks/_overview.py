"""The overview's "Nhiệm vụ" and "Khó khăn, kiến nghị" sections: counts, what is overdue,
the next deadlines and the difficulties still waiting for an answer."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.difficulties import _records as difficulties
from ctmtqg_desktop.services.overview import (
    DUE_SOON,
    LATE,
    NORMAL,
    Figure,
    Section,
    overview_section,
)
from ctmtqg_desktop.services.tasks import _records as tasks
from ctmtqg_desktop.store.workspace import Workspace


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


@overview_section(10)
def tasks_section(workspace: Workspace) -> Section | None:
    result = tasks.summary(workspace)
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


@overview_section(60)
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
