"""Report: the list of villages (Danh sách thôn, làng) with households and population."""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.reports.document import Cell, Column, Document, Sheet, Table, Total, write
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.services.villages import _records as villages
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


def before_merger(workspace: Workspace, options: ReportOptions) -> bool:
    """Whether the report's period starts before this unit's merger (a year of 2021-2025
    for a commune formed on 01/07/2025): then its predecessors' villages are listed too,
    labelled with the old unit, as the history of those years."""
    with UnitOfWork.read(workspace) as session:
        merged = catalog.merged_on(session, workspace.installation().unit_id)
    return merged is not None and report_catalog.report_period(workspace, options).start < merged


def _build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    rows = villages.list_villages(workspace, history=before_merger(workspace, options))
    info = report_catalog.document_info(
        workspace, doc_type=_("LIST"),
        subject=_("Villages of {unit}").format(
            unit=report_catalog.subject_unit(workspace, options)), options=options)
    yes = _("Yes")
    columns = [Column(_("No."), "int", width=6, weight=0.6, align="center", grouped=False),
               Column(_("Village"), weight=2.2), Column(_("Ethnic groups"), weight=2.2),
               Column(_("Households"), "int", weight=1.2),
               Column(_("Population"), "int", weight=1.3),
               Column(_("Extremely disadvantaged"), width=14, weight=1.5, align="center")]
    hard = sum(v.extremely_disadvantaged for v in rows)
    body: list = [[i, v.label, v.ethnic_groups, v.households, v.population,
                   yes if v.extremely_disadvantaged else ""] for i, v in enumerate(rows, 1)]
    body.append(Total(["", _("Total"), "", sum(v.households for v in rows),
                       sum(v.population for v in rows), Cell(str(hard), format_number(hard))]))
    write(Document(info, [Sheet(_("Villages"), [Table(columns, body)], landscape=False)]),
          fmt, out)


VILLAGES_REPORT = ReportSpec(
    key="villages", title=N_("List of villages"),
    description=N_("The villages of the commune with households, population and the "
                   "extremely disadvantaged ones."),
    build=_build, roles=("commune",))
