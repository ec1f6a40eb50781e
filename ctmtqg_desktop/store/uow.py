"""Unit of work: one user action is one transaction, rolled back unless committed.

    with UnitOfWork(workspace) as uow:
        uow.session.add(record)
        uow.commit()

Inside, synced records are stamped and journalled by :mod:`ctmtqg_desktop.store.journal`
(installed on the workspace's session factory) with this installation's node, unit and clock.

Reads go through :meth:`UnitOfWork.read`, a session that writes nothing and is closed at the
end; :func:`get_or_refuse` loads a live record or refuses in Vietnamese, and
:func:`check_owner` refuses to change a record another unit owns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import RecordNotFound, UserError
from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.store.journal import SYNC_CONTEXT, SyncContext
from ctmtqg_desktop.store.workspace import Workspace

Record = TypeVar("Record")


class UnitOfWork:
    @staticmethod
    @contextmanager
    def read(workspace: Workspace) -> Iterator[Session]:
        """A session to read with: nothing it does is committed, and it is closed at the end."""
        with workspace.session_factory() as session:
            yield session

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
            clock = HybridLogicalClock(info.node_id.hex)
            latest = self.workspace.latest_version(self.session)
            if latest:
                clock.observe(latest)
            self.context = SyncContext(node_id=info.node_id, unit_id=info.unit_id, clock=clock,
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
