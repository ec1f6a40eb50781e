"""The overview's projects section: projects under way, stalled ones and possible overlaps
between programmes."""

from __future__ import annotations

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.overview_data import Figure, Section
from ctmtqg_desktop.services.projects import _portfolio as portfolio
from ctmtqg_desktop.store.workspace import Workspace


def projects_section(workspace: Workspace) -> Section | None:
    # the overlaps once (the portfolio's warnings use them too), both kept until the next
    # write as for the projects page: the overview again reads them from memory
    rows, detected = portfolio.portfolio_and_flags(workspace)
    if not rows:
        return None
    flags = [f for f in detected if f.is_open]
    stalled = [r for r in rows if r.stalled]
    active = [r for r in rows if r.rank is not None]
    figures = (
        Figure(_("Projects being prepared or carried out"), format_number(len(active))),
        Figure(_("Stalled (no disbursement)"), format_number(len(stalled)),
               rules.LATE if stalled else rules.NORMAL),
        Figure(_("Possible overlaps to review"), format_number(len(flags)),
               rules.DUE_SOON if flags else rules.NORMAL),
    )
    shown = [(_("Stalled: {name}. {reason}").format(name=r.name, reason=r.stalled_reason),
              rules.LATE) for r in stalled[:2]]
    shown += [(_("Possible overlap: {first} ({first_program}) and {second} "
                 "({second_program}).").format(first=f.first.name,
                                               first_program=f.first.program_label,
                                               second=f.second.name,
                                               second_program=f.second.program_label),
               rules.DUE_SOON) for f in flags[:2]]
    return Section(_("Projects and works"), "projects", figures, tuple(shown), order=25)
