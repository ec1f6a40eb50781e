"""Report: the list of beneficiary households (Danh sách hộ hưởng lợi) with their status
and the support they received. For a period that starts before this unit's merger (a year
of 2021-2025 for a commune formed on 01/07/2025, NQ 1677/NQ-UBTVQH15) the predecessors'
households are listed too, labelled with the old unit, as the history of those years."""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.reports.document import Column, Document, Sheet, Table, Total, write
from ctmtqg_desktop.services import catalog, report_catalog
from ctmtqg_desktop.services.households import _records as records
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


def before_merger(workspace: Workspace, options: ReportOptions) -> bool:
    """Whether the report's period starts before this unit's merger: then its
    predecessors' households are its history and are listed."""
    with UnitOfWork.read(workspace) as session:
        merged = catalog.merged_on(session, records._unit(workspace))
    return merged is not None and report_catalog.report_period(workspace, options).start < merged


def _build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    rows = records.list_households(workspace, history=before_merger(workspace, options))
    info = report_catalog.document_info(
        workspace, doc_type=_("LIST"), subject=_("Beneficiary households of {unit}").format(
            unit=report_catalog.subject_unit(workspace, options)), options=options)
    columns = [Column(_("No."), "int", width=6, weight=0.6, align="center", grouped=False),
               Column(_("Head of household"), weight=2.6), Column(_("Village"), weight=1.6),
               Column(_("Household status"), weight=1.6),
               Column(_("Members"), "int", weight=1.0),
               Column(_("Supports received"), "int", weight=1.0),
               Column(_("Total support (đồng)"), "money", weight=1.5)]
    body: list[object] = [[i, r.label, r.village_name, r.status_text, r.members, r.supports,
                   r.support_total] for i, r in enumerate(rows, 1)]
    body.append(Total(["", _("Total"), "", "", sum(r.members for r in rows),
                       sum(r.supports for r in rows), sum(r.support_total for r in rows)]))
    write(Document(info, [Sheet(_("Households"), [Table(columns, body)], landscape=True)]),
          fmt, out)


HOUSEHOLDS_REPORT = ReportSpec(
    key="households", title=N_("List of beneficiary households"),
    description=N_("The beneficiary households with their status and the support they "
                   "received; for a year before the merger, the predecessors' households too."),
    build=_build, roles=("commune",))
