"""Tình hình báo cáo: per child unit and per request, what was due, what arrived and when.

A report counts for a request when the child issued it for the same kind and the same period
and a leader signed it off (unsigned, it is shown as such and does not count). At the parent
it is **on time** when the package carrying it signed **arrived** on or before the due date
(``report_arrival``: the parent's working date at the import), **late** when after, so a
report signed on time but sent late is late; its sign-off date is shown beside it. A
request with no signed report is **missing** once its due date has passed, **not due yet**
before. For a commune's own lines (nothing arrives: it is the author) the sign-off date is
what is judged.

Which issue counts when a child issued the same report twice for a period (a correction, or
the 31/1 update of Thông tư 01/2022/TT-UBDT): timeliness is judged on the **first** signed
issue (a report that arrived on time and was corrected later stays on time), and the row
shows that a correction arrived and when (:attr:`CompletenessRow.correction`); the figures
that count are those of the **latest** signed issue (:data:`ISSUE_ORDER`: by issue date,
register year and number), which is what a consolidated form sums
(:func:`ctmtqg_desktop.services.archive.children_figures`).

The same view serves a commune: its own line for each request its parent sent down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.i18n import _, pgettext
from ctmtqg_desktop.services import parent
from ctmtqg_desktop.services.archive._arrivals import arrival
from ctmtqg_desktop.services.archive._register import IssuedInfo, info_of, issue_report, unit_name
from ctmtqg_desktop.services.archive._requests import RequestInfo, list_requests
from ctmtqg_desktop.services.archive._rules import (
    LATE,
    MISSING,
    NOT_DUE,
    ON_TIME,
    UNSIGNED,
    NeedsParent,
    installed,
)
from ctmtqg_desktop.store.models.archive import IssuedReport
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

STATES = (ON_TIME, LATE, UNSIGNED, MISSING, NOT_DUE)
#: the order of a unit's issues of one report for one period: the last one is the latest
ISSUE_ORDER = (IssuedReport.issued_on, IssuedReport.register_year, IssuedReport.number)


def _issue_key(report: IssuedReport) -> tuple[dt.date, int, int]:
    return (report.issued_on, report.register_year, report.number)


def state_label(state: str) -> str:
    return {ON_TIME: pgettext("report state", "on time"),
            LATE: pgettext("report state", "late"),
            MISSING: pgettext("report state", "missing"),
            NOT_DUE: pgettext("report state", "not due yet"),
            UNSIGNED: pgettext("report state", "issued, not signed off")}.get(state, state)


@dataclass(frozen=True)
class CompletenessRow:
    request: RequestInfo
    unit_id: str
    unit_name: str
    state: str
    report: IssuedInfo | None
    #: when the report's present version was recorded in this workspace
    received_at: dt.datetime | None
    #: the working date its signed version arrived in this workspace (None: written here)
    received_on: dt.date | None = None
    #: a later signed issue of the same report and period (a correction): its figures are
    #: the ones that count; the timeliness stays that of ``report``
    correction: IssuedInfo | None = None
    #: the working date the correction arrived signed (its sign-off date when written here)
    correction_on: dt.date | None = None

    @property
    def reported(self) -> bool:
        return self.state in (ON_TIME, LATE)


@dataclass(frozen=True)
class Completeness:
    on: dt.date
    rows: tuple[CompletenessRow, ...]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def expected(self) -> int:
        return sum(1 for row in self.rows if row.state != NOT_DUE or row.reported)

    @property
    def ratio(self) -> float | None:
        """Reports received over reports due (the completeness rate)."""
        due = [row for row in self.rows if row.state != NOT_DUE]
        return sum(row.reported for row in due) / len(due) if due else None


def state_text(row: CompletenessRow) -> str:
    """The row's state as shown, with the correction that arrived after it, if any:
    "đúng hạn; bản đính chính 2/BC-UBND nhận ngày 20/09/2023"."""
    text = state_label(row.state)
    if row.correction is None:
        return text
    return _("{state}; correction {number} received on {date}").format(
        state=text, number=row.correction.number_symbol,
        date=format_date(row.correction_on) if row.correction_on else "")


def _state(request: RequestInfo, report: IssuedReport | None, day: dt.date,
           arrived_on: dt.date | None) -> str:
    if report is None:
        return MISSING if day > request.due_on else NOT_DUE
    if report.approved_on is None:
        return UNSIGNED if day > request.due_on else NOT_DUE
    # it cannot have arrived signed before it was signed (two workspaces' dates disagree):
    # the later of the two is judged
    judged = max(arrived_on or report.approved_on, report.approved_on)
    return ON_TIME if judged <= request.due_on else LATE


def units_owing(workspace: Workspace, day: dt.date) -> list[tuple[str, str, tuple[str, ...]]]:
    """(unit, name, the units it continues) that owe reports: the children of a parent, the
    unit itself for a commune."""
    info = installed(workspace)
    if info.role == "parent":
        return [(c.unit_id, c.name, c.predecessors)
                for c in parent.list_children(workspace, on=day).children]
    return [(info.unit_id, unit_name(workspace, info.unit_id), ())]


def completeness(workspace: Workspace, *, on: dt.date | None = None, year: int | None = None,
                 kind: str | None = None) -> Completeness:
    """Each request (a parent's own, or for a commune those sent down) times each unit that
    owes it."""
    day = on or workspace.today()
    info = installed(workspace)
    own = info.role == "parent"
    requests = [r for r in list_requests(workspace, year=year, own=own)
                if kind is None or r.kind == kind]
    units = units_owing(workspace, day)
    owners = {owner: unit for unit, _n, before in units for owner in (unit, *before)}
    rows: list[CompletenessRow] = []
    with UnitOfWork.read(workspace) as session:
        found: dict[tuple[str, str, dt.date, dt.date], IssuedReport] = {}
        latest: dict[tuple[str, str, dt.date, dt.date], IssuedReport] = {}
        if requests and owners:
            for issued in session.scalars(select(IssuedReport).where(
                    IssuedReport.owner_unit_id.in_(list(owners)),
                    IssuedReport.deleted.is_(False), IssuedReport.consolidated.is_(False),
                    IssuedReport.kind.in_({r.kind for r in requests}))
                    .order_by(IssuedReport.approved_on.is_(None), IssuedReport.approved_on,
                              *ISSUE_ORDER)):
                key = (owners[issued.owner_unit_id], issued.kind, issued.period_start,
                       issued.period_end)
                # the first signed one is judged (a signed report beats an unsigned one)
                found.setdefault(key, issued)
                if issued.approved_on is not None and (
                        key not in latest or _issue_key(issued) > _issue_key(latest[key])):
                    latest[key] = issued
        for request in requests:
            for unit, name, _before in units:
                key = (unit, request.kind, request.period_start, request.period_end)
                report = found.get(key)
                received, arrived = None, None
                correction, corrected_on = None, None
                if report is not None:
                    received = session.scalar(select(func.min(
                        ChangeJournalEntry.recorded_at)).where(
                        ChangeJournalEntry.record_id == report.id,
                        ChangeJournalEntry.version == report.version))
                    came = arrival(session, report.id) \
                        if report.owner_unit_id != info.unit_id else None
                    if came is not None:  # never shown (nor judged) before its sign-off
                        received, arrived = came.received_at, max(
                            came.received_on, report.approved_on or came.received_on)
                    newer = latest.get(key)
                    if newer is not None and newer.id != report.id:
                        correction = info_of(workspace, newer)
                        came = arrival(session, newer.id) \
                            if newer.owner_unit_id != info.unit_id else None
                        corrected_on = came.received_on if came is not None \
                            else newer.approved_on
                rows.append(CompletenessRow(
                    request, unit, name, _state(request, report, day, arrived),
                    info_of(workspace, report) if report is not None else None, received,
                    arrived, correction, corrected_on))
    return Completeness(day, tuple(rows))


def not_reported(workspace: Workspace, kind: str, start: dt.date, end: dt.date, *,
                 on: dt.date | None = None) -> list[str]:
    """The child units without a signed report of ``kind`` for the period (whether or not a
    request asked for it): what a consolidated report lists."""
    day = on or workspace.today()
    units = units_owing(workspace, day) if installed(workspace).role == "parent" else []
    owners = {owner: unit for unit, _n, before in units for owner in (unit, *before)}
    with UnitOfWork.read(workspace) as session:
        signed = {owners[o] for o in session.scalars(select(IssuedReport.owner_unit_id).where(
            IssuedReport.owner_unit_id.in_(list(owners) or [""]),
            IssuedReport.deleted.is_(False), IssuedReport.kind == kind,
            IssuedReport.period_start == start, IssuedReport.period_end == end,
            IssuedReport.approved_on.is_not(None), IssuedReport.approved_on <= day))}
    return [name for unit, name, _b in units if unit not in signed]


def issue_consolidated(workspace: Workspace, *, kind: str, period_start: dt.date,
                       period_end: dt.date, **fields: Any) -> IssuedInfo:
    """A parent issues a report in its own name over its children (báo cáo tổng hợp): the
    record says so and names the child units that had not reported on the day it was
    issued (the document lists them too)."""
    if installed(workspace).role != "parent":
        raise NeedsParent()
    day = fields.get("issued_on") or workspace.today()
    missing = not_reported(workspace, kind, period_start, period_end, on=day)
    return issue_report(workspace, kind=kind, period_start=period_start,
                        period_end=period_end, consolidated=True,
                        not_reported=tuple(missing), **fields)
