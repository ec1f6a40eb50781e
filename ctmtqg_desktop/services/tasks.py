"""Nhiệm vụ: directives, the tasks they assign, and dated progress updates with evidence.

Every write is one unit of work. A task's derived columns (lead key and label, folded search
text, next due date, latest status and percent) are recomputed from the task and its
progress in the same transaction (:func:`_refresh`), so the list can filter and sort 10,000
tasks in SQL. Overdue is never stored: it is ``next_due_on < today`` for the list, and the
detail view judges every occurrence of a recurring schedule (:mod:`domain.schedules`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.errors import RecordNotFound, UserError
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import attachments as attachment_service
from ctmtqg_desktop.services import backups, settings
from ctmtqg_desktop.store.journal import SYNC_CONTEXT
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.catalog import AdminUnit, Program, ProgramComponent
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import (
    TARGET_KINDS,
    TASK_STATUSES,
    Directive,
    Task,
    TaskProgress,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

DIRECTIVE_TABLE = "directive"
PROGRESS_TABLE = "task_progress"
#: the ``program`` filter value for tasks common to every programme
NO_PROGRAM = "-"


class TaskInputInvalid(UserError):
    """A task, directive or progress form with a value that cannot be saved."""

    exit_code = 2
    template = N_("{field}: {reason}")


# ---------------------------------------------------------------------------- labels
def status_label(status: str) -> str:
    return {"not_started": _("not started"), "in_progress": _("in progress"),
            "done": _("done")}.get(status, status)


def schedule_kind_label(kind: str) -> str:
    return {schedules.NONE: _("no deadline (ongoing)"), schedules.ONCE: _("one deadline"),
            schedules.MONTHLY: _("every month"), schedules.QUARTERLY: _("every quarter"),
            schedules.SEMIANNUAL: _("every 6 months"),
            schedules.YEARLY: _("every year")}.get(kind, kind)


def schedule_text(schedule: schedules.Schedule) -> str:
    """``Hạn 30/09/2023``, ``Trước ngày 20 hằng tháng``, ``Thường xuyên``…"""
    if schedule.kind == schedules.ONCE and schedule.deadline:
        return _("Due {date}").format(date=format_date(schedule.deadline))
    if schedule.kind == schedules.MONTHLY:
        return _("By day {day} of every month").format(day=schedule.day)
    if schedule.kind == schedules.QUARTERLY:
        return _("By day {day} of every quarter (from month {month})").format(
            day=schedule.day, month=schedule.month)
    if schedule.kind == schedules.SEMIANNUAL:
        return _("Every 6 months, by {day}/{month}").format(
            day=f"{schedule.day:02d}", month=f"{schedule.month:02d}")
    if schedule.kind == schedules.YEARLY:
        return _("Every year, by {day}/{month}").format(
            day=f"{schedule.day:02d}", month=f"{schedule.month:02d}")
    return _("Ongoing")


def occurrence_state_label(state: str) -> str:
    return {schedules.PENDING: _("not yet due"), schedules.ON_TIME: _("on time"),
            schedules.LATE_DONE: _("done late"), schedules.OVERDUE: _("overdue"),
            schedules.MISSED: _("missed")}.get(state, state)


def target_text(kind: str, quantity: int | None, unit: str) -> str:
    if kind == "quantity" and quantity is not None:
        return f"{format_number(quantity)} {unit}".strip()
    if kind == "amount" and quantity is not None:
        return _("100% of {amount} đồng").format(amount=format_number(quantity))
    return ""


# ---------------------------------------------------------------------------- assignees
@dataclass(frozen=True)
class Assignee:
    """Chủ trì or phối hợp: a unit of the catalog (``unit_id``) or an agency by name.

    Directives name bodies outside the unit catalog ("Sở Kế hoạch và Đầu tư", "Ủy ban
    nhân dân các huyện, thành phố"), so an agency's name is as good as a unit key.
    """

    unit_id: str | None = None
    agency: str = ""

    def encoded(self) -> str:
        return f"unit:{self.unit_id}" if self.unit_id else normalize(self.agency)

    @property
    def key(self) -> str:
        return f"unit:{self.unit_id}" if self.unit_id else (
            f"agency:{fold(self.agency)}" if self.agency else "")


def decode_assignee(text: str) -> Assignee:
    text = normalize(text)
    if text.startswith("unit:"):
        return Assignee(unit_id=text[5:])
    return Assignee(agency=text)


def _unit_body(row: AdminUnit) -> str:
    from ctmtqg_desktop.services.catalog import unit_kind_label

    return f"UBND {unit_kind_label(row.kind)} {row.name}"


def assignee_label(session: Session, assignee: Assignee) -> str:
    if assignee.unit_id:
        row = session.get(AdminUnit, assignee.unit_id)
        return _unit_body(row) if row else assignee.unit_id
    return assignee.agency


def parse_assignee(session: Session, text: str) -> Assignee:
    """A unit when ``text`` is a catalog unit key or exactly a unit's name ("UBND xã Đắk
    La", "Xã Đắk La", case and diacritics ignored); otherwise an agency by its name."""
    text = normalize(text)
    if not text:
        return Assignee()
    if text.startswith("unit:"):
        text = text[5:]
    if session.get(AdminUnit, text) is not None:
        return Assignee(unit_id=text)
    folded = fold(text)
    for prefix in ("ubnd ", "uy ban nhan dan "):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
            break
    kinds = {"xa": "commune", "phuong": "ward", "thi tran": "town", "huyen": "district",
             "thanh pho": "city", "tinh": "province", "thi xa": "town"}
    for word, kind in kinds.items():
        if folded.startswith(word + " "):
            name = folded[len(word) + 1:]
            matches = [u.id for u in session.scalars(select(AdminUnit).where(
                AdminUnit.name_folded == name, AdminUnit.kind == kind,
                AdminUnit.retired.is_(False)))]
            if len(matches) == 1:
                return Assignee(unit_id=matches[0])
    return Assignee(agency=text)


def _of_unit(model, unit_id: str):
    """The unit's own records (not addressed to anyone) and those addressed to it or to every
    child by another unit. A parent unit's copies of what it assigned to its children are
    theirs, not its own work: they show on its board."""
    return or_(and_(model.owner_unit_id == unit_id, model.audience_unit_id.is_(None)),
               and_(model.owner_unit_id != unit_id,
                    model.audience_unit_id.in_((unit_id, "*"))))


# ---------------------------------------------------------------------------- directives
@dataclass(frozen=True)
class DirectiveInfo:
    id: uuid.UUID
    number_symbol: str
    doc_type: str
    issued_on: dt.date | None
    issuing_body: str
    issuing_unit_id: str | None
    title: str
    summary: str
    program_ids: tuple[str, ...]
    related_documents: tuple[str, ...]
    task_count: int = 0
    attachments: tuple[attachment_service.AttachmentInfo, ...] = ()
    owner_unit_id: str = ""

    @property
    def label(self) -> str:
        return directive_label(self.doc_type, self.number_symbol, self.issued_on,
                               self.issuing_body)


def directive_label(doc_type: str, number_symbol: str, issued_on: dt.date | None,
                    issuing_body: str) -> str:
    """``Kế hoạch số 729/KH-UBND ngày 17/03/2023`` (or the body when the number is unknown)."""
    parts = [doc_type or _("Official document")]
    if number_symbol:
        parts.append(_("No. {number}").format(number=number_symbol))
    if issued_on:
        parts.append(_("of {date}").format(date=format_date(issued_on)))
    if not number_symbol and issuing_body:
        parts.append(_("of {body}").format(body=issuing_body))
    return " ".join(parts)


def _lines(text: str | Sequence[str] | None) -> list[str]:
    if not text:
        return []
    items = text.splitlines() if isinstance(text, str) else list(text)
    return [normalize(item) for item in items if normalize(item)]


def _directive_info(row: Directive, count: int = 0, files=()) -> DirectiveInfo:
    return DirectiveInfo(row.id, row.number_symbol, row.doc_type, row.issued_on,
                         row.issuing_body, row.issuing_unit_id, row.title, row.summary,
                         tuple(_lines(row.program_ids)), tuple(_lines(row.related_documents)),
                         count, tuple(files), row.owner_unit_id or "")


def list_directives(workspace: Workspace, *, text: str = "",
                    with_files: bool = False) -> list[DirectiveInfo]:
    """The unit's directives, newest first; ``text``: every word in the number, kind, body,
    title or summary (diacritics ignored); ``with_files``: with their attachments."""
    unit_id = workspace.installation().unit_id
    with workspace.session_factory() as session:
        counts = dict(session.execute(
            select(Task.directive_id, func.count()).where(
                Task.deleted.is_(False), Task.directive_id.is_not(None))
            .group_by(Task.directive_id)).all())
        statement = select(Directive).where(
            Directive.deleted.is_(False), _of_unit(Directive, unit_id))
        for term in search_terms(text):
            statement = statement.where(Directive.search_text.contains(term, autoescape=True))
        rows = list(session.scalars(statement.order_by(
            Directive.issued_on.is_(None), Directive.issued_on.desc(),
            Directive.number_symbol)))
        files: dict[uuid.UUID, list] = {}
        if with_files and rows:
            for item in session.scalars(select(Attachment).where(
                    Attachment.parent_table == DIRECTIVE_TABLE,
                    Attachment.parent_id.in_([r.id for r in rows]),
                    Attachment.deleted.is_(False)).order_by(Attachment.created_at)):
                files.setdefault(item.parent_id, []).append(attachment_service._info(item))
        return [_directive_info(row, counts.get(row.id, 0), files.get(row.id, ()))
                for row in rows]


def delete_directive(workspace: Workspace, directive_id: uuid.UUID) -> None:
    """Tombstone a directive that gave no task (with its attachment records); one that did
    is refused: its tasks would lose where they come from."""
    with UnitOfWork(workspace) as uow:
        session = uow.session
        row = session.get(Directive, directive_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Directive"), ident=str(directive_id))
        if row.owner_unit_id != uow.context.unit_id:
            raise TaskInputInvalid(field=_("Directive"), reason=_(
                "it was entered by another unit; only that unit can change it"))
        count = session.execute(select(func.count()).where(
            Task.directive_id == row.id, Task.deleted.is_(False))).scalar()
        if count:
            raise TaskInputInvalid(field=_("Directive"), reason=_(
                "{count} task(s) come from it; delete them or link them to another "
                "directive first").format(count=format_number(count)))
        row.deleted = True
        for item in session.scalars(select(Attachment).where(
                Attachment.parent_table == DIRECTIVE_TABLE, Attachment.parent_id == row.id,
                Attachment.deleted.is_(False))):
            item.deleted = True
        uow.commit()


def get_directive(workspace: Workspace, directive_id: uuid.UUID) -> DirectiveInfo:
    with workspace.session_factory() as session:
        row = session.get(Directive, directive_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Directive"), ident=str(directive_id))
        count = session.execute(select(func.count()).where(
            Task.directive_id == row.id, Task.deleted.is_(False))).scalar()
    files = attachment_service.list_attachments(workspace, DIRECTIVE_TABLE, directive_id)
    return _directive_info(row, count, files)


def _check_programs(session: Session, program_ids: Sequence[str]) -> None:
    for program_id in program_ids:
        if session.get(Program, program_id) is None:
            raise TaskInputInvalid(field=_("Programme"), reason=_(
                "unknown programme “{program}”").format(program=program_id))


def save_directive(workspace: Workspace, *, directive_id: uuid.UUID | None = None,
                   number_symbol: str = "", doc_type: str = "",
                   issued_on: dt.date | None = None, issuing_body: str = "",
                   issuing_unit_id: str | None = None, title: str = "", summary: str = "",
                   program_ids: Sequence[str] = (), related_documents: Sequence[str] | str = (),
                   attach: Sequence[str | Path] = (),
                   detach: Sequence[uuid.UUID] = ()) -> DirectiveInfo:
    """Add or change a directive, with the scans in ``attach`` and without the attachments
    ``detach`` (ids of its own), in one transaction."""
    title = normalize(title)
    if not title:
        raise TaskInputInvalid(field=_("Subject"), reason=_("the title (trích yếu) is empty"))
    if not normalize(issuing_body) and not issuing_unit_id:
        raise TaskInputInvalid(field=_("Issuing body"), reason=_("say who issued it"))
    if issued_on and issued_on > workspace.today() + dt.timedelta(days=366):
        raise TaskInputInvalid(field=_("Date"), reason=_("the date is too far in the future"))
    # store the files first: a file over the size limit stops everything, nothing written
    stored = [attachment_service.attachment_store(workspace).add_file(path) for path in attach]
    with UnitOfWork(workspace) as uow:
        session = uow.session
        _check_programs(session, program_ids)
        if issuing_unit_id and session.get(AdminUnit, issuing_unit_id) is None:
            raise TaskInputInvalid(field=_("Issuing body"), reason=_(
                "unknown unit “{unit}”").format(unit=issuing_unit_id))
        if directive_id is None:
            row = Directive()
            session.add(row)
        else:
            row = session.get(Directive, directive_id)
            if row is None or row.deleted:
                raise RecordNotFound(kind=_("Directive"), ident=str(directive_id))
            if row.owner_unit_id != uow.context.unit_id:
                raise TaskInputInvalid(field=_("Directive"), reason=_(
                    "it was entered by another unit; only that unit can change it"))
        for ident in detach:
            item = session.get(Attachment, ident)
            if item is None or item.deleted or item.parent_table != DIRECTIVE_TABLE or \
                    item.parent_id != directive_id:
                raise TaskInputInvalid(field=_("Scan or PDF"), reason=_(
                    "the file to remove is not attached to this directive"))
            item.deleted = True
        row.number_symbol = normalize(number_symbol)
        row.doc_type = normalize(doc_type)
        row.issued_on = issued_on
        row.issuing_body = normalize(issuing_body)
        if not row.issuing_body and issuing_unit_id:
            row.issuing_body = _unit_body(session.get(AdminUnit, issuing_unit_id))
        row.issuing_unit_id = issuing_unit_id
        row.title = title
        row.summary = normalize_block(summary)
        row.program_ids = "\n".join(_lines(program_ids))
        row.related_documents = "\n".join(_lines(related_documents))
        row.search_text = fold(" ".join([row.number_symbol, row.doc_type, row.issuing_body,
                                         row.title, row.summary]))
        session.flush()
        for item in stored:
            attachment_service.add_attachment_record(session, item, parent_table=DIRECTIVE_TABLE,
                                                     parent_id=row.id)
        if directive_id is not None:
            for task in session.scalars(select(Task).where(Task.directive_id == row.id)):
                _refresh(session, task)
        uow.commit()
        directive_id = row.id
    return get_directive(workspace, directive_id)


def normalize_block(text: str | None) -> str:
    """NFC, each line trimmed, blank runs collapsed: for multi-line text (paragraphs kept)."""
    lines = [normalize(line) for line in (text or "").splitlines()]
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    return "\n".join(result).strip()


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


def _schedule_of(row: Task) -> schedules.Schedule:
    # ``or``: before its first flush a new row has not received its column defaults
    return schedules.Schedule(row.schedule_kind or schedules.NONE, row.deadline,
                              row.schedule_day or 0, row.schedule_month or 1,
                              row.schedule_start, row.schedule_end)


def _task_info(session: Session, row: Task, directive: Directive | None = None) -> TaskInfo:
    if directive is None and row.directive_id:
        directive = session.get(Directive, row.directive_id)
    coordinators = tuple(decode_assignee(line) for line in _lines(row.coordinators))
    return TaskInfo(
        row.id, row.text, row.directive_id,
        directive_label(directive.doc_type, directive.number_symbol, directive.issued_on,
                        directive.issuing_body) if directive else "",
        row.parent_task_id, row.section, row.sort_order,
        Assignee(row.lead_unit_id, row.lead_agency), row.lead_label, coordinators,
        tuple(assignee_label(session, a) for a in coordinators), row.program_id,
        row.component_id, row.project_id, _schedule_of(row), row.expected_output,
        row.target_kind, row.target_quantity, row.target_unit, row.status,
        row.latest_percent, row.latest_progress_on, row.next_due_on, row.owner_unit_id)


def _progress_rows(session: Session, task_id: uuid.UUID) -> list[TaskProgress]:
    return list(session.scalars(select(TaskProgress).where(
        TaskProgress.task_id == task_id, TaskProgress.deleted.is_(False))
        .order_by(TaskProgress.reported_on, TaskProgress.created_at)))


def _due_state(row: Task, progress: list[TaskProgress], today: dt.date) -> schedules.DueState:
    latest = progress[-1] if progress else None
    closed_on = latest.reported_on if latest is not None and latest.status == "done" else None
    return schedules.evaluate(_schedule_of(row), [p.reported_on for p in progress], today,
                              closed_on=closed_on)


_DERIVED = ("lead_key", "lead_label", "status", "latest_percent", "latest_progress_on",
            "next_due_on", "search_text")


def _refresh(session: Session, row: Task, progress: list[TaskProgress] | None = None, *,
             cache_only: bool = False) -> None:
    """Recompute the derived columns of ``row`` from it and its progress.

    Within a local edit of a task this unit owns, they are part of the new version
    (journalled, they travel). A task another unit owns — one the parent unit assigned to
    us, on which we report progress — must never be changed here (only its owner's
    installations write it, and a local version would hide the owner's later edits), so its
    derived columns are written as a local cache, without a version; ``cache_only`` does the
    same for any task (after a package was applied: the columns follow from records every
    side holds, so each side computes them and nothing needs to travel)."""
    if progress is None:
        session.flush()
        progress = _progress_rows(session, row.id)
    values = _derived_values(session, row, progress)
    context = session.info.get(SYNC_CONTEXT)
    owned = context is None or row.owner_unit_id in (None, context.unit_id)
    if owned and not cache_only:
        for key, value in values.items():
            setattr(row, key, value)
        return
    table = Task.__table__
    session.execute(update(table).where(table.c.id == row.id).values(**values))
    for key, value in values.items():
        set_committed_value(row, key, value)


def _derived_values(session: Session, row: Task, progress: list[TaskProgress]) -> dict:
    lead = Assignee(row.lead_unit_id, row.lead_agency or "")
    lead_label = assignee_label(session, lead)
    latest = progress[-1] if progress else None
    # next_due does not depend on the day it is computed (domain/schedules.evaluate)
    anchor = row.schedule_start or row.deadline or dt.date(2000, 1, 1)
    directive = session.get(Directive, row.directive_id) if row.directive_id else None
    coordinator_labels = [assignee_label(session, decode_assignee(c))
                          for c in _lines(row.coordinators or "")]
    return {
        "lead_key": lead.key, "lead_label": lead_label,
        "status": latest.status if latest else "not_started",
        "latest_percent": latest.percent if latest else None,
        "latest_progress_on": latest.reported_on if latest else None,
        "next_due_on": _due_state(row, progress, anchor).next_due,
        "search_text": fold(" ".join(part or "" for part in [
            row.text, row.section, lead_label, *coordinator_labels, row.expected_output,
            directive.number_symbol if directive else "", directive.title if directive else ""])),
    }


def refresh_after_sync(session: Session, task_ids: set[uuid.UUID]) -> int:
    """After a package was applied (inside its transaction): recompute the derived columns
    of the tasks whose record or progress it brought, as a local cache (no new version).
    The sync importer writes records without the ORM, so a child's progress on a task its
    parent assigned would otherwise leave the task's status, percent and next deadline as
    they were, at the parent and at the child alike. Returns the number of tasks
    refreshed."""
    if not task_ids:
        return 0
    rows = list(session.scalars(select(Task).where(Task.id.in_(list(task_ids)),
                                                   Task.deleted.is_(False))))
    for row in rows:
        _refresh(session, row, cache_only=True)
    session.flush()
    return len(rows)


def _check_schedule(schedule: schedules.Schedule) -> None:
    try:
        schedule.check()
    except schedules.ScheduleInvalid as error:
        reason = {
            "kind": _("unknown kind of schedule"),
            "deadline": _("a one-off task needs its deadline"),
            "day": _("the day of the month must be between 1 and 31"),
            "month": _("the month must be between 1 and 12"),
            "start": _("a recurring task needs the date it starts from"),
            "end": _("the schedule ends before it starts"),
        }[error.reason]
        raise TaskInputInvalid(field=_("Deadline"), reason=reason) from None


def save_task(workspace: Workspace, *, task_id: uuid.UUID | None = None, text: str,
              directive_id: uuid.UUID | None = None,
              parent_task_id: uuid.UUID | None = None, section: str = "",
              lead: Assignee | str | None = None,
              coordinators: Sequence[Assignee | str] = (),
              program_id: str | None = None, component_id: str | None = None,
              project_id: uuid.UUID | None = None,
              schedule: schedules.Schedule | None = None,
              expected_output: str = "", target_kind: str = "none",
              target_quantity: int | None = None, target_unit: str = "",
              sort_order: int | None = None) -> TaskInfo:
    """Add a task or change one. Its progress history is never touched by an edit."""
    text = normalize_block(text)
    if not text:
        raise TaskInputInvalid(field=_("Task"), reason=_("the text of the task is empty"))
    schedule = schedule or schedules.Schedule()
    _check_schedule(schedule)
    if target_kind not in TARGET_KINDS:
        raise TaskInputInvalid(field=_("Target"), reason=_("unknown kind of target"))
    if target_kind != "none" and (target_quantity is None or target_quantity <= 0):
        raise TaskInputInvalid(field=_("Target"), reason=_(
            "a measurable target needs a quantity greater than zero"))
    if target_kind == "quantity" and not normalize(target_unit):
        raise TaskInputInvalid(field=_("Target"), reason=_(
            "say the unit of the quantity (km, households, classes…)"))
    with UnitOfWork(workspace) as uow:
        session = uow.session
        if program_id:
            _check_programs(session, [program_id])
        if component_id:
            component = session.get(ProgramComponent, component_id)
            if component is None or (program_id and component.program_id != program_id):
                raise TaskInputInvalid(field=_("Programme component"), reason=_(
                    "“{component}” is not a component of the chosen programme").format(
                    component=component_id))
        for ident, model, kind in ((directive_id, Directive, _("Directive")),
                                   (project_id, Project, _("Project")),
                                   (parent_task_id, Task, _("Task"))):
            if ident is not None:
                found = session.get(model, ident)
                if found is None or found.deleted:
                    raise RecordNotFound(kind=kind, ident=str(ident))
        if task_id is None:
            row = Task(text=text)
            session.add(row)
            if sort_order is None:
                sort_order = (session.execute(select(func.max(Task.sort_order)).where(
                    Task.directive_id == directive_id if directive_id else
                    Task.directive_id.is_(None))).scalar() or 0) + 1
        else:
            row = session.get(Task, task_id)
            if row is None or row.deleted:
                raise RecordNotFound(kind=_("Task"), ident=str(task_id))
            if row.owner_unit_id != uow.context.unit_id:
                raise TaskInputInvalid(field=_("Task"), reason=_(
                    "it was assigned by another unit; only that unit can change it"))
            if parent_task_id == row.id:
                raise TaskInputInvalid(field=_("Task"), reason=_(
                    "a task cannot detail itself"))
        if isinstance(lead, str):
            lead = parse_assignee(session, lead)
        lead = lead or Assignee()
        if lead.unit_id and session.get(AdminUnit, lead.unit_id) is None:
            raise TaskInputInvalid(field=_("Lead"), reason=_("unknown unit “{unit}”").format(
                unit=lead.unit_id))
        parsed = [parse_assignee(session, c) if isinstance(c, str) else c
                  for c in coordinators]
        row.text = text
        row.directive_id = directive_id
        row.parent_task_id = parent_task_id
        row.section = normalize(section)
        if sort_order is not None:
            row.sort_order = sort_order
        row.lead_unit_id = lead.unit_id
        row.lead_agency = normalize(lead.agency) if not lead.unit_id else ""
        row.coordinators = "\n".join(a.encoded() for a in parsed if a.unit_id or a.agency)
        row.program_id = program_id or None
        row.component_id = component_id or None
        row.project_id = project_id
        row.schedule_kind = schedule.kind
        row.deadline = schedule.deadline if schedule.kind == schedules.ONCE else None
        row.schedule_day = schedule.day if schedule.recurring else 0
        row.schedule_month = schedule.month if schedule.recurring else 1
        row.schedule_start = schedule.start if schedule.recurring else None
        row.schedule_end = schedule.end if schedule.recurring else None
        row.expected_output = normalize_block(expected_output)
        row.target_kind = target_kind
        row.target_quantity = target_quantity if target_kind != "none" else None
        row.target_unit = normalize(target_unit) if target_kind == "quantity" else (
            "đồng" if target_kind == "amount" else "")
        _refresh(session, row)
        uow.commit()
        return _task_info(session, row)


def delete_task(workspace: Workspace, task_id: uuid.UUID) -> None:
    """Tombstone a task (its progress stays in the journal and in sync packages)."""
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(Task, task_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Task"), ident=str(task_id))
        if row.owner_unit_id != uow.context.unit_id:
            raise TaskInputInvalid(field=_("Task"), reason=_(
                "it was assigned by another unit; only that unit can change it"))
        row.deleted = True
        uow.commit()


def get_task(workspace: Workspace, task_id: uuid.UUID) -> TaskInfo:
    with workspace.session_factory() as session:
        row = session.get(Task, task_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Task"), ident=str(task_id))
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
    with workspace.session_factory() as session:
        row = session.get(Task, task_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Task"), ident=str(task_id))
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
            .order_by(TaskProgress.reported_on.desc(), TaskProgress.created_at.desc())))
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
    if reported_on > workspace.today():
        raise TaskInputInvalid(field=_("Date"), reason=_(
            "an update cannot be dated after today ({today})").format(
            today=format_date(workspace.today())))
    narrative = normalize_block(narrative)
    store = attachment_service.attachment_store(workspace)
    stored = [store.add_file(path) for path in evidence]
    with UnitOfWork(workspace) as uow:
        session = uow.session
        task = session.get(Task, task_id)
        if task is None or task.deleted:
            raise RecordNotFound(kind=_("Task"), ident=str(task_id))
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
        _refresh(session, task)
        uow.commit()
        return _progress_info(row, [attachment_service._info(f) for f in files])


def withdraw_progress(workspace: Workspace, progress_id: uuid.UUID) -> None:
    """Withdraw an update entered by mistake (tombstone; the journal keeps it)."""
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(TaskProgress, progress_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Progress update"), ident=str(progress_id))
        if row.owner_unit_id != uow.context.unit_id:
            raise TaskInputInvalid(field=_("Progress update"), reason=_(
                "it was recorded by another unit; only that unit can withdraw it"))
        row.deleted = True
        task = uow.session.get(Task, row.task_id)
        _refresh(uow.session, task)
        uow.commit()


def attach_evidence(workspace: Workspace, progress_id: uuid.UUID,
                    path: str | Path) -> attachment_service.AttachmentInfo:
    with workspace.session_factory() as session:
        row = session.get(TaskProgress, progress_id)
        if row is None or row.deleted:
            raise RecordNotFound(kind=_("Progress update"), ident=str(progress_id))
    return attachment_service.attach_file(workspace, path, parent_table=PROGRESS_TABLE,
                                          parent_id=progress_id)


# ---------------------------------------------------------------------------- the list
@dataclass(frozen=True)
class TaskRow:
    """One line of the task list."""

    id: uuid.UUID
    text: str
    lead_label: str
    program_label: str
    directive_label: str
    schedule_label: str
    next_due_on: dt.date | None
    status: str
    latest_percent: int | None
    latest_progress_on: dt.date | None
    #: late, due_soon or normal, on the working date
    state: str


SORT_KEYS = ("text", "lead", "program", "directive", "due", "status", "percent", "updated")


def _apply_filters(statement, query: dict[str, Any], unit_id: str, today: dt.date):
    statement = statement.where(Task.deleted.is_(False), _of_unit(Task, unit_id))
    program = query.get("program")
    if program == NO_PROGRAM:
        statement = statement.where(Task.program_id.is_(None))
    elif program:
        statement = statement.where(Task.program_id == program)
    if query.get("status"):
        statement = statement.where(Task.status == query["status"])
    if query.get("open_only"):
        statement = statement.where(Task.status != "done")
    if query.get("overdue"):
        statement = statement.where(Task.next_due_on < today)
    days = query.get("due_within")
    if days is not None and days != "":
        statement = statement.where(Task.next_due_on >= today,
                                    Task.next_due_on <= today + dt.timedelta(days=int(days)))
    if query.get("lead"):
        statement = statement.where(Task.lead_key == query["lead"])
    if query.get("directive"):
        directive = query["directive"]
        statement = statement.where(Task.directive_id == (
            directive if isinstance(directive, uuid.UUID) else uuid.UUID(str(directive))))
    for term in search_terms(query.get("text")):
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(Task.search_text.like(f"%{escaped}%", escape="\\"))
    return statement


def task_ids(workspace: Workspace, query: dict[str, Any] | None = None,
             sort_key: str | None = None, descending: bool = False) -> list[uuid.UUID]:
    """Ids of the tasks matching ``query``, sorted in SQL.

    ``query`` keys: ``text`` (every word, diacritics ignored), ``program`` (a key, or
    :data:`NO_PROGRAM`), ``status``, ``open_only``, ``overdue`` (next due date before the
    working date), ``due_within`` (days), ``lead`` (a lead key), ``directive`` (an id).
    """
    query = query or {}
    info = workspace.installation()
    today = workspace.today()
    statement = _apply_filters(select(Task.id), query, info.unit_id, today)
    key = sort_key or "due"
    # (column, is a "missing value" flag): flags keep empty values last in both directions
    if key == "directive":
        statement = statement.outerjoin(Directive, Directive.id == Task.directive_id)
        columns = [(Directive.issued_on.is_(None), True), (Directive.issued_on, False),
                   (Task.sort_order, False)]
    else:
        columns = {
            "due": [(Task.next_due_on.is_(None), True), (Task.next_due_on, False),
                    (Task.sort_order, False)],
            "text": [(Task.text, False)],
            "lead": [(Task.lead_label, False), (Task.sort_order, False)],
            "program": [(Task.program_id.is_(None), True), (Task.program_id, False),
                        (Task.sort_order, False)],
            "status": [(Task.status, False), (Task.next_due_on, False)],
            "percent": [(Task.latest_percent.is_(None), True), (Task.latest_percent, False)],
            "updated": [(Task.latest_progress_on.is_(None), True),
                        (Task.latest_progress_on, False)],
        }.get(key, [(Task.sort_order, False)])
    order = [column if flag or not descending else column.desc() for column, flag in columns]
    statement = statement.order_by(*order, Task.id)
    with workspace.session_factory() as session:
        return list(session.scalars(statement))


def _program_labels(session: Session) -> dict[str, str]:
    return {p.id: p.code for p in session.scalars(select(Program))}


def row_state(next_due_on: dt.date | None, status: str, today: dt.date, soon_days: int) -> str:
    if next_due_on is None:
        return "normal"
    if next_due_on < today:
        return "late"
    if next_due_on <= today + dt.timedelta(days=soon_days):
        return "due_soon"
    return "normal"


def task_rows(workspace: Workspace, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, TaskRow]:
    """The list lines of ``ids`` (one query for the page)."""
    if not ids:
        return {}
    today = workspace.today()
    soon = settings.get(workspace, settings.DUE_SOON_DAYS)
    with workspace.session_factory() as session:
        programs = _program_labels(session)
        result = {}
        # plain columns, not ORM objects: a page of 200 rows is read at every scroll step
        for row in session.execute(
                select(Task.id, Task.text, Task.lead_label, Task.program_id,
                       Task.schedule_kind, Task.deadline, Task.schedule_day,
                       Task.schedule_month, Task.schedule_start, Task.schedule_end,
                       Task.next_due_on, Task.status, Task.latest_percent,
                       Task.latest_progress_on, Directive.doc_type, Directive.number_symbol,
                       Directive.issued_on, Directive.issuing_body)
                .outerjoin(Directive, Directive.id == Task.directive_id)
                .where(Task.id.in_(list(ids)))):
            schedule = schedules.Schedule(row.schedule_kind or schedules.NONE, row.deadline,
                                          row.schedule_day or 0, row.schedule_month or 1,
                                          row.schedule_start, row.schedule_end)
            result[row.id] = TaskRow(
                row.id, row.text, row.lead_label,
                programs.get(row.program_id, "") if row.program_id else _("Common"),
                directive_label(row.doc_type, row.number_symbol, row.issued_on,
                                row.issuing_body)
                if row.doc_type is not None or row.number_symbol else "",
                schedule_text(schedule), row.next_due_on, row.status, row.latest_percent,
                row.latest_progress_on,
                row_state(row.next_due_on, row.status, today, soon))
        return result


# ---------------------------------------------------------------------------- components
def component_label(component: ProgramComponent) -> str:
    """``DA3 › TDA2: Hỗ trợ phát triển sản xuất…``: the path of codes under the programme, as
    the catalog page shows it, and the name."""
    path = " › ".join(component.id.split("/")[2:]) or component.code
    return f"{path}: {component.name}"


def _task_components(session: Session) -> dict[str, list[ProgramComponent]]:
    """The components a task can name, per programme, in the catalog's order: the
    programme's own components (projects, or NTM's contents) and the sub-projects under a
    project; the contents inside a project or sub-project are too fine for a task."""
    rows = list(session.scalars(select(ProgramComponent).where(
        ProgramComponent.retired.is_(False)).order_by(ProgramComponent.sort_order)))
    children: dict[str, list[ProgramComponent]] = {}
    for row in rows:
        if row.parent_id and row.level == "subproject":
            children.setdefault(row.parent_id, []).append(row)
    result: dict[str, list[ProgramComponent]] = {}
    for row in rows:
        if row.parent_id is None:
            result.setdefault(row.program_id, []).append(row)
            result[row.program_id].extend(children.get(row.id, ()))
    return result


class ComponentLookup:
    """What an officer writes in the workbook's component column, to a component key:
    the key, the codes under the programme (``DA3/TDA2``, ``DA3 › TDA2``, ``DA3 TDA2``),
    a code alone when only one component has it, or the name (diacritics optional)."""

    def __init__(self, session: Session) -> None:
        self.names: dict[str, dict[str, set[str]]] = {}
        for program_id, rows in _task_components(session).items():
            names = self.names.setdefault(program_id, {})
            for row in rows:
                path = "/".join(row.id.split("/")[2:])
                for text in (row.id, path, row.code, row.name):
                    names.setdefault(self._key(text), set()).add(row.id)

    @staticmethod
    def _key(text: str) -> str:
        folded = fold(text).replace("›", "/").replace(">", "/").replace("-", " ")
        return " ".join(folded.replace("/", " ").replace(".", " ").split())

    def find(self, program_id: str, text: str) -> str | None:
        found = self.names.get(program_id, {}).get(self._key(text), set())
        return next(iter(found)) if len(found) == 1 else None

    def program_of(self, text: str) -> str | None:
        """The programme of a full key (``2021-2025/DTTS/DA3``) written without one."""
        for program_id, names in self.names.items():
            found = names.get(self._key(text), set())
            if len(found) == 1 and self._key(next(iter(found))) == self._key(text):
                return program_id
        return None


@dataclass(frozen=True)
class FilterOptions:
    programs: tuple[tuple[str, str], ...]
    leads: tuple[tuple[str, str], ...]
    directives: tuple[tuple[uuid.UUID, str], ...]
    statuses: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    #: the unit's projects and works (``project`` records), for linking a task
    projects: tuple[tuple[uuid.UUID, str], ...] = field(default_factory=tuple)
    #: per programme key: (component key, label, level) of the projects and sub-projects
    components: dict[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)


def filter_options(workspace: Workspace) -> FilterOptions:
    """The values the list's filters offer: programmes, leads and directives in use."""
    unit_id = workspace.installation().unit_id
    with workspace.session_factory() as session:
        programs = tuple((p.id, f"{p.code}: {p.short_name}") for p in session.scalars(
            select(Program).order_by(Program.period_id, Program.sort_order)))
        leads = tuple(session.execute(
            select(Task.lead_key, func.min(Task.lead_label)).where(
                Task.deleted.is_(False), Task.lead_key != "", _of_unit(Task, unit_id))
            .group_by(Task.lead_key).order_by(func.min(Task.lead_label))).all())
        projects = tuple(session.execute(select(Project.id, Project.name).where(
            Project.owner_unit_id == unit_id, Project.deleted.is_(False))
            .order_by(Project.name)).all())
        components = {program_id: tuple((c.id, component_label(c), c.level) for c in rows)
                      for program_id, rows in _task_components(session).items()}
    directives = tuple((d.id, d.label) for d in list_directives(workspace))
    statuses = tuple((s, status_label(s)) for s in TASK_STATUSES)
    return FilterOptions(programs, tuple((k, v) for k, v in leads), directives, statuses,
                         tuple((ident, name) for ident, name in projects), components)


# ---------------------------------------------------------------------------- summaries
@dataclass(frozen=True)
class TaskSummary:
    total: int
    open: int
    done: int
    overdue: int
    due_soon: int
    #: (task id, text, next due, state) of the nearest deadlines, overdue first
    next_deadlines: tuple[tuple[uuid.UUID, str, dt.date, str], ...]


def summary(workspace: Workspace, *, limit: int = 5) -> TaskSummary:
    info = workspace.installation()
    today = workspace.today()
    soon = settings.get(workspace, settings.DUE_SOON_DAYS)
    with workspace.session_factory() as session:
        base = _apply_filters(select(func.count(Task.id)), {}, info.unit_id, today)
        total = session.execute(base).scalar()
        done = session.execute(base.where(Task.status == "done")).scalar()
        overdue = session.execute(base.where(Task.next_due_on < today)).scalar()
        due_soon = session.execute(base.where(
            Task.next_due_on >= today,
            Task.next_due_on <= today + dt.timedelta(days=soon))).scalar()
        nearest = session.execute(_apply_filters(
            select(Task.id, Task.text, Task.next_due_on, Task.status), {}, info.unit_id, today)
            .where(Task.next_due_on.is_not(None))
            .order_by(Task.next_due_on, Task.sort_order).limit(limit)).all()
    return TaskSummary(total, total - done, done, overdue, due_soon, tuple(
        (ident, text, due, row_state(due, status, today, soon))
        for ident, text, due, status in nearest))


# ---------------------------------------------------------------------------- Excel
_SCHEDULE_WORDS = {
    "không": schedules.NONE, "thường xuyên": schedules.NONE, "một lần": schedules.ONCE,
    "hằng tháng": schedules.MONTHLY, "hàng tháng": schedules.MONTHLY,
    "hằng quý": schedules.QUARTERLY, "hàng quý": schedules.QUARTERLY,
    "6 tháng": schedules.SEMIANNUAL, "hằng năm": schedules.YEARLY,
    "hàng năm": schedules.YEARLY,
}


def _import_columns():
    from ctmtqg_desktop.services import workbook_import as wb

    return [
        wb.ImportColumn("text", N_("Task"), wb.text, width=60,
                        example="Rà soát danh mục dự án đầu tư năm 2024, đề xuất UBND huyện.",
                        help=N_("the task as the directive writes it")),
        wb.ImportColumn("directive", N_("Directive number"), wb.text, required=False,
                        example="729/KH-UBND", width=16,
                        help=N_("number and symbol of a directive already entered in the "
                                "application; empty for a task of its own")),
        wb.ImportColumn("lead", N_("Lead"), wb.text, required=False, example="UBND xã Đắk La",
                        width=26, help=N_("a unit (“UBND xã Đắk La” or its code 23524) or an "
                                          "agency's name")),
        wb.ImportColumn("coordinators", N_("Coordinating"), wb.text, required=False,
                        example="Hội Nông dân xã; Đoàn Thanh niên xã", width=26,
                        help=N_("units or agencies, separated by semicolons")),
        wb.ImportColumn("program", N_("Programme"), wb.text, required=False, example="NTM",
                        width=12, help=N_("NTM, GNBV or DTTS (or the catalog key); empty: "
                                          "common to every programme")),
        wb.ImportColumn("component", N_("Project / sub-project of the programme"), wb.text,
                        required=False, example="", width=16,
                        help=N_("optional: the project or sub-project of the programme, by its "
                                "code as the catalog shows it (DA3, DA3 › TDA2) or by its name "
                                "(diacritics optional); the programme must be given")),
        wb.ImportColumn("deadline", N_("Deadline"), wb.date, required=False,
                        example="20/10/2023", width=13,
                        help=N_("dd/mm/yyyy, for a task with one deadline")),
        wb.ImportColumn("repeat", N_("Repeats"), wb.choice(_SCHEDULE_WORDS), required=False,
                        example="không", width=13,
                        help=N_("không, hằng tháng, hằng quý, 6 tháng or hằng năm")),
        wb.ImportColumn("repeat_day", N_("Day of the period"), wb.whole_number,
                        required=False, example="", width=10,
                        help=N_("for a recurring task: the day of the month it is due "
                                "(20 for “before the 20th of each month”)")),
        wb.ImportColumn("repeat_month", N_("Month of the first occurrence"), wb.whole_number,
                        required=False, example="", width=12,
                        help=N_("for quarterly, 6-monthly and yearly tasks: the month of the "
                                "first occurrence in the year (1-12)")),
        wb.ImportColumn("expected_output", N_("Expected output"), wb.text, required=False,
                        example="Danh mục dự án đề xuất", width=24),
        wb.ImportColumn("target", N_("Target quantity"), wb.whole_number, required=False,
                        example="", width=12,
                        help=N_("a measurable target, if any (a whole number)")),
        wb.ImportColumn("target_unit", N_("Unit of measure"), wb.text, required=False,
                        example="", width=12,
                        help=N_("km, households, classes…; “đồng” for an amount")),
    ]


def write_tasks_template(path) -> Path:
    from ctmtqg_desktop.services import workbook_import as wb

    return wb.write_template(path, _import_columns(), title=_("List of tasks"), guide=[
        _("One row per task. Every row is checked; if one is wrong, nothing is imported and "
          "each wrong row and column is listed."),
        _("A task with one deadline fills “Deadline”; a recurring task fills “Repeats” and "
          "“Day of the period”; an ongoing task leaves both empty."),
    ])


@dataclass(frozen=True)
class ImportResult:
    added: int
    directive_links: int


def import_tasks(workspace: Workspace, path, *, starting: dt.date | None = None,
                 legacy_encoding: str | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 stop_requested: Callable[[], bool] | None = None) -> ImportResult:
    """Add the tasks listed in a workbook: every row is checked, then all are written in
    one transaction, or none (``WorkbookRejected`` names each bad row and column).

    ``progress(done, total)`` follows the rows (checked, then written); ``stop_requested()``
    returning True stops the import before the commit (``workbook_import.ImportStopped``)."""
    from ctmtqg_desktop.services import workbook_import as wb

    step = wb.stepper(progress, stop_requested)
    rows, problems = wb.read_rows_with_problems(path, _import_columns(),
                                                legacy_encoding=legacy_encoding)
    total_steps = max(2 * len(rows), 1)
    starting = starting or workspace.today()
    prepared = []
    with workspace.session_factory() as session:
        directives = {}
        for row in session.scalars(select(Directive).where(Directive.deleted.is_(False))):
            if row.number_symbol:
                directives.setdefault(fold(row.number_symbol), row.id)
        programs = {}
        for program in session.scalars(select(Program)):
            for key in (program.id, program.code, program.abbreviation):
                programs.setdefault(fold(key), program.id)
        components = ComponentLookup(session)
        for checked, row in enumerate(rows):
            step(checked, total_steps)
            values = row.values
            problem_count = len(problems)

            def bad(column: str, message: str, line: int = row.row) -> None:
                problems.append(wb.RowProblem(line, _(column), message))

            directive_id = None
            if values.get("directive"):
                directive_id = directives.get(fold(values["directive"]))
                if directive_id is None:
                    bad(N_("Directive number"), _(
                        "no directive “{number}” has been entered; enter the directive "
                        "first").format(number=values["directive"]))
            program_id = None
            if values.get("program"):
                program_id = programs.get(fold(values["program"]))
                if program_id is None:
                    bad(N_("Programme"), _("“{value}” is not NTM, GNBV or DTTS").format(
                        value=values["program"]))
            component_id = None
            if values.get("component"):
                written = values["component"]
                if program_id is None and not values.get("program"):
                    program_id = components.program_of(written)
                if program_id is not None:
                    component_id = components.find(program_id, written)
                if component_id is None and (program_id is not None
                                             or not values.get("program")):
                    bad(N_("Project / sub-project of the programme"), _(
                        "“{value}” is not a project or sub-project of the programme {program}; "
                        "write its code as the catalog shows it (DA3, DA3 › TDA2) or its "
                        "name").format(value=written, program=program_id.split("/")[-1])
                        if program_id else _(
                        "“{value}”: give the programme in the column “Programme” first"
                        ).format(value=written))
            kind = values.get("repeat") or schedules.NONE
            deadline = values.get("deadline")
            day = values.get("repeat_day")
            month = values.get("repeat_month")
            if kind == schedules.NONE and deadline is not None:
                kind = schedules.ONCE
            if kind == schedules.ONCE and deadline is None:
                bad(N_("Deadline"), _("a task with one deadline needs the date"))
            if kind in schedules.EVERY_MONTHS:
                if deadline is not None:
                    bad(N_("Deadline"), _("a recurring task has no single deadline; "
                                          "leave this cell empty"))
                if day is None or not 1 <= day <= 31:
                    bad(N_("Day of the period"), _("give the day it is due, 1 to 31"))
                if month is not None and not 1 <= month <= 12:
                    bad(N_("Month of the first occurrence"), _("must be between 1 and 12"))
            elif day is not None or month is not None:
                bad(N_("Repeats"), _("say how often it repeats, or leave the day and month "
                                     "empty"))
            target = values.get("target")
            unit = values.get("target_unit") or ""
            target_kind = "none"
            if target is not None:
                if target <= 0:
                    bad(N_("Target quantity"), _("must be greater than zero"))
                if not unit:
                    bad(N_("Unit of measure"), _("a target needs its unit"))
                target_kind = "amount" if fold(unit) in ("dong", "vnd") else "quantity"
            elif unit:
                bad(N_("Target quantity"), _("a unit of measure was given without a quantity"))
            if len(problems) > problem_count or any(
                    p.row == row.row for p in problems[:problem_count]):
                continue
            schedule = schedules.Schedule(
                kind, deadline if kind == schedules.ONCE else None,
                day or 0, month or (starting.month if kind in schedules.EVERY_MONTHS else 1),
                dt.date(starting.year, starting.month, 1) if kind in schedules.EVERY_MONTHS
                else None)
            prepared.append(dict(
                text=values["text"], directive_id=directive_id, program_id=program_id,
                component_id=component_id,
                lead=values.get("lead") or "", coordinators=[
                    c for c in (values.get("coordinators") or "").split(";") if c.strip()],
                schedule=schedule, expected_output=values.get("expected_output") or "",
                target_kind=target_kind, target_quantity=target, target_unit=unit))
    wb.reject(path, problems)
    backups.before_import(workspace)  # issue 18: a backup before every import
    with UnitOfWork(workspace) as uow:
        session = uow.session
        orders: dict[uuid.UUID | None, int] = {}
        for written, item in enumerate(prepared):
            step(len(rows) + written, total_steps)
            key = item["directive_id"]
            if key not in orders:
                orders[key] = session.execute(select(func.max(Task.sort_order)).where(
                    Task.directive_id == key if key else Task.directive_id.is_(None))
                ).scalar() or 0
            orders[key] += 1
            schedule = item["schedule"]
            lead = parse_assignee(session, item["lead"])
            row = Task(text=normalize_block(item["text"]), directive_id=key,
                       sort_order=orders[key], lead_unit_id=lead.unit_id,
                       lead_agency=lead.agency,
                       coordinators="\n".join(parse_assignee(session, c).encoded()
                                              for c in item["coordinators"]),
                       program_id=item["program_id"], component_id=item["component_id"],
                       schedule_kind=schedule.kind,
                       deadline=schedule.deadline, schedule_day=schedule.day,
                       schedule_month=schedule.month, schedule_start=schedule.start,
                       expected_output=normalize_block(item["expected_output"]),
                       target_kind=item["target_kind"],
                       target_quantity=item["target_quantity"],
                       target_unit=normalize(item["target_unit"]))
            session.add(row)
            session.flush()
            _refresh(session, row, [])
        step(total_steps, total_steps)
        uow.commit()
    return ImportResult(len(prepared), sum(1 for p in prepared if p["directive_id"]))
