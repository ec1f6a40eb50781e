"""Ngày nhận báo cáo: the day a signed report of another unit arrived in this workspace.

The sync import calls :func:`record_arrivals` (``Area.after_apply``) inside its transaction
with the issued reports a package brought; each one that arrives signed gets its arrival
written once (a later package repeating it does not move the day). The day is the working
date at the import (``Workspace.today``: the demo's fixed date when it has one).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.archive import IssuedReport, ReportArrival
from ctmtqg_desktop.store.models.identity import Installation


def _working_date(session: Session) -> dt.date:
    simulated = session.scalar(select(Installation.simulated_today))
    return simulated or dt.date.today()


def record_arrivals(session: Session, ids: dict[str, list[uuid.UUID]]) -> None:
    """The sync hook: the signed reports among ``ids["issued_report"]`` arrived today."""
    wanted = ids.get("issued_report") or []
    if not wanted:
        return
    day, now = _working_date(session), utc_now()
    for start in range(0, len(wanted), 500):
        for row in session.scalars(select(IssuedReport).where(
                IssuedReport.id.in_(wanted[start:start + 500]),
                IssuedReport.approved_on.is_not(None))):
            known = session.scalar(select(ReportArrival.report_id).where(
                ReportArrival.report_id == row.id))
            if known is None:
                session.add(ReportArrival(report_id=row.id, version=row.version,
                                          received_on=day, received_at=now))
    session.flush()


def arrival(session: Session, report_id: uuid.UUID) -> ReportArrival | None:
    """When the report arrived signed (None: written here, or not arrived signed)."""
    return session.scalar(select(ReportArrival).where(ReportArrival.report_id == report_id)
                          .order_by(ReportArrival.received_on))
