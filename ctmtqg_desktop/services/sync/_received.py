"""A package received: what it is, where it waits (the inbox), how its import ends (the
outcomes shown to the user) and its row in the register of packages."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import Executable

from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services.sync._nodes import record_event
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.sync import SyncIncoming
from ctmtqg_desktop.store.pipeline import upsert
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.package_format import Manifest

#: progress(done, total, what): the importer's progress callback
Progress = Callable[[int, int, str], None]
INBOX = ("sync", "inbox")


NEWER = "newer"


#: registry statuses of packages waiting in the inbox
WAITING = ("held", "quarantined", "alert")


class Outcome(Labelled):
    """How the import of a package ended (also its status in the register)."""
    APPLIED = "applied", N_("applied")
    ALREADY_APPLIED = "already_applied", N_("already applied")
    HELD = "held", N_("waiting for an earlier package")
    QUARANTINED = "quarantined", N_("quarantined: sender not yet accepted")
    NEWER = "newer", N_("waiting for an application update")
    ALERT = "alert", N_("warning: conflicting package")
    REJECTED = "rejected", N_("refused")


def outcome_label(outcome: str) -> str:
    return Outcome.label_of(outcome)


@dataclass(frozen=True)
class TableOutcome:
    table: str
    label: str
    applied: int
    unchanged: int
    older: int


@dataclass(frozen=True, kw_only=True)
class ImportOutcome:
    path: str
    file_name: str
    #: applied, already_applied, held, quarantined, newer, alert, rejected
    outcome: str
    #: which check decided (``gap``, ``fork``, ``not_zip``…; ``applied`` when applied)
    code: str
    message: str
    sha256: str | None = None
    sender_unit_id: str | None = None
    sender_name: str | None = None
    sender_node_id: uuid.UUID | None = None
    number: int | None = None
    tables: tuple[TableOutcome, ...] = ()
    changes: int = 0
    conflicts: int = 0
    retried: bool = False
    #: the sender unit had ended on the working date (dissolved or merged, e.g. on
    #: 30/06/2025): its last day, its successor's key (None: it has none) and the sentence
    #: that says so; its data was still applied, as history
    sender_ended_on: dt.date | None = None
    sender_successor_id: str | None = None
    sender_notice: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome in ("applied", "already_applied")

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)


@dataclass
class ImportReport:
    """One outcome per file given (its final state), and waiting packages applied along.

    ``cancelled``: the user stopped the import; the file being applied then was rolled back
    and the files after it were not opened (``files`` holds the ones before)."""

    files: list[ImportOutcome] = field(default_factory=list)
    retried: list[ImportOutcome] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return all(outcome.ok for outcome in self.files)


def inbox_dir(workspace: Workspace) -> Path:
    return workspace.folder.joinpath(*INBOX)


# ---------------------------------------------------------------------------- one file
@dataclass
class _Package:
    """What is known about the file being imported, as the checks go."""

    path: Path
    name: str
    sha256: str | None = None
    manifest: Manifest | None = None
    sender_name: str | None = None
    authenticated: bool = False
    #: ``{sender_ended_on, sender_successor_id, sender_notice}`` for a sender that has
    #: ended (:func:`ctmtqg_desktop.services.sync._import._ended_sender`)
    ended: dict[str, Any] = field(default_factory=dict)

    def outcome(self, outcome: str, code: str, message: str, **more: Any) -> ImportOutcome:
        """How this package's import ended; the sender and number come from its manifest,
        when it was read, unless given."""
        known: dict[str, Any] = {"path": str(self.path), "file_name": self.name,
                                 "sha256": self.sha256}
        if self.manifest is not None:
            known.update(sender_unit_id=self.manifest.sender_unit,
                         sender_name=self.sender_name,
                         sender_node_id=self.manifest.sender_node,
                         number=self.manifest.number)
        if outcome == "applied":
            known.update(self.ended)
        return ImportOutcome(**{**known, **more}, outcome=outcome, code=code, message=message)


def _first_seen(package: _Package) -> dict[str, Any]:
    """A package's row in the register as it is first written (then its status)."""
    manifest = package.manifest
    assert manifest is not None
    return {"sha256": package.sha256, "package_id": manifest.package_id,
            "sender_node_id": manifest.sender_node, "sender_unit_id": manifest.sender_unit,
            "recipient_unit_id": manifest.recipient_unit, "number": manifest.number,
            "first_seq": manifest.first_seq, "last_seq": manifest.last_seq,
            "previous_sha256": manifest.previous_sha256, "received_at": utc_now(),
            "schema_revision": manifest.schema_revision[:64],
            "app_version": manifest.app_version[:32], "file_name": package.name[:255]}


def _status(status: str, reason: str, stored_path: str | None,
            local_range: tuple | None) -> dict[str, Any]:
    values = {"status": status, "reason": reason, "stored_path": stored_path,
              "processed_at": utc_now()}
    if local_range is not None:
        values["local_first_seq"], values["local_last_seq"] = local_range
    return values


def _register(session, package: _Package, status: str, reason: str, *,
              stored_path: str | None, local_range: tuple | None = None) -> None:
    row = session.get(SyncIncoming, package.sha256)
    if row is None:
        row = SyncIncoming(**_first_seen(package))
        session.add(row)
    for key, value in _status(status, reason, stored_path, local_range).items():
        setattr(row, key, value)


def register_statement(connection: Connection, package: _Package, status: str, reason: str,
                       *, stored_path: str | None, local_range: tuple | None = None
                       ) -> Executable:
    """:func:`_register` as one statement (an upsert: no read first; issue 17): the same
    row, new or updated."""
    changed = _status(status, reason, stored_path, local_range)
    statement = upsert(connection, cast(Table, SyncIncoming.__table__))
    return statement.values(**_first_seen(package), **changed).on_conflict_do_update(
        index_elements=["sha256"], set_=changed)


def _event(workspace: Workspace, package: _Package, outcome: str, message: str, *,
           number: int | None, unit: str | None, node: uuid.UUID | None) -> None:
    with UnitOfWork(workspace) as uow:
        record_event(uow.session, kind="import", outcome=outcome, file_name=package.name,
                     sha256=package.sha256, peer_unit_id=unit, node_id=node,
                     package_number=number, message=message)
        uow.commit()
