"""The overview's "Đơn vị cấp dưới" section for a parent unit: who has not reported, who is
behind the on-track line, what waits for an answer (from the board's grouped queries)."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_number, format_percent
from ctmtqg_desktop.i18n import _, pgettext
from ctmtqg_desktop.services.overview import DUE_SOON, LATE, NORMAL, Figure, Section
from ctmtqg_desktop.services.parent import _board as parent_board
from ctmtqg_desktop.store.workspace import Workspace


def children_section(workspace: Workspace) -> Section | None:
    if workspace.installation().role != "parent":
        return None
    board = parent_board.compute(workspace)
    if not board.rows:
        return None
    never = sum(1 for r in board.rows if r.report_state == "never")
    stale = sum(1 for r in board.rows if r.report_state == "stale")
    behind = [r for r in board.rows if r.behind]
    lines = [(_("{unit}: {rate} disbursed, on-track line {track}").format(
        unit=r.name, rate=format_percent(r.rate), track=format_percent(board.on_track)),
        r.rate_state) for r in sorted(behind, key=lambda r: r.rate or 0)[:3]]
    return Section(_("Child units"), "board", (
        Figure(pgettext("overview", "Units"), format_number(len(board.rows))),
        Figure(pgettext("overview", "Never reported"), format_number(never),
               LATE if never else NORMAL),
        Figure(pgettext("overview", "Stale"), format_number(stale), LATE if stale else NORMAL),
        Figure(pgettext("overview", "Slow to disburse"), format_number(len(behind)),
               DUE_SOON if behind else NORMAL),
    ), tuple(lines), order=5)
