"""Report: task progress (Báo cáo tiến độ thực hiện nhiệm vụ), one row per task with its
latest progress update, grouped by programme; A4 landscape in the shared layout."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.document import (
    Cell,
    Column,
    Document,
    Group,
    Note,
    Sheet,
    Table,
    write,
)
from ctmtqg_desktop.services import report_catalog
from ctmtqg_desktop.services.report_catalog import ReportOptions, ReportSpec
from ctmtqg_desktop.services.tasks._derived import _due_state, progress_order, schedule_of
from ctmtqg_desktop.services.tasks._directives import directive_label
from ctmtqg_desktop.services.tasks._listing import task_ids
from ctmtqg_desktop.services.tasks._rules import schedule_text, status_label, target_text
from ctmtqg_desktop.store.models.catalog import Program
from ctmtqg_desktop.store.models.tasks import Directive, Task, TaskProgress
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class ReportLine:
    id: uuid.UUID
    text: str
    directive: str
    lead: str
    schedule: str
    next_due: dt.date | None
    target: str
    status: str
    overdue: bool
    percent: int | None
    reported_on: dt.date | None
    narrative: str


@dataclass(frozen=True)
class ReportGroup:
    title: str
    lines: tuple[ReportLine, ...]


def report_groups(workspace: Workspace, as_of: dt.date | None = None) -> list[ReportGroup]:
    """Every live task, grouped by programme (programmes in catalog order, then the tasks
    common to all), each with its latest progress update; ``as_of``: as things stood that
    day (the updates reported by then give the status, percent and next deadline; a task of
    a directive issued later is left out)."""
    today = as_of or workspace.today()
    ids = task_ids(workspace, {}, "directive")
    with UnitOfWork.read(workspace) as session:
        programs = list(session.scalars(select(Program).order_by(Program.period_id,
                                                                 Program.sort_order)))
        rows = {row.id: (row, directive) for row, directive in session.execute(
            select(Task, Directive).outerjoin(Directive, Directive.id == Task.directive_id)
            .where(Task.id.in_(ids)))} if ids else {}
        latest: dict[uuid.UUID, TaskProgress] = {}
        history: dict[uuid.UUID, list[TaskProgress]] = {}
        if ids:
            for progress in sorted(session.scalars(select(TaskProgress).where(
                    TaskProgress.task_id.in_(ids), TaskProgress.deleted.is_(False),
                    TaskProgress.reported_on <= today)), key=progress_order):
                latest[progress.task_id] = progress
                history.setdefault(progress.task_id, []).append(progress)
    by_program: dict[str | None, list[ReportLine]] = {}
    for ident in ids:
        row, directive = rows[ident]
        if directive is not None and directive.issued_on and directive.issued_on > today:
            continue
        progress = latest.get(ident)
        next_due = row.next_due_on if as_of is None else _due_state(
            row, history.get(ident, []), row.schedule_start or row.deadline
            or dt.date(2000, 1, 1)).next_due
        status = row.status if as_of is None else (progress.status if progress
                                                   else "not_started")
        percent = row.latest_percent if as_of is None else (progress.percent if progress
                                                            else None)
        by_program.setdefault(row.program_id, []).append(ReportLine(
            row.id, row.text,
            directive_label(directive.doc_type, directive.number_symbol,
                                  directive.issued_on, directive.issuing_body)
            if directive else "",
            row.lead_label, schedule_text(schedule_of(row)), next_due,
            target_text(row.target_kind, row.target_quantity, row.target_unit),
            status, next_due is not None and next_due < today,
            percent, progress.reported_on if progress else None,
            progress.narrative if progress else ""))
    groups = [ReportGroup(f"{p.code}: {p.name}", tuple(by_program[p.id]))
              for p in programs if p.id in by_program]
    if None in by_program:
        groups.append(ReportGroup(_("Tasks common to every programme"),
                                  tuple(by_program[None])))
    return groups


def status_cell(line: ReportLine) -> str:
    text = status_label(line.status)
    if line.overdue:
        text += " (" + _("overdue") + ")"
    return text[:1].upper() + text[1:]


def _build(workspace: Workspace, fmt: str, out: Path, options: ReportOptions) -> None:
    as_of = report_catalog.as_of(workspace, options)
    groups = report_groups(workspace, as_of)
    info = report_catalog.document_info(
        workspace, doc_type=pgettext("document type", "REPORT"),
        subject=_("Progress of the tasks of the national target programmes of {unit}").format(
            unit=report_catalog.subject_unit(workspace, options)), options=options)
    count = sum(len(g.lines) for g in groups)
    overdue = sum(line.overdue for g in groups for line in g.lines)
    done = sum(line.status == "done" for g in groups for line in g.lines)
    intro = _("As of {date}: {count} tasks, {done} done, {overdue} overdue.").format(
        date=format_date(as_of), count=format_number(count), done=format_number(done),
        overdue=format_number(overdue))
    columns = [Column(_("No."), "int", width=6, weight=0.9, align="center", grouped=False),
               Column(_("Task"), width=60, weight=3.75),
               Column(_("Directive"), width=24, weight=1.5),
               Column(_("Lead"), width=24, weight=1.5),
               Column(_("Deadline"), "date", width=13, weight=1.38, align="center"),
               Column(_("Target"), width=18, weight=1.2),
               Column(_("Status"), width=18, weight=1.25, align="center"),
               Column(_("Done (%)"), "percent", width=10, weight=0.95),
               Column(_("Updated on"), "date", width=13, weight=1.38, align="center"),
               Column(_("Latest result"), width=48, weight=2.7)]
    rows: list = []
    number = 0
    for group in groups:
        rows.append(Group(group.title))
        for line in group.lines:
            number += 1
            percent = (Cell(line.percent / 100, format_number(line.percent))
                       if line.percent is not None else None)
            rows.append([number, line.text, line.directive, line.lead,
                         line.next_due if line.next_due else line.schedule, line.target,
                         status_cell(line), percent, line.reported_on, line.narrative])
    write(Document(info, [Sheet(_("Task progress"), [Note(intro), Table(
        columns, rows, font_size=10)])]), fmt, out)


TASKS_REPORT = ReportSpec(
    key="tasks", title=N_("Task progress"),
    description=N_("Every task with its latest progress update, grouped by programme, with "
                   "what is overdue."),
    build=_build,
    # a parent's ``tasks`` totals its children (services/archive/_reports.py)
    roles=("commune",))
