"""Giải ngân: the payments made from a plan line, their list and the points of the
disbursement chart."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import RecordNotFound
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.capital._allocations import paid_total
from ctmtqg_desktop.services.capital._records import (
    CapitalSettings,
    _line_in_session,
    _live,
    _unit,
    capital_settings,
    catalog_names,
    default_deadline,
    line_label,
    lines_of,
)
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
)
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


# ---------------------------------------------------------------------------- payments
@dataclass(frozen=True)
class PaymentInfo:
    id: uuid.UUID
    allocation_id: uuid.UUID
    line_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    paid_on: dt.date
    amount: int
    voucher: str
    note: str


PAYMENT_SORT_KEYS = ("paid_on", "amount", "voucher", "project")


def payment_ids(workspace: Workspace, query: dict, sort_key: str | None = None,
                descending: bool = False) -> list[uuid.UUID]:
    """Ids of the payments of a line (``line_id``), an allocation or a project, in SQL order."""
    statement = (select(CapitalPayment.id)
                 .join(CapitalAllocation, CapitalAllocation.id == CapitalPayment.allocation_id)
                 .join(CapitalLine, CapitalLine.id == CapitalAllocation.line_id)
                 .join(Project, Project.id == CapitalAllocation.project_id)
                 .where(_live(CapitalPayment), _live(CapitalAllocation), _live(CapitalLine),
                        lines_of(_unit(workspace))))
    if query.get("line_id"):
        statement = statement.where(CapitalAllocation.line_id == query["line_id"])
    if query.get("allocation_id"):
        statement = statement.where(CapitalPayment.allocation_id == query["allocation_id"])
    if query.get("project_id"):
        statement = statement.where(CapitalAllocation.project_id == query["project_id"])
    if query.get("year"):
        statement = statement.where(CapitalLine.year == int(query["year"]))
    keys = {"paid_on": CapitalPayment.paid_on, "amount": CapitalPayment.amount,
            "voucher": CapitalPayment.voucher, "project": Project.name}
    column = keys.get(sort_key or "paid_on", CapitalPayment.paid_on)
    if sort_key is None:
        descending = True
    order = [column.desc() if descending else column.asc(), CapitalPayment.id]
    with UnitOfWork.read(workspace) as session:
        return list(session.scalars(statement.order_by(*order)))


def payments_by_id(workspace: Workspace, ids: list[uuid.UUID]) -> dict[uuid.UUID, PaymentInfo]:
    if not ids:
        return {}
    with UnitOfWork.read(workspace) as session:
        rows = session.execute(
            select(CapitalPayment, CapitalAllocation.line_id, CapitalAllocation.project_id,
                   Project.name)
            .join(CapitalAllocation, CapitalAllocation.id == CapitalPayment.allocation_id)
            .join(Project, Project.id == CapitalAllocation.project_id)
            .where(CapitalPayment.id.in_(ids))).all()
        return {p.id: PaymentInfo(p.id, p.allocation_id, line_id, project_id, name, p.paid_on,
                                  p.amount, p.voucher, p.note)
                for p, line_id, project_id, name in rows}


def payments(workspace: Workspace, **query) -> list[PaymentInfo]:
    ids = payment_ids(workspace, query)
    found = payments_by_id(workspace, ids)
    return [found[i] for i in ids]


def _line_deadline(session: Session, line: CapitalLine, config: CapitalSettings) -> dt.date:
    carried = session.execute(select(func.max(CapitalCarryOver.deadline)).where(
        CapitalCarryOver.line_id == line.id, _live(CapitalCarryOver))).scalar()
    return carried or default_deadline(line.year, line.capital_kind, config)


def save_payment(workspace: Workspace, *, allocation_id: uuid.UUID, paid_on: dt.date,
                 amount: int, voucher: str = "", note: str = "",
                 payment_id: uuid.UUID | None = None) -> PaymentInfo:
    """Record a disbursement (or correct one) from an allocation.

    Refused, changing nothing, when the allocation's payments would exceed it, when the date
    is in the future, before the plan year, or after the line's deadline (carry-overs
    included).
    """
    rules.check_positive(amount)
    field_rules.check("capital_payment", {"amount": amount, "voucher": normalize(voucher),
                                          "note": normalize(note)})
    today = workspace.today()
    if paid_on > today:
        raise rules.DateInFuture(date=paid_on, today=today, form_field="paid_on")
    config = capital_settings(workspace)
    with UnitOfWork(workspace) as uow:
        session = uow.session
        allocation = get_or_refuse(session, CapitalAllocation, allocation_id, kind=_("Allocation"))
        line = _line_in_session(session, allocation.line_id, uow.context.unit_id)
        names = catalog_names(session)
        label = line_label(names, line)
        project = session.get(Project, allocation.project_id)
        if paid_on < dt.date(line.year, 1, 1):
            raise rules.PaymentOutsideYear(paid_on=paid_on, year=str(line.year), line=label)
        deadline = _line_deadline(session, line, config)
        if paid_on > deadline:
            raise rules.PaymentAfterDeadline(line=label, deadline=deadline, paid_on=paid_on)
        paid = paid_total(session, allocation_id)
        if payment_id is None:
            row = CapitalPayment(allocation_id=allocation_id)
            rules.check_payments(label, project.name, allocated=allocation.amount,
                                 disbursed=paid + amount)
            session.add(row)
        else:
            row = session.get(CapitalPayment, payment_id)
            if row is None or row.deleted or row.allocation_id != allocation_id:
                raise RecordNotFound(kind=_("Payment"), ident=str(payment_id))
            rules.check_payments(label, project.name, allocated=allocation.amount,
                                 disbursed=paid - row.amount + amount)
        row.paid_on = paid_on
        row.amount = amount
        row.voucher = normalize(voucher)
        row.note = normalize(note)
        uow.commit()
        saved = row.id
    return payments_by_id(workspace, [saved])[saved]


def delete_payment(workspace: Workspace, payment_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, CapitalPayment, payment_id, kind=_("Payment"))
        allocation = uow.session.get(CapitalAllocation, row.allocation_id)
        _line_in_session(uow.session, allocation.line_id, uow.context.unit_id)
        row.deleted = True
        uow.commit()


# ---------------------------------------------------------------------------- helpers for others
@dataclass(frozen=True)
class PaymentPoint:
    paid_on: dt.date
    amount: int
    line_id: uuid.UUID
    project_id: uuid.UUID


def payment_points(workspace: Workspace, *, year: int | None = None,
                   line_ids_: list[uuid.UUID] | None = None) -> list[PaymentPoint]:
    """Every live payment (date, amount, line, project) of the unit's lines of ``year``."""
    with UnitOfWork.read(workspace) as session:
        statement = (select(CapitalPayment.paid_on, CapitalPayment.amount,
                            CapitalAllocation.line_id, CapitalAllocation.project_id)
                     .join(CapitalAllocation,
                           CapitalAllocation.id == CapitalPayment.allocation_id)
                     .join(CapitalLine, CapitalLine.id == CapitalAllocation.line_id)
                     .where(_live(CapitalPayment), _live(CapitalAllocation),
                            _live(CapitalLine), lines_of(_unit(workspace))))
        if year is not None:
            statement = statement.where(CapitalLine.year == year)
        if line_ids_ is not None:
            statement = statement.where(CapitalLine.id.in_(line_ids_))
        return [PaymentPoint(*row) for row in session.execute(
            statement.order_by(CapitalPayment.paid_on))]
