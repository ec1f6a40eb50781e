"""Khó khăn, vướng mắc; kiến nghị, đề xuất: what blocks a unit, and its parent's answers.

A difficulty is owned by the unit that raises it (a commune). Its status goes
new → sent → answered → resolved:

* ``new``: written, not yet in a package to the parent;
* ``sent``: set by the sync area when it exports a package holding it
  (:func:`mark_difficulties_sent`); a changed difficulty is ``new`` again until re-sent;
* ``answered``: computed, never stored: an answer record exists;
* ``resolved``: the commune's own decision (:func:`resolve_difficulty`).

The parent's answer is a separate :class:`DifficultyAnswer` record owned by the parent unit
(``audience_unit_id`` = the child), written with :func:`answer_difficulty` in the parent's
workspace and brought to the child by sync, so the two sides never edit the same record
(Nghị định 27/2022/NĐ-CP art. 32 and 38/2023/NĐ-CP on reporting and on handling the
difficulties that lower levels report).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import RecordNotFound
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services.tasks import TaskInputInvalid, normalize_block
from ctmtqg_desktop.services.tasks import unit_body as _unit_body
from ctmtqg_desktop.store.models.catalog import AdminUnit, Program
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.tasks import DIFFICULTY_KINDS, Difficulty, DifficultyAnswer, Task
from ctmtqg_desktop.store.uow import UnitOfWork, check_owner, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


class DifficultyStatus(Labelled):
    """Where a difficulty stands: new, sent up, answered by the parent unit, resolved."""
    NEW = "new", N_("new")
    SENT = "sent", N_("sent")
    ANSWERED = "answered", N_("answered")
    RESOLVED = "resolved", N_("resolved")


class DifficultyKind(Labelled):
    DIFFICULTY = "difficulty", N_("Difficulty")
    PROPOSAL = "proposal", N_("Proposal")


STATUSES = DifficultyStatus.values()


def status_label(status: str) -> str:
    return DifficultyStatus.label_of(status)


def kind_label(kind: str) -> str:
    return DifficultyKind.label_of(kind)


def effective_status(stored: str, answered: bool) -> str:
    if stored == "resolved":
        return "resolved"
    if answered:
        return "answered"
    return stored


@dataclass(frozen=True)
class AnswerInfo:
    id: uuid.UUID
    difficulty_id: uuid.UUID
    answered_on: dt.date
    answered_by: str
    document_ref: str
    content: str
    owner_unit_id: str


@dataclass(frozen=True)
class DifficultyInfo:
    id: uuid.UUID
    kind: str
    raised_on: dt.date
    title: str
    content: str
    proposal: str
    task_id: uuid.UUID | None
    task_text: str
    program_id: str | None
    project_id: uuid.UUID | None
    project_name: str
    unit_id: str | None
    status: str
    sent_on: dt.date | None
    resolved_on: dt.date | None
    answers: tuple[AnswerInfo, ...]
    owner_unit_id: str
    #: ``DTTS: Chương trình…`` of ``program_id``
    program_label: str = ""
    #: ``UBND xã Đắk La`` of ``unit_id``
    unit_label: str = ""

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """What it is about, as (kind, label): ``task``, ``program``, ``project``, ``unit``."""
        return tuple((kind, label) for kind, label in (
            ("task", self.task_text), ("program", self.program_label),
            ("project", self.project_name), ("unit", self.unit_label)) if label)


LINK_KINDS = ("task", "program", "project", "unit")


def link_kind_label(kind: str) -> str:
    return {"task": _("Task"), "program": _("Programme"), "project": _("Project"),
            "unit": _("Unit")}.get(kind, kind)


def links_text(item: DifficultyInfo) -> str:
    """``Nhiệm vụ: …; Chương trình: DTTS…``: what a difficulty is linked to, one line."""
    return "; ".join(f"{link_kind_label(kind)}: {label}" for kind, label in item.links)


def _answer_info(row: DifficultyAnswer) -> AnswerInfo:
    return AnswerInfo(row.id, row.difficulty_id, row.answered_on, row.answered_by,
                      row.document_ref, row.content, row.owner_unit_id)


def _visible(unit_id: str):
    """Difficulties this unit raised, or (for a parent) those its children sent up."""
    return or_(Difficulty.owner_unit_id == unit_id,
               Difficulty.owner_unit_id.in_(select(AdminUnit.id).where(
                   AdminUnit.parent_id == unit_id)))


def list_difficulties(workspace: Workspace, *, query: dict[str, Any] | None = None
                      ) -> list[DifficultyInfo]:
    """Newest first; ``query``: ``text`` (diacritics ignored), ``status``, ``kind``,
    ``task`` (an id)."""
    query = query or {}
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        statement = select(Difficulty).where(Difficulty.deleted.is_(False), _visible(unit_id))
        if query.get("kind"):
            statement = statement.where(Difficulty.kind == query["kind"])
        if query.get("task"):
            statement = statement.where(Difficulty.task_id == query["task"])
        for term in search_terms(query.get("text")):
            statement = statement.where(Difficulty.search_text.contains(term, autoescape=True))
        rows = list(session.scalars(statement.order_by(Difficulty.raised_on.desc(),
                                                       Difficulty.created_at.desc())))
        answers: dict[uuid.UUID, list[AnswerInfo]] = {}
        if rows:
            for answer in session.scalars(select(DifficultyAnswer).where(
                    DifficultyAnswer.difficulty_id.in_([r.id for r in rows]),
                    DifficultyAnswer.deleted.is_(False)).order_by(DifficultyAnswer.answered_on)):
                answers.setdefault(answer.difficulty_id, []).append(_answer_info(answer))
        tasks = dict(session.execute(select(Task.id, Task.text).where(
            Task.id.in_([r.task_id for r in rows if r.task_id]))).all()) if rows else {}
        projects = dict(session.execute(select(Project.id, Project.name).where(
            Project.id.in_([r.project_id for r in rows if r.project_id]))).all()) if rows else {}
        programs = {p.id: f"{p.code}: {p.short_name}" for p in session.scalars(select(Program))}
        units = {}
        for ident in {r.unit_id for r in rows if r.unit_id}:
            unit = session.get(AdminUnit, ident)
            units[ident] = _unit_body(unit) if unit else ident
        result = [DifficultyInfo(
            row.id, row.kind, row.raised_on, row.title, row.content, row.proposal, row.task_id,
            tasks.get(row.task_id, ""), row.program_id, row.project_id,
            projects.get(row.project_id, ""), row.unit_id,
            effective_status(row.status, bool(answers.get(row.id))), row.sent_on,
            row.resolved_on, tuple(answers.get(row.id, ())), row.owner_unit_id,
            programs.get(row.program_id, row.program_id or ""), units.get(row.unit_id, ""))
            for row in rows]
    if query.get("status"):
        result = [d for d in result if d.status == query["status"]]
    return result


def get_difficulty(workspace: Workspace, difficulty_id: uuid.UUID) -> DifficultyInfo:
    for item in list_difficulties(workspace):
        if item.id == difficulty_id:
            return item
    raise RecordNotFound(kind=_("Difficulty"), ident=str(difficulty_id))


def _check_links(session, own_unit: str, *, task_id, program_id, project_id,
                 unit_id) -> None:
    """Each link must name something this workspace holds: a task of the unit (its own or
    one given to it), a programme of the catalog, one of the unit's investment projects, a
    unit of the catalog. Otherwise a Vietnamese sentence, and nothing is written."""
    from ctmtqg_desktop.services.tasks import of_unit as _of_unit

    if task_id is not None:
        found = session.execute(select(Task.id).where(
            Task.id == task_id, Task.deleted.is_(False), _of_unit(Task, own_unit))).first()
        if found is None:
            raise TaskInputInvalid(field=_("Task"), reason=_(
                "the task it is linked to is not among this unit's tasks (deleted, or "
                "never entered here)"))
    if program_id and session.get(Program, program_id) is None:
        raise TaskInputInvalid(field=_("Programme"), reason=_(
            "unknown programme “{program}”").format(program=program_id))
    if project_id is not None:
        project = session.get(Project, project_id)
        if project is None or project.deleted or project.owner_unit_id != own_unit:
            raise TaskInputInvalid(field=_("Project"), reason=_(
                "the project it is linked to is not among this unit's projects (deleted, "
                "or never entered here)"))
    if unit_id:
        unit = session.get(AdminUnit, unit_id)
        if unit is None:
            raise TaskInputInvalid(field=_("Unit"), reason=_("unknown unit “{unit}”").format(
                unit=unit_id))


def save_difficulty(workspace: Workspace, *, difficulty_id: uuid.UUID | None = None,
                    kind: str = "difficulty", raised_on: dt.date, title: str,
                    content: str = "", proposal: str = "", task_id: uuid.UUID | None = None,
                    program_id: str | None = None, project_id: uuid.UUID | None = None,
                    unit_id: str | None = None) -> DifficultyInfo:
    """Raise a difficulty or proposal, or correct one not yet resolved."""
    title = normalize(title)
    if not title:
        raise TaskInputInvalid(field=_("Title"), reason=_("say briefly what the difficulty is"))
    if kind not in DIFFICULTY_KINDS:
        raise TaskInputInvalid(field=_("Kind"), reason=_("unknown kind “{kind}”").format(
            kind=kind))
    if raised_on > workspace.today():
        raise TaskInputInvalid(field=_("Date"), reason=_("the date is after today ({today})")
                               .format(today=format_date(workspace.today())))
    field_rules.check("difficulty", {"title": title, "content": content or "",
                                     "proposal": proposal or ""})
    with UnitOfWork(workspace) as uow:
        session = uow.session
        _check_links(session, uow.context.unit_id, task_id=task_id, program_id=program_id,
                     project_id=project_id, unit_id=unit_id)
        if difficulty_id is None:
            row = Difficulty(raised_on=raised_on, title=title)
            session.add(row)
        else:
            row = get_or_refuse(session, Difficulty, difficulty_id, kind=_("Difficulty"))
            check_owner(row, uow.context.unit_id, TaskInputInvalid(
                field=_("Difficulty"),
                reason=_("it was raised by another unit; only that unit can change it")))
            if row.status == "resolved":
                raise TaskInputInvalid(field=_("Difficulty"), reason=_(
                    "it is resolved; reopen it first"))
            if row.status == "sent":
                row.status = "new"  # changed since it was sent: send it again
        row.kind = kind
        row.raised_on = raised_on
        row.title = title
        row.content = normalize_block(content)
        row.proposal = normalize_block(proposal)
        row.task_id = task_id
        row.program_id = program_id or None
        row.project_id = project_id
        row.unit_id = unit_id or None
        row.search_text = fold(" ".join([row.title, row.content, row.proposal]))
        uow.commit()
        difficulty_id = row.id
    return get_difficulty(workspace, difficulty_id)


def mark_difficulties_sent(workspace: Workspace, ids: Sequence[uuid.UUID],
                           when: dt.date) -> int:
    """For the sync area: the difficulties ``ids`` left in a package exported on ``when``.

    Call it in the export's own transaction or right after the package is written. Only
    ``new`` difficulties owned by this unit change (resolved or answered ones keep their
    status); returns how many changed.
    """
    if not ids:
        return 0
    with UnitOfWork(workspace) as uow:
        changed = 0
        for row in uow.session.scalars(select(Difficulty).where(
                Difficulty.id.in_(list(ids)), Difficulty.deleted.is_(False),
                Difficulty.owner_unit_id == uow.context.unit_id,
                Difficulty.status == "new")):
            row.status = "sent"
            row.sent_on = when
            changed += 1
        uow.commit()
    return changed


def unsent_difficulty_ids(workspace: Workspace) -> list[uuid.UUID]:
    """The sync area's question: which of this unit's difficulties still need sending."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        return list(session.scalars(select(Difficulty.id).where(
            Difficulty.owner_unit_id == unit_id, Difficulty.deleted.is_(False),
            Difficulty.status == "new")))


def resolve_difficulty(workspace: Workspace, difficulty_id: uuid.UUID, *,
                       resolved: bool = True, when: dt.date | None = None) -> DifficultyInfo:
    """The commune decides the difficulty is resolved (or reopens it)."""
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, Difficulty, difficulty_id, kind=_("Difficulty"))
        check_owner(row, uow.context.unit_id, TaskInputInvalid(
            field=_("Difficulty"),
            reason=_("it was raised by another unit; only that unit can change it")))
        if resolved:
            row.status = "resolved"
            row.resolved_on = when or workspace.today()
        else:
            row.status = "sent" if row.sent_on else "new"
            row.resolved_on = None
        uow.commit()
    return get_difficulty(workspace, difficulty_id)


def answer_difficulty(workspace: Workspace, difficulty_id: uuid.UUID, *, content: str,
                      answered_on: dt.date | None = None, answered_by: str = "",
                      document_ref: str = "") -> AnswerInfo:
    """The parent unit answers a child's difficulty: a record owned by the parent, for that
    child (``audience_unit_id``). The parent's answering screen comes with issue 7."""
    content = normalize_block(content)
    if not content:
        raise TaskInputInvalid(field=_("Answer"), reason=_("the answer is empty"))
    field_rules.check("difficulty_answer", {"content": content,
                                            "answered_by": normalize(answered_by or ""),
                                            "document_ref": normalize(document_ref or "")})
    with UnitOfWork(workspace) as uow:
        session = uow.session
        difficulty = get_or_refuse(session, Difficulty, difficulty_id, kind=_("Difficulty"))
        child = session.get(AdminUnit, difficulty.owner_unit_id)
        if child is None or child.parent_id != uow.context.unit_id:
            raise TaskInputInvalid(field=_("Answer"), reason=_(
                "only the parent unit of the unit that raised it can answer"))
        if not answered_by:
            from ctmtqg_desktop.services.tasks import unit_body as _unit_body

            answered_by = _unit_body(session.get(AdminUnit, uow.context.unit_id))
        row = DifficultyAnswer(difficulty_id=difficulty_id,
                               answered_on=answered_on or workspace.today(),
                               answered_by=normalize(answered_by),
                               document_ref=normalize(document_ref), content=content,
                               audience_unit_id=difficulty.owner_unit_id)
        session.add(row)
        uow.commit()
        return _answer_info(row)


def counts(workspace: Workspace) -> dict[str, int]:
    """How many difficulties are in each (effective) status."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        answered = select(DifficultyAnswer.difficulty_id).where(
            DifficultyAnswer.deleted.is_(False))
        rows = session.execute(select(Difficulty.status, Difficulty.id.in_(answered),
                                      func.count()).where(
            Difficulty.deleted.is_(False), _visible(unit_id))
            .group_by(Difficulty.status, Difficulty.id.in_(answered))).all()
    result = dict.fromkeys(STATUSES, 0)
    for stored, has_answer, count in rows:
        result[effective_status(stored, bool(has_answer))] += count
    return result


def mark_sent_before_export(workspace: Workspace, ready: Callable[[], None]) -> None:
    """Khó khăn, kiến nghị gửi cấp trên: a new difficulty is "sent" by the package that
    carries it up. The sync hook (``Area.before_export``) changes the status just before the
    selection is made, so the package already carries the "sent" version (no change is left
    over after every export). ``ready()`` raises first if the export would be refused, so a
    refused export leaves every difficulty unsent."""
    unsent = unsent_difficulty_ids(workspace)
    if unsent:
        ready()
        mark_difficulties_sent(workspace, unsent, workspace.today())
