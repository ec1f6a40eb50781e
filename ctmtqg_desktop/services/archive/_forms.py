"""The official forms at a parent unit (biểu tổng hợp): the same form, for the same period,
as the sum of the figures of the reports its child units issued and signed (the figures kept
in each issued record, ``report_forms``' ``report-figures/1``), never the child records the
parent happens to hold; it names who has not reported and is issued and signed in the
parent's name like any report of the register (its own figures travel up in turn).

A child that issued the form twice for a period (a correction; the 15/9 report, then the
31/1 update of Thông tư 01/2022/TT-UBDT) counts with its latest signed issue (in
:data:`~ctmtqg_desktop.services.archive._completeness.ISSUE_ORDER`), while the completeness
view judges timeliness on its first signed issue and shows that the correction arrived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.reports.document import write as write_document
from ctmtqg_desktop.services import report_catalog, report_forms
from ctmtqg_desktop.services.archive._completeness import ISSUE_ORDER, units_owing
from ctmtqg_desktop.services.archive._rules import number_symbol
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.models.archive import IssuedReport
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

_CONSOLIDATED = N_("At a parent unit: the sum of the child units' issued and signed reports of "
                   "this form for the period; who has not reported.")


def children_figures(workspace: Workspace, kind: str, start: dt.date, end: dt.date
                     ) -> tuple[list[tuple[str, str, str]], list[str]]:
    """``([(unit, number and symbol, figures)], [units that have not reported])``: each
    child's latest signed issue of ``kind`` for the period."""
    units = units_owing(workspace, workspace.today())
    owners = {owner: unit for unit, _n, before in units for owner in (unit, *before)}
    latest: dict[str, IssuedReport] = {}
    with UnitOfWork.read(workspace) as session:
        for row in session.scalars(select(IssuedReport).where(
                IssuedReport.owner_unit_id.in_(list(owners) or [""]),
                IssuedReport.deleted.is_(False), IssuedReport.consolidated.is_(False),
                IssuedReport.kind == kind, IssuedReport.period_start == start,
                IssuedReport.period_end == end, IssuedReport.approved_on.is_not(None))
                .order_by(*ISSUE_ORDER)):
            latest[owners[row.owner_unit_id]] = row  # the later issue supersedes
        found = [(name, number_symbol(latest[unit].number, latest[unit].symbol),
                  latest[unit].figures or "") for unit, name, _b in units if unit in latest]
    return found, [name for unit, name, _b in units if unit not in latest]


def _period(workspace: Workspace, options: ReportOptions) -> Period:
    return options.period or report_catalog.default_period(workspace)


def _builder(form_id: str, key: str) -> Callable[[Workspace, str, Path, ReportOptions], None]:
    def build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
        period = _period(workspace, options)
        reports, missing = children_figures(workspace, key, period.start, period.end)
        write_document(report_forms.consolidated_document(
            workspace, report_forms.get_form(form_id), period, options, reports, missing),
            fmt, out)
    return build


def _figures(form_id: str, key: str) -> Callable[[Workspace, ReportOptions], str]:
    def figures(workspace: Workspace, options: ReportOptions) -> str:
        period = _period(workspace, options)
        reports, _missing = children_figures(workspace, key, period.start, period.end)
        return report_forms.consolidated_figures(report_forms.get_form(form_id), period,
                                                 reports)
    return figures


def consolidated_forms() -> tuple[ReportSpec, ...]:
    """A parent's report per shipped form, under the commune's key (``form-<id>``)."""
    specs = []
    for form in report_forms.shipped_forms():
        key = report_forms.KEY_PREFIX + form.id
        specs.append(ReportSpec(
            key=key, title=form.title,
            description=" · ".join(x for x in (form.legal_basis, report_forms.mark_label(
                form.mark), _(_CONSOLIDATED)) if x),
            build=_builder(form.id, key), roles=("parent",), figures=_figures(form.id, key)))
    return tuple(specs)
