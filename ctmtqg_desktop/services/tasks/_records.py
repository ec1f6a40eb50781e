"""Nhiệm vụ: tasks and their dated progress updates with evidence.

Every write is one unit of work. A task's derived columns (lead key and label, folded search
text, next due date, latest status and percent) are recomputed from the task and its
progress in the same transaction (:func:`refresh`), so the list can filter and sort 10,000
tasks in SQL. Overdue is never stored: it is ``next_due_on < today`` for the list, and the
detail view judges every occurrence of a recurring schedule (:mod:`domain.schedules`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import field_rules, schedules
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import attachments as attachment_service
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.services.tasks._derived import (
    PROGRESS_ORDER,
    _due_state,
    _progress_rows,
    refresh,
    schedule_of,
)
from ctmtqg_desktop.services.tasks._directives import DirectiveInfo, directive_label, get_directive
from ctmtqg_desktop.services.tasks._listing import component_label
from ctmtqg_desktop.services.tasks._rules import (
    Assignee,
    TaskInputInvalid,
    assignee_label,
    check_programs,
    check_schedule,
    decode_assignee,
    normalize_block,
    parse_assignee,
    split_lines,
    target_text,
)
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.catalog import AdminUnit, ProgramComponent
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import (
    TARGET_KINDS,
    TASK_STATUSES,
    Directive,
    Task,
    TaskProgress,
)
from ctmtqg_desktop.store.uow import UnitOfWork, check_owner, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

PROGRESS_TABLE = "task_progress"


# ---------------------------------------------------------------------------- tasks
@dataclass(frozen=True)
class TaskInfo:
    id: uuid.UUID
    text: str
    directive_id: uuid.UUID | None
    directive_label: str
    parent_task_id: uuid.UUID | None
    section: str
    sort_order: int
    lead: Assignee
    lead_label: str
    coordinators: tuple[Assignee, ...]
    coordinator_labels: tuple[str, ...]
    program_id: str | None
    component_id: str | None
    project_id: uuid.UUID | None
    schedule: schedules.Schedule
    expected_output: str
    target_kind: str
    target_quantity: int | None
    target_unit: str
    status: str
    latest_percent: int | None
    latest_progress_on: dt.date | None
    next_due_on: dt.date | None
    owner_unit_id: str

    @property
    def target_label(self) -> str:
        return target_text(self.target_kind, self.target_quantity, self.target_unit)


@dataclass(frozen=True)
class ProgressInfo:
    id: uuid.UUID
    task_id: uuid.UUID
    reported_on: dt.date
    status: str
    percent: int | None
    quantity: int | None
    narrative: str
    recorded_at: dt.datetime
    attachments: tuple[attachment_service.AttachmentInfo, ...] = ()
    #: when it was withdrawn as entered by mistake (it no longer counts); None: it counts
    withdrawn_at: dt.datetime | None = None


@dataclass(frozen=True)
class TaskDetail:
    task: TaskInfo
    directive: DirectiveInfo | None
    #: newest first: the timeline
    progress: tuple[ProgressInfo, ...]
    due: schedules.DueState
    project_name: str = ""
    parent_text: str = ""
    subtasks: tuple[tuple[uuid.UUID, str], ...] = ()
    difficulties: tuple[tuple[uuid.UUID, str], ...] = ()
    #: ``DA3 › TDA2: Hỗ trợ phát triển sản xuất…``, the programme component, if any
    component_label: str = ""
    #: updates withdrawn as entered by mistake, newest first: kept in the history, shown
    #: struck through, counted nowhere
    withdrawn: tuple[ProgressInfo, ...] = ()


def _task_info(session: Session, row: Task, directive: Directive | None = None) -> TaskInfo:
    if directive is None and row.directive_id:
        directive = session.get(Directive, row.directive_id)
    coordinators = tuple(decode_assignee(line) for line in split_lines(row.coordinators))
    return TaskInfo(
        row.id, row.text, row.directive_id,
        directive_label(directive.doc_type, directive.number_symbol, directive.issued_on,
                        directive.issuing_body) if directive else "",
        row.parent_task_id, row.section, row.sort_order,
        Assignee(row.lead_unit_id, row.lead_agency), row.lead_label, coordinators,
        tuple(assignee_label(session, a) for a in coordinators), row.program_id,
        row.component_id, row.project_id, schedule_of(row), row.expected_output,
        row.target_kind, row.target_quantity, row.target_unit, row.status,
        row.latest_percent, row.latest_progress_on, row.next_due_on, row.owner_unit_id)


@dataclass(frozen=True)
class TaskInput:
    """What the task form (and the CLI) gives :func:`save_task`."""
    text: str
    directive_id: uuid.UUID | None = None
    parent_task_id: uuid.UUID | None = None
    section: str = ""
    lead: Assignee | str | None = None
    coordinators: Sequence[Assignee | str] = ()
    program_id: str | None = None
    component_id: str | None = None
    project_id: uuid.UUID | None = None
    schedule: schedules.Schedule | None = None
    expected_output: str = ""
    target_kind: str = "none"
    target_quantity: int | None = None
    target_unit: str = ""
    sort_order: int | None = None


def _check_values(task: TaskInput) -> None:
    """The checks made before the database is opened."""
    from ctmtqg_desktop.services import workbook_import as wb
    from ctmtqg_desktop.services.tasks._workbook import import_columns

    if not normalize_block(task.text):
        raise TaskInputInvalid(field=_("Task"), reason=_("the text of the task is empty"))
    # the limits the tasks workbook declares: a form and an import refuse the same text
    lead = task.lead if isinstance(task.lead, str) else getattr(task.lead, "agency", "")
    coordinators = "; ".join(c if isinstance(c, str) else getattr(c, "agency", "") or ""
                             for c in task.coordinators)
    wb.check_text_lengths(import_columns(), {
        "text": task.text, "lead": lead or "", "coordinators": coordinators,
        "expected_output": task.expected_output, "target_unit": task.target_unit,
        "target": task.target_quantity})
    check_schedule(task.schedule or schedules.Schedule())
    if task.target_kind not in TARGET_KINDS:
        raise TaskInputInvalid(field=_("Target"), reason=_("unknown kind of target"))
    if task.target_kind != "none" and (task.target_quantity is None
                                       or task.target_quantity <= 0):
        raise TaskInputInvalid(field=_("Target"), reason=_(
            "a measurable target needs a quantity greater than zero"))
    if task.target_kind == "quantity" and not normalize(task.target_unit):
        raise TaskInputInvalid(field=_("Target"), reason=_(
            "say the unit of the quantity (km, households, classes…)"))


def _check_references(session: Session, task: TaskInput) -> None:
    """The programme, its component, and the directive, project and parent task named."""
    if task.program_id:
        check_programs(session, [task.program_id])
    if task.component_id:
        component = session.get(ProgramComponent, task.component_id)
        if component is None or (task.program_id and component.program_id != task.program_id):
            raise TaskInputInvalid(field=_("Programme component"), reason=_(
                "“{component}” is not a component of the chosen programme").format(
                component=task.component_id))
    for ident, model, kind in ((task.directive_id, Directive, _("Directive")),
                               (task.project_id, Project, _("Project")),
                               (task.parent_task_id, Task, _("Task"))):
        if ident is not None:
            get_or_refuse(session, model, ident, kind=kind)


def _set_fields(session: Session, row: Task, task: TaskInput, sort_order: int | None) -> None:
    lead = parse_assignee(session, task.lead) if isinstance(task.lead, str) else task.lead
    lead = lead or Assignee()
    if lead.unit_id and session.get(AdminUnit, lead.unit_id) is None:
        raise TaskInputInvalid(field=_("Lead"), reason=_("unknown unit “{unit}”").format(
            unit=lead.unit_id))
    parsed = [parse_assignee(session, c) if isinstance(c, str) else c
              for c in task.coordinators]
    schedule = task.schedule or schedules.Schedule()
    target_kind = task.target_kind
    row.text = normalize_block(task.text)
    row.directive_id = task.directive_id
    row.parent_task_id = task.parent_task_id
    row.section = normalize(task.section)
    if sort_order is not None:
        row.sort_order = sort_order
    row.lead_unit_id = lead.unit_id
    row.lead_agency = normalize(lead.agency) if not lead.unit_id else ""
    row.coordinators = "\n".join(a.encoded() for a in parsed if a.unit_id or a.agency)
    row.program_id = task.program_id or None
    row.component_id = task.component_id or None
    row.project_id = task.project_id
    row.schedule_kind = schedule.kind
    row.deadline = schedule.deadline if schedule.kind == schedules.ONCE else None
    row.schedule_day = schedule.day if schedule.recurring else 0
    row.schedule_month = schedule.month if schedule.recurring else 1
    row.schedule_start = schedule.start if schedule.recurring else None
    row.schedule_end = schedule.end if schedule.recurring else None
    row.expected_output = normalize_block(task.expected_output)
    row.target_kind = target_kind
    row.target_quantity = task.target_quantity if target_kind != "none" else None
    row.target_unit = normalize(task.target_unit) if target_kind == "quantity" else (
        "đồng" if target_kind == "amount" else "")


def save_task(workspace: Workspace, task: TaskInput | None = None, *,
              task_id: uuid.UUID | None = None, **values: Any) -> TaskInfo:
    """Add a task or change one (``task_id``). Its progress history is never touched by an
    edit. The task is a :class:`TaskInput`, or its fields as keywords."""
    task = task if task is not None else TaskInput(**values)
    _check_values(task)
    with UnitOfWork(workspace) as uow:
        session = uow.session
        _check_references(session, task)
        sort_order = task.sort_order
        if task_id is None:
            row = Task(text=normalize_block(task.text))
            session.add(row)
            if sort_order is None:
                sort_order = (session.execute(select(func.max(Task.sort_order)).where(
                    Task.directive_id == task.directive_id if task.directive_id else
                    Task.directive_id.is_(None))).scalar() or 0) + 1
        else:
            row = get_or_refuse(session, Task, task_id, kind=_("Task"))
            catalog.refuse_history(session, workspace, row.owner_unit_id, row.text)
            check_owner(row, uow.context.unit_id, TaskInputInvalid(
                field=_("Task"),
                reason=_("it was assigned by another unit; only that unit can change it")))
            if task.parent_task_id == row.id:
                raise TaskInputInvalid(field=_("Task"), reason=_(
                    "a task cannot detail itself"))
        _set_fields(session, row, task, sort_order)
        refresh(session, row)
        uow.commit()
        return _task_info(session, row)


def delete_task(workspace: Workspace, task_id: uuid.UUID) -> None:
    """Tombstone a task (its progress stays in the journal and in sync packages)."""
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, Task, task_id, kind=_("Task"))
        catalog.refuse_history(uow.session, workspace, row.owner_unit_id, row.text)
        check_owner(row, uow.context.unit_id, TaskInputInvalid(
            field=_("Task"),
            reason=_("it was assigned by another unit; only that unit can change it")))
        row.deleted = True
        uow.commit()


def get_task(workspace: Workspace, task_id: uuid.UUID) -> TaskInfo:
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, Task, task_id, kind=_("Task"))
        return _task_info(session, row)


def _progress_info(row: TaskProgress, files) -> ProgressInfo:
    return ProgressInfo(row.id, row.task_id, row.reported_on, row.status, row.percent,
                        row.quantity, row.narrative, row.created_at, tuple(files),
                        row.updated_at if row.deleted else None)


def task_detail(workspace: Workspace, task_id: uuid.UUID) -> TaskDetail:
    """The task, its directive, the full progress timeline (newest first) and every
    occurrence of its schedule judged on the working date."""
    from ctmtqg_desktop.store.models.tasks import Difficulty

    today = workspace.today()
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, Task, task_id, kind=_("Task"))
        info = _task_info(session, row)
        progress = _progress_rows(session, task_id)
        files: dict[uuid.UUID, list] = {}
        if progress:
            for item in session.scalars(select(Attachment).where(
                    Attachment.parent_table == PROGRESS_TABLE,
                    Attachment.parent_id.in_([p.id for p in progress]),
                    Attachment.deleted.is_(False)).order_by(Attachment.created_at)):
                files.setdefault(item.parent_id, []).append(attachment_service._info(item))
        due = _due_state(row, progress, today)
        project = session.get(Project, row.project_id) if row.project_id else None
        parent = session.get(Task, row.parent_task_id) if row.parent_task_id else None
        subtasks = tuple((t.id, t.text) for t in session.scalars(select(Task).where(
            Task.parent_task_id == task_id, Task.deleted.is_(False)).order_by(Task.sort_order)))
        difficulties = tuple((d.id, d.title) for d in session.scalars(select(Difficulty).where(
            Difficulty.task_id == task_id, Difficulty.deleted.is_(False))))
        timeline = tuple(_progress_info(p, files.get(p.id, ())) for p in reversed(progress))
        withdrawn = tuple(_progress_info(p, ()) for p in session.scalars(
            select(TaskProgress).where(TaskProgress.task_id == task_id,
                                       TaskProgress.deleted.is_(True))
            .order_by(*(column.desc() for column in PROGRESS_ORDER))))
        component = session.get(ProgramComponent, row.component_id) if row.component_id \
            else None
    directive = get_directive(workspace, info.directive_id) if info.directive_id else None
    return TaskDetail(info, directive, timeline, due, project.name if project else "",
                      parent.text if parent else "", subtasks, difficulties,
                      component_label(component) if component else "", withdrawn)


# ---------------------------------------------------------------------------- progress
def add_progress(workspace: Workspace, task_id: uuid.UUID, *, reported_on: dt.date,
                 status: str, percent: int | None = None, quantity: int | None = None,
                 narrative: str = "", evidence: Sequence[str | Path] = ()) -> ProgressInfo:
    """Record a dated progress update with its evidence files, in one transaction.

    The percent is computed from the quantity when the task has a measurable target and
    no percent is given; "done" means 100%. Files over the workspace's size limit are
    refused with a clear message before anything is written.
    """
    if status not in TASK_STATUSES:
        raise TaskInputInvalid(field=_("Status"), reason=_("unknown status “{status}”").format(
            status=status))
    if percent is not None and not 0 <= percent <= 100:
        raise TaskInputInvalid(field=_("Percent"), reason=_("must be between 0 and 100"))
    if quantity is not None and quantity < 0:
        raise TaskInputInvalid(field=_("Quantity"), reason=_("cannot be negative"))
    field_rules.check("task_progress", {"quantity": quantity, "narrative": narrative or ""})
    if reported_on > workspace.today():
        raise TaskInputInvalid(field=_("Date"), reason=_(
            "an update cannot be dated after today ({today})").format(
            today=format_date(workspace.today())))
    narrative = normalize_block(narrative)
    store = attachment_service.attachment_store(workspace)
    stored = [store.add_file(path) for path in evidence]
    with UnitOfWork(workspace) as uow:
        session = uow.session
        task = get_or_refuse(session, Task, task_id, kind=_("Task"))
        # a predecessor's task is history (read-only after the merger): no update is added
        catalog.refuse_history(session, workspace, task.owner_unit_id, task.text)
        if percent is None and quantity is not None and task.target_quantity:
            percent = min(100, quantity * 100 // task.target_quantity)
        if status == "done":
            percent = 100 if percent is None else percent
            if percent < 100 and task.target_kind == "none":
                percent = 100
        if status == "not_started" and percent:
            raise TaskInputInvalid(field=_("Status"), reason=_(
                "a task that has not started cannot have progress above 0%"))
        row = TaskProgress(task_id=task_id, reported_on=reported_on, status=status,
                           percent=percent, quantity=quantity, narrative=narrative)
        session.add(row)
        session.flush()
        files = [attachment_service.add_attachment_record(
            session, item, parent_table=PROGRESS_TABLE, parent_id=row.id) for item in stored]
        session.flush()
        refresh(session, task)
        uow.commit()
        return _progress_info(row, [attachment_service._info(f) for f in files])


def withdraw_progress(workspace: Workspace, progress_id: uuid.UUID) -> None:
    """Withdraw an update entered by mistake (tombstone; the journal keeps it)."""
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, TaskProgress, progress_id, kind=_("Progress update"))
        catalog.refuse_history(uow.session, workspace, row.owner_unit_id, _("Progress update"))
        check_owner(row, uow.context.unit_id, TaskInputInvalid(
            field=_("Progress update"),
            reason=_("it was recorded by another unit; only that unit can withdraw it")))
        row.deleted = True
        task = uow.session.get(Task, row.task_id)
        refresh(uow.session, task)
        uow.commit()


def attach_evidence(workspace: Workspace, progress_id: uuid.UUID,
                    path: str | Path) -> attachment_service.AttachmentInfo:
    with UnitOfWork.read(workspace) as session:
        get_or_refuse(session, TaskProgress, progress_id, kind=_("Progress update"))
    return attachment_service.attach_file(workspace, path, parent_table=PROGRESS_TABLE,
                                          parent_id=progress_id)


