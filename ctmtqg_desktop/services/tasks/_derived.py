"""A task's derived columns (lead key and label, folded search text, next due date, latest
status and percent), recomputed from the task and its progress in the transaction of every
write that can change them, and after a sync package is applied."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.services.tasks._rules import (
    Assignee,
    assignee_label,
    decode_assignee,
    split_lines,
)
from ctmtqg_desktop.store.journal import SYNC_CONTEXT
from ctmtqg_desktop.store.models.tasks import Directive, Task, TaskProgress


def schedule_of(row: Task) -> schedules.Schedule:
    # ``or``: before its first flush a new row has not received its column defaults
    return schedules.Schedule(row.schedule_kind or schedules.NONE, row.deadline,
                              row.schedule_day or 0, row.schedule_month or 1,
                              row.schedule_start, row.schedule_end)


#: The order of a task's progress reports, the last being the "latest": the day reported,
#: the moment written, then the record's version (the hybrid clock of its last write) and
#: its id. Every column travels with the record, so every installation and both databases
#: agree on it; without the last two, two reports of the same day written in the same
#: transaction (same ``created_at``) came in whatever order the database read them, and a
#: parent and its child could show different percentages for one task (issue 17).
PROGRESS_ORDER = (TaskProgress.reported_on, TaskProgress.created_at, TaskProgress.version,
                  TaskProgress.id)


def progress_order(item: TaskProgress) -> tuple[dt.date, dt.datetime, str, uuid.UUID]:
    """:data:`PROGRESS_ORDER` as a sort key on loaded rows."""
    return (item.reported_on, item.created_at, item.version, item.id)


def _progress_rows(session: Session, task_id: uuid.UUID) -> list[TaskProgress]:
    # sorted in Python as well: the same key whatever the database's collation
    return sorted(session.scalars(select(TaskProgress).where(
        TaskProgress.task_id == task_id, TaskProgress.deleted.is_(False))
        .order_by(*PROGRESS_ORDER)), key=progress_order)


def _due_state(row: Task, progress: list[TaskProgress], today: dt.date) -> schedules.DueState:
    latest = progress[-1] if progress else None
    closed_on = latest.reported_on if latest is not None and latest.status == "done" else None
    return schedules.evaluate(schedule_of(row), [p.reported_on for p in progress], today,
                              closed_on=closed_on)


_DERIVED = ("lead_key", "lead_label", "status", "latest_percent", "latest_progress_on",
            "next_due_on", "search_text")


def refresh(session: Session, row: Task, progress: list[TaskProgress] | None = None, *,
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
    values = derived_values(session, row, progress)
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


def derived_values(session: Session, row: Task, progress: list[TaskProgress]) -> dict:
    lead = Assignee(row.lead_unit_id, row.lead_agency or "")
    lead_label = assignee_label(session, lead)
    latest = progress[-1] if progress else None
    # next_due does not depend on the day it is computed (domain/schedules.evaluate)
    anchor = row.schedule_start or row.deadline or dt.date(2000, 1, 1)
    directive = session.get(Directive, row.directive_id) if row.directive_id else None
    coordinator_labels = [assignee_label(session, decode_assignee(c))
                          for c in split_lines(row.coordinators or "")]
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
    session.flush()
    wanted = sorted(task_ids)
    rows: list[Task] = []
    progress: dict[uuid.UUID, list[TaskProgress]] = {}
    # one query per 500 tasks (not one per task): a mass import at the parent brings the
    # progress of thousands of tasks (issue 17)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows.extend(session.scalars(select(Task).where(Task.id.in_(chunk),
                                                       Task.deleted.is_(False))))
        for item in session.scalars(select(TaskProgress).where(
                TaskProgress.task_id.in_(chunk), TaskProgress.deleted.is_(False))):
            progress.setdefault(item.task_id, []).append(item)
    return _write_derived(session, rows, progress)


def _write_derived(session: Session, rows: list[Task],
                   progress: dict[uuid.UUID, list[TaskProgress]]) -> int:
    """The derived columns of ``rows`` from their live progress, written as a local
    cache with one ``executemany``."""
    for items in progress.values():
        items.sort(key=progress_order)  # as _progress_rows orders them
    if not rows:
        return 0
    table = cast(Table, Task.__table__)
    computed = [(row, derived_values(session, row, progress.get(row.id, [])))
                for row in rows]
    session.execute(update(table).where(table.c.id == bindparam("_task_id")),
                    [{"_task_id": row.id, **values} for row, values in computed])
    for row, values in computed:
        for key, value in values.items():
            set_committed_value(row, key, value)
    session.flush()
    return len(rows)


def refresh_after_apply(session: Session, ids: dict[str, list[uuid.UUID]]) -> None:
    """The sync hook (``Area.after_apply``): the tasks whose record arrived and those whose
    progress updates arrived get their derived columns recomputed.

    A package's usual few hundred ids: the tasks and their live progress in one query
    (the tasks named, and those of the progress named; was three, issue 17); more: the
    progress's tasks first, then :func:`refresh_after_sync` 500 tasks at a time."""
    task_ids = set(ids["task"])
    progress_ids = ids["task_progress"]
    if not task_ids and not progress_ids:
        return
    if len(task_ids) <= 500 and len(progress_ids) <= 500:
        session.flush()
        named = or_(Task.id.in_(sorted(task_ids)), Task.id.in_(
            select(TaskProgress.task_id).where(TaskProgress.id.in_(sorted(set(progress_ids))))))
        rows: dict[uuid.UUID, Task] = {}
        progress: dict[uuid.UUID, list[TaskProgress]] = {}
        for task, item in session.execute(
                select(Task, TaskProgress)
                .outerjoin(TaskProgress, and_(TaskProgress.task_id == Task.id,
                                              TaskProgress.deleted.is_(False)))
                .where(Task.deleted.is_(False), named)):
            rows.setdefault(task.id, task)
            if item is not None:
                progress.setdefault(task.id, []).append(item)
        _write_derived(session, list(rows.values()), progress)
        return
    for start in range(0, len(progress_ids), 500):
        task_ids.update(session.scalars(select(TaskProgress.task_id).where(
            TaskProgress.id.in_(progress_ids[start:start + 500]))))
    refresh_after_sync(session, task_ids)
