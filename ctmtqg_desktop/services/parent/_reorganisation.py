"""Sắp xếp đơn vị hành chính: which child unit a record belongs to on a date, and applying a
reorganisation to the parent's workspace.

The catalog holds every unit with its validity period and the successions (old unit →
new unit from a date; Nghị quyết 1677/NQ-UBTVQH15 for Kon Tum's communes from 01/07/2025,
Nghị quyết 202/2025/QH15 for the province). Records never change owner: the history of
three old communes stays owned by them. The parent's desk asks, for a date, *which of my
children is this owner now?*:

1. while the owner's validity ended before the date and it has a successor in force by
   then, follow the succession (Đắk La 23524 → Đăk Hà 23500@2025-07-01 from 01/07/2025);
2. then walk up the catalog's tree until a child of this unit on that date is found
   (a commune's record counts for its district on a province's board).

So a report for a period before a merge shows the old units (or their district), and one
after it shows the new unit once, its predecessors' records included. A workspace whose own
unit is succeeded (the province of Kon Tum continuing as Quảng Ngãi, 51@2025-07-01) moves
to the successor when the reorganisation is applied (:func:`apply`): from then on its
children are the successor's (the new communes), and they enroll as the new units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.catalog import unit_kind_label
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.catalog import AdminUnit, UnitSuccession
from ctmtqg_desktop.store.models.identity import Installation, Node
from ctmtqg_desktop.store.models.parent import Reorganisation
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


class ReorganisationNotDue(UserError):
    template = N_("The reorganisation into {unit} takes effect on {date}; it can be applied "
                  "from that day on (today is {today}). Nothing was changed.")


class NothingToReorganise(UserError):
    template = N_("The catalog has no reorganisation that concerns {unit} and its child "
                  "units up to {date}.")


@dataclass(frozen=True)
class UnitEntry:
    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_to is None or day <= self.valid_to)

    @property
    def title(self) -> str:
        label = unit_kind_label(self.kind)
        return f"{label[:1].upper()}{label[1:]} {self.name}"


@dataclass
class UnitMap:
    """The catalog's units and successions, read once for a board or a report."""

    units: dict[str, UnitEntry]
    #: old unit → (new unit, effective date)
    successor: dict[str, tuple[str, dt.date]]
    #: new unit → its old units
    predecessors: dict[str, list[str]]
    _cache: dict = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> UnitMap:
        # plain columns, not ORM objects: a country's catalog has over ten thousand units
        units = {row[0]: UnitEntry(*row) for row in session.execute(select(
            AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.kind, AdminUnit.parent_id,
            AdminUnit.valid_from, AdminUnit.valid_to))}
        successor: dict[str, tuple[str, dt.date]] = {}
        predecessors: dict[str, list[str]] = {}
        for row in session.scalars(select(UnitSuccession).order_by(UnitSuccession.old_unit_id,
                                                                   UnitSuccession.new_unit_id)):
            if row.old_unit_id == row.new_unit_id:
                continue
            # one old unit split among several new ones: its history follows the first
            successor.setdefault(row.old_unit_id, (row.new_unit_id, row.effective_on))
            predecessors.setdefault(row.new_unit_id, []).append(row.old_unit_id)
        return cls(units, successor, predecessors)

    def title(self, unit_id: str, kind: str | None = None) -> str:
        """:attr:`UnitEntry.title` (``kind``: the unit's kind on a day, when it changed),
        each kind's label translated once per map, not once per unit (issue 17: a
        ``pgettext`` of every kind for each of 3,321 children took 0.4 s)."""
        entry = self.units.get(unit_id)
        if entry is None:
            return unit_id
        kind = kind or entry.kind
        label = self._cache.get(("kind label", kind))
        if label is None:
            label = unit_kind_label(kind)
            label = self._cache[("kind label", kind)] = f"{label[:1].upper()}{label[1:]}"
        return f"{label} {entry.name}"

    # -- lineage ------------------------------------------------------------------------
    def lineage(self, unit_id: str) -> frozenset[str]:
        """The unit, the units it continues and the units that continue it — not the other
        units merged into the same successor: tỉnh Kon Tum (62) and tỉnh Quảng Ngãi (51) both
        continue as 51@2025-07-01, yet Kon Tum's 2024 board has none of Quảng Ngãi's
        districts."""
        found = {unit_id, *self.all_predecessors(unit_id)}
        current = unit_id
        while current in self.successor:
            current = self.successor[current][0]
            if current in found:
                break
            found.add(current)
        return frozenset(found)

    def all_predecessors(self, unit_id: str) -> list[str]:
        """Every unit ``unit_id`` continues, directly or through earlier reorganisations."""
        found: list[str] = []
        pending = list(self.predecessors.get(unit_id, ()))
        while pending:
            current = pending.pop(0)
            if current not in found and current != unit_id:
                found.append(current)
                pending.extend(self.predecessors.get(current, ()))
        return found

    def current(self, unit_id: str, day: dt.date) -> str:
        """The unit that carries ``unit_id``'s history on ``day`` (step 1 of the module)."""
        steps = 0
        while steps < 16:
            entry = self.units.get(unit_id)
            follow = self.successor.get(unit_id)
            if entry is None or follow is None or entry.valid_to is None or \
                    entry.valid_to >= day or follow[1] > day:
                return unit_id
            unit_id, steps = follow[0], steps + 1
        return unit_id

    # -- children -----------------------------------------------------------------------
    def children_on(self, parent_id: str, day: dt.date) -> list[str]:
        """Units valid on ``day`` whose parent is ``parent_id`` or a unit of its lineage."""
        parents = self.lineage(parent_id)
        found = [u for u in self.units.values()
                 if u.parent_id in parents and u.valid_on(day)]
        return [u.id for u in sorted(found, key=lambda u: (fold(u.name), u.id))]

    def attribute(self, owner: str, day: dt.date, children: frozenset[str]) -> str | None:
        """The child (among ``children``) that ``owner``'s records count for on ``day``."""
        key = (owner, day, children)
        if key in self._cache:
            return self._cache[key]
        unit: str | None = self.current(owner, day)
        found, steps = None, 0
        while unit is not None and steps < 16:
            if unit in children:
                found = unit
                break
            entry = self.units.get(unit)
            unit = entry.parent_id if entry else None
            if unit is not None:
                unit = self.current(unit, day)
            steps += 1
        self._cache[key] = found
        return found

    def owners_of(self, child: str, day: dt.date, owners: set[str],
                  children: frozenset[str]) -> list[str]:
        return [o for o in owners if self.attribute(o, day, children) == child]


def unit_map(workspace: Workspace) -> UnitMap:
    with UnitOfWork.read(workspace) as session:
        return UnitMap.load(session)


# ---------------------------------------------------------------------------- applying
@dataclass(frozen=True)
class PendingReorganisation:
    """A reorganisation of the catalog that concerns this workspace: old units that continue
    as ``new_unit_id`` from ``effective_on``."""

    new_unit_id: str
    new_unit_name: str
    old_unit_ids: tuple[str, ...]
    old_unit_names: tuple[str, ...]
    effective_on: dt.date
    legal_basis: str
    #: this workspace's own unit is among the old ones: applying it moves the workspace
    moves_workspace: bool
    applied: bool
    applied_at: dt.datetime | None


def reorganisations(workspace: Workspace) -> list[PendingReorganisation]:
    """The catalog's reorganisations of this unit and of its child units (applied or not),
    the earliest first."""
    info = workspace.installation()
    with UnitOfWork.read(workspace) as session:
        units = UnitMap.load(session)
        applied = {row.new_unit_id: row for row in session.scalars(select(Reorganisation))}
        rows = list(session.scalars(select(UnitSuccession)))
    lineage = units.lineage(info.unit_id)
    children = {u.id for u in units.units.values() if u.parent_id in lineage}
    groups: dict[str, list[UnitSuccession]] = {}
    for row in rows:
        if row.old_unit_id in children or row.new_unit_id in children or \
                row.old_unit_id in lineage:
            groups.setdefault(row.new_unit_id, []).append(row)
    result = []
    for new_unit, members in groups.items():
        old = tuple(sorted(m.old_unit_id for m in members))
        done = applied.get(new_unit)
        result.append(PendingReorganisation(
            new_unit, units.title(new_unit), old, tuple(units.title(u) for u in old),
            min(m.effective_on for m in members), members[0].legal_basis,
            info.unit_id in old, done is not None, done.applied_at if done else None))
    return sorted(result, key=lambda r: (r.effective_on, r.new_unit_name))


@dataclass(frozen=True)
class AppliedReorganisation:
    applied: tuple[PendingReorganisation, ...]
    moved_from: str | None
    moved_to: str | None


def apply(workspace: Workspace, *, on: dt.date | None = None) -> AppliedReorganisation:
    """Apply every reorganisation in force by ``on`` (default: today) that concerns this
    workspace and is not applied yet, in one unit of work.

    Each is noted (the children page shows the old units as continued by the new one); when
    this workspace's own unit is among the old units it moves to the successor: the
    installation and this computer's node serve the new unit from now on (its keys stay the
    same), its children are the new unit's, and records written before keep the old unit as
    their owner."""
    day = on or workspace.today()
    info = workspace.installation()
    due = [r for r in reorganisations(workspace) if not r.applied]
    if not due:
        raise NothingToReorganise(unit=_unit_title(workspace, info.unit_id),
                                  date=format_date(day))
    early = [r for r in due if r.effective_on > day]
    if early and len(early) == len(due):
        first = early[0]
        raise ReorganisationNotDue(unit=first.new_unit_name, date=format_date(
            first.effective_on), today=format_date(day))
    ready = [r for r in due if r.effective_on <= day]
    moved_to = None
    with UnitOfWork(workspace) as uow:
        session = uow.session
        now = utc_now()
        for item in ready:
            moves = item.moves_workspace
            session.add(Reorganisation(
                new_unit_id=item.new_unit_id, old_unit_ids="\n".join(item.old_unit_ids),
                effective_on=item.effective_on, legal_basis=item.legal_basis, applied_at=now,
                moved_from_unit_id=info.unit_id if moves else None))
            if moves:
                moved_to = item.new_unit_id
        if moved_to is not None:
            session.execute(update(Installation).where(Installation.id == 1)
                            .values(unit_id=moved_to))
            session.execute(update(Node).where(Node.id == info.node_id)
                            .values(unit_id=moved_to))
        uow.commit()
    workspace.installation(refresh=True)
    return AppliedReorganisation(tuple(ready), info.unit_id if moved_to else None, moved_to)


def _unit_title(workspace: Workspace, unit_id: str) -> str:
    return unit_map(workspace).title(unit_id)
