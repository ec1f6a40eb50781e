"""Phân bổ chi tiết: the capital of a plan line allocated in detail to projects, and the
projects a line can be allocated to."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import BadArgument, RecordNotFound
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.capital._records import (
    CatalogNames,
    _line_in_session,
    _live,
    _unit,
    catalog_names,
    history_lines_of,
    line_label,
    lines_of,
    predecessor_titles,
)
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
)
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


# ---------------------------------------------------------------------------- allocations
@dataclass(frozen=True)
class AllocationInfo:
    id: uuid.UUID
    line_id: uuid.UUID
    line_label: str
    year: int
    program_id: str
    source: str
    capital_kind: str
    project_id: uuid.UUID
    project_name: str
    amount: int
    disbursed: int
    decision_number: str
    decision_date: dt.date | None
    note: str
    last_payment: dt.date | None = None

    @property
    def undisbursed(self) -> int:
        return self.amount - self.disbursed

    @property
    def rate(self) -> float | None:
        return self.disbursed / self.amount if self.amount else None


def allocations(workspace: Workspace, *, line_id: uuid.UUID | None = None,
                project_id: uuid.UUID | None = None, year: int | None = None,
                as_of: dt.date | None = None, history: bool = False) -> list[AllocationInfo]:
    """Live allocations of the unit's lines (of one line, one project or one year); ``as_of``:
    those decided by that day, with what was paid by then; ``history``: also those of the
    lines of the units this one continues (a merged commune's predecessors)."""
    with UnitOfWork.read(workspace) as session:
        mine = lines_of(_unit(workspace))
        if history:
            titles = predecessor_titles(session, _unit(workspace))
            if titles:
                mine = or_(mine, history_lines_of(titles))
        statement = (select(CapitalAllocation, CapitalLine, Project.name)
                     .join(CapitalLine, CapitalLine.id == CapitalAllocation.line_id)
                     .join(Project, Project.id == CapitalAllocation.project_id)
                     .where(_live(CapitalAllocation), _live(CapitalLine), mine))
        if line_id is not None:
            statement = statement.where(CapitalAllocation.line_id == line_id)
        if project_id is not None:
            statement = statement.where(CapitalAllocation.project_id == project_id)
        if year is not None:
            statement = statement.where(CapitalLine.year == year)
        paid_by: ColumnElement[bool] = true()
        if as_of is not None:
            statement = statement.where(or_(CapitalAllocation.decision_date.is_(None),
                                            CapitalAllocation.decision_date <= as_of))
            paid_by = CapitalPayment.paid_on <= as_of
        rows = session.execute(statement.order_by(CapitalLine.year.desc(), Project.name)).all()
        ids = [a.id for a, _l, _n in rows]
        paid = dict(session.execute(
            select(CapitalPayment.allocation_id, func.sum(CapitalPayment.amount))
            .where(_live(CapitalPayment), CapitalPayment.allocation_id.in_(ids), paid_by)
            .group_by(CapitalPayment.allocation_id)).all()) if ids else {}
        last = dict(session.execute(
            select(CapitalPayment.allocation_id, func.max(CapitalPayment.paid_on))
            .where(_live(CapitalPayment), CapitalPayment.allocation_id.in_(ids), paid_by)
            .group_by(CapitalPayment.allocation_id)).all()) if ids else {}
        names = catalog_names(session)
        return [AllocationInfo(a.id, a.line_id, line_label(names, line), line.year,
                               line.program_id, line.source, line.capital_kind, a.project_id,
                               name, a.amount, int(paid.get(a.id) or 0), a.decision_number,
                               a.decision_date, a.note, last.get(a.id))
                for a, line, name in rows]


def _project_in_session(session: Session, project_id: uuid.UUID, unit_id: str) -> Project:
    project = get_or_refuse(session, Project, project_id, kind=_("Project"), owner=unit_id)
    return project


def _allocated_total(session: Session, line_id: uuid.UUID) -> int:
    return int(session.execute(select(func.coalesce(func.sum(CapitalAllocation.amount), 0))
                               .where(CapitalAllocation.line_id == line_id,
                                      _live(CapitalAllocation))).scalar())


def paid_total(session: Session, allocation_id: uuid.UUID) -> int:
    return int(session.execute(select(func.coalesce(func.sum(CapitalPayment.amount), 0))
                               .where(CapitalPayment.allocation_id == allocation_id,
                                      _live(CapitalPayment))).scalar())


def _returned_total(session: Session, line_id: uuid.UUID) -> int:
    return int(session.execute(select(func.coalesce(func.sum(CapitalReturn.amount), 0))
                               .where(CapitalReturn.line_id == line_id,
                                      _live(CapitalReturn))).scalar())


def allocate_in_session(session: Session, unit_id: str, names: CatalogNames, *,
                        line_id: uuid.UUID, project_id: uuid.UUID, amount: int,
                        allocation_id: uuid.UUID | None = None, decision_number: str = "",
                        decision_date: dt.date | None = None, note: str = ""
                        ) -> CapitalAllocation:
    """Add or change one allocation inside an open unit of work, invariants checked."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise rules.AmountNotPositive()
    field_rules.check("capital_allocation", {"amount": amount,
                                             "decision_number": normalize(decision_number),
                                             "note": normalize(note)})
    line = _line_in_session(session, line_id, unit_id)
    project = _project_in_session(session, project_id, unit_id)
    label = line_label(names, line)
    plan = line.amount - _returned_total(session, line_id)
    allocated = _allocated_total(session, line_id)
    if allocation_id is None:
        if amount == 0:
            raise rules.AmountNotPositive()
        row = CapitalAllocation(line_id=line_id, project_id=project_id, amount=amount)
        rules.check_allocations(label, plan=plan, allocated=allocated + amount)
        session.add(row)
    else:
        row = session.get(CapitalAllocation, allocation_id)
        if row is None or row.deleted or row.line_id != line_id:
            raise RecordNotFound(kind=_("Allocation"), ident=str(allocation_id))
        rules.check_allocation_amount(label, project.name, allocated=amount,
                                      disbursed=paid_total(session, row.id))
        rules.check_allocations(label, plan=plan, allocated=allocated - row.amount + amount)
        if row.project_id != project_id and paid_total(session, row.id):
            raise BadArgument(detail=_("An allocation that has payments cannot move to another "
                                       "project."))
        row.project_id = project_id
        row.amount = amount
    row.decision_number = normalize(decision_number)
    row.decision_date = decision_date
    row.note = normalize(note)
    return row


def save_allocation(workspace: Workspace, *, line_id: uuid.UUID, project_id: uuid.UUID,
                    amount: int, allocation_id: uuid.UUID | None = None,
                    decision_number: str = "", decision_date: dt.date | None = None,
                    note: str = "") -> AllocationInfo:
    """Allocate part of a line to a project (or change an allocation).

    Refused, changing nothing, when the line's allocations would exceed its plan (assigned
    minus returned) or an allocation would fall below what was already paid from it.
    """
    with UnitOfWork(workspace) as uow:
        row = allocate_in_session(uow.session, uow.context.unit_id,
                                  catalog_names(uow.session), line_id=line_id,
                                  project_id=project_id, amount=amount,
                                  allocation_id=allocation_id, decision_number=decision_number,
                                  decision_date=decision_date, note=note)
        uow.commit()
        saved = row.id
    return next(a for a in allocations(workspace, line_id=line_id) if a.id == saved)


def delete_allocation(workspace: Workspace, allocation_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        session = uow.session
        row = get_or_refuse(session, CapitalAllocation, allocation_id, kind=_("Allocation"))
        line = _line_in_session(session, row.line_id, uow.context.unit_id)
        count = session.execute(select(func.count()).where(
            CapitalPayment.allocation_id == allocation_id, _live(CapitalPayment))).scalar()
        if count:
            project = session.get(Project, row.project_id)
            raise rules.AllocationHasPayments(line=line_label(catalog_names(session), line),
                                              project=project.name, count=count)
        row.deleted = True
        uow.commit()


@dataclass(frozen=True)
class ProjectChoice:
    id: uuid.UUID
    name: str
    program_id: str
    stage: str


def project_choices(workspace: Workspace, program_id: str | None = None
                    ) -> list[ProjectChoice]:
    """Projects a line's capital may be allocated to (the line's programme first)."""
    with UnitOfWork.read(workspace) as session:
        rows = session.scalars(select(Project).where(
            _live(Project), Project.owner_unit_id == _unit(workspace)).order_by(Project.name))
        choices = [ProjectChoice(p.id, p.name, p.program_id, p.stage) for p in rows]
    return sorted(choices, key=lambda c: (c.program_id != program_id, fold(c.name)))
