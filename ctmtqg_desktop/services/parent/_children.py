"""Đơn vị cấp dưới: the child units of a parent unit, their installations and their reports.

The children are the catalog's units whose parent is this unit (or a unit of its lineage:
:mod:`reorganisation`) and that are valid on the day asked. For each: its enrollment state
(no file issued, issued, an installation set up from it), its installations with their
fingerprints, the last package received (date, number, the change it reached, age in days)
and whether it is late: never reported, or no package for more than ``parent_stale_days``
days (a declared setting). A unit that continues older ones (a merged commune) shows them,
and their installations, so that their history is seen under it.

Every figure is read with a few grouped queries, whatever the number of children.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ctmtqg_desktop.domain.text import fold, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import settings
from ctmtqg_desktop.services.collector import cycle_collector_paused
from ctmtqg_desktop.services.parent._reorganisation import UnitMap
from ctmtqg_desktop.services.sync import status_label
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import (
    SyncAck,
    SyncEnrollment,
    SyncIncoming,
    SyncPeer,
    SyncStreamIn,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

STALE_DAYS = settings.declare(
    "parent_stale_days", int, 30,
    N_("A child unit that has sent no package for this many days is shown as late"),
    minimum=1, maximum=365)

#: report states of a child unit
NEVER, STALE, CURRENT = "never", "stale", "current"
#: enrollment states
NOT_ENROLLED, ISSUED, ENROLLED = "none", "issued", "enrolled"


def report_state_label(state: str, days: int | None = None) -> str:
    if state == NEVER:
        return _("never reported")
    if state == STALE:
        return _("no package for {days} days").format(days=days)
    return _("reporting")


def enrollment_label(state: str) -> str:
    return {NOT_ENROLLED: _("no enrollment file issued"),
            ISSUED: _("enrollment file issued, no installation yet"),
            ENROLLED: _("enrolled")}.get(state, state)


@dataclass(frozen=True)
class ChildNode:
    id: uuid.UUID
    unit_id: str
    label: str
    status: str
    status_label: str
    fingerprint: str
    first_seen_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    app_version: str
    #: its packages applied here: the last number, the change it reached, when
    applied_number: int | None
    applied_through: int | None
    applied_at: dt.datetime | None
    #: our packages it has confirmed
    acknowledged_number: int | None
    acknowledged_at: dt.datetime | None

    @property
    def short_id(self) -> str:
        return str(self.id)[:8]


@dataclass(frozen=True)
class ChildUnit:
    unit_id: str
    code: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    enrollment: str
    enrollments_issued: int
    nodes: tuple[ChildNode, ...]
    #: the last package applied from the unit (or from the units it continues)
    last_package_at: dt.datetime | None
    last_package_number: int | None
    last_sequence: int | None
    packages_applied: int
    age_days: int | None
    state: str
    waiting: int
    catalog_version: int | None
    #: the units it continues (their history is shown under it)
    predecessors: tuple[str, ...]
    predecessor_names: tuple[str, ...]

    @property
    def state_label(self) -> str:
        return report_state_label(self.state, self.age_days)

    @property
    def enrollment_label(self) -> str:
        return enrollment_label(self.enrollment)

    @property
    def trusted_nodes(self) -> int:
        return sum(1 for n in self.nodes if n.status == "trusted")

    @property
    def pending_nodes(self) -> int:
        return sum(1 for n in self.nodes if n.status == "pending")

    @property
    def late(self) -> bool:
        return self.state in (NEVER, STALE)


@dataclass(frozen=True)
class ChildrenList:
    on: dt.date
    stale_days: int
    catalog_version: int
    children: tuple[ChildUnit, ...]

    @property
    def never(self) -> int:
        return sum(1 for c in self.children if c.state == NEVER)

    @property
    def stale(self) -> int:
        return sum(1 for c in self.children if c.state == STALE)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment else None


def list_children(workspace: Workspace, *, on: dt.date | None = None) -> ChildrenList:
    """Every child unit on ``on`` (default: the working date) with its state."""
    with cycle_collector_paused():
        return _list_children(workspace, on=on)


def _list_children(workspace: Workspace, *, on: dt.date | None) -> ChildrenList:
    from ctmtqg_desktop.services.catalog import loaded_catalog_version

    day = on or workspace.today()
    info = workspace.installation()
    stale_days = settings.get(workspace, STALE_DAYS)
    with UnitOfWork.read(workspace) as session:
        units = UnitMap.load(session)
        children = units.children_on(info.unit_id, day)
        predecessors = {child: units.all_predecessors(child) for child in children}
        related = set(children) | {p for found in predecessors.values() for p in found}
        # Every row of these small tables, kept when its unit is related: at the scale of a
        # province or the country an ``IN`` list of thousands of unit codes in each query
        # cost more to bind and plan than the rows it left out (docs/benchmarks.md).
        # plain columns, not ORM objects (three rows a child: 0.5 s at 3,321 children)
        nodes = [n for n in session.execute(select(
            Node.id, Node.unit_id, Node.label, Node.status, Node.fingerprint,
            Node.first_seen_at, Node.last_seen_at, Node.app_version)
            .where(Node.is_local.is_(False))) if n.unit_id in related]
        streams = {s.sender_node_id: s for s in session.execute(select(
            SyncStreamIn.sender_node_id, SyncStreamIn.sender_unit_id,
            SyncStreamIn.last_number, SyncStreamIn.applied_through,
            SyncStreamIn.last_applied_at)) if s.sender_unit_id in related}
        acks = {a.node_id: a for a in session.execute(select(
            SyncAck.node_id, SyncAck.recipient_unit_id, SyncAck.package_number,
            SyncAck.acknowledged_at)) if a.recipient_unit_id in related}
        issued = {unit: count for unit, count in session.execute(
            select(SyncEnrollment.child_unit_id, func.count())
            .where(SyncEnrollment.revoked.is_(False))
            .group_by(SyncEnrollment.child_unit_id)) if unit in related}
        applied = {unit: count for unit, count in session.execute(
            select(SyncIncoming.sender_unit_id, func.count())
            .where(SyncIncoming.status.in_(("applied", "superseded")))
            .group_by(SyncIncoming.sender_unit_id)) if unit in related}
        waiting = {unit: count for unit, count in session.execute(
            select(SyncIncoming.sender_unit_id, func.count())
            .where(SyncIncoming.status.in_(("held", "quarantined", "alert")))
            .group_by(SyncIncoming.sender_unit_id)) if unit in related}
        catalog_versions = {unit: version for unit, version in session.execute(
            select(SyncPeer.unit_id, SyncPeer.catalog_version)) if unit in related}
        catalog_version = loaded_catalog_version(session)
    by_unit: dict[str, list[ChildNode]] = {}
    labels: dict[str, str] = {}  # each status translated once
    for node in nodes:
        stream, ack = streams.get(node.id), acks.get(node.id)
        if node.status not in labels:
            labels[node.status] = status_label(node.status)
        by_unit.setdefault(node.unit_id, []).append(ChildNode(
            node.id, node.unit_id, node.label, node.status, labels[node.status],
            node.fingerprint or "", node.first_seen_at, node.last_seen_at, node.app_version,
            stream.last_number if stream else None, stream.applied_through if stream else None,
            stream.last_applied_at if stream else None,
            ack.package_number if ack else None, ack.acknowledged_at if ack else None))
    result = []
    for child in children:
        entry = units.units[child]
        family = [child, *predecessors[child]]
        child_nodes = [n for unit in family for n in _by_label(by_unit.get(unit, []))]
        latest = max((n for n in child_nodes if n.applied_at is not None),
                     key=lambda n: n.applied_at, default=None)
        trusted_own = any(n.status == "trusted" for n in by_unit.get(child, []))
        enrollment = ENROLLED if trusted_own else (ISSUED if issued.get(child) else
                                                   NOT_ENROLLED)
        age = (day - latest.applied_at.date()).days if latest else None
        if latest is None:
            state = NEVER
        elif age is not None and age > stale_days:
            state = STALE
        else:
            state = CURRENT
        result.append(ChildUnit(
            child, entry.code, units.title(child), entry.valid_from, entry.valid_to, enrollment,
            issued.get(child, 0), tuple(child_nodes),
            latest.applied_at if latest else None,
            latest.applied_number if latest else None,
            latest.applied_through if latest else None,
            sum(applied.get(unit, 0) for unit in family), age, state,
            sum(waiting.get(unit, 0) for unit in family), catalog_versions.get(child),
            tuple(predecessors[child]), tuple(units.title(p) for p in predecessors[child])))
    return ChildrenList(day, stale_days, catalog_version, tuple(result))


def _by_label(nodes: list[ChildNode]) -> list[ChildNode]:
    """A unit's installations by label (diacritics ignored), then id; most units have one,
    whose label need not be folded (3,321 folds were a fifth of the list's CPU)."""
    if len(nodes) < 2:
        return nodes
    return sorted(nodes, key=lambda n: (fold(n.label), str(n.id)))


# ---------------------------------------------------------------------------- the list
CHILD_SORT_KEYS = ("name", "code", "state", "last", "nodes", "enrollment")


def filter_children(listing: ChildrenList, query: dict, sort_key: str | None = None,
                    descending: bool = False) -> list[ChildUnit]:
    """``query``: ``text`` (name or code, diacritics ignored), ``state`` (never, stale,
    current, late = never or stale), ``enrollment``."""
    terms = search_terms(query.get("text", ""))
    rows = []
    for child in listing.children:
        if terms and not all(t in fold(child.name) or child.code.startswith(t) for t in terms):
            continue
        state = query.get("state")
        if state == "late" and not child.late:
            continue
        if state in (NEVER, STALE, CURRENT) and child.state != state:
            continue
        if query.get("enrollment") and child.enrollment != query["enrollment"]:
            continue
        rows.append(child)
    order = {NEVER: 0, STALE: 1, CURRENT: 2}
    keys = {
        "name": lambda c: fold(c.name),
        "code": lambda c: c.code,
        "state": lambda c: (order[c.state], -(c.age_days or 0)),
        "last": lambda c: c.last_package_at or dt.datetime.min,
        "nodes": lambda c: c.trusted_nodes,
        "enrollment": lambda c: c.enrollment,
    }
    rows.sort(key=lambda c: (keys.get(sort_key or "name", keys["name"])(c), fold(c.name)),
              reverse=descending)
    return rows


def package_files(paths: list[Path]) -> list[Path]:
    """The package files among ``paths``: a folder gives its ``*.ctsync`` files, by name
    (mass import of a folder the child units' files were collected in)."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files += sorted(path.glob("*.ctsync"))
        else:
            files.append(path)
    return files
