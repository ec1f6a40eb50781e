"""Reports a parent unit makes from its children (báo cáo tổng hợp):

* ``capital`` and ``tasks`` at a parent: a row per child unit and the total, from the
  children's records the parent holds (the board's figures: ``parent.compute``), instead of
  the parent's own records; a commune keeps its own reports (the capital and tasks areas'),
  which are declared for communes only;
* ``completeness``: per request and child unit, what was due, what arrived, when.

Each consolidated report lists the child units that have not issued and signed that report for
the period (``ReportOptions.extra``'s ``period_start``/``period_end`` when the archive issues
it; otherwise the year of the report), so a parent can issue it in its own name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain.formats import format_date, format_datetime, format_number
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.document import Column, Document, Heading, Note, Sheet, Table, Total
from ctmtqg_desktop.reports.document import write as write_document
from ctmtqg_desktop.services import catalog, parent, report_catalog
from ctmtqg_desktop.services.archive._completeness import completeness, not_reported, state_text
from ctmtqg_desktop.services.archive._rules import installed, period_phrase
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.store.workspace import Workspace


def _period(workspace: Workspace, options: ReportOptions) -> tuple[dt.date, dt.date, dt.date]:
    """(start, end, the day the figures are taken on)."""
    start, end = options.extra.get("period_start"), options.extra.get("period_end")
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return start, end, min(end, options.date or end)
    year = report_catalog.report_year(workspace, options)
    day = options.date or workspace.today()
    return dt.date(year, 1, 1), dt.date(year, 12, 31), day


def _unit_text(workspace: Workspace, day: dt.date) -> str:
    """This unit as the subject names it: its kind on ``day`` (the period's end)."""
    return catalog.unit_title_on(workspace, installed(workspace).unit_id, day)


def _missing_note(workspace: Workspace, kind: str, start: dt.date, end: dt.date,
                  day: dt.date) -> Note:
    missing = not_reported(workspace, kind, start, end, on=day)
    if not missing:
        return Note(_("Every child unit has issued and signed this report for {period}.")
                    .format(period=period_phrase(start, end)))
    return Note(_("Child units that have not reported for {period} ({count}): {units}.")
                .format(period=period_phrase(start, end), count=format_number(len(missing)),
                        units=", ".join(missing)))


def consolidated_capital(workspace: Workspace, *, on: dt.date, year: int) -> Any:
    """The children's capital of ``year`` on ``on``: the board's rows (one per child)."""
    return parent.compute(workspace, on=on, year=year)


def _build_capital(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    start, end, day = _period(workspace, options)
    board = consolidated_capital(workspace, on=day, year=end.year)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Capital plans of the national target programmes in {year} of the child "
                  "units of {unit}: assigned, allocated in detail and disbursed").format(
            year=str(end.year), unit=_unit_text(workspace, end)), options=options)
    columns = [Column(_("No."), "int", width=6, weight=0.7, align="center", grouped=False),
               Column(_("Unit"), width=30, weight=3),
               Column(_("Code"), width=10, only="xlsx"),
               Column(_("Assigned"), "money", weight=1.8),
               Column(_("Allocated in detail"), "money", weight=1.8),
               Column(_("Not allocated"), "money", weight=1.7),
               Column(_("Disbursed"), "money", weight=1.8),
               Column(_("Disbursement rate"), "percent", width=12, weight=1.2)]
    rows: list[Any] = [[index, row.name, row.code, row.assigned, row.allocated,
                   row.assigned - row.allocated, row.disbursed, row.rate]
                  for index, row in enumerate(board.rows, 1)]
    total = board.total
    rows.append(Total(["", _("Total"), "", total.assigned, total.allocated,
                       total.assigned - total.allocated, total.disbursed, total.rate]))
    intro = _("Figures of {count} child units as of {date}, from the records received in "
              "their packages (đồng).").format(count=format_number(len(board.rows)),
                                              date=format_date(day))
    write_document(Document(info, [Sheet(_("Capital of the child units"), [
        Note(intro), Heading(_("I. CAPITAL BY CHILD UNIT (đồng)"), only="pdf"),
        Table(columns, rows, font_size=10),
        _missing_note(workspace, "capital", start, end, day)])]), fmt, out)


def _build_tasks(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    start, end, day = _period(workspace, options)
    board = parent.compute(workspace, on=day, year=end.year)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Progress of the tasks of the national target programmes of the child "
                  "units of {unit}").format(unit=_unit_text(workspace, end)), options=options)
    columns = [Column(_("No."), "int", width=6, weight=0.7, align="center", grouped=False),
               Column(_("Unit"), width=30, weight=3),
               Column(_("Code"), width=10, only="xlsx"),
               Column(_("Tasks"), "int", weight=1.2),
               Column(_("Done"), "int", weight=1.2),
               Column(_("Done (%)"), "percent", weight=1.2),
               Column(_("Overdue"), "int", weight=1.2),
               Column(_("Last package received"), "date", weight=1.5, align="center")]

    def ratio(done: int, total: int) -> float | None:
        return done / total if total else None

    rows: list[Any] = [[index, row.name, row.code, row.tasks_total, row.tasks_done,
                   ratio(row.tasks_done, row.tasks_total), row.tasks_overdue,
                   row.last_report_at.date() if row.last_report_at else None]
                  for index, row in enumerate(board.rows, 1)]
    total = board.total
    rows.append(Total(["", _("Total"), "", total.tasks_total, total.tasks_done,
                       ratio(total.tasks_done, total.tasks_total), total.tasks_overdue, None]))
    intro = _("As of {date}: the tasks of {count} child units, from the records received in "
              "their packages.").format(date=format_date(day),
                                        count=format_number(len(board.rows)))
    write_document(Document(info, [Sheet(_("Tasks of the child units"), [
        Note(intro), Table(columns, rows, font_size=10),
        _missing_note(workspace, "tasks", start, end, day)])]), fmt, out)


def _build_completeness(workspace: Workspace, fmt: str, out: Path,
                        options: ReportOptions) -> None:
    day = options.date or workspace.today()
    found = completeness(workspace, on=day, year=options.year)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Reports of the child units of {unit}: due, received, on time").format(
            unit=_unit_text(workspace, report_catalog.subject_day(workspace, options))),
        options=options)
    columns = [Column(_("No."), "int", width=6, weight=0.7, align="center", grouped=False),
               Column(_("Unit"), width=28, weight=2.6),
               Column(_("Report"), width=36, weight=3),
               Column(_("Period"), width=18, weight=1.6),
               Column(_("Due on"), "date", weight=1.3, align="center"),
               Column(_("Number"), width=14, weight=1.3),
               Column(_("Signed off on"), "date", weight=1.3, align="center"),
               Column(_("Received"), width=18, weight=1.6),
               Column(_("State"), width=16, weight=1.4)]
    rows: list[Any] = []
    for index, row in enumerate(found.rows, 1):
        report = row.report
        rows.append([index, row.unit_name, row.request.title, row.request.period,
                     row.request.due_on, report.number_symbol if report else "",
                     report.approved_on if report else None,
                     format_date(row.received_on) if row.received_on else
                     format_datetime(row.received_at) if row.received_at else "",
                     state_text(row)])
    ratio = found.ratio
    intro = _("As of {date}: {received} of {due} reports due have arrived signed ({late} "
              "late); {missing} missing.").format(
        date=format_date(day),
        received=format_number(sum(r.reported for r in found.rows if r.state != "not_due")),
        due=format_number(sum(1 for r in found.rows if r.state != "not_due")),
        late=format_number(found.count("late")), missing=format_number(found.count("missing")))
    if ratio is None:
        intro = _("As of {date}: no report is due yet.").format(date=format_date(day))
    write_document(Document(info, [Sheet(_("Reports of the child units"), [
        Note(intro), Table(columns, rows, font_size=10)])]), fmt, out)


CONSOLIDATED_CAPITAL = ReportSpec(
    key="capital", title=N_("Capital plans of the child units"),
    description=N_("At a parent unit: the capital of the year of every child unit, assigned, "
                   "allocated and disbursed, a row per unit and the total; who has not "
                   "reported."), build=_build_capital, roles=("parent",))
CONSOLIDATED_TASKS = ReportSpec(
    key="tasks", title=N_("Task progress of the child units"),
    description=N_("At a parent unit: the tasks of every child unit, done and overdue, a row "
                   "per unit and the total; who has not reported."),
    build=_build_tasks, roles=("parent",))
COMPLETENESS_REPORT = ReportSpec(
    key="completeness", title=N_("Reports of the child units: due, received, on time"),
    description=N_("At a parent unit: for each report asked of the child units, who sent it "
                   "signed, when, on time or late, and who has not."),
    build=_build_completeness, roles=("parent",))
