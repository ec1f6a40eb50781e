"""The overview's "Hoạt động" section: the working year's activities by kind, participants,
and the campaigns and movements they served."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.activities._summary import Totals, summary
from ctmtqg_desktop.services.overview import NORMAL, Figure, Section
from ctmtqg_desktop.store.workspace import Workspace


def activities_section(workspace: Workspace) -> Section | None:
    year = workspace.today().year
    result = summary(workspace, {"year": year})
    if not result.total.count:
        return None
    kinds = dict(result.by_kind)
    empty = Totals()
    figures = (
        Figure(_("Activities in {year}").format(year=year), format_number(result.total.count)),
        Figure(_("Participants"), format_number(result.total.participants)),
        Figure(_("Communication"), format_number(kinds.get("communication", empty).count)),
        Figure(_("Training"), format_number(kinds.get("training", empty).count)),
        Figure(_("Inspection, supervision"),
               format_number(kinds.get("inspection", empty).count)),
        Figure(_("Steering committee meeting"),
               format_number(kinds.get("steering_meeting", empty).count)),
    )
    lines = tuple((_("{campaign}: {count} activities").format(
        campaign=name, count=format_number(totals.count)), NORMAL)
        for name, totals in result.by_campaign[:4])
    return Section(_("Activities"), "activities", figures, lines, order=45)
