"""The task list: its rows, filters and sort in SQL over the derived columns, the filter
choices (programmes and their components) and the summary the overview shows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.text import fold, search_terms
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, settings
from ctmtqg_desktop.services.tasks._directives import directive_label, list_directives
from ctmtqg_desktop.services.tasks._rules import NO_PROGRAM, of_unit, schedule_text, status_label
from ctmtqg_desktop.store.models.catalog import Program, ProgramComponent
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import TASK_STATUSES, Directive, Task
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

SORT_KEYS = ("text", "lead", "program", "directive", "due", "status", "percent", "updated")


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
    #: a predecessor's task (history before the merger, read-only): the old unit; its text
    #: carries the label "— Xã Đắk La (trước sắp xếp)"
    history_of: str = ""


def _apply_filters(statement, query: dict[str, Any], unit_id: str, today: dt.date,
                   history: dict[str, str] | None = None):
    mine = of_unit(Task, unit_id)
    if history:  # the predecessors' own tasks (query key ``history``)
        mine = or_(mine, and_(Task.owner_unit_id.in_(sorted(history)),
                              Task.audience_unit_id.is_(None)))
    statement = statement.where(Task.deleted.is_(False), mine)
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
    working date), ``due_within`` (days), ``lead`` (a lead key), ``directive`` (an id),
    ``history`` (also the tasks of the units this one continues: a merged commune's
    predecessors, read-only).
    """
    query = query or {}
    info = workspace.installation()
    today = workspace.today()
    history = None
    if query.get("history"):
        with UnitOfWork.read(workspace) as session:
            history = catalog.own_history(session, workspace)
    statement = _apply_filters(select(Task.id), query, info.unit_id, today, history)
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
    with UnitOfWork.read(workspace) as session:
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
    with UnitOfWork.read(workspace) as session:
        programs = _program_labels(session)
        history = catalog.own_history(session, workspace)
        result = {}
        # plain columns, not ORM objects: a page of 200 rows is read at every scroll step
        for row in session.execute(
                select(Task.id, Task.text, Task.lead_label, Task.program_id,
                       Task.schedule_kind, Task.deadline, Task.schedule_day,
                       Task.schedule_month, Task.schedule_start, Task.schedule_end,
                       Task.next_due_on, Task.status, Task.latest_percent,
                       Task.latest_progress_on, Directive.doc_type, Directive.number_symbol,
                       Directive.issued_on, Directive.issuing_body, Task.owner_unit_id,
                       Task.audience_unit_id)
                .outerjoin(Directive, Directive.id == Task.directive_id)
                .where(Task.id.in_(list(ids)))):
            schedule = schedules.Schedule(row.schedule_kind or schedules.NONE, row.deadline,
                                          row.schedule_day or 0, row.schedule_month or 1,
                                          row.schedule_start, row.schedule_end)
            history_of = history.get(row.owner_unit_id, "") \
                if row.audience_unit_id is None else ""
            result[row.id] = TaskRow(
                row.id, catalog.history_label(row.text, history_of) if history_of else row.text,
                row.lead_label,
                programs.get(row.program_id, "") if row.program_id else _("Common"),
                directive_label(row.doc_type, row.number_symbol, row.issued_on,
                                row.issuing_body)
                if row.doc_type is not None or row.number_symbol else "",
                schedule_text(schedule), row.next_due_on, row.status, row.latest_percent,
                row.latest_progress_on,
                # a predecessor's task is history: never "late" among today's work
                "normal" if history_of else row_state(row.next_due_on, row.status, today, soon),
                history_of)
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
    #: the units this one continues (a merged commune's predecessors): ``{unit: title}``;
    #: the list shows their tasks, read-only, when asked (query key ``history``)
    history: dict[str, str] = field(default_factory=dict)


def filter_options(workspace: Workspace) -> FilterOptions:
    """The values the list's filters offer: programmes, leads and directives in use."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        programs = tuple((p.id, f"{p.code}: {p.short_name}") for p in session.scalars(
            select(Program).order_by(Program.period_id, Program.sort_order)))
        leads = tuple(session.execute(
            select(Task.lead_key, func.min(Task.lead_label)).where(
                Task.deleted.is_(False), Task.lead_key != "", of_unit(Task, unit_id))
            .group_by(Task.lead_key).order_by(func.min(Task.lead_label))).all())
        projects = tuple(session.execute(select(Project.id, Project.name).where(
            Project.owner_unit_id == unit_id, Project.deleted.is_(False))
            .order_by(Project.name)).all())
        components = {program_id: tuple((c.id, component_label(c), c.level) for c in rows)
                      for program_id, rows in _task_components(session).items()}
        history = catalog.own_history(session, workspace)
    directives = tuple((d.id, d.label) for d in list_directives(workspace))
    statuses = tuple((s, status_label(s)) for s in TASK_STATUSES)
    return FilterOptions(programs, tuple((k, v) for k, v in leads), directives, statuses,
                         tuple((ident, name) for ident, name in projects), components,
                         history)


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
    with UnitOfWork.read(workspace) as session:
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
