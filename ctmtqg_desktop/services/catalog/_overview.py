"""The overview's banner card when the workspace's own unit no longer exists on the working
date (sắp xếp đơn vị hành chính from 01/07/2025): its end, its successor and how to move on."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.catalog._units import get_unit, successor_on
from ctmtqg_desktop.services.overview_data import LATE, Section
from ctmtqg_desktop.store.workspace import Workspace


def ended_banner(workspace: Workspace) -> tuple[str, ...] | None:
    """Short lines (a card, the window's header) when the workspace's unit has ended:
    when, its successor and its key, and how to move on; None while it is in force."""
    info = workspace.installation()
    if info is None:
        return None
    day = workspace.today()
    unit = get_unit(workspace, info.unit_id)
    if unit.valid_to is None or day <= unit.valid_to:
        return None
    successor = successor_on(workspace, unit.id, day)
    lines = [_("Ended on {date}").format(date=format_date(unit.valid_to))]
    if successor is None:
        lines.append(_("No successor in the catalog (no district level from 01/07/2025)"))
    else:
        lines.append(_("Continues as {unit}").format(unit=successor.full_name))
        lines.append(_("Successor's key: {key}").format(key=successor.id))
    if info.role == "parent" and successor is not None:
        lines.append(_("Apply the reorganisation: Child units › Reorganisation of units"))
    else:
        lines.append(_("Ask the parent unit for the successor's enrollment file"))
    return tuple(lines)


def unit_ended_section(workspace: Workspace) -> Section | None:
    lines = ended_banner(workspace)
    if lines is None:
        return None
    return Section(_("This unit no longer exists"), "catalog", (),
                   tuple((line, LATE) for line in lines), order=-10)
