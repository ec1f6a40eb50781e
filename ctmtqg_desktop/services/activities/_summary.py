"""What the activities add up to: totals by kind and by year, participants, women and
ethnic-minority people, as the overview, the report and the parent's board count them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.services.activities._listing import (
    _filtered,
    _with_campaigns,
    activity_ids,
    history_for,
)
from ctmtqg_desktop.services.activities._records import (
    _SUMS,
    KINDS,
    ActivityInfo,
    _info,
    kind_label,
)
from ctmtqg_desktop.store.models.activities import Activity
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


# ---------------------------------------------------------------------------- summaries
@dataclass(frozen=True)
class Totals:
    count: int = 0
    participants: int = 0
    women: int = 0
    ethnic_minority: int = 0
    poor: int = 0
    cost: int = 0


@dataclass(frozen=True)
class ActivitySummary:
    total: Totals
    #: (kind, totals) in the order of :data:`KINDS`, kinds with no activity left out
    by_kind: tuple[tuple[str, Totals], ...]
    #: (campaign, totals), most activities first; activities without a campaign left out
    by_campaign: tuple[tuple[str, Totals], ...] = field(default_factory=tuple)


def _totals(row) -> Totals:
    return Totals(int(row.n or 0), int(row.p or 0), int(row.w or 0), int(row.e or 0),
                  int(row.poor or 0), int(row.c or 0))


def summary(workspace: Workspace, query: dict[str, Any] | None = None) -> ActivitySummary:
    """Counts and participants of the activities matching ``query``: in all, per kind, per
    campaign (grouped in SQL)."""
    query = query or {}
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        query = _with_campaigns(session, query, unit_id)
        history = history_for(session, query, unit_id)
        total = _totals(session.execute(_filtered(select(*_SUMS), query, unit_id,
                                                  history)).one())
        kinds = {row.kind: _totals(row) for row in session.execute(
            _filtered(select(Activity.kind, *_SUMS), query, unit_id, history)
            .group_by(Activity.kind))}
        campaigns = [(row.campaign, _totals(row)) for row in session.execute(
            _filtered(select(Activity.campaign, *_SUMS), query, unit_id, history)
            .where(Activity.campaign != "").group_by(Activity.campaign))]
    campaigns.sort(key=lambda item: (-item[1].count, item[0]))
    return ActivitySummary(total, tuple((k, kinds[k]) for k in KINDS if k in kinds),
                           tuple(campaigns))


def kinds_text(result: ActivitySummary) -> str:
    """"5 truyền thông; 3 tập huấn, bồi dưỡng; 4 họp Ban Chỉ đạo"."""
    # labels hold commas ("tập huấn, bồi dưỡng") and proper nouns ("Ban Chỉ đạo")
    return "; ".join(f"{format_number(t.count)} {kind_label(k)[:1].lower()}{kind_label(k)[1:]}"
                     for k, t in result.by_kind)


def summary_text(result: ActivitySummary) -> str:
    """"12 activities: 4 communication, 3 training… · 1.234 participants (…)"."""
    if not result.total.count:
        return _("No activity.")
    kinds = kinds_text(result)
    return _("{count} activities ({kinds}) · {people} participants, of whom {women} women, "
             "{ethnic} ethnic-minority people, {poor} of poor households").format(
        count=format_number(result.total.count), kinds=kinds,
        people=format_number(result.total.participants),
        women=format_number(result.total.women),
        ethnic=format_number(result.total.ethnic_minority),
        poor=format_number(result.total.poor))


@dataclass(frozen=True)
class YearGroup:
    kind: str
    lines: tuple[ActivityInfo, ...]
    totals: Totals


def year_groups(workspace: Workspace, year: int) -> list[YearGroup]:
    """The activities of ``year`` (those that overlap it), grouped by kind in the order of
    :data:`KINDS`, oldest first, each group with its totals: the yearly report's rows."""
    ids = activity_ids(workspace, {"year": year}, "date", descending=False)
    with UnitOfWork.read(workspace) as session:
        rows = {row.id: row for row in session.scalars(
            select(Activity).where(Activity.id.in_(ids)))} if ids else {}
        lines = [_info(session, rows[i]) for i in ids]
        history = catalog.own_history(session, workspace)
    # a predecessor's activity (a year before the merger) is named with its old unit
    lines = [replace(line, title=catalog.history_label(line.title,
                                                       history[line.owner_unit_id]))
             if line.owner_unit_id in history else line for line in lines]
    groups = []
    for kind in KINDS:
        of_kind = tuple(line for line in lines if line.kind == kind)
        if not of_kind:
            continue
        groups.append(YearGroup(kind, of_kind, Totals(
            len(of_kind), sum(a.participants for a in of_kind), sum(a.women for a in of_kind),
            sum(a.ethnic_minority for a in of_kind), sum(a.poor for a in of_kind),
            sum(a.cost or 0 for a in of_kind))))
    return groups
