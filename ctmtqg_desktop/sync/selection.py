"""What goes in a package for a recipient unit: a query over the change journal.

Export never diffs tables; it reads the journal in sequence order, a page at a time:

* **up** (to the parent unit): every change of a record owned by this unit or a unit below
  it, i.e. every record not owned by one of our ancestors (a parent's records came down
  to us and stay here);
* **down** (to child unit X): this unit's records addressed to X or to every child, X's
  own records (written by X's other installations and relayed here), and the records our
  ancestors addressed to every unit below them (``*``: a province's counterpart-ratio rules
  reach the communes through their district).

Then, per installation of the recipient unit that we know (``Floor``): changes after what
it has acknowledged, except the ones that came *from* it (their journal range was recorded
when its package was applied here), so that nothing echoes back. A change is included if
any recipient installation still needs it; with no installation known yet, everything is.

Each change also carries its *base*: the version the record had, for its author, before
the change (None for a new record). Remote changes keep the base they arrived with; for
local ones it is the previous version in our journal. Receivers use it to tell a concurrent
edit (a conflict to keep) from a later one.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.store.base import EVERY_CHILD
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry as J

UP = "up"
DOWN = "down"
PAGE = 2000


@dataclass(frozen=True)
class Floor:
    """One recipient installation: what it acknowledged and which of our journal ranges
    came from it."""

    node_id: uuid.UUID
    through: int
    ranges: tuple[tuple[int, int], ...] = ()
    _starts: tuple[int, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def make(cls, node_id: uuid.UUID, through: int,
             ranges: list[tuple[int, int]]) -> Floor:
        ordered = tuple(sorted(ranges))
        return cls(node_id, through, ordered, tuple(r[0] for r in ordered))

    def came_from(self, seq: int) -> bool:
        index = bisect.bisect_right(self._starts, seq) - 1
        return index >= 0 and self.ranges[index][0] <= seq <= self.ranges[index][1]

    def wants(self, seq: int) -> bool:
        return seq > self.through and not self.came_from(seq)


@dataclass(frozen=True)
class Selection:
    direction: str
    local_unit: str
    local_node: uuid.UUID
    recipient_unit: str
    #: up: the owners whose records never go up (our ancestors)
    excluded_owners: frozenset[str] = frozenset()
    floors: tuple[Floor, ...] = ()
    #: down: our ancestors, whose records addressed to every child (``*``) we relay
    relayed_owners: frozenset[str] = frozenset()

    @property
    def start(self) -> int:
        """The first journal sequence any recipient installation may still need."""
        return min((f.through for f in self.floors), default=0) + 1

    def where(self) -> ColumnElement[bool]:
        if self.direction == UP:
            if not self.excluded_owners:
                return J.seq.is_not(None)
            return J.owner_unit_id.not_in(sorted(self.excluded_owners))
        down = [and_(J.owner_unit_id == self.local_unit,
                     J.audience_unit_id.in_([self.recipient_unit, EVERY_CHILD])),
                J.owner_unit_id == self.recipient_unit]
        if self.relayed_owners:
            down.append(and_(J.owner_unit_id.in_(sorted(self.relayed_owners)),
                             J.audience_unit_id == EVERY_CHILD))
        return or_(*down)

    def wants(self, seq: int) -> bool:
        return not self.floors or any(f.wants(seq) for f in self.floors)

    def wants_every(self) -> bool:
        """Whether every change from :attr:`start` on is wanted, so that no change needs
        :meth:`wants` (the usual case: the installation with the lowest receipt sent none of
        the changes after it)."""
        if not self.floors:
            return True
        first = self.start
        return any(f.through < first and all(last <= f.through for _first, last in f.ranges)
                   for f in self.floors)

    def wanted(self) -> ColumnElement[bool]:
        """:meth:`wants` as a SQL condition, so that counting what a recipient still needs
        is one query (a parent with a hundred children asks it for each of them).

        Only the journal ranges above a floor's acknowledgement matter; there are few of
        them (the packages received since the recipient's last receipt)."""
        if not self.floors:
            return J.seq.is_not(None)
        options = []
        for floor in self.floors:
            condition = [J.seq > floor.through]
            for first, last in floor.ranges:
                if last > floor.through:
                    condition.append(~J.seq.between(first, last))
            options.append(and_(*condition))
        return or_(*options)


@dataclass(frozen=True)
class OutgoingChange:
    """One journal row as the export writes it. ``record_id`` and ``origin_node_id`` are
    the ids as 32 lower-case hex digits, read as text by the database (:func:`_id_text`):
    the export only compares them with each other, and an export of 100,000 changes spent a
    second making ``uuid.UUID`` objects of them (issue 17); :func:`as_uuid` makes one."""

    seq: int
    table: str
    record_id: str
    operation: str
    version: str
    origin_node_id: str
    owner_unit_id: str
    payload: str
    base: str | None
    #: the journal row's check mark (``store.journal``), None when it has none
    checked: str | None = None

    def line(self) -> bytes:
        """The change as one canonical JSON line (the payload is already canonical)."""
        base = "null" if self.base is None else '"' + self.base + '"'
        return ('{"base":' + base + ',"op":"' + self.operation + '","record":' + self.payload
                + ',"seq":' + str(self.seq) + ',"table":"' + self.table + '"}\n').encode("utf-8")


def as_uuid(text: str) -> uuid.UUID:
    """An id as :class:`OutgoingChange` holds it, as a UUID."""
    return uuid.UUID(text)


def _id_text(column: Any) -> ColumnElement[str]:
    """An id column as 32 lower-case hex digits, whatever form the database keeps it in
    (SQLite: the hex text SQLAlchemy writes; PostgreSQL: ``uuid``, read as canonical text)."""
    return func.lower(func.replace(cast(column, String), "-", ""), type_=String)


#: the ids as text, not UUID objects; the other columns have no result processing: plain
#: rows, read through the connection (no ORM rows)
_COLUMNS = (J.seq, J.table_name, _id_text(J.record_id), J.operation, J.version,
            _id_text(J.origin_node_id), J.owner_unit_id, J.payload, J.base_version, J.checked)


def count_candidates(session: Session, selection: Selection, last: int) -> int:
    return session.execute(select(func.count()).select_from(J).where(
        J.seq >= selection.start, J.seq <= last, selection.where())).scalar() or 0


def iter_outgoing(session: Session, selection: Selection, last: int, *,
                  page: int = PAGE) -> Iterator[list[OutgoingChange]]:
    """Pages of the changes the recipient still needs, in journal order, up to ``last``."""
    after = selection.start - 1
    connection = session.connection()
    local = selection.local_node.hex
    every = selection.wants_every()
    where = selection.where()
    while True:
        rows = connection.execute(select(*_COLUMNS).where(
            J.seq > after, J.seq <= last, where).order_by(J.seq).limit(page)).all()
        if not rows:
            return
        after = rows[-1][0]
        needing = {row[2] for row in rows if row[5] == local and row[3] != "insert"}
        current: dict[str, str] = {}
        if needing:
            current.update(connection.execute(
                select(_id_text(J.record_id), func.max(J.version))
                .where(J.record_id.in_([as_uuid(i) for i in needing]), J.seq < rows[0][0])
                .group_by(J.record_id)).all())
        chosen = []
        for seq, table, record_id, operation, version, origin, owner, payload, base, \
                checked in rows:
            if origin == local:
                base = None if operation == "insert" else current.get(record_id)
            current[record_id] = version
            if every or selection.wants(seq):
                chosen.append(OutgoingChange(seq, table, record_id, operation, version,
                                             origin, owner, payload, base, checked))
        yield chosen
