"""Unit of work: one user action is one transaction, rolled back unless committed.

    with UnitOfWork(workspace) as uow:
        uow.session.add(record)
        uow.commit()

Inside, synced records are stamped and journalled by :mod:`ctmtqg_desktop.store.journal`
with this installation's node, unit and clock.
"""

from __future__ import annotations

from types import TracebackType

from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.store import journal  # noqa: F401  (registers the journal hooks)
from ctmtqg_desktop.store.journal import SYNC_CONTEXT, SyncContext
from ctmtqg_desktop.store.workspace import Workspace


class UnitOfWork:
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

