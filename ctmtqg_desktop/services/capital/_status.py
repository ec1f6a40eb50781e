"""Tình hình giao, phân bổ, giải ngân: a year's figures by programme, source and project,
the on-track line, the forecast, the cumulative curve for the chart, and the alerts.

Rates are disbursed over assigned; the on-track line is the share of the plan year passed
(:func:`domain.capital.year_elapsed_share`); the forecast extends the pace of the last 90 days
to 31/12 (:func:`domain.capital.forecast_year_end`). States: red (late) when a deadline has
passed with money undisbursed, or capital stays unallocated beyond the allowed days; amber
(due soon) near a deadline, for recent unallocated capital, and below the on-track line.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.capital import Forecast, LineFigures
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.capital import _counterpart as counterpart
from ctmtqg_desktop.services.capital._allocations import allocations
from ctmtqg_desktop.services.capital._payments import PaymentPoint, payment_points
from ctmtqg_desktop.services.capital._records import LineInfo, list_lines, short_kind
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class GroupRow:
    """Figures of a group of lines (a programme, a source) in one year."""

    key: str
    label: str
    figures: LineFigures
    on_track: float
    forecast: Forecast
    state: str
    #: the rate's colour: red when a deadline passed with money left, amber below the
    #: on-track line, else normal
    rate_state: str = rules.NORMAL


@dataclass(frozen=True)
class ProjectRate:
    project_id: uuid.UUID
    name: str
    program_label: str
    allocated: int
    disbursed: int
    on_track: float
    last_payment: dt.date | None

    @property
    def rate(self) -> float | None:
        return self.disbursed / self.allocated if self.allocated else None

    @property
    def state(self) -> str:
        return rules.pace_state(self.rate, self.on_track)


@dataclass(frozen=True)
class YearSummary:
    year: int
    today: dt.date
    on_track: float
    total: LineFigures
    forecast: Forecast
    by_program: tuple[GroupRow, ...]
    by_source: tuple[GroupRow, ...]
    by_project: tuple[ProjectRate, ...]
    #: cumulative disbursement at each month's end (or today), as (month, amount)
    monthly: tuple[tuple[int, int], ...]
    lines: tuple[LineInfo, ...]

    @property
    def state(self) -> str:
        return rules.worst(*(line.state for line in self.lines)) if self.lines else rules.NORMAL


def _group(key: str, label: str, lines: list[LineInfo],
           points: list[PaymentPoint], year: int, today: dt.date,
           on_track: float) -> GroupRow:
    figures = rules.total(line.figures for line in lines)
    ids = {line.id for line in lines}
    forecast = rules.forecast_year_end(
        [(p.paid_on, p.amount) for p in points if p.line_id in ids], year=year, today=today,
        assigned=figures.assigned)
    pace = rules.pace_state(figures.rate, on_track) if today.year <= year else rules.NORMAL
    passed = rules.LATE if any(line.deadline_state == rules.LATE for line in lines) \
        else rules.NORMAL
    state = rules.worst(pace, *(line.deadline_state for line in lines),
                        *(line.unallocated_state for line in lines))
    return GroupRow(key, label, figures, on_track, forecast, state, rules.worst(pace, passed))


def year_summary(workspace: Workspace, year: int, *, program_id: str | None = None,
                 as_of: dt.date | None = None) -> YearSummary:
    """The year's figures as of ``as_of`` (default: today): what was decided, allocated,
    paid and returned by that day (a report's period end, issue 14)."""
    today = as_of or workspace.today()
    on_track = rules.year_elapsed_share(year, today)
    lines = list_lines(workspace, year=year, program_id=program_id, as_of=as_of)
    line_ids = [line.id for line in lines]
    points = [p for p in payment_points(workspace, year=year, line_ids_=line_ids)
              if p.paid_on <= today]
    total = rules.total(line.figures for line in lines)
    forecast = rules.forecast_year_end([(p.paid_on, p.amount) for p in points], year=year,
                                       today=today, assigned=total.assigned)
    programs: dict[str, list[LineInfo]] = {}
    sources: dict[str, list[LineInfo]] = {}
    for line in lines:
        programs.setdefault(line.program_id, []).append(line)
        sources.setdefault(line.source, []).append(line)
    by_program = tuple(_group(key, group[0].program_label, group, points, year, today, on_track)
                       for key, group in sorted(programs.items()))
    by_source = tuple(_group(key, group[0].source_name, group, points, year, today, on_track)
                      for key, group in sorted(sources.items()))
    projects: dict[uuid.UUID, dict] = {}
    line_by_id = {line.id: line for line in lines}
    for allocation in allocations(workspace, year=year, as_of=as_of):
        if allocation.line_id not in line_by_id:
            continue
        entry = projects.setdefault(allocation.project_id, {
            "name": allocation.project_name,
            "program": line_by_id[allocation.line_id].program_label,
            "allocated": 0, "disbursed": 0, "last": None})
        entry["allocated"] += allocation.amount
        entry["disbursed"] += allocation.disbursed
        if allocation.last_payment and (entry["last"] is None
                                        or allocation.last_payment > entry["last"]):
            entry["last"] = allocation.last_payment
    by_project = tuple(sorted(
        (ProjectRate(pid, e["name"], e["program"], e["allocated"], e["disbursed"], on_track,
                     e["last"]) for pid, e in projects.items()),
        key=lambda p: (p.rate if p.rate is not None else 2.0, p.name)))
    monthly = []
    for month in range(1, 13):
        end = rules.month_end(year, month)
        if end > today:
            if dt.date(year, month, 1) <= today:
                monthly.append((month, sum(p.amount for p in points if p.paid_on <= today)))
            break
        monthly.append((month, sum(p.amount for p in points if p.paid_on <= end)))
    return YearSummary(year, today, on_track, total, forecast, by_program, by_source,
                       by_project, tuple(monthly), tuple(lines))


# ---------------------------------------------------------------------------- alerts
@dataclass(frozen=True)
class Alert:
    state: str
    text: str
    kind: str  # deadline, unallocated, pace, counterpart
    line_id: uuid.UUID | None = None


def _money(amount: int) -> str:
    return format_number(amount)


def alerts(workspace: Workspace, *, lines: list[LineInfo] | None = None,
           summary: YearSummary | None = None) -> list[Alert]:
    """Every warning of the unit's capital, red first: deadlines passed or near with money
    undisbursed, capital left unallocated, programmes behind the on-track line this year,
    counterpart shortfalls this year. ``lines`` (``list_lines(workspace)``) and ``summary``
    (``year_summary`` of this year) when the caller has them already (the overview's card):
    read once, not again."""
    today = workspace.today()
    found: list[Alert] = []
    if lines is None:
        lines = list_lines(workspace)
    for line in lines:
        figures = line.figures
        if line.deadline_state == rules.LATE:
            found.append(Alert(rules.LATE, _(
                "{line}: the disbursement deadline {deadline} has passed with {amount} đồng "
                "undisbursed, neither carried over nor returned.").format(
                line=line.label, deadline=format_date(line.deadline),
                amount=_money(figures.undisbursed)), "deadline", line.id))
        elif line.deadline_state == rules.DUE_SOON:
            found.append(Alert(rules.DUE_SOON, _(
                "{line}: {days} days left until the disbursement deadline {deadline}; "
                "{amount} đồng still undisbursed.").format(
                line=line.label, days=format_number((line.deadline - today).days),
                deadline=format_date(line.deadline), amount=_money(figures.undisbursed)),
                "deadline", line.id))
        if line.unallocated_state != rules.NORMAL and line.deadline_state != rules.LATE:
            found.append(Alert(line.unallocated_state, _(
                "{line}: {amount} đồng not yet allocated in detail, assigned on {since} "
                "({days} days ago).").format(
                line=line.label, amount=_money(figures.unallocated),
                since=format_date(line.unallocated_since),
                days=format_number(line.unallocated_days)), "unallocated", line.id))
    year = today.year
    if summary is None or summary.year != year or summary.today != today:
        summary = year_summary(workspace, year)
    for group in summary.by_program:
        rate = group.figures.rate
        if rate is not None and rate < summary.on_track:
            found.append(Alert(rules.DUE_SOON, _(
                "{program} year {year}: {rate} disbursed, below the on-track line of {track}; "
                "at the pace of the last 90 days, {forecast} by 31/12.").format(
                program=group.label, year=str(year), rate=format_percent(rate),
                track=format_percent(summary.on_track),
                forecast=format_percent(group.forecast.rate or 0)), "pace"))
    for item in counterpart.check(workspace, year):
        if item.shortfall > 0:
            found.append(Alert(rules.LATE, _(
                "{program} year {year}, {kind}: counterpart funds {assigned} đồng, "
                "{shortfall} đồng short of the {required} đồng required ({ratio}).").format(
                program=item.program_label, year=str(year),
                kind=short_kind(item.capital_kind, item.kind_name),
                assigned=_money(item.assigned), shortfall=_money(item.shortfall),
                required=_money(item.required),
                ratio=format_percent(item.rule.ratio if item.rule else 0)), "counterpart"))
    order = {rules.LATE: 0, rules.DUE_SOON: 1, rules.NORMAL: 2}
    return sorted(found, key=lambda a: order[a.state])
