"""Điều chỉnh kế hoạch vốn: the what-if that moves unspent capital from stalled or
low-priority projects to high-priority ones, revised by the officer and applied once a
decision approves it."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import select

from ctmtqg_desktop.domain import capital as capital_rules_domain
from ctmtqg_desktop.domain.errors import BadArgument, RecordNotFound
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital
from ctmtqg_desktop.services.projects._portfolio import PortfolioRow, get_weights, portfolio
from ctmtqg_desktop.store.models.capital import CapitalAllocation
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


# ---------------------------------------------------------------------------- what-if
@dataclass(frozen=True)
class Move:
    """Move ``amount`` of a line's capital from a project (or the line's unallocated
    remainder, ``from_project_id`` None) to another project."""

    line_id: uuid.UUID
    line_label: str
    from_project_id: uuid.UUID | None
    from_name: str
    to_project_id: uuid.UUID
    to_name: str
    amount: int
    #: most that can leave the donor / the receiver still needs, when proposed
    available: int
    need: int
    from_reason: str
    to_reason: str


@dataclass(frozen=True)
class ProjectChange:
    project_id: uuid.UUID
    name: str
    program_label: str
    rank: int | None
    before: int
    decrease: int
    increase: int
    reason: str

    @property
    def after(self) -> int:
        return self.before - self.decrease + self.increase


@dataclass(frozen=True)
class AdjustmentPlan:
    year: int
    weights: dict
    moves: tuple[Move, ...]
    changes: tuple[ProjectChange, ...]
    #: the unallocated remainder moved, by line label
    from_unallocated: int

    @property
    def total(self) -> int:
        return sum(m.amount for m in self.moves)


def _donor_reason(row: PortfolioRow) -> str:
    if row.stalled:
        return _("Slow disbursement: {reason}").format(reason=row.stalled_reason)
    return _("Low priority (rank {rank} of {count}).").format(rank=str(row.rank),
                                                               count=str(row.ranked_count))


def _receiver_reason(row: PortfolioRow) -> str:
    return _("High priority (rank {rank} of {count}), still needs capital.").format(
        rank=str(row.rank), count=str(row.ranked_count))


def propose_adjustment(workspace: Workspace, year: int | None = None, *,
                       weights: dict[str, int] | None = None) -> AdjustmentPlan:
    """The what-if: unspent capital of stalled or low-ranked projects (and each line's
    unallocated remainder) moved to the high-ranked projects that need it, line by line."""
    today = workspace.today()
    year = year or today.year
    rows = portfolio(workspace, year=year, weights=weights)
    by_id = {r.id: r for r in rows}
    ranked = [r for r in rows if r.rank is not None]
    half = math.ceil(len(ranked) / 2)
    lines = [line for line in capital.list_lines(workspace, year=year) if today <= line.deadline]
    allocations = capital.allocations(workspace, year=year)
    need_left: dict[tuple[uuid.UUID, str], int] = {}
    for row in ranked:
        for source, planned in row.funding.items():
            need_left[(row.id, source)] = max(0, planned - row.allocated_by_source.get(source, 0))
    moves: list[Move] = []
    unallocated_total = 0
    for line in lines:
        donors: list[tuple[int, uuid.UUID | None, str, int, str]] = []
        if line.figures.unallocated > 0:
            donors.append((0, None, _("Unallocated capital of the line"),
                           line.figures.unallocated, _("Capital not yet allocated in detail.")))
        for allocation in allocations:
            row = by_id.get(allocation.project_id)
            if allocation.line_id != line.id or row is None or row.rank is None:
                continue
            movable = allocation.undisbursed
            if movable <= 0 or not (row.stalled or row.rank > half):
                continue
            order = 1 if row.stalled else 2
            donors.append((order * 10000 - row.rank, row.id, row.name, movable,
                           _donor_reason(row)))
        donors.sort(key=lambda d: d[0])
        receivers = [r for r in ranked if r.rank <= half and not r.stalled
                     and not r.overlaps_open and r.program_id == line.program_id
                     and need_left.get((r.id, line.source), 0) > 0]
        remaining = [list(d) for d in donors]
        for receiver in receivers:
            key = (receiver.id, line.source)
            for donor in remaining:
                if need_left[key] <= 0:
                    break
                if donor[3] <= 0 or donor[1] == receiver.id:
                    continue
                amount = min(donor[3], need_left[key])
                moves.append(Move(line.id, line.label, donor[1], donor[2], receiver.id,
                                  receiver.name, amount, donor[3], need_left[key], donor[4],
                                  _receiver_reason(receiver)))
                if donor[1] is None:
                    unallocated_total += amount
                donor[3] -= amount
                need_left[key] -= amount
    return _plan(workspace, year, rows, moves, weights or get_weights(workspace))


def _plan(workspace: Workspace, year: int, rows: list[PortfolioRow], moves: list[Move],
          weights: dict) -> AdjustmentPlan:
    by_id = {r.id: r for r in rows}
    before: dict[uuid.UUID, int] = {r.id: r.allocated_year for r in rows}
    changes: dict[uuid.UUID, dict] = {}
    reasons: dict[uuid.UUID, str] = {}
    for move in moves:
        if move.from_project_id is not None:
            entry = changes.setdefault(move.from_project_id, {"decrease": 0, "increase": 0})
            entry["decrease"] += move.amount
            reasons[move.from_project_id] = move.from_reason
        entry = changes.setdefault(move.to_project_id, {"decrease": 0, "increase": 0})
        entry["increase"] += move.amount
        reasons[move.to_project_id] = move.to_reason
    result = []
    for pid, entry in changes.items():
        row = by_id[pid]
        result.append(ProjectChange(pid, row.name, row.program_label, row.rank,
                                    before.get(pid, 0), entry["decrease"], entry["increase"],
                                    reasons.get(pid, "")))
    result.sort(key=lambda c: (c.increase == 0, c.rank or 10**6, fold(c.name)))
    return AdjustmentPlan(year, dict(weights), tuple(moves), tuple(result),
                          sum(m.amount for m in moves if m.from_project_id is None))


def revise_plan(workspace: Workspace, plan: AdjustmentPlan, amounts: list[int]) -> AdjustmentPlan:
    """The plan with the user's amounts (0 drops a move); each donor's total is checked
    against what it can give (its undisbursed allocation, or the unallocated remainder)."""
    if len(amounts) != len(plan.moves):
        raise BadArgument(detail=_("The adjustment changed meanwhile; propose it again."))
    rows = portfolio(workspace, year=plan.year, weights=plan.weights)
    lines = {line.id: line for line in capital.list_lines(workspace, year=plan.year)}
    allocations = capital.allocations(workspace, year=plan.year)
    used: dict[tuple[uuid.UUID, uuid.UUID | None], int] = {}
    moves = []
    for move, amount in zip(plan.moves, amounts):
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise BadArgument(detail=_("An amount cannot be negative."))
        if amount == 0:
            continue
        key = (move.line_id, move.from_project_id)
        used[key] = used.get(key, 0) + amount
        line = lines.get(move.line_id)
        if line is None:
            raise RecordNotFound(kind=_("Capital plan line"), ident=str(move.line_id))
        if move.from_project_id is None:
            available = line.figures.unallocated
        else:
            available = sum(a.undisbursed for a in allocations
                            if a.line_id == move.line_id and a.project_id == move.from_project_id)
        if used[key] > available:
            raise BadArgument(detail=_(
                "{donor} can give at most {available} đồng of the line “{line}”; the "
                "adjustment takes {taken} đồng, {excess} đồng too much.").format(
                donor=move.from_name, available=format_number(available), line=move.line_label,
                taken=format_number(used[key]), excess=format_number(used[key] - available)))
        moves.append(replace(move, amount=amount))
    return _plan(workspace, plan.year, rows, moves, plan.weights)


def apply_adjustment(workspace: Workspace, plan: AdjustmentPlan, *, decision_number: str,
                     decision_date: dt.date) -> int:
    """Record an approved adjustment: allocations reduced and added in one unit of work, every
    invariant checked (all moves or none). Returns the number of moves applied."""
    decision_number = normalize(decision_number)
    if not decision_number:
        raise BadArgument(detail=_("Write the number of the decision that approved the "
                                   "adjustment."))
    note = _("Adjusted by decision {number} of {date}.").format(
        number=decision_number, date=format_date(decision_date))
    with UnitOfWork(workspace) as uow:
        session = uow.session
        names = capital.catalog_names(session)
        unit_id = uow.context.unit_id
        for move in plan.moves:
            if move.from_project_id is None:
                continue
            left = move.amount
            rows = session.scalars(select(CapitalAllocation).where(
                CapitalAllocation.line_id == move.line_id,
                CapitalAllocation.project_id == move.from_project_id,
                CapitalAllocation.deleted.is_(False))).all()
            for row in rows:
                if left <= 0:
                    break
                paid = capital.paid_total(session, row.id)
                cut = min(left, row.amount - paid)
                if cut <= 0:
                    continue
                capital.allocate_in_session(session, unit_id, names, line_id=move.line_id,
                                            project_id=row.project_id, amount=row.amount - cut,
                                            allocation_id=row.id,
                                            decision_number=row.decision_number,
                                            decision_date=row.decision_date,
                                            note=(row.note + " " + note).strip())
                left -= cut
            if left > 0:
                project = session.get(Project, move.from_project_id)
                raise capital_rules_domain.AllocationBelowDisbursed(
                    line=move.line_label, project=project.name if project else "",
                    allocated=move.amount - left, disbursed=move.amount, excess=left)
            session.flush()
        increases: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
        for move in plan.moves:
            key = (move.line_id, move.to_project_id)
            increases[key] = increases.get(key, 0) + move.amount
        for (line_id, project_id), amount in increases.items():
            capital.allocate_in_session(session, unit_id, names, line_id=line_id,
                                        project_id=project_id, amount=amount,
                                        decision_number=decision_number,
                                        decision_date=decision_date, note=note)
            session.flush()
        uow.commit()
    return len(plan.moves)
