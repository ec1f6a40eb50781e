"""A child unit's records as the parent unit holds them (the board's drill-down), read-only:
the child owns them (its tasks and those this unit assigned to it, its capital lines of the
year with their figures, its dossiers and their completeness, its difficulties and the
answers). The owners that count for the child are those of the board
(:meth:`reorganisation.UnitMap.attribute`: its predecessors after a merge, its communes on a
province's board)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.dossier_rules import DONE_STATUSES
from ctmtqg_desktop.services.parent._board import required_documents
from ctmtqg_desktop.services.parent._reorganisation import UnitMap
from ctmtqg_desktop.store.models.capital import CapitalAllocation, CapitalLine, CapitalPayment
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument, DossierTemplate
from ctmtqg_desktop.store.models.tasks import Difficulty, DifficultyAnswer, Task
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class ChildTask:
    id: object
    text: str
    directive: str
    next_due_on: dt.date | None
    status: str
    latest_percent: int | None
    state: str
    #: assigned by this (parent) unit rather than the child's own
    from_parent: bool


@dataclass(frozen=True)
class ChildLine:
    id: object
    label: str
    decision: str
    assigned: int
    allocated: int
    disbursed: int
    from_parent: bool

    @property
    def rate(self) -> float | None:
        return self.disbursed / self.assigned if self.assigned else None


@dataclass(frozen=True)
class ChildDossier:
    id: object
    project: str
    template: str
    started_on: dt.date
    required: int
    done: int

    @property
    def ratio(self) -> float | None:
        return self.done / self.required if self.required else None


@dataclass(frozen=True)
class ChildDifficulty:
    id: object
    owner_unit_id: str
    raised_on: dt.date
    title: str
    content: str
    proposal: str
    status: str
    answers: tuple[tuple[dt.date, str, str, str], ...]

    @property
    def answered(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class ChildActivity:
    id: object
    kind: str
    title: str
    campaign: str
    start_on: dt.date
    participants: int


@dataclass(frozen=True)
class ChildDetail:
    """A child's records as the parent holds them, read-only (the child owns them)."""

    unit_id: str
    name: str
    on: dt.date
    year: int
    members: tuple[str, ...]
    tasks: tuple[ChildTask, ...]
    lines: tuple[ChildLine, ...]
    dossiers: tuple[ChildDossier, ...]
    difficulties: tuple[ChildDifficulty, ...]
    #: the child's activities of ``year`` up to ``on`` (communication, training, inspection…)
    activities: tuple[ChildActivity, ...] = ()


def _tasks(session: Session, members: list[str], lineage: list[str], day: dt.date,
           soon: int) -> tuple[ChildTask, ...]:
    from ctmtqg_desktop.services import tasks as tasks_service
    from ctmtqg_desktop.store.models.tasks import Directive

    own = and_(Task.owner_unit_id.in_(members), Task.audience_unit_id.is_(None))
    given = and_(Task.owner_unit_id.in_(lineage), Task.audience_unit_id.in_(members))
    task_rows = session.execute(
        select(Task.id, Task.text, Task.next_due_on, Task.status, Task.latest_percent,
               Task.owner_unit_id, Directive.doc_type, Directive.number_symbol,
               Directive.issued_on, Directive.issuing_body)
        .outerjoin(Directive, Directive.id == Task.directive_id)
        .where(Task.deleted.is_(False), or_(own, given))
        .order_by(Task.next_due_on.is_(None), Task.next_due_on, Task.sort_order)).all()
    return tuple(ChildTask(
        r.id, r.text,
        tasks_service.directive_label(r.doc_type, r.number_symbol, r.issued_on, r.issuing_body)
        if r.doc_type is not None or r.number_symbol else "",
        r.next_due_on, r.status, r.latest_percent,
        tasks_service.row_state(r.next_due_on, r.status, day, soon), r.owner_unit_id in lineage)
        for r in task_rows)


def _lines(session: Session, members: list[str], lineage: list[str], year: int,
           day: dt.date) -> tuple[ChildLine, ...]:
    from ctmtqg_desktop.services import capital

    line_filter = or_(and_(CapitalLine.owner_unit_id.in_(members),
                           CapitalLine.audience_unit_id.is_(None)),
                      and_(CapitalLine.owner_unit_id.in_(lineage),
                           CapitalLine.audience_unit_id.in_(members)))
    line_rows = list(session.scalars(select(CapitalLine).where(
        CapitalLine.deleted.is_(False), CapitalLine.year == year, line_filter)
        .order_by(CapitalLine.program_id, CapitalLine.capital_kind, CapitalLine.source)))
    figures = capital.figures_by_line(session, [r.id for r in line_rows])
    names = capital.catalog_names(session)
    paid = dict(session.execute(
        select(CapitalAllocation.line_id, func.sum(CapitalPayment.amount))
        .join(CapitalPayment, CapitalPayment.allocation_id == CapitalAllocation.id)
        .where(CapitalAllocation.line_id.in_([r.id for r in line_rows]),
               CapitalAllocation.deleted.is_(False), CapitalPayment.deleted.is_(False),
               CapitalPayment.paid_on <= day)
        .group_by(CapitalAllocation.line_id)).all()) if line_rows else {}
    return tuple(ChildLine(
        r.id, capital.line_label(names, r), r.decision_number, r.amount,
        figures[r.id][0].allocated, int(paid.get(r.id) or 0), r.owner_unit_id in lineage)
        for r in line_rows)


def _dossiers(session: Session, members: list[str], day: dt.date) -> tuple[ChildDossier, ...]:
    from ctmtqg_desktop.store.models.projects import Project

    required = required_documents(session)
    dossier_rows = session.execute(
        select(Dossier.id, Dossier.template_id, Dossier.started_on, Project.name,
               DossierTemplate.title)
        .join(Project, Project.id == Dossier.project_id)
        .join(DossierTemplate, DossierTemplate.id == Dossier.template_id)
        .where(Dossier.deleted.is_(False), Dossier.owner_unit_id.in_(members),
               Dossier.started_on <= day)
        .order_by(Project.name)).all()
    done: dict[Any, Any] = {}
    for dossier_id, template, code in session.execute(
            select(DossierDocument.dossier_id, Dossier.template_id,
                   DossierDocument.document_code)
            .join(Dossier, Dossier.id == DossierDocument.dossier_id)
            .where(Dossier.owner_unit_id.in_(members), Dossier.deleted.is_(False),
                   DossierDocument.deleted.is_(False),
                   DossierDocument.status.in_(DONE_STATUSES))):
        if code in required.get(template, ()):
            done[dossier_id] = done.get(dossier_id, 0) + 1
    return tuple(ChildDossier(r.id, r.name, r.title, r.started_on,
                              len(required.get(r.template_id, ())), done.get(r.id, 0))
                 for r in dossier_rows)


def _difficulties(session: Session, members: list[str],
                  day: dt.date) -> tuple[ChildDifficulty, ...]:
    difficulty_rows = list(session.scalars(select(Difficulty).where(
        Difficulty.deleted.is_(False), Difficulty.owner_unit_id.in_(members),
        Difficulty.raised_on <= day).order_by(Difficulty.raised_on.desc())))
    answers: dict[Any, Any] = {}
    for answer in session.scalars(select(DifficultyAnswer).where(
            DifficultyAnswer.difficulty_id.in_([d.id for d in difficulty_rows]),
            DifficultyAnswer.deleted.is_(False)).order_by(DifficultyAnswer.answered_on)):
        answers.setdefault(answer.difficulty_id, []).append(
            (answer.answered_on, answer.answered_by, answer.document_ref, answer.content))
    return tuple(ChildDifficulty(
        d.id, d.owner_unit_id, d.raised_on, d.title, d.content, d.proposal,
        "resolved" if d.status == "resolved" else (
            "answered" if answers.get(d.id) else d.status),
        tuple(answers.get(d.id, ()))) for d in difficulty_rows)


def _activities(session: Session, members: list[str], year: int,
                day: dt.date) -> tuple[ChildActivity, ...]:
    from ctmtqg_desktop.store.models.activities import Activity

    return tuple(ChildActivity(*row) for row in session.execute(
        select(Activity.id, Activity.kind, Activity.title, Activity.campaign,
               Activity.start_on, Activity.participants)
        .where(Activity.deleted.is_(False), Activity.owner_unit_id.in_(members),
               # as the board and the commune count them: those that overlap the year
               func.coalesce(Activity.end_on, Activity.start_on) >= dt.date(year, 1, 1),
               Activity.start_on <= min(day, dt.date(year, 12, 31)))
        .order_by(Activity.start_on.desc(), Activity.id)))


def child_detail(workspace: Workspace, unit_id: str, *, on: dt.date | None = None,
                 year: int | None = None) -> ChildDetail:
    """The tasks, capital lines of ``year``, dossiers and difficulties that count for the
    child ``unit_id`` on the board of ``on`` (its own, its predecessors', and for a district
    its communes'), with what this unit assigned to it."""
    from ctmtqg_desktop.services import settings as settings_service

    day = on or workspace.today()
    year = year or day.year
    info = workspace.installation()
    soon = settings_service.get(workspace, settings_service.DUE_SOON_DAYS)
    with UnitOfWork.read(workspace) as session:
        units = UnitMap.load(session)
        children = frozenset(units.children_on(info.unit_id, day))
        lineage = sorted(units.lineage(info.unit_id))
        members = sorted(u for u in units.units if units.attribute(u, day, children) == unit_id)
        return ChildDetail(unit_id, units.title(unit_id), day, year, tuple(members),
                           _tasks(session, members, lineage, day, soon),
                           _lines(session, members, lineage, year, day),
                           _dossiers(session, members, day),
                           _difficulties(session, members, day),
                           activities=_activities(session, members, year, day))
