"""The overview's banner card when the workspace's own unit no longer exists on the working
date (sắp xếp đơn vị hành chính from 01/07/2025): its end, its successor and how to move on."""

from __future__ import annotations

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.catalog._units import ended_notice, get_unit, successor_on
from ctmtqg_desktop.services.overview_data import LATE, Section
from ctmtqg_desktop.store.workspace import Workspace


def unit_ended_section(workspace: Workspace) -> Section | None:
    info = workspace.installation()
    if info is None:
        return None
    day = workspace.today()
    unit = get_unit(workspace, info.unit_id)
    notice = ended_notice(workspace, unit, day)
    if notice is None:
        return None
    if info.role == "parent" and successor_on(workspace, unit.id, day) is not None:
        how = _("Apply the reorganisation (Child units › Reorganisation of units) so that this "
                "workspace continues as its successor; its records are kept.")
    else:
        how = _("Ask the parent unit for an enrollment file of the successor and set up a "
                "workspace for it; this workspace stays readable as history.")
    return Section(_("This unit no longer exists"), "catalog", (),
                   ((notice, LATE), (how, LATE)), order=-10)
