"""Chuyển nguồn and nộp trả: capital carried over to the next year and capital returned."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.capital._payments import _line_deadline
from ctmtqg_desktop.services.capital._records import (
    _line_in_session,
    _live,
    capital_settings,
    catalog_names,
    figures_by_line,
    line_label,
)
from ctmtqg_desktop.store.models.capital import CapitalCarryOver, CapitalReturn
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


# ---------------------------------------------------------------------------- carry-overs, returns
@dataclass(frozen=True)
class CarryOverInfo:
    id: uuid.UUID
    line_id: uuid.UUID
    amount: int
    deadline: dt.date
    decision_number: str
    decision_date: dt.date | None
    note: str


@dataclass(frozen=True)
class ReturnInfo:
    id: uuid.UUID
    line_id: uuid.UUID
    amount: int
    returned_on: dt.date
    reason: str
    decision_number: str


def carry_overs(workspace: Workspace, line_id: uuid.UUID) -> list[CarryOverInfo]:
    with UnitOfWork.read(workspace) as session:
        return [CarryOverInfo(r.id, r.line_id, r.amount, r.deadline, r.decision_number,
                              r.decision_date, r.note)
                for r in session.scalars(select(CapitalCarryOver).where(
                    CapitalCarryOver.line_id == line_id, _live(CapitalCarryOver))
                    .order_by(CapitalCarryOver.deadline))]


def returns(workspace: Workspace, line_id: uuid.UUID) -> list[ReturnInfo]:
    with UnitOfWork.read(workspace) as session:
        return [ReturnInfo(r.id, r.line_id, r.amount, r.returned_on, r.reason,
                           r.decision_number)
                for r in session.scalars(select(CapitalReturn).where(
                    CapitalReturn.line_id == line_id, _live(CapitalReturn))
                    .order_by(CapitalReturn.returned_on))]


def carry_over(workspace: Workspace, *, line_id: uuid.UUID, amount: int, deadline: dt.date,
               decision_number: str = "", decision_date: dt.date | None = None,
               note: str = "") -> CarryOverInfo:
    """Kéo dài / chuyển nguồn: the undisbursed part may be spent until ``deadline``."""
    rules.check_positive(amount)
    config = capital_settings(workspace)
    with UnitOfWork(workspace) as uow:
        session = uow.session
        line = _line_in_session(session, line_id, uow.context.unit_id)
        label = line_label(catalog_names(session), line)
        figures, _carry = figures_by_line(session, [line_id])[line_id]
        rules.check_carry_over(label, amount=amount, undisbursed=figures.undisbursed)
        current = _line_deadline(session, line, config)
        if deadline <= current:
            raise rules.CarryOverTooEarly(line=label, deadline=deadline, current=current)
        row = CapitalCarryOver(line_id=line_id, amount=amount, deadline=deadline,
                               decision_number=normalize(decision_number),
                               decision_date=decision_date, note=normalize(note))
        session.add(row)
        uow.commit()
        return CarryOverInfo(row.id, line_id, amount, deadline, row.decision_number,
                             decision_date, row.note)


def return_capital(workspace: Workspace, *, line_id: uuid.UUID, amount: int,
                   returned_on: dt.date, reason: str, decision_number: str = ""
                   ) -> ReturnInfo:
    """Hoàn trả ngân sách: give back unallocated capital of a line, with the reason."""
    rules.check_positive(amount)
    reason = normalize(reason)
    if not reason:
        raise BadArgument(detail=_("Write the reason for returning the capital."))
    today = workspace.today()
    if returned_on > today:
        raise rules.DateInFuture(date=returned_on, today=today)
    with UnitOfWork(workspace) as uow:
        session = uow.session
        line = _line_in_session(session, line_id, uow.context.unit_id)
        label = line_label(catalog_names(session), line)
        figures, _carry = figures_by_line(session, [line_id])[line_id]
        rules.check_return(label, amount=amount, unallocated=figures.unallocated)
        row = CapitalReturn(line_id=line_id, amount=amount, returned_on=returned_on,
                            reason=reason, decision_number=normalize(decision_number))
        session.add(row)
        uow.commit()
        return ReturnInfo(row.id, line_id, amount, returned_on, reason, row.decision_number)


def delete_carry_over(workspace: Workspace, carry_over_id: uuid.UUID) -> None:
    _tombstone(workspace, CapitalCarryOver, carry_over_id, _("Carry-over"))


def delete_return(workspace: Workspace, return_id: uuid.UUID) -> None:
    _tombstone(workspace, CapitalReturn, return_id, _("Return"))


def _tombstone(workspace: Workspace, model, record_id: uuid.UUID, kind: str) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, model, record_id, kind=kind)
        _line_in_session(uow.session, row.line_id, uow.context.unit_id)
        row.deleted = True
        uow.commit()
