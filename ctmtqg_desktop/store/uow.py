"""Unit of work: one user action is one transaction, rolled back unless committed.

    with UnitOfWork(workspace) as uow:
        uow.session.add(record)
        uow.commit()

Inside, synced records are stamped and journalled by :mod:`ctmtqg_desktop.store.journal`
(installed on the workspace's session factory) with this installation's node, unit and clock.

Reads go through :meth:`UnitOfWork.read`, a session that writes nothing and is closed at the
end; :func:`get_or_refuse` loads a live record or refuses in Vietnamese, and
:func:`check_owner` refuses to change a record another unit owns.

Round trips (issue 17: a mass import on PostgreSQL opens some twenty units of work a
package): the clock's starting point (the journal's highest version) is read when the unit
of work first stamps a record, not when it opens; inside :meth:`UnitOfWork.reads_outside_
transactions` the reads of a PostgreSQL workspace run without ``BEGIN``/``ROLLBACK``
(autocommit: under PostgreSQL's READ COMMITTED each statement sees the latest commits
either way, and a read session writes nothing).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import RecordNotFound, UserError
from ctmtqg_desktop.domain.hlc import HybridLogicalClock, Version
from ctmtqg_desktop.store.journal import SYNC_CONTEXT, SyncContext
from ctmtqg_desktop.store.workspace import Workspace

Record = TypeVar("Record")

_OUTSIDE_TRANSACTIONS: ContextVar[bool] = ContextVar("ctmtqg_reads_outside_transactions",
                                                     default=False)
_AUTOCOMMIT_ENGINES: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def _autocommit(engine: Engine) -> Engine:
    if engine not in _AUTOCOMMIT_ENGINES:
        _AUTOCOMMIT_ENGINES[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return _AUTOCOMMIT_ENGINES[engine]


def _refuse_writes(session: Session, flush_context: Any, instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise InvalidRequestError("a read session outside a transaction writes nothing")


class _Clock(HybridLogicalClock):
    """The unit of work's hybrid logical clock, set past the journal's highest version
    when it is first used (a unit of work that stamps nothing reads nothing)."""

    def __init__(self, workspace: Workspace, session: Session, node_hex: str) -> None:
        super().__init__(node_hex)
        self._pending: tuple[Workspace, Session] | None = (workspace, session)

    def _start(self) -> None:
        if self._pending is None:
            return
        workspace, session = self._pending
        self._pending = None
        with session.no_autoflush:
            latest = workspace.latest_version(session)
        if latest:
            super().observe(latest)

    def tick(self) -> str:
        self._start()
        return super().tick()

    def observe(self, remote_version: str) -> None:
        self._start()
        super().observe(remote_version)

    @property
    def last(self) -> str:
        self._start()
        return Version(self._wall, self._counter, self.node).encode()


class UnitOfWork:
    @staticmethod
    @contextmanager
    def read(workspace: Workspace) -> Iterator[Session]:
        """A session to read with: nothing it does is committed, and it is closed at the end."""
        if _OUTSIDE_TRANSACTIONS.get() and not workspace.uses_sqlite:
            with workspace.session_factory(bind=_autocommit(workspace.engine)) as session:
                event.listen(session, "before_flush", _refuse_writes)
                yield session
            return
        with workspace.session_factory() as session:
            yield session

    @staticmethod
    @contextmanager
    def reads_outside_transactions() -> Iterator[None]:
        """Inside: :meth:`read` sessions of a PostgreSQL workspace run each statement on its
        own (autocommit), without the ``BEGIN`` and ``ROLLBACK`` round trips; a write through
        one is refused. Used by the mass import (issue 17)."""
        token = _OUTSIDE_TRANSACTIONS.set(True)
        try:
            yield
        finally:
            _OUTSIDE_TRANSACTIONS.reset(token)

    def __init__(self, workspace: Workspace, *, remote: bool = False,
                 journal_changes: bool = True) -> None:
        self.workspace = workspace
        self.remote = remote
        self.journal_changes = journal_changes
        self.context: SyncContext | None = None
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = self.workspace.session_factory()
        info = self.workspace.installation()
        if info is not None:
            clock = _Clock(self.workspace, self.session, info.node_id.hex)
            self.context = SyncContext(node_id=info.node_id, unit_id=info.unit_id,
                                       clock=clock,
                                       remote=self.remote, journal=self.journal_changes)
            self.session.info[SYNC_CONTEXT] = self.context
        return self

    def commit(self) -> None:
        self.session.commit()
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self._committed or exc_type is not None:
                self.session.rollback()
        finally:
            self.session.close()


def get_or_refuse(session: Session, model: type[Record], ident: Any, *, kind: str,
                  owner: str | None = None, deleted: bool = False,
                  for_update: bool = False) -> Record:
    """The record ``ident`` of ``model``; ``RecordNotFound`` naming ``kind`` (translated)
    when there is none, when it is a tombstone (unless ``deleted``), or when ``owner`` is
    given and another unit owns it."""
    row = session.get(model, ident, with_for_update=for_update or None)
    if (row is None or (not deleted and getattr(row, "deleted", False))
            or (owner is not None and getattr(row, "owner_unit_id", None) != owner)):
        raise RecordNotFound(kind=kind, ident=str(ident))
    return row


def check_owner(row: Any, unit_id: str, refusal: UserError) -> None:
    """Only the unit that owns a record changes it: ``refusal`` for any other unit."""
    if row.owner_unit_id != unit_id:
        raise refusal
