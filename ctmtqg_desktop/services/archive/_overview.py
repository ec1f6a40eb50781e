"""The overview's "Báo cáo đã ban hành" card: the year's issued reports, those awaiting a
sign-off, and what is due: for a commune, the parent's requests not yet answered; for a
parent, the reports of its children received, late and missing. Nothing to show: no card."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.archive._completeness import completeness
from ctmtqg_desktop.services.archive._register import issued_reports
from ctmtqg_desktop.services.archive._rules import LATE, MISSING, UNSIGNED, installed
from ctmtqg_desktop.services.overview_data import DUE_SOON, NORMAL, Figure, Section
from ctmtqg_desktop.services.overview_data import LATE as LATE_STATE
from ctmtqg_desktop.store.workspace import Workspace


def archive_section(workspace: Workspace) -> Section | None:
    year = workspace.today().year
    reports = issued_reports(workspace, year=year)
    found = completeness(workspace, year=year)
    if not reports and not found.rows:
        return None
    waiting = sum(1 for r in reports if not r.signed)
    missing, late = found.count(MISSING), found.count(LATE)
    figures = [Figure(_("Issued in {year}").format(year=year), format_number(len(reports))),
               Figure(_("Awaiting sign-off"), format_number(waiting),
                      DUE_SOON if waiting else NORMAL)]
    parent = installed(workspace).role == "parent"
    if found.rows:
        figures.append(Figure(_("Missing after the due date"), format_number(missing),
                              LATE_STATE if missing else NORMAL))
        figures.append(Figure(_("Sent late"), format_number(late), DUE_SOON if late else NORMAL))
        if parent and found.ratio is not None:
            figures.append(Figure(_("Received of those due"), format_percent(found.ratio)))
    owed = [row for row in found.rows if row.state in (MISSING, UNSIGNED)]
    lines = tuple((_("{unit}: {report}, due {date}").format(
        unit=row.unit_name, report=row.request.title, date=format_date(row.request.due_on)),
        LATE_STATE if row.state == MISSING else DUE_SOON) for row in owed[:4])
    return Section(_("Issued reports"), "archive", tuple(figures), lines, order=48)
