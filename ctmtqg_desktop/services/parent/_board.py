"""Bảng theo dõi: per child unit and in total, what the children's records say.

Computed from the children's records as the parent's workspace holds them (received by
sync), with grouped SQL — one query per kind of figure, ``GROUP BY owner_unit_id`` — never
one service call per child, so a board of a hundred children takes a fraction of a second.
Owners are then folded into the children of the day asked (:mod:`reorganisation`: a
merged commune's history counts for the unit that continues it; a commune's records count
for its district on a province's board). The definitions are the children's own:

* tasks (nhiệm vụ): the child's tasks and those the parent assigned to it; done = status
  done; overdue = next due date before the day (as the commune's task list counts them).
  Tasks addressed to every child (``*``) are not counted: their progress is per child;
* capital (kế hoạch vốn) of the plan year: assigned = the lines' amounts (the child's own
  lines and those the parent assigned to it), allocated in detail, disbursed (payments up
  to the day), returned; the disbursement rate is disbursed / assigned, compared with 100%
  and with the on-track line (the share of the year passed, :func:`year_elapsed_share`);
* dossiers (hồ sơ): required documents done (signed or scanned) over required documents,
  per the template each dossier was started with; complete dossiers;
* difficulties (khó khăn, kiến nghị) raised up to the day and not resolved; those still
  without an answer;
* activities (hoạt động truyền thông, tập huấn, kiểm tra giám sát…) of the plan year held
  up to the day, by kind, and their participants (of whom women, ethnic-minority people):
  the activities that overlap the year and started on or before the day, as the commune's
  own summary counts them (``activities.summary`` with ``year`` and ``date_to``);
* the last package received, and what the parent sent down that the child has acknowledged
  (records addressed to it or to every child, dossier templates and handbook pages).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field, replace
from operator import attrgetter

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import capital as capital_rules
from ctmtqg_desktop.domain.dossier_rules import DONE_STATUSES
from ctmtqg_desktop.domain.text import fold, search_terms
from ctmtqg_desktop.services import catalog, settings
from ctmtqg_desktop.services import dossiers as dossiers_service
from ctmtqg_desktop.services.collector import cycle_collector_paused
from ctmtqg_desktop.services.parent._children import CURRENT, NEVER, STALE, STALE_DAYS
from ctmtqg_desktop.services.parent._reorganisation import UnitMap
from ctmtqg_desktop.store.base import EVERY_CHILD
from ctmtqg_desktop.store.models.activities import ACTIVITY_KINDS, Activity
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
)
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument, DossierTemplate
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry as J
from ctmtqg_desktop.store.models.parent import ReferenceDelivery, ReferenceDispatch
from ctmtqg_desktop.store.models.sync import SyncAck, SyncStreamIn
from ctmtqg_desktop.store.models.tasks import Difficulty, DifficultyAnswer, Task
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

LATE, DUE_SOON, NORMAL = capital_rules.LATE, capital_rules.DUE_SOON, capital_rules.NORMAL
#: the board row's field counting the activities of each kind
ACTIVITY_FIELDS = {kind: f"activities_{kind}" for kind in ACTIVITY_KINDS}


@dataclass(frozen=True)
class BoardRow:
    """One child unit (or the total: ``unit_id`` empty)."""

    unit_id: str
    code: str
    name: str
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    assigned: int = 0
    allocated: int = 0
    disbursed: int = 0
    returned: int = 0
    dossiers: int = 0
    dossiers_complete: int = 0
    documents_required: int = 0
    documents_done: int = 0
    difficulties_open: int = 0
    difficulties_unanswered: int = 0
    last_report_at: dt.datetime | None = None
    report_state: str = NEVER
    report_age_days: int | None = None
    sent_down: int = 0
    acknowledged: int = 0
    #: activities of the plan year held up to the day: in all, by kind (``ACTIVITY_KINDS``)
    activities: int = 0
    activities_communication: int = 0
    activities_training: int = 0
    activities_inspection: int = 0
    activities_steering_meeting: int = 0
    activities_emulation: int = 0
    activities_other: int = 0
    #: their participants (the sum of each activity's total), of whom women, ethnic minority
    activity_participants: int = 0
    activity_women: int = 0
    activity_ethnic: int = 0
    on_track: float = 0.0

    def activities_of(self, kind: str) -> int:
        """The number of activities of ``kind`` (one of ``ACTIVITY_KINDS``)."""
        return getattr(self, ACTIVITY_FIELDS[kind])

    @property
    def rate(self) -> float | None:
        """Tỷ lệ giải ngân: disbursed over assigned."""
        return self.disbursed / self.assigned if self.assigned else None

    @property
    def allocation_rate(self) -> float | None:
        return self.allocated / self.assigned if self.assigned else None

    @property
    def dossier_ratio(self) -> float | None:
        return self.documents_done / self.documents_required if self.documents_required \
            else None

    @property
    def behind(self) -> bool:
        """Below the on-track line (money unspent for the time of year)."""
        return self.rate is not None and self.rate < self.on_track

    @property
    def rate_state(self) -> str:
        if self.rate is None:
            return NORMAL
        if self.rate < self.on_track:
            # far behind the pace (less than two thirds of it) is red, behind is amber
            return LATE if self.rate < self.on_track * 2 / 3 else DUE_SOON
        return NORMAL

    @property
    def tasks_state(self) -> str:
        return LATE if self.tasks_overdue else NORMAL

    @property
    def report_level(self) -> str:
        return LATE if self.report_state in (NEVER, STALE) else NORMAL

    @property
    def unacknowledged(self) -> int:
        return self.sent_down - self.acknowledged

    @property
    def state(self) -> str:
        return capital_rules.worst(self.rate_state, self.tasks_state, self.report_level,
                                   DUE_SOON if self.difficulties_unanswered else NORMAL)


@dataclass(frozen=True)
class Board:
    on: dt.date
    year: int
    on_track: float
    stale_days: int
    rows: tuple[BoardRow, ...]
    total: BoardRow

    def row(self, unit_id: str) -> BoardRow | None:
        return next((r for r in self.rows if r.unit_id == unit_id), None)


@dataclass
class _Sums:
    values: dict = field(default_factory=dict)

    def add(self, child: str, **amounts: int) -> None:
        current = self.values.setdefault(child, {})
        for key, amount in amounts.items():
            current[key] = current.get(key, 0) + int(amount or 0)


def compute(workspace: Workspace, *, on: dt.date | None = None,
            year: int | None = None) -> Board:
    """The board on ``on`` (default: the working date) for the capital of ``year`` (default:
    the year of ``on``)."""
    with cycle_collector_paused():
        return _compute(workspace, on=on, year=year)


def _compute(workspace: Workspace, *, on: dt.date | None, year: int | None) -> Board:
    day = on or workspace.today()
    year = year or day.year
    info = workspace.installation()
    stale_days = settings.get(workspace, STALE_DAYS)
    with UnitOfWork.read(workspace) as session:
        units = UnitMap.load(session)
        children = units.children_on(info.unit_id, day)
        child_set = frozenset(children)
        lineage = units.lineage(info.unit_id)
        sums = _Sums()

        def child_of(owner: str | None, audience: str | None) -> str | None:
            """The child a record counts for: a parent's record by its audience, a child's
            (or grandchild's, or predecessor's) record by its owner."""
            if owner in lineage:
                if audience in (None, EVERY_CHILD):
                    return None
                return units.attribute(audience, day, child_set)
            return units.attribute(owner, day, child_set)

        _tasks(session, day, child_of, sums)
        _capital(session, day, year, child_of, sums)
        _dossiers(session, day, child_of, sums)
        _difficulties(session, day, child_of, sums)
        _activities(session, day, year, child_of, sums)
        reports = _last_reports(session, units, day, child_set)
        sent = _sent_down(session, lineage, units, day, child_set)
        # a child titled with its kind on the day (Lộc Ninh a xã on 15/01/2026, a phường
        # after: the catalog's dated attributes)
        kinds = catalog.kinds_on(session, day)
    on_track = capital_rules.year_elapsed_share(year, day)
    rows = []
    for child in children:
        entry = units.units[child]
        figures = sums.values.get(child, {})
        last = reports.get(child)
        age = (day - last.date()).days if last else None
        state = NEVER if last is None else (STALE if age > stale_days else CURRENT)
        total_sent, acknowledged = sent.get(child, (0, 0))
        title = units.title(child, kinds.get(child))
        rows.append(BoardRow(child, entry.code, title, **figures, last_report_at=last,
                             report_state=state, report_age_days=age, sent_down=total_sent,
                             acknowledged=acknowledged, on_track=on_track))
    total = _total(rows, on_track)
    return Board(day, year, on_track, stale_days, tuple(rows), total)


_SUMMED = ("tasks_total", "tasks_done", "tasks_overdue", "assigned", "allocated", "disbursed",
           "returned", "dossiers", "dossiers_complete", "documents_required", "documents_done",
           "difficulties_open", "difficulties_unanswered", "sent_down", "acknowledged",
           "activities", *ACTIVITY_FIELDS.values(), "activity_participants", "activity_women",
           "activity_ethnic")


def _total(rows: list[BoardRow], on_track: float) -> BoardRow:
    from ctmtqg_desktop.i18n import _

    values = {key: sum(map(attrgetter(key), rows)) for key in _SUMMED}
    reported = [r.last_report_at for r in rows if r.last_report_at]
    late = sum(1 for r in rows if r.report_state != CURRENT)
    return BoardRow("", "", _("Total"), **values,
                    last_report_at=max(reported) if reported else None,
                    report_state=CURRENT if not late else STALE, on_track=on_track)


# ---------------------------------------------------------------------------- the figures
def _tasks(session: Session, day: dt.date, child_of, sums: _Sums) -> None:
    rows = session.execute(
        select(Task.owner_unit_id, Task.audience_unit_id, func.count(),
               func.sum(case((Task.status == "done", 1), else_=0)),
               func.sum(case((Task.next_due_on < day, 1), else_=0)))
        .where(Task.deleted.is_(False))
        .group_by(Task.owner_unit_id, Task.audience_unit_id))
    for owner, audience, total, done, overdue in rows:
        child = child_of(owner, audience)
        if child is not None:
            sums.add(child, tasks_total=total, tasks_done=done, tasks_overdue=overdue)


def _capital(session: Session, day: dt.date, year: int, child_of, sums: _Sums) -> None:
    line = CapitalLine
    live_line = (line.deleted.is_(False), line.year == year)
    for owner, audience, amount in session.execute(
            select(line.owner_unit_id, line.audience_unit_id, func.sum(line.amount))
            .where(*live_line).group_by(line.owner_unit_id, line.audience_unit_id)):
        child = child_of(owner, audience)
        if child is not None:
            sums.add(child, assigned=amount)
    allocation = CapitalAllocation
    for owner, audience, amount in session.execute(
            select(line.owner_unit_id, line.audience_unit_id, func.sum(allocation.amount))
            .join(line, line.id == allocation.line_id)
            .where(*live_line, allocation.deleted.is_(False))
            .group_by(line.owner_unit_id, line.audience_unit_id)):
        child = child_of(owner, audience)
        if child is not None:
            sums.add(child, allocated=amount)
    payment = CapitalPayment
    for owner, audience, amount in session.execute(
            select(line.owner_unit_id, line.audience_unit_id, func.sum(payment.amount))
            .join(allocation, allocation.id == payment.allocation_id)
            .join(line, line.id == allocation.line_id)
            .where(*live_line, allocation.deleted.is_(False), payment.deleted.is_(False),
                   payment.paid_on <= day)
            .group_by(line.owner_unit_id, line.audience_unit_id)):
        child = child_of(owner, audience)
        if child is not None:
            sums.add(child, disbursed=amount)
    returned = CapitalReturn
    for owner, audience, amount in session.execute(
            select(line.owner_unit_id, line.audience_unit_id, func.sum(returned.amount))
            .join(line, line.id == returned.line_id)
            .where(*live_line, returned.deleted.is_(False), returned.returned_on <= day)
            .group_by(line.owner_unit_id, line.audience_unit_id)):
        child = child_of(owner, audience)
        if child is not None:
            sums.add(child, returned=amount)


def required_documents(session: Session) -> dict[str, frozenset[str]]:
    """``{template id: codes of its required documents}`` for every installed template."""
    result = {}
    for ident, digest, content, name in session.execute(
            select(DossierTemplate.id, DossierTemplate.digest, DossierTemplate.content,
                   DossierTemplate.source_name)):
        spec = dossiers_service.parsed_template(digest, content, name or ident)
        result[ident] = frozenset(d.code for d in spec.documents if d.required)
    return result


def _dossiers(session: Session, day: dt.date, child_of, sums: _Sums) -> None:
    required = required_documents(session)
    dossiers = session.execute(
        select(Dossier.id, Dossier.owner_unit_id, Dossier.template_id)
        .where(Dossier.deleted.is_(False), Dossier.started_on <= day)).all()
    if not dossiers:
        return
    conditions = [and_(Dossier.template_id == ident, DossierDocument.document_code.in_(codes))
                  for ident, codes in required.items() if codes]
    done: dict = {}
    if conditions:
        done = dict(session.execute(
            select(DossierDocument.dossier_id, func.count())
            .join(Dossier, Dossier.id == DossierDocument.dossier_id)
            .where(DossierDocument.deleted.is_(False), Dossier.deleted.is_(False),
                   DossierDocument.status.in_(DONE_STATUSES), or_(*conditions))
            .group_by(DossierDocument.dossier_id)).all())
    for ident, owner, template in dossiers:
        child = child_of(owner, None)
        if child is None:
            continue
        needed = len(required.get(template, ()))
        finished = min(int(done.get(ident, 0)), needed)
        sums.add(child, dossiers=1, dossiers_complete=int(finished == needed),
                 documents_required=needed, documents_done=finished)


def _difficulties(session: Session, day: dt.date, child_of, sums: _Sums) -> None:
    answered = select(DifficultyAnswer.difficulty_id).where(
        DifficultyAnswer.deleted.is_(False), DifficultyAnswer.answered_on <= day)
    is_open = or_(Difficulty.status != "resolved", Difficulty.resolved_on > day)
    rows = session.execute(
        select(Difficulty.owner_unit_id, func.count(),
               func.sum(case((Difficulty.id.in_(answered), 0), else_=1)))
        .where(Difficulty.deleted.is_(False), Difficulty.raised_on <= day, is_open)
        .group_by(Difficulty.owner_unit_id))
    for owner, count, unanswered in rows:
        child = child_of(owner, None)
        if child is not None:
            sums.add(child, difficulties_open=count, difficulties_unanswered=unanswered)


def _activities(session: Session, day: dt.date, year: int, child_of, sums: _Sums) -> None:
    """The activities that overlap the plan year and started by the day (the commune's
    ``activities.summary`` with ``year`` and ``date_to``), by owner and kind."""
    last = min(dt.date(year, 12, 31), day)
    rows = session.execute(
        select(Activity.owner_unit_id, Activity.kind, func.count(),
               func.sum(Activity.participants), func.sum(Activity.participants_women),
               func.sum(Activity.participants_ethnic))
        .where(Activity.deleted.is_(False), Activity.start_on <= last,
               func.coalesce(Activity.end_on, Activity.start_on) >= dt.date(year, 1, 1))
        .group_by(Activity.owner_unit_id, Activity.kind))
    for owner, kind, count, participants, women, ethnic in rows:
        child = child_of(owner, None)
        if child is None:
            continue
        by_kind = {ACTIVITY_FIELDS.get(kind, "activities_other"): count}
        sums.add(child, activities=count, activity_participants=participants,
                 activity_women=women, activity_ethnic=ethnic, **by_kind)


def _last_reports(session: Session, units: UnitMap, day: dt.date,
                  children: frozenset[str]) -> dict[str, dt.datetime]:
    found: dict[str, dt.datetime] = {}
    for unit, last in session.execute(
            select(SyncStreamIn.sender_unit_id, func.max(SyncStreamIn.last_applied_at))
            .where(SyncStreamIn.last_applied_at.is_not(None))
            .group_by(SyncStreamIn.sender_unit_id)):
        child = units.attribute(unit, day, children)
        if child is not None and (child not in found or last > found[child]):
            found[child] = last
    return found


def _sent_down(session: Session, lineage: frozenset[str], units: UnitMap, day: dt.date,
               children: frozenset[str]) -> dict[str, tuple[int, int]]:
    """``{child: (items sent, items acknowledged)}``: our records addressed to the child or
    to every child (acknowledged when one of its installations confirmed our journal past
    the record's latest change) and the dossier templates and handbook pages."""
    node_units = dict(session.execute(select(Node.id, Node.unit_id).where(
        Node.status == "trusted")).all())
    through: dict[str, int] = {}
    numbers: dict[str, int] = {}
    # plain rows, not ORM objects: one acknowledgement per installation of every child
    for node_id, recipient, through_seq, package_number in session.execute(select(
            SyncAck.node_id, SyncAck.recipient_unit_id, SyncAck.through_seq,
            SyncAck.package_number)):
        if node_units.get(node_id) != recipient:
            continue
        through[recipient] = max(through.get(recipient, 0), through_seq)
        numbers[recipient] = max(numbers.get(recipient, 0), package_number)
    addressed = session.execute(
        select(J.audience_unit_id, J.record_id, func.max(J.seq))
        .where(J.owner_unit_id.in_(sorted(lineage)), J.audience_unit_id.is_not(None))
        .group_by(J.audience_unit_id, J.record_id)).all()
    everyone = sorted(seq for audience, _r, seq in addressed if audience == EVERY_CHILD)
    result: dict[str, list[int]] = {child: [len(everyone), 0] for child in children}
    for child in children:
        acked = through.get(child, 0)
        result[child][1] = bisect.bisect_right(everyone, acked)
    for audience, _record, seq in addressed:
        if audience == EVERY_CHILD:
            continue
        child = audience if audience in result else units.attribute(audience, day, children)
        if child is None:
            continue
        result[child][0] += 1
        if seq <= through.get(audience, 0):
            result[child][1] += 1
    deliveries = {(reference, recipient): first for reference, recipient, first in
                  session.execute(select(ReferenceDelivery.reference_id,
                                         ReferenceDelivery.recipient_unit_id,
                                         ReferenceDelivery.first_number))}
    for ident, audience in session.execute(select(ReferenceDispatch.id,
                                                  ReferenceDispatch.audience_unit_id)):
        targets = children if audience == EVERY_CHILD else [audience]
        for target in targets:
            if target not in result:
                continue
            result[target][0] += 1
            first = deliveries.get((ident, target))
            if first is not None and numbers.get(target, 0) >= first:
                result[target][1] += 1
    return {child: (values[0], values[1]) for child, values in result.items()}


# ---------------------------------------------------------------------------- the table
BOARD_SORT_KEYS = ("name", "tasks_done", "tasks_overdue", "assigned", "allocated",
                   "disbursed", "rate", "dossiers", "difficulties", "activities", "last_report",
                   "sent")


def filter_rows(board: Board, query: dict, sort_key: str | None = None,
                descending: bool = False) -> list[BoardRow]:
    """``query``: ``text`` (name or code, diacritics ignored), ``behind`` (bool: only the
    children that are behind in some way), ``problem``: ``disbursement`` (below the
    on-track line), ``overdue`` (tasks overdue), ``report`` (never or stale),
    ``difficulties`` (unanswered)."""
    terms = search_terms(query.get("text", ""))
    problem = query.get("problem")
    rows = []
    for row in board.rows:
        if terms and not all(t in fold(row.name) or row.code.startswith(t) for t in terms):
            continue
        if query.get("behind") and row.state == NORMAL:
            continue
        if problem == "disbursement" and not row.behind:
            continue
        if problem == "overdue" and not row.tasks_overdue:
            continue
        if problem == "report" and row.report_state == CURRENT:
            continue
        if problem == "difficulties" and not row.difficulties_unanswered:
            continue
        rows.append(row)
    keys = {
        "name": lambda r: fold(r.name),
        "tasks_done": lambda r: r.tasks_done,
        "tasks_overdue": lambda r: r.tasks_overdue,
        "assigned": lambda r: r.assigned,
        "allocated": lambda r: r.allocated,
        "disbursed": lambda r: r.disbursed,
        "rate": lambda r: -1.0 if r.rate is None else r.rate,
        "dossiers": lambda r: -1.0 if r.dossier_ratio is None else r.dossier_ratio,
        "difficulties": lambda r: (r.difficulties_unanswered, r.difficulties_open),
        "activities": lambda r: (r.activities, r.activity_participants),
        "last_report": lambda r: r.last_report_at or dt.datetime.min,
        "sent": lambda r: r.unacknowledged,
    }
    key = keys.get(sort_key or "name", keys["name"])
    rows.sort(key=lambda r: (key(r), fold(r.name)), reverse=descending)
    return rows


def total_of(rows: list[BoardRow], on_track: float) -> BoardRow:
    """The total of the rows shown (after a filter)."""
    return _total(rows, on_track)


def with_on_track(row: BoardRow, on_track: float) -> BoardRow:
    return replace(row, on_track=on_track)
