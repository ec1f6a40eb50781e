"""Tạo gói đồng bộ: write a package of everything a recipient unit has not acknowledged.

Up to the parent unit (the default) or down to a child unit (``to``). The package holds the
changes from the journal (:mod:`ctmtqg_desktop.sync.selection`), the bytes of attached files
once per digest, the catalog when the child's is older, and our receipts for what we applied
from the recipient. It is encrypted to the recipient's installations whose keys we know.

Crash safety: the file is written under a temporary name and read back; only then is it
recorded (package number, hash) in the database, and only after that renamed to its final
name. A crash before the record leaves nothing; a crash after it leaves a package number
that was never delivered, which the next package (covering the same changes) heals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import String, Table, Uuid, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ctmtqg_desktop import __version__
from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import AttachmentMissing, UserError
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.domain.unit_refs import parse_unit_ref
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import area, catalog
from ctmtqg_desktop.services import attachments as attachments_service
from ctmtqg_desktop.services.sync._nodes import (
    local_keys,
    record_event,
    unit_title,
    unit_titles,
    unit_tree,
)
from ctmtqg_desktop.services.sync._pending_down import Counts, count_down, wanted_intervals
from ctmtqg_desktop.store import journal as store_journal
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.atomic_files import publish
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.models.sync import (
    SyncAck,
    SyncIncoming,
    SyncOutgoing,
    SyncPeer,
    SyncStreamIn,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.apply import broken_rule
from ctmtqg_desktop.sync.authority import CHILD, PARENT
from ctmtqg_desktop.sync.columns import _CANONICAL_UUID, TableCodec
from ctmtqg_desktop.sync.errors import ExportBusy, NoRecipient, RecipientNotPeer
from ctmtqg_desktop.sync.package_format import (
    CATALOG,
    CHANGES,
    REFERENCES,
    SUFFIX,
    Acknowledgement,
    Manifest,
    NodeDeclaration,
    canonical_bytes,
)
from ctmtqg_desktop.sync.selection import (
    DOWN,
    UP,
    Floor,
    OutgoingChange,
    Selection,
    as_uuid,
    iter_outgoing,
)

if TYPE_CHECKING:  # loaded by the export itself, not by ``pending`` (the overview's
    # card, issue 17): the package writer and reader, keys and references
    from ctmtqg_desktop.sync.package_writer import PackageWriter

Progress = Callable[[int, int, str], None]
#: zlib level: JSON lines shrink about as well at 6 as at 9, much faster
COMPRESSION_LEVEL = 6
_STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True)
class TableCount:
    table: str
    label: str
    inserts: int = 0
    updates: int = 0
    deletes: int = 0

    @property
    def total(self) -> int:
        return self.inserts + self.updates + self.deletes


@dataclass(frozen=True)
class RecipientChoice:
    unit_id: str
    unit_name: str
    relation: str
    #: installations of that unit whose keys we know (packages to them are encrypted)
    known_nodes: int


@dataclass(frozen=True)
class ExportResult:
    path: Path
    recipient_unit_id: str
    recipient_name: str
    number: int
    changes: int
    tables: tuple[TableCount, ...]
    attachments: int
    attachment_bytes: int
    catalog_version: int | None
    encrypted: bool
    recipient_nodes: int
    acknowledgements: int
    size: int
    first_seq: int
    last_seq: int
    created_at: dt.datetime
    #: dossier templates and handbook pages carried (``references.json``)
    references: int = 0
    #: sentences on templates held back until the recipient's installations are updated
    held_back: tuple[str, ...] = ()


def table_labels() -> dict[str, str]:
    return {m.__tablename__: _(m.__label__) if m.__label__ else m.__tablename__
            for m in area.synced_records()}


def _counts(found: dict[str, dict[str, int]],
            labels: dict[str, str] | None = None) -> tuple[TableCount, ...]:
    labels = table_labels() if labels is None else labels
    return tuple(TableCount(name, labels.get(name, name), ops.get("insert", 0),
                            ops.get("update", 0), ops.get("delete", 0))
                 for name, ops in sorted(found.items(), key=lambda item: labels.get(item[0],
                                                                                   item[0])))


# ---------------------------------------------------------------------------- recipients
def recipients(workspace: Workspace) -> list[RecipientChoice]:
    """The parent unit (if the catalog has one), then the child units we exchange with."""
    info = workspace.installation()
    with UnitOfWork.read(workspace) as session:
        tree = unit_tree(session)
        units = []
        parent = tree.parent(info.unit_id)
        if parent:
            units.append((parent, PARENT))
        children = sorted(p.unit_id for p in session.scalars(select(SyncPeer))
                          if tree.relation(info.unit_id, p.unit_id) == CHILD)
        units += [(unit, CHILD) for unit in children]
        known = dict(session.execute(select(Node.unit_id, func.count()).where(
            Node.status == "trusted").group_by(Node.unit_id)).all())
    names = unit_titles(workspace, [unit for unit, _relation in units])
    return [RecipientChoice(unit, names[unit], relation, known.get(unit, 0))
            for unit, relation in units]


def resolve_recipient(workspace: Workspace, to: str | None) -> tuple[str, str]:
    """(recipient unit key, ``up`` or ``down``) for ``--to CODE`` or the parent unit."""
    info = workspace.installation()
    with UnitOfWork.read(workspace) as session:
        tree = unit_tree(session)
    if not to:
        parent = tree.parent(info.unit_id)
        if parent is None:
            raise NoRecipient(unit=unit_title(workspace, info.unit_id))
        return parent, UP
    # a catalog key as the pages pass it ("23350", "23500@2025-07-01") names one unit even
    # when its code was re-used; a code as a user types it may need its date
    unit = catalog.get_unit(workspace, to) if to in tree.parent_of else \
        catalog.resolve_unit(workspace, parse_unit_ref(to))
    relation = tree.relation(info.unit_id, unit.id)
    if relation is None:
        raise RecipientNotPeer(recipient=unit.full_name,
                               unit=unit_title(workspace, info.unit_id))
    return unit.id, (UP if relation == PARENT else DOWN)


def _selection(session: Session, info, recipient: str,
               direction: str) -> tuple[Selection, list[Node]]:
    tree = unit_tree(session)
    nodes = list(session.scalars(select(Node).where(Node.unit_id == recipient,
                                                    Node.status == "trusted")))
    acks = {a.node_id: a.through_seq for a in session.scalars(
        select(SyncAck).where(SyncAck.recipient_unit_id == recipient))}
    floors = []
    for node in nodes:
        ranges = session.execute(select(SyncIncoming.local_first_seq, SyncIncoming.local_last_seq)
                                 .where(SyncIncoming.sender_node_id == node.id,
                                        SyncIncoming.status == "applied",
                                        SyncIncoming.local_first_seq.is_not(None))).all()
        floors.append(Floor.make(node.id, acks.get(node.id, 0), list(ranges)))
    ancestors = frozenset(tree.ancestors(info.unit_id))
    # a merged unit's predecessors' records held here are its history: they reached the
    # parent from the old units themselves and never go up again (the parent would refuse
    # them: an old unit is not below the new one)
    excluded = ancestors | frozenset(tree.continued_from.get(info.unit_id, ())) \
        if direction == UP else frozenset()
    relayed = ancestors if direction == DOWN else frozenset()
    return Selection(direction, info.unit_id, info.node_id, recipient, excluded,
                     tuple(floors), relayed), nodes


def _journal_end(session: Session) -> int:
    """The last journal sequence number that is committed, with none still to come below it.

    On PostgreSQL a writer may hold a lower sequence number than one already committed; a
    SHARE lock waits for every such writer to finish (SQLite has one writer at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE change_journal IN SHARE MODE"))
    return session.execute(select(func.coalesce(func.max(ChangeJournalEntry.seq), 0))).scalar()


# ---------------------------------------------------------------------------- pending
@dataclass(frozen=True)
class PendingSummary:
    recipient_unit_id: str
    recipient_name: str
    relation: str
    #: changes not yet put in any package, per table
    unsent: tuple[TableCount, ...]
    unsent_total: int
    earliest_unsent_at: dt.datetime | None
    #: changes sent but not yet confirmed by the recipient
    unconfirmed_total: int
    last_package_at: dt.datetime | None
    last_package_number: int | None
    last_package_file: str | None
    last_acknowledged_at: dt.datetime | None
    #: packages from that unit applied since our last package (receipts to send)
    receipts_waiting: int
    known_nodes: int


def pending(workspace: Workspace, to: str | None = None) -> PendingSummary:
    """What the next package for ``to`` (default: the parent unit) would hold, truthfully."""
    recipient, direction = resolve_recipient(workspace, to)
    return pending_many(workspace, [(recipient, direction)])[0]


def pending_many(workspace: Workspace, recipients_: list[tuple[str, str]],
                 names: dict[str, str] | None = None) -> list[PendingSummary]:
    """:func:`pending` for several recipients in one session (a parent unit asks this for
    every child on its sync page: 3,321 at the country's scale).

    What every recipient shares is read once, grouped (the unit tree, the trusted
    installations, their acknowledgements and the ranges that came from them, the last
    package to each, the receipts waiting); then one grouped count of the journal per
    recipient (issue 17: ten statements and a rebuilt unit tree per recipient took 73 s at
    3,321 peers). ``names``: the recipients' titles when the caller has them
    (:func:`recipients` read them; else :func:`unit_titles`)."""
    info: Any = workspace.installation()
    if names is None:
        names = unit_titles(workspace, [recipient for recipient, _direction in recipients_])
    result = []
    with UnitOfWork.read(workspace) as session:
        shared = _PendingContext.read(session)
        selections = []
        for recipient, direction in recipients_:
            nodes = shared.nodes.get(recipient, [])
            floors = tuple(Floor.make(node.id, shared.acks.get((recipient, node.id), 0),
                                      shared.ranges.get(node.id, [])) for node in nodes)
            ancestors = shared.ancestors(info.unit_id)
            # as _selection: up, neither our ancestors' records nor a merged unit's
            # predecessors' (its history) go; down, our ancestors' "every child" records do
            excluded = ancestors | frozenset(shared.tree.continued_from.get(info.unit_id, ()))
            selection = Selection(direction, info.unit_id, info.node_id, recipient,
                                  excluded if direction == UP else frozenset(), floors,
                                  ancestors if direction == DOWN else frozenset())
            selections.append((recipient, direction, nodes, selection))
        # the children: every count in a few grouped statements (issue 17)
        intervals = {recipient: wanted_intervals(selection, _sent_through(shared, recipient))
                     for recipient, direction, _nodes, selection in selections
                     if direction == DOWN}
        counted = count_down(session, info.unit_id, shared.ancestors(info.unit_id),
                             intervals) if intervals else {}
        for recipient, direction, nodes, selection in selections:
            result.append(_pending_of(names[recipient], session, selection, nodes, recipient,
                                      direction, shared,
                                      counted if direction == DOWN else None))
    return result


def _sent_through(shared: _PendingContext, recipient: str) -> int:
    last_out = shared.last_out.get(recipient)
    return last_out.last_seq if last_out else 0


@dataclass
class _PendingContext:
    """What :func:`pending_many` reads once for every recipient."""

    tree: Any
    nodes: dict[str, list[Any]]
    acks: dict[tuple[str, uuid.UUID], int]
    ranges: dict[uuid.UUID, list[tuple[int, int]]]
    last_out: dict[str, SyncOutgoing]
    last_ack: dict[str, dt.datetime]
    receipts: dict[str, int]
    labels: dict[str, str] = field(default_factory=table_labels)
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, session: Session) -> _PendingContext:
        # plain columns, not ORM objects (an installation or two for each of 3,321 children)
        nodes: dict[str, list[Any]] = {}
        for node in session.execute(select(Node.id, Node.unit_id)
                                    .where(Node.status == "trusted")):
            nodes.setdefault(node.unit_id, []).append(node)
        acks = {(recipient, node_id): through for recipient, node_id, through in session.execute(
            select(SyncAck.recipient_unit_id, SyncAck.node_id, SyncAck.through_seq))}
        lowest = min((acks.get((unit, node.id), 0) for unit, found in nodes.items()
                      for node in found), default=0)
        ranges: dict[uuid.UUID, list[tuple[int, int]]] = {}
        # only the ranges above an installation's acknowledgement change what it needs
        for node_id, first, last in session.execute(
                select(SyncIncoming.sender_node_id, SyncIncoming.local_first_seq,
                       SyncIncoming.local_last_seq)
                .where(SyncIncoming.status == "applied",
                       SyncIncoming.local_first_seq.is_not(None),
                       SyncIncoming.local_last_seq > lowest)):
            ranges.setdefault(node_id, []).append((int(first), int(last)))
        newest = (select(SyncOutgoing.recipient_unit_id,
                         func.max(SyncOutgoing.number).label("number"))
                  .group_by(SyncOutgoing.recipient_unit_id).subquery())
        last_out = {row.recipient_unit_id: row for row in session.scalars(
            select(SyncOutgoing).join(newest, (newest.c.recipient_unit_id ==
                                               SyncOutgoing.recipient_unit_id)
                                      & (newest.c.number == SyncOutgoing.number))
            .order_by(SyncOutgoing.id))}
        last_ack = dict(session.execute(
            select(SyncAck.recipient_unit_id, func.max(SyncAck.acknowledged_at))
            .group_by(SyncAck.recipient_unit_id)).all())
        since = (select(SyncOutgoing.recipient_unit_id, SyncOutgoing.created_at)
                 .join(newest, (newest.c.recipient_unit_id == SyncOutgoing.recipient_unit_id)
                       & (newest.c.number == SyncOutgoing.number)).subquery())
        receipts = dict(session.execute(
            select(SyncIncoming.sender_unit_id, func.count())
            .outerjoin(since, since.c.recipient_unit_id == SyncIncoming.sender_unit_id)
            .where(SyncIncoming.status == "applied", SyncIncoming.processed_at.is_not(None),
                   (since.c.created_at.is_(None))
                   | (SyncIncoming.processed_at > since.c.created_at))
            .group_by(SyncIncoming.sender_unit_id)).all())
        return cls(unit_tree(session), nodes, acks, ranges, last_out, last_ack, receipts)

    def ancestors(self, unit: str) -> frozenset[str]:
        if unit not in self._ancestors:
            self._ancestors[unit] = frozenset(self.tree.ancestors(unit))
        return self._ancestors[unit]


def _pending_of(recipient_name: str, session: Session, selection: Selection, nodes: list[Node],
                recipient: str, direction: str, shared: _PendingContext,
                counted: Counts | None = None) -> PendingSummary:
    last_out = shared.last_out.get(recipient)
    sent_through = last_out.last_seq if last_out else 0
    unsent: dict[str, dict[str, int]] = {}
    unsent_total = 0
    unconfirmed = 0
    earliest = None
    # unsent (after the last package) and unconfirmed (in a package, not acknowledged) in
    # one grouped count, or as counted for every child at once (``counted``; no statement
    # built for each of them)
    rows: Iterable[Any] = counted.get(recipient, []) if counted is not None else \
        _count_one(session, selection, sent_through)
    for table, operation, is_unsent, count, first_at in rows:
        if not is_unsent:
            unconfirmed += count
            continue
        unsent.setdefault(table, {})[operation] = count
        unsent_total += count
        earliest = first_at if earliest is None else min(earliest, first_at)
    return PendingSummary(
        recipient, recipient_name, PARENT if direction == UP else CHILD,
        _counts(unsent, shared.labels), unsent_total, earliest, unconfirmed,
        last_out.created_at if last_out else None, last_out.number if last_out else None,
        last_out.file_name if last_out else None, shared.last_ack.get(recipient),
        shared.receipts.get(recipient, 0), len(nodes))


def _count_one(session: Session, selection: Selection, sent_through: int
               ) -> Iterator[tuple[str, str, bool, int, dt.datetime | None]]:
    """One recipient's rows by table, operation and unsent (after ``sent_through``): one
    pass over its part of the journal, grouped by table and operation only, each group
    counting its unsent and its unconfirmed rows (``FILTER``). Grouped also by a ``CASE`` of
    the sequence number, PostgreSQL could not estimate the groups (it planned one per row)
    and aggregated the parent's own upward count, the whole journal of a country's district
    until the province acknowledges it, in one process, not in parallel (issue 17)."""
    journal = ChangeJournalEntry
    unsent = journal.seq > sent_through
    for table, operation, unsent_rows, first_at, sent_rows in session.execute(
            select(journal.table_name, journal.operation, func.count().filter(unsent),
                   func.min(journal.recorded_at).filter(unsent),
                   func.count().filter(journal.seq <= sent_through))
            .where(journal.seq >= selection.start, selection.where(), selection.wanted())
            .group_by(journal.table_name, journal.operation)):
        if unsent_rows:
            yield table, operation, True, unsent_rows, first_at
        if sent_rows:
            yield table, operation, False, sent_rows, None


def last_package_sent(workspace: Workspace) -> tuple[dt.datetime, str] | None:
    """(when, recipient name) of the newest package this installation wrote."""
    with UnitOfWork.read(workspace) as session:
        row = session.scalars(select(SyncOutgoing).order_by(
            SyncOutgoing.created_at.desc()).limit(1)).first()
    if row is None:
        return None
    return row.created_at, unit_title(workspace, row.recipient_unit_id)


# ---------------------------------------------------------------------------- export
def _file_name(local_unit: str, recipient: str, number: int, package_id: uuid.UUID) -> str:
    def clean(unit: str) -> str:
        return unit.replace("@", "_")

    return (f"ctmtqg-{clean(local_unit)}-{clean(recipient)}-{number:05d}-"
            f"{package_id.hex[:8]}{SUFFIX}")


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of exports that were killed (never of one running now)."""
    now = dt.datetime.now().timestamp()
    for leftover in folder.glob(f".ctmtqg-*{SUFFIX}.*.part"):
        try:
            if now - leftover.stat().st_mtime > _STALE_TEMP_SECONDS:
                leftover.unlink()
        except OSError:
            pass


@dataclass(frozen=True)
class _Plan:
    """What the next package to a recipient holds, read in one session before writing."""
    recipient: str
    direction: str
    selection: Selection
    nodes: list
    number: int
    last_out: SyncOutgoing | None
    acks: tuple
    peer: SyncPeer | None
    own_label: str
    confirmed: int
    last: int
    references: list
    total: int
    held_back: tuple[str, ...] = ()


def _plan(workspace: Workspace, info, recipient: str, direction: str) -> _Plan:
    from ctmtqg_desktop.services.sync import _references as sync_references

    with UnitOfWork.read(workspace) as session:
        selection, nodes = _selection(session, info, recipient, direction)
        last_out = session.scalars(select(SyncOutgoing).where(
            SyncOutgoing.recipient_unit_id == recipient)
            .order_by(SyncOutgoing.number.desc()).limit(1)).first()
        number = (last_out.number + 1) if last_out else 1
        acks = tuple(Acknowledgement(s.sender_node_id, s.applied_through, s.last_number,
                                     s.last_sha256)
                     for s in session.scalars(select(SyncStreamIn).where(
                         SyncStreamIn.sender_unit_id == recipient)
                         .order_by(SyncStreamIn.sender_node_id)))
        peer = session.get(SyncPeer, recipient)
        own_label = session.get(Node, info.node_id).label
        confirmed = session.execute(select(func.count()).select_from(SyncAck).where(
            SyncAck.recipient_unit_id == recipient)).scalar()
        last = _journal_end(session)
        session.commit()  # releases the PostgreSQL lock; rows up to ``last`` are final
        references = (sync_references.outgoing(session, recipient) if direction == DOWN
                      else [])
        held = (tuple(sync_references.held_back(session, recipient, unit_title(
            workspace, recipient))) if direction == DOWN else ())
        total = session.execute(select(func.count()).select_from(ChangeJournalEntry).where(
            ChangeJournalEntry.seq >= selection.start, ChangeJournalEntry.seq <= last,
            selection.where())).scalar()
    return _Plan(recipient, direction, selection, nodes, number, last_out, acks, peer,
                 own_label, confirmed, last, references, total, held)


@dataclass
class _Written:
    """What the changes entry of a package holds, tallied while it is written."""
    count: int = 0
    found: dict[str, dict[str, int]] = field(default_factory=dict)
    origins: set[uuid.UUID] = field(default_factory=set)
    digests: set[str] = field(default_factory=set)
    declared: list[NodeDeclaration] = field(default_factory=list)


class RecordBreaksRule(UserError):
    """A record this package would carry holds a value the receiver refuses (issue 12)."""

    template = N_("No package was written: {problem}. Correct this record and export "
                  "again.")


def _refusal(codecs: dict[str, TableCodec], labels: dict[str, str], change: OutgoingChange,
             record: dict[str, Any]) -> str | None:
    """Why the receiver would refuse this change's record, by the reader's own checks
    (columns, then the field rules), or None."""
    return _problem(codecs, labels, change.table, record)


def _problem(codecs: dict[str, TableCodec], labels: dict[str, str], table: str,
             record: dict[str, Any]) -> str | None:
    codec = codecs.get(table)
    if codec is None:
        return None
    label = labels.get(table, table)
    broken = broken_rule(table, record, label)
    if broken is not None:
        return broken
    try:
        codec.decode(record)
    except ValueError as error:
        return _("{kind} “{name}”: {sentence}").format(
            kind=label, name=field_rules.record_name(table, record), sentence=error)
    return None


def _rule_source(lines: list[str], name: str, rule: field_rules.FieldRule) -> None:
    """``rule.problem(value) is None`` as statements returning False when it is not
    (``tests/sync/test_export_quick_check_compiled.py`` compares the two on every rule)."""
    lines += [f"    v = record[{name!r}]",
              "    if v is None or (isinstance(v, str) and not v.strip()):",
              "        return False" if rule.required else "        pass"]
    if rule.max_length is not None:
        lines += ["    elif isinstance(v, str):",
                  f"        if len(v) > {int(rule.max_length)}:",
                  "            return False"]
    if rule.minimum is not None or rule.maximum is not None:
        lines.append("    elif isinstance(v, int) and not isinstance(v, bool):")
        if rule.minimum is not None:
            lines += [f"        if v < {int(rule.minimum)}:", "            return False"]
        if rule.maximum is not None:
            lines += [f"        if v > {int(rule.maximum)}:", "            return False"]


class _PlainRecords:
    """A quick test, per table, that a record passes the receiver's checks (its columns
    and the field rules, as :func:`_refusal` makes them) without decoding it: an export of
    100,000 changes spent 40% of its time building the decoded values (UUIDs, the stored
    form of every text) only to throw them away (issue 17). It only ever says "plainly
    good": a record it does not pass goes through :func:`_refusal`, which decides and
    names the problem, so the package holds exactly what the full check lets through.

    Each table's test is one function written from its columns and rules (no call per
    value: a call per column and per rule was most of its cost); dates and numbers are
    still tested by the reader's own decoders."""

    def __init__(self, codecs: dict[str, TableCodec]) -> None:
        self.checks = {name: self._compile(codec) for name, codec in codecs.items()}

    @staticmethod
    def _compile(codec: TableCodec) -> Callable[[dict[str, Any]], bool]:
        namespace: dict[str, Any] = {"NAMES": codec.names,
                                     "UUID_MATCH": _CANONICAL_UUID.fullmatch}
        lines = ["def good(record):", "    if record.keys() != NAMES:", "        return False"]
        for index, column in enumerate(codec.table.columns):
            name, decode, nullable = next(c for c in codec.columns if c[0] == column.name)
            kind = column.type
            kind = getattr(kind, "impl_instance", kind)
            lines += [f"    v = record[{name!r}]", "    if v is None:",
                      "        pass" if nullable else "        return False"]
            if isinstance(kind, Uuid):  # the decoder's own test; uuid.UUID cannot fail then
                lines += ["    elif type(v) is not str or UUID_MATCH(v) is None:",
                          "        return False"]
            elif isinstance(kind, String):  # also Text: a string no longer than the column
                length = getattr(kind, "length", None)
                lines += ["    elif type(v) is not str" + (
                    f" or len(v) > {int(length)}:" if length else ":"), "        return False"]
            else:  # dates, numbers, booleans: the decoder itself
                namespace[f"DECODE_{index}"] = decode
                lines += ["    else:", "        try:", f"            DECODE_{index}(v)",
                          "        except ValueError:", "            return False"]
        rules = [(name, rule) for name, rule in field_rules.RULES.get(codec.name, {}).items()
                 if name in codec.names]  # (a rule for another name never applies)
        if rules:
            lines.append("    if record.get('deleted'):")
            lines.append("        return True")
            for name, rule in rules:
                _rule_source(lines, name, rule)
        lines.append("    return True")
        exec(compile("\n".join(lines) + "\n", f"<quick test of {codec.name}>", "exec"),
             namespace)
        return cast(Callable[[dict[str, Any]], bool], namespace["good"])

    def good(self, table: str, record: dict[str, Any]) -> bool:
        test = self.checks.get(table)
        if test is None:
            return True  # as _refusal: a table without a codec is not checked
        return test(record)


#: changed whenever the checks of a record change in a way the key below does not see; with
#: the application's version, the tables' columns, the field rules and the checking code
CHECK_MARKS_FORMAT = "ctmtqg-export-check/1"


def _code_of(function: Any) -> bytes:
    """A function's bytecode and plain constants (the same in every process)."""
    code: CodeType | None = getattr(function, "__code__", None)
    if code is None:
        return repr(function).encode()
    constants = [c for c in code.co_consts if isinstance(c, (str, bytes, int, float, tuple))]
    return code.co_code + repr(constants).encode()


class _CheckMarks:
    """The journal rows' check marks (issue 17; ``store.journal``, column ``checked``).

    When the services write a record, the journal row gets ``mark(table, payload)`` if the
    record passes the receiver's checks (:func:`_problem`). The mark is a keyed BLAKE2b
    digest of the payload; the key is derived from everything the checks depend on (this
    format, the application's version, the table's columns with their types, lengths and
    nullability, the table's field rules, the checking functions' code). An export skips
    the checks of a row only when its mark equals the digest of the payload it reads: a row
    without a mark (written before revision ``1105_journal_checked``, or applied from a
    package), edited outside the services, or marked under other checks (a rule tightened
    by an update) is checked in full. The receiver checks every line anyway: the mark only
    spares the sender checking the same bytes again at every export (re-sends until
    acknowledged, other recipients)."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._codecs: dict[str, TableCodec] = {}
        self._plain: dict[str, _PlainRecords] = {}

    def codec(self, table: Table) -> TableCodec:
        codec = self._codecs.get(table.name)
        if codec is None or codec.table is not table:
            codec = self._codecs[table.name] = TableCodec.for_table(table)
            self._plain[table.name] = _PlainRecords({table.name: codec})
            self._keys.pop(table.name, None)
        return codec

    def key(self, table: Table) -> bytes:
        codec = self.codec(table)
        key = self._keys.get(table.name)
        if key is None:
            columns = []
            for column in table.columns:
                kind = getattr(column.type, "impl_instance", column.type)
                columns.append([column.name, type(kind).__name__,
                                getattr(kind, "length", None), bool(column.nullable)])
            rules = {name: repr(rule)
                     for name, rule in field_rules.RULES.get(table.name, {}).items()}
            digest = hashlib.blake2b(json.dumps(
                [CHECK_MARKS_FORMAT, __version__, table.name, columns, rules],
                sort_keys=True).encode("utf-8"), digest_size=32)
            for function in (*(decode for _name, decode, _nullable in codec.columns),
                             TableCodec.decode, field_rules.FieldRule.problem,
                             field_rules.record_problem, broken_rule, _problem,
                             _PlainRecords._compile, _rule_source):
                digest.update(_code_of(function))
            key = self._keys[table.name] = digest.digest()
        return key

    @staticmethod
    def digest(key: bytes, payload: str) -> str:
        return hashlib.blake2b(payload.encode("utf-8"), key=key, digest_size=16).hexdigest()

    def check(self, table: Table, payload: str) -> str | None:
        """The journal's checker: the mark of a row whose record passes the checks."""
        codec = self.codec(table)
        record = json.loads(payload)
        if not self._plain[table.name].good(table.name, record) and \
                _problem({table.name: codec}, {}, table.name, record) is not None:
            return None
        return self.digest(self.key(table), payload)


_MARKS = _CheckMarks()
store_journal.register_checker(_MARKS.check)


class _Checks:
    """The export's checks of each change, as the receiver makes them (issue 12), sparing
    the rows whose check mark still holds (issue 17)."""

    def __init__(self, codecs: dict[str, TableCodec]) -> None:
        self.codecs = codecs
        self.labels = table_labels()
        self.plain = _PlainRecords(codecs)
        self.keys = {name: _MARKS.key(codec.table) for name, codec in codecs.items()}

    def problem(self, change: OutgoingChange) -> tuple[str | None, dict[str, Any] | None]:
        """(why the receiver would refuse the change, or None; its record when it was
        read). A row whose mark holds is not read (its record is None)."""
        if change.checked is not None:
            key = self.keys.get(change.table)
            if key is not None and change.checked == _CheckMarks.digest(key, change.payload):
                return None, None
        record = json.loads(change.payload)
        if self.plain.good(change.table, record):
            return None, record
        return _problem(self.codecs, self.labels, change.table, record), record


def _superseded(session: Session, plan: _Plan, change: OutgoingChange) -> bool:
    """Whether the package also carries a later version of the change's record (then an
    old version that breaks a rule is left out: the later one replaces it anyway, and a
    fixed record must not keep blocking every package)."""
    return session.execute(select(ChangeJournalEntry.seq).where(
        ChangeJournalEntry.record_id == as_uuid(change.record_id),
        ChangeJournalEntry.seq > change.seq, ChangeJournalEntry.seq <= plan.last,
        plan.selection.where(), plan.selection.wanted()).limit(1)).first() is not None


def _refuse_broken_records(workspace: Workspace, plan: _Plan,
                           codecs: dict[str, TableCodec]) -> None:
    """The check ``_write_changes`` makes line by line, made before anything is written or
    changed: run when an area's export hook is about to change a record (a difficulty
    marked sent), so that an export refused for a broken rule changes nothing."""
    checks = _Checks(codecs)
    with UnitOfWork.read(workspace) as session:
        for page in iter_outgoing(session, plan.selection, plan.last):
            for change in page:
                problem, _record = checks.problem(change)
                if problem is not None and not _superseded(session, plan, change):
                    raise RecordBreaksRule(problem=problem)


def _write_changes(workspace: Workspace, writer: PackageWriter, plan: _Plan, info,
                   progress: Progress | None, check: Callable[[], None] | None,
                   codecs: dict[str, TableCodec]) -> _Written:
    stream = writer.entry(CHANGES)
    written = _Written()
    checks = _Checks(codecs)
    refused: str | None = None
    #: records whose insert was left out: their next line is the recipient's insert
    left_out: set[str] = set()
    #: the installations that wrote the changes, as the journal's text of their ids
    origins: set[str] = set()
    with UnitOfWork.read(workspace) as session:
        for page in iter_outgoing(session, plan.selection, plan.last):
            if refused is not None:
                break
            #: the page's lines, written as one block: zlib's cost per call outweighed its
            #: work (100,000 single-line calls took 1.65 s of the profile, 50 blocks 0.74 s)
            lines: list[bytes] = []
            for change in page:
                # the receiver's checks, before the line is written: a value it refuses
                # would refuse this package and every later one (issue 12)
                problem, record = checks.problem(change)
                if problem is not None:
                    if _superseded(session, plan, change):
                        if change.operation == "insert":
                            left_out.add(change.record_id)
                        continue
                    refused = problem
                    break
                if change.record_id in left_out:  # new to the recipient from this line on
                    left_out.discard(change.record_id)
                    change = replace(change, operation="insert")
                lines.append(change.line())
                written.count += 1
                ops = written.found.setdefault(change.table, {})
                ops[change.operation] = ops.get(change.operation, 0) + 1
                origins.add(change.origin_node_id)
                if change.table == "attachment":
                    if record is None:
                        record = json.loads(change.payload)
                    if not record.get("deleted"):
                        written.digests.add(record["digest"])
            if lines:
                stream.write(b"".join(lines))
            if check:
                check()
            if progress:
                progress(written.count, max(plan.total, written.count),
                         _("Writing changes: {done} of {total}").format(
                             done=written.count, total=max(plan.total, written.count)))
        written.origins = {as_uuid(origin) for origin in origins}
        written.declared = [NodeDeclaration(n.id, n.unit_id, n.label, n.sign_public_key,
                                            n.box_public_key)
                            for n in session.scalars(select(Node).where(
                                Node.id.in_(written.origins - {info.node_id}))
                                .order_by(Node.id))]
    stream.close(lines=written.count)
    if refused is not None:  # raised once the entry is closed: the writer then cleans up
        raise RecordBreaksRule(problem=refused)
    return written


def _write_attachments(writer: PackageWriter, store, digests: set[str],
                       check: Callable[[], None] | None) -> int:
    attachment_bytes = 0
    for digest in sorted(digests):
        if not store.has(digest):
            raise AttachmentMissing(digest=digest)
        with store.open(digest) as source:
            writer.add_attachment(digest, source)
        attachment_bytes += store.path_for(digest).stat().st_size
        if check:
            check()
    return attachment_bytes


def _record_export(workspace: Workspace, result: ExportResult, plan: _Plan, manifest,
                   package_id: uuid.UUID, sha256: str, written: _Written) -> None:
    """The package in the register of packages sent, with its event, in one transaction."""
    from ctmtqg_desktop.services.sync import _references as sync_references

    with UnitOfWork(workspace) as uow:
        uow.session.add(SyncOutgoing(
            package_id=package_id, recipient_unit_id=plan.recipient, number=plan.number,
            first_seq=manifest.first_seq, last_seq=manifest.last_seq, sha256=sha256,
            previous_sha256=manifest.previous_sha256, created_at=result.created_at,
            file_name=result.path.name, folder=str(result.path.parent.resolve()),
            size=result.size, changes=written.count,
            totals=json.dumps(written.found, sort_keys=True),
            attachments=len(written.digests), encrypted=manifest.encryption is not None,
            catalog_version=result.catalog_version))
        if plan.references:
            sync_references.record_delivery(uow.session, [i for i, _r in plan.references],
                                            plan.recipient, plan.number)
        record_event(uow.session, kind="export", outcome="exported",
                     file_name=result.path.name, sha256=sha256, peer_unit_id=plan.recipient,
                     package_number=plan.number,
                     counts=json.dumps(written.found, sort_keys=True),
                     message=export_message(result))
        try:
            uow.commit()
        except IntegrityError as error:
            raise ExportBusy(recipient=result.recipient_name) from error


def _manifest(package_id: uuid.UUID, info, public, plan: _Plan, written: _Written,
              tables: dict[str, Any], enrollment: tuple[Any, ...] | None,
              catalog_version: int) -> Manifest:
    return Manifest(
        package_id=package_id, created_at=utc_now().isoformat(timespec="seconds") + "Z",
        app_version=__version__, schema_revision=schema.head_revision(),
        sender_node=info.node_id, sender_unit=info.unit_id, sender_label=plan.own_label,
        sign_key=public.sign_key_b64, box_key=public.box_key_b64,
        enrollment_id=enrollment[0] if enrollment else None,
        enrollment_proof=enrollment[1] if enrollment else None,
        recipient_unit=plan.recipient, number=plan.number, first_seq=plan.selection.start,
        last_seq=max(plan.last, plan.selection.start - 1),
        previous_sha256=plan.last_out.sha256 if plan.last_out else None,
        catalog_version=catalog_version, requires=(), acknowledgements=plan.acks,
        tables=tables, nodes=tuple(written.declared), entries={}, encryption=None)


#: records holding personal data (households' names and ID numbers, the support they got):
#: a package carrying any of them is never written unencrypted without being asked for
PERSONAL_TABLES = frozenset({"household", "household_support"})


class UnencryptedPersonalData(UserError):
    template = N_("The package for {unit} carries households' names and ID numbers, and the "
                  "key of {unit}'s computer is not known here yet (this installation was not "
                  "set up from an enrollment file, and no package from {unit} has been "
                  "received), so it cannot be encrypted. Nothing was written. Import a "
                  "package from {unit} first, or, if you accept sending these data "
                  "unencrypted, export again choosing “without encryption”.")


def export_package(workspace: Workspace, out_dir: Path, *, to: str | None = None,
                   encrypt: bool = True, progress: Progress | None = None,
                   check: Callable[[], None] | None = None,
                   compression_level: int = COMPRESSION_LEVEL) -> ExportResult:
    """Write the next package for ``to`` (default: the parent unit) into ``out_dir``."""
    from ctmtqg_desktop.services.sync import _references as sync_references
    from ctmtqg_desktop.services.sync._enrollment import child_secret, proof
    from ctmtqg_desktop.sync.identity import unb64
    from ctmtqg_desktop.sync.package_reader import PackageReader, file_sha256
    from ctmtqg_desktop.sync.package_writer import PackageWriter, RecipientKey

    out_dir = Path(out_dir)
    info = workspace.installation()
    keys = local_keys(workspace)
    public = keys.public
    recipient, direction = resolve_recipient(workspace, to)  # a refusal creates no folder
    if encrypt:  # before the areas' hooks change anything (a difficulty marked sent)
        ahead = pending_many(workspace, [(recipient, direction)])[0]
        if not ahead.known_nodes and {t.table for t in ahead.unsent} & PERSONAL_TABLES:
            raise UnencryptedPersonalData(unit=ahead.recipient_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out_dir)
    codecs = {m.__tablename__: TableCodec.for_table(m.__table__) for m in area.synced_records()}
    if direction == UP:
        def ready() -> None:  # a hook is about to change a record: refuse before it does
            _refuse_broken_records(workspace, _plan(workspace, info, recipient, direction),
                                   codecs)
        for hook in area.before_export():
            hook(workspace, ready)
    store = attachments_service.attachment_store(workspace)
    package_id = uuid.uuid4()
    plan = _plan(workspace, info, recipient, direction)
    catalog_version = catalog.loaded_version(workspace)
    catalog_folder = None
    if direction == DOWN and (plan.peer is None or plan.peer.catalog_version is None
                              or plan.peer.catalog_version < catalog_version):
        catalog_folder = catalog.source_folder(workspace, catalog_version)
    recipient_keys = [RecipientKey(n.id, unb64(n.box_public_key, length=32))
                      for n in plan.nodes if encrypt and n.box_public_key]
    enrollment = None
    if direction == UP and not plan.confirmed:
        held = child_secret(workspace)
        if held is not None:
            enrollment = (held[0], proof(held[1], info.node_id, info.unit_id, public.sign_key,
                                         public.box_key))
    final_name = _file_name(info.unit_id, recipient, plan.number, package_id)
    fd, temp_name = tempfile.mkstemp(prefix=f".{final_name}.", suffix=".part", dir=out_dir)
    os.close(fd)
    temp = Path(temp_name)
    try:
        with PackageWriter(temp, package_id=package_id, recipients=recipient_keys,
                           level=compression_level) as writer:
            written = _write_changes(workspace, writer, plan, info, progress, check, codecs)
            personal = sorted(set(written.found) & PERSONAL_TABLES)
            if encrypt and not recipient_keys and personal:
                # personal data never leaves unencrypted unless the officer says so
                raise UnencryptedPersonalData(unit=unit_title(workspace, recipient))
            attachment_bytes = _write_attachments(writer, store, written.digests, check)
            if catalog_folder is not None:
                writer.add_bytes(CATALOG, canonical_bytes(catalog.pack(catalog_folder)))
            if plan.references:
                writer.add_bytes(REFERENCES, canonical_bytes(
                    sync_references.pack([item for _ident, item in plan.references])))
            tables = {name: {"insert": ops.get("insert", 0), "update": ops.get("update", 0),
                             "delete": ops.get("delete", 0),
                             "columns": codecs[name].describe()}
                      for name, ops in written.found.items()}
            manifest = writer.finish(_manifest(package_id, info, public, plan, written,
                                               tables, enrollment, catalog_version), keys)
        if progress:
            progress(written.count, max(plan.total, written.count), _("Checking the package…"))
        with PackageReader(temp) as reader:  # read back what is on the disk
            if not reader.signature_valid(public):
                raise RuntimeError("the package just written does not verify")
            reader.verify_entries()
        sha256 = file_sha256(temp)
        result = ExportResult(
            out_dir / final_name, recipient, unit_title(workspace, recipient), plan.number,
            written.count, _counts(written.found), len(written.digests), attachment_bytes,
            catalog_version if catalog_folder is not None else None,
            manifest.encryption is not None, len(recipient_keys), len(plan.acks),
            temp.stat().st_size, manifest.first_seq, manifest.last_seq, utc_now(),
            len(plan.references), plan.held_back)
        _record_export(workspace, result, plan, manifest, package_id, sha256, written)
        publish(temp, result.path)
        return result
    finally:
        if temp.exists():
            temp.unlink()


def export_message(result: ExportResult) -> str:
    """One sentence: what the package holds and whether it is encrypted."""
    parts = [_("Package no. {number} for {unit}: {changes} changes").format(
        number=result.number, unit=result.recipient_name,
        changes=format_number(result.changes))]
    if result.attachments:
        parts.append(_("{count} attached files").format(count=result.attachments))
    if result.catalog_version is not None:
        parts.append(_("catalog version {version}").format(version=result.catalog_version))
    if result.references:
        parts.append(_("{count} dossier templates and handbook pages").format(
            count=result.references))
    if result.acknowledgements:
        parts.append(_("{count} receipts").format(count=result.acknowledgements))
    sentence = ", ".join(parts) + ". "
    if result.encrypted:
        sentence += _("Encrypted for the recipient.")
    else:
        sentence += _("Not encrypted: the recipient's key is not known yet.")
    return " ".join((sentence, *result.held_back))
