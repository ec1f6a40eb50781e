"""Yêu cầu báo cáo: what a parent unit asks every child unit to report — a report kind, the
period it covers and the day it is due. Owned by the parent, addressed to every child (``*``),
so it travels down in the next package and each commune sees what it owes."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.archive._rules import (
    IssueInvalid,
    NeedsParent,
    check_period,
    installed,
    kind_of,
    kind_title,
    period_label,
    period_phrase,
)
from ctmtqg_desktop.store.base import EVERY_CHILD
from ctmtqg_desktop.store.models.archive import ReportRequest
from ctmtqg_desktop.store.uow import UnitOfWork, check_owner, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class RequestInfo:
    id: uuid.UUID
    owner_unit_id: str
    kind: str
    kind_title: str
    title: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    legal_basis: str

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end)


def _info(workspace: Workspace, row: ReportRequest) -> RequestInfo:
    return RequestInfo(row.id, row.owner_unit_id, row.kind, kind_title(workspace, row.kind),
                       row.title, row.period_start, row.period_end, row.due_on,
                       row.legal_basis)


def save_request(workspace: Workspace, *, kind: str, period_start: dt.date,
                 period_end: dt.date, due_on: dt.date, title: str = "",
                 legal_basis: str = "", request_id: uuid.UUID | None = None) -> RequestInfo:
    """Ask every child unit for a report of ``kind`` on the period, due on ``due_on``."""
    info = installed(workspace)
    if info.role != "parent":
        raise NeedsParent()
    check_period(period_start, period_end)
    if due_on < period_end:
        raise IssueInvalid(detail=_("A report on a period is due after the period ends "
                                    "({end}), not on {due}.").format(
            end=format_date(period_end), due=format_date(due_on)))
    report_kind = kind_of(workspace, kind, role="commune")
    title = normalize(title) or _(report_kind.title) + " " + \
        period_phrase(period_start, period_end)
    with UnitOfWork(workspace) as uow:
        if request_id is None:
            row = ReportRequest(audience_unit_id=EVERY_CHILD)
            uow.session.add(row)
        else:
            row = get_or_refuse(uow.session, ReportRequest, request_id,
                                kind=_("Report request"))
            check_owner(row, info.unit_id, NeedsParent())
        row.kind, row.title = kind, title
        row.period_start, row.period_end, row.due_on = period_start, period_end, due_on
        row.legal_basis = normalize(legal_basis)
        uow.commit()
        return _info(workspace, row)


def delete_request(workspace: Workspace, request_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, ReportRequest, request_id, kind=_("Report request"))
        check_owner(row, installed(workspace).unit_id, NeedsParent())
        row.deleted = True
        uow.commit()


def list_requests(workspace: Workspace, *, year: int | None = None,
                  own: bool | None = None) -> list[RequestInfo]:
    """The requests this workspace holds, latest period first: a parent's own (``own``) or
    those its own parent sent down (``own=False``); both when None."""
    unit = installed(workspace).unit_id
    query = select(ReportRequest).where(ReportRequest.deleted.is_(False))
    if own is True:
        query = query.where(ReportRequest.owner_unit_id == unit)
    elif own is False:
        query = query.where(ReportRequest.owner_unit_id != unit)
    if year:
        query = query.where(ReportRequest.period_end >= dt.date(year, 1, 1),
                            ReportRequest.period_start <= dt.date(year, 12, 31))
    with UnitOfWork.read(workspace) as session:
        rows = session.scalars(query.order_by(ReportRequest.period_end.desc(),
                                              ReportRequest.due_on, ReportRequest.kind))
        return [_info(workspace, row) for row in rows]
