"""Stamp synced records and journal every change, automatically, in the same transaction.

Session hooks, installed on a workspace's own session factory by :func:`install` (the
workspace does it when it makes the factory), so no service repeats them:

* ``before_flush`` gives each new or changed synced record its id, owner, authoring node,
  timestamps and a fresh hybrid-logical-clock version, and notes the operation (insert,
  update, delete = tombstone). A physical ``session.delete`` of a synced record is refused:
  deletes are tombstones so that they travel.
* ``after_flush`` writes one ``change_journal`` row per noted record, with the full record
  as canonical JSON, through the flush's own connection (so a rollback removes both).

Records applied from a sync package are flushed with ``SyncContext.remote = True``: they
keep the version and node they arrived with, and are still journalled (so that a parent can
relay them further up).

Each row written here also gets its **check mark** (``checked``, issue 17) when a checker is
registered (:func:`register_checker`; ``services.sync`` registers the export's own checks
of a record, the receiver's columns and field rules): the checker returns a digest of the
row's table and payload under those checks when the record passes them, else None. An
export that finds the mark equal to the digest of the row as it reads it does not check the
record again; a row without a mark, edited since (another payload), or marked under other
checks (a rule changed) is checked in full, as before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Integer, Table, event, insert, inspect
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction, sessionmaker
from sqlalchemy.orm.state import InstanceState

from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.store.base import SyncedRecord, utc_now
from ctmtqg_desktop.store.codec import canonical_json, record_to_dict
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry

SYNC_CONTEXT = "ctmtqg_sync_context"
_PENDING = "ctmtqg_pending_journal"

#: (the record's table, the row's payload) -> the row's check mark, or None if the record
#: does not pass the checks
Checker = Callable[[Table, str], "str | None"]
_checker: list[Checker] = []


def register_checker(checker: Checker | None) -> None:
    """Mark every journal row written from now on with ``checker`` (None: no marks)."""
    _checker[:] = [] if checker is None else [checker]


class SyncContextMissing(RuntimeError):
    """A synced record was written outside a unit of work of an initialised workspace."""


class PhysicalDeleteRefused(RuntimeError):
    """Synced records are deleted by tombstone (``record.deleted = True``), never removed."""


@dataclass
class SyncContext:
    """Who is writing: this node, for this unit, with this clock."""

    node_id: uuid.UUID
    unit_id: str
    clock: HybridLogicalClock
    #: applying records received in a package: keep their own version and node
    remote: bool = False
    #: bulk paths that write the journal themselves set this to False
    journal: bool = True
    written: list[tuple[str, uuid.UUID, str]] = field(default_factory=list)


def _operation(session: Session, state: InstanceState[Any],
               record: SyncedRecord) -> str | None:
    if state.transient or state.pending:
        return "insert"
    if not session.is_modified(record, include_collections=False):
        return None
    history = state.attrs.deleted.history
    if history.added and history.added[0] and not (history.deleted and history.deleted[0]):
        return "delete"
    return "update"


_INT32 = 2**31 - 1


def _fit_tombstone(state: InstanceState[Any]) -> None:
    """A record being deleted keeps values its columns can hold (issue 12): a village whose
    500-character name came from old data can be deleted, and its tombstone is one every
    receiver accepts (a tombstone's values are no longer in use)."""
    record = state.obj()
    for attribute in state.mapper.column_attrs:
        column = attribute.columns[0]
        kind = column.type
        kind = getattr(kind, "impl_instance", kind)
        value = getattr(record, attribute.key, None)
        length = getattr(kind, "length", None)
        if isinstance(value, str) and length and len(value) > length:
            setattr(record, attribute.key, value[:length])
        elif type(value) is int and type(kind) is Integer and not -_INT32 <= value <= _INT32:
            setattr(record, attribute.key, max(-_INT32, min(value, _INT32)))


def _mark(checker: Checker | None, table: Table, payload: str) -> str | None:
    """The row's check mark; None when there is no checker or it fails: a row without a
    mark is checked in full by the export, so a failing checker never stops a write."""
    if checker is None:
        return None
    try:
        return checker(table, payload)
    except Exception:  # noqa: BLE001 - the mark only spares work; never lose the write
        return None


def _stamp_synced_records(session: Session, flush_context: UOWTransaction,
                          instances: object) -> None:
    pending: list[tuple[SyncedRecord, str]] = []
    for record in list(session.deleted):
        if isinstance(record, SyncedRecord):
            raise PhysicalDeleteRefused(type(record).__name__)
    candidates = [r for r in session.new if isinstance(r, SyncedRecord)]
    candidates += [r for r in session.dirty if isinstance(r, SyncedRecord)]
    if not candidates:
        return
    context: SyncContext | None = session.info.get(SYNC_CONTEXT)
    if context is None:
        raise SyncContextMissing(type(candidates[0]).__name__)
    now = utc_now()
    for record in candidates:
        state = inspect(record)
        operation = _operation(session, state, record)
        if operation is None:
            continue
        if not context.remote:
            if record.id is None:
                record.id = uuid.uuid4()
            if operation == "insert":
                record.owner_unit_id = record.owner_unit_id or context.unit_id
                record.created_at = record.created_at or now
                if record.deleted is None:
                    record.deleted = False
            if operation == "delete":
                _fit_tombstone(state)
            record.updated_at = now
            record.origin_node_id = context.node_id
            record.version = context.clock.tick()
        pending.append((record, operation))
    session.info.setdefault(_PENDING, []).extend(pending)


def _journal_synced_records(session: Session, flush_context: UOWTransaction) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    context: SyncContext = session.info[SYNC_CONTEXT]
    now = utc_now()
    rows = []
    checker = _checker[0] if _checker else None
    for record, operation in pending:
        context.written.append((record.__table__.name, record.id, operation))
        if not context.journal:
            continue
        payload = canonical_json(record_to_dict(record))
        rows.append({
            "table_name": record.__table__.name,
            "record_id": record.id,
            "operation": operation,
            "version": record.version,
            "origin_node_id": record.origin_node_id,
            "owner_unit_id": record.owner_unit_id,
            "audience_unit_id": record.audience_unit_id,
            "payload": payload,
            "recorded_at": now,
            "checked": _mark(checker, record.__table__, payload),
        })
    if rows:
        session.connection().execute(insert(cast(Table, ChangeJournalEntry.__table__)), rows)


def _forget_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    session.info.pop(_PENDING, None)


def install(factory: sessionmaker[Session]) -> None:
    """Stamp and journal the synced records written by the sessions of ``factory``."""
    event.listen(factory, "before_flush", _stamp_synced_records)
    event.listen(factory, "after_flush", _journal_synced_records)
    event.listen(factory, "after_soft_rollback", _forget_pending)
