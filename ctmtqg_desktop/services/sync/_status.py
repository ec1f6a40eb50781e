"""What the synchronisation area shows: peers and what they acknowledged, the history of
packages, packages waiting in the inbox, and values overridden by a newer edit.

Plain data for ``ctmtqg sync status|history|conflicts`` and the sync page; every growing
list (history, conflicts) is read as ids first and rows on demand.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import area
from ctmtqg_desktop.services.collector import cycle_collector_paused
from ctmtqg_desktop.services.sync._export import (
    PendingSummary,
    pending_many,
    recipients,
    table_labels,
)
from ctmtqg_desktop.services.sync._nodes import NodeInfo, list_nodes, local_keys, unit_title
from ctmtqg_desktop.services.sync._received import inbox_dir, outcome_label
from ctmtqg_desktop.store.base import SYNC_METADATA_COLUMNS
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncConflict, SyncEvent, SyncIncoming
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.selection import DOWN, UP


@dataclass(frozen=True)
class PeerStatus:
    unit_id: str
    unit_name: str
    relation: str
    pending: PendingSummary
    nodes: tuple[NodeInfo, ...]
    waiting: int


@dataclass(frozen=True)
class SyncStatus:
    local: NodeInfo
    peers: tuple[PeerStatus, ...]
    pending_nodes: tuple[NodeInfo, ...]
    waiting: dict[str, int]
    newer_waiting: int
    conflicts_unreviewed: int


def status(workspace: Workspace) -> SyncStatus:
    """Every peer: what is still to send, and what came from it (one grouped count for
    every child)."""
    with cycle_collector_paused():
        return _status(workspace)


def _status(workspace: Workspace) -> SyncStatus:
    local_keys(workspace)  # as local_node: refuses a workspace without its keys
    nodes = list_nodes(workspace)  # read once (local_node would read every one again)
    local = next(n for n in nodes if n.is_local)
    peers = []
    with UnitOfWork.read(workspace) as session:
        waiting_by_unit = dict(session.execute(
            select(SyncIncoming.sender_unit_id, func.count())
            .where(SyncIncoming.status.in_(("held", "quarantined", "alert")))
            .group_by(SyncIncoming.sender_unit_id)).all())
        waiting = dict(session.execute(
            select(SyncIncoming.status, func.count())
            .where(SyncIncoming.status.in_(("held", "quarantined", "alert")))
            .group_by(SyncIncoming.status)).all())
        unreviewed = session.execute(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.reviewed.is_(False))).scalar()
    choices = recipients(workspace)
    # one session, every count in SQL: a parent unit has up to a hundred children
    summaries = pending_many(workspace, [(c.unit_id, UP if c.relation == "parent" else DOWN)
                                         for c in choices],
                             {c.unit_id: c.unit_name for c in choices})  # titles read once
    by_unit: dict[str, list[NodeInfo]] = {}
    for node in nodes:
        if not node.is_local:
            by_unit.setdefault(node.unit_id, []).append(node)
    for choice, summary in zip(choices, summaries):
        peers.append(PeerStatus(
            choice.unit_id, choice.unit_name, choice.relation, summary,
            tuple(by_unit.get(choice.unit_id, ())), waiting_by_unit.get(choice.unit_id, 0)))
    newer = inbox_dir(workspace) / "newer"
    return SyncStatus(local, tuple(peers),
                      tuple(n for n in nodes if n.status == "pending"), waiting,
                      len(list(newer.glob("*.ctsync"))) if newer.is_dir() else 0, unreviewed)


# ---------------------------------------------------------------------------- history
@dataclass(frozen=True)
class HistoryRow:
    id: int
    at: dt.datetime
    kind: str
    kind_label: str
    outcome: str
    outcome_label: str
    file_name: str
    peer_name: str
    package_number: int | None
    message: str

    @property
    def problem(self) -> bool:
        return self.outcome in ("rejected", "alert")

    @property
    def waiting(self) -> bool:
        return self.outcome in ("held", "quarantined", "newer")


KIND_LABELS = {
    "import": lambda: _("received"),
    "export": lambda: _("sent"),
    "node": lambda: _("installation"),
    "enrollment": lambda: _("enrollment"),
}
EVENT_OUTCOMES = {
    "exported": lambda: _("package written"),
    "accepted": lambda: _("accepted"),
    "revoked": lambda: _("revoked"),
    "issued": lambda: _("issued"),
    "enrolled": lambda: _("set up"),
}
HISTORY_SORT = {"at": SyncEvent.id, "kind": SyncEvent.kind, "outcome": SyncEvent.outcome,
                "file": SyncEvent.file_name}


def event_outcome_label(outcome: str) -> str:
    if outcome in EVENT_OUTCOMES:
        return EVENT_OUTCOMES[outcome]()
    return outcome_label(outcome)


def history_ids(workspace: Workspace, query: dict, sort_key: str | None = None,
                descending: bool = True) -> list[int]:
    """Event ids, newest first by default; ``query``: ``kind``, ``problems`` (bool),
    ``file`` (part of the file name, any case)."""
    column = HISTORY_SORT.get(sort_key or "at", SyncEvent.id)
    statement = select(SyncEvent.id).order_by(column.desc() if descending else column.asc(),
                                              SyncEvent.id.desc())
    if query.get("kind"):
        statement = statement.where(SyncEvent.kind == query["kind"])
    if query.get("problems"):
        statement = statement.where(SyncEvent.outcome.in_(
            ("rejected", "alert", "held", "quarantined", "newer")))
    if query.get("file"):
        pattern = "%" + query["file"].lower().replace("%", "").replace("_", "") + "%"
        statement = statement.where(func.lower(SyncEvent.file_name).like(pattern))
    with UnitOfWork.read(workspace) as session:
        return list(session.scalars(statement))


def history_rows(workspace: Workspace, ids: list[int]) -> dict[int, HistoryRow]:
    with UnitOfWork.read(workspace) as session:
        events = list(session.scalars(select(SyncEvent).where(SyncEvent.id.in_(ids))))
    names: dict[str, str] = {}
    rows = {}
    for event in events:
        peer = ""
        if event.peer_unit_id:
            if event.peer_unit_id not in names:
                names[event.peer_unit_id] = unit_title(workspace, event.peer_unit_id)
            peer = names[event.peer_unit_id]
        rows[event.id] = HistoryRow(
            event.id, event.at, event.kind,
            KIND_LABELS[event.kind]() if event.kind in KIND_LABELS else event.kind,
            event.outcome, event_outcome_label(event.outcome), event.file_name, peer,
            event.package_number, event.message)
    return rows


def history(workspace: Workspace, limit: int = 50) -> list[HistoryRow]:
    ids = history_ids(workspace, {})[:limit]
    rows = history_rows(workspace, ids)
    return [rows[i] for i in ids]


# ---------------------------------------------------------------------------- waiting
@dataclass(frozen=True)
class WaitingPackage:
    sha256: str
    file_name: str
    status: str
    status_label: str
    sender_name: str
    number: int
    received_at: dt.datetime
    reason: str
    sender_node_id: uuid.UUID


def waiting_packages(workspace: Workspace) -> list[WaitingPackage]:
    with UnitOfWork.read(workspace) as session:
        rows = list(session.scalars(select(SyncIncoming).where(
            SyncIncoming.status.in_(("held", "quarantined", "alert")))
            .order_by(SyncIncoming.received_at)))
    return [WaitingPackage(r.sha256, r.file_name, r.status, outcome_label(r.status),
                           unit_title(workspace, r.sender_unit_id), r.number, r.received_at,
                           r.reason, r.sender_node_id) for r in rows]


# ---------------------------------------------------------------------------- conflicts
@dataclass(frozen=True)
class FieldChange:
    field: str
    kept: str
    overridden: str


@dataclass(frozen=True)
class ConflictRow:
    id: int
    table_label: str
    record_id: uuid.UUID
    summary: str
    detected_at: dt.datetime
    kept_by: str
    overridden_by: str
    reviewed: bool
    fields: tuple[FieldChange, ...]


_SUMMARY_FIELDS = ("name", "title", "text", "number", "code", "original_name")
#: what the user calls the common columns; an area may set ``info={"label": N_(...)}`` on its
#: own columns instead
FIELD_LABELS = {
    "name": N_("Name"), "deleted": N_("Deleted"), "households": N_("Households"),
    "population": N_("Population"), "ethnic_groups": N_("Ethnic groups"),
    "extremely_disadvantaged": N_("Extremely disadvantaged village"),
    "sort_order": N_("Order"), "description": N_("Description"), "stage": N_("Stage"),
    "physical_progress": N_("Physical progress (%)"), "location": N_("Location"),
    "investor": N_("Investor"), "caption": N_("Caption"), "audience_unit_id": N_("Addressed to"),
}
CONFLICT_SORT = {"detected": SyncConflict.id, "table": SyncConflict.table_name}


def conflict_ids(workspace: Workspace, query: dict, sort_key: str | None = None,
                 descending: bool = True) -> list[int]:
    column = CONFLICT_SORT.get(sort_key or "detected", SyncConflict.id)
    statement = select(SyncConflict.id).order_by(column.desc() if descending else column.asc(),
                                                 SyncConflict.id.desc())
    if query.get("unreviewed"):
        statement = statement.where(SyncConflict.reviewed.is_(False))
    with UnitOfWork.read(workspace) as session:
        return list(session.scalars(statement))


def field_label(table_name: str, column_name: str) -> str:
    model = next((m for m in area.synced_records() if m.__tablename__ == table_name), None)
    if model is not None and column_name in model.__table__.c:
        label = model.__table__.c[column_name].info.get("label")
        if label:
            return _(label)
    return _(FIELD_LABELS[column_name]) if column_name in FIELD_LABELS else column_name


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        from ctmtqg_desktop.domain.formats import format_number

        return format_number(value)
    return str(value)


def conflict_rows(workspace: Workspace, ids: list[int]) -> dict[int, ConflictRow]:
    labels = table_labels()
    with UnitOfWork.read(workspace) as session:
        conflicts = list(session.scalars(select(SyncConflict).where(SyncConflict.id.in_(ids))))
        nodes = {n.id: n for n in session.scalars(select(Node).where(Node.id.in_(
            {c.kept_node_id for c in conflicts} | {c.overridden_node_id for c in conflicts})))}

    def author(node_id: uuid.UUID) -> str:
        node = nodes.get(node_id)
        if node is None:
            return str(node_id)[:8]
        label = node.label or str(node_id)[:8]
        return _("{label} (this computer)").format(label=label) if node.is_local else label

    rows = {}
    for conflict in conflicts:
        kept, lost = json.loads(conflict.kept_payload), json.loads(conflict.overridden_payload)
        fields = tuple(FieldChange(field_label(conflict.table_name, key),
                                   _shown(kept.get(key)), _shown(lost.get(key)))
                       for key in sorted(set(kept) | set(lost))
                       if key not in SYNC_METADATA_COLUMNS and kept.get(key) != lost.get(key))
        summary = next((str(kept[f]) for f in _SUMMARY_FIELDS if kept.get(f)),
                       str(conflict.record_id)[:8])
        rows[conflict.id] = ConflictRow(
            conflict.id, labels.get(conflict.table_name, conflict.table_name),
            conflict.record_id, summary, conflict.detected_at, author(conflict.kept_node_id),
            author(conflict.overridden_node_id), conflict.reviewed, fields)
    return rows


def conflicts(workspace: Workspace) -> list[ConflictRow]:
    ids = conflict_ids(workspace, {})
    rows = conflict_rows(workspace, ids)
    return [rows[i] for i in ids]


def mark_reviewed(workspace: Workspace, conflict_id: int) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, SyncConflict, conflict_id, kind=_("Overridden value"),
                            deleted=True)
        row.reviewed = True
        uow.commit()
