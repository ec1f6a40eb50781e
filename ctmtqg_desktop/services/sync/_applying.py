"""Applying a verified package in one transaction: its attachments, its changes
(``sync.apply``), the areas' hooks, the installations it declares, its receipts and the
stream's position."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, case, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from ctmtqg_desktop.domain.errors import AttachmentTooLarge, UserError, WorkspaceNotInitialized
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import area, catalog
from ctmtqg_desktop.services.sync import _references as sync_references
from ctmtqg_desktop.services.sync._export import table_labels
from ctmtqg_desktop.services.sync._nodes import (
    event_values,
    unit_tree,
)
from ctmtqg_desktop.services.sync._received import (
    Progress,
    TableOutcome,
    _Package,
    register_statement,
)
from ctmtqg_desktop.services.sync._run import cached, run_title
from ctmtqg_desktop.store.atomic_files import fsync_dir, make_dirs
from ctmtqg_desktop.store.attachments import AttachmentStore
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncAck, SyncEvent, SyncPeer, SyncStreamIn
from ctmtqg_desktop.store.pipeline import execute_together, pipelines, upsert
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync import upgrade
from ctmtqg_desktop.sync.apply import Applier, ApplyRules, clock_limit
from ctmtqg_desktop.sync.authority import CHILD, PARENT, UnitTree, may_declare
from ctmtqg_desktop.sync.columns import TableCodec
from ctmtqg_desktop.sync.errors import (
    AttachmentOverLimit,
    DeclaresOtherUnit,
    EntryHashMismatch,
    ManifestInvalid,
    MissingReference,
    PackageProblem,
    TotalsMismatch,
)
from ctmtqg_desktop.sync.package_format import ATTACHMENT_PREFIX, CHANGES, Manifest
from ctmtqg_desktop.sync.package_reader import PackageReader


class StagedAttachments:
    """The attached files of a package being imported, kept apart until it is applied.

    Files are written to ``attachments/.staging-<id>/`` as they are decrypted (each bounded
    by the receiver's own attachment limit while streaming), moved into the store just
    before the import's transaction commits, and the staging folder is removed whatever
    happens: a refused package leaves no file behind (issue 12)."""

    def __init__(self, workspace: Workspace, limit_bytes: int) -> None:
        self.final = AttachmentStore(workspace.attachments_dir, limit_bytes=limit_bytes)
        self.folder = workspace.attachments_dir / f".staging-{uuid.uuid4().hex}"
        self.staging = AttachmentStore(self.folder, limit_bytes=limit_bytes)
        self.limit_bytes = limit_bytes
        self.promoted: list[Path] = []

    def has(self, digest: str) -> bool:
        return self.final.has(digest) or self.staging.has(digest)

    def promote(self) -> None:
        """Move the staged files into the store (before the commit that names them)."""
        if not self.folder.is_dir():
            return
        for staged in sorted(self.folder.glob("??/*")):
            target = self.final.path_for(staged.name)
            if target.exists():
                continue
            make_dirs(target.parent)
            os.replace(staged, target)
            fsync_dir(target.parent)
            self.promoted.append(target)

    def unpromote(self) -> None:
        """The commit failed: the files this import brought in go again."""
        for path in self.promoted:
            path.unlink(missing_ok=True)
        self.promoted = []

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _store_attachments(workspace: Workspace, reader: PackageReader) -> StagedAttachments:
    """Files first, into the staging folder; the caller calls ``discard`` at the end."""
    from ctmtqg_desktop.services import settings

    setting = cached(("setting", "attachment_limit"),  # once per import run
                     lambda: settings.get(workspace, settings.ATTACHMENT_LIMIT_MB)) * 1024 * 1024
    store = StagedAttachments(workspace, min(setting, reader.limits.attachment_bytes))
    try:
        for name in reader.manifest.entries:
            if not name.startswith(ATTACHMENT_PREFIX):
                continue
            digest = name[len(ATTACHMENT_PREFIX):]
            if store.final.has(digest) and store.final.verify(digest):
                continue
            info = reader.manifest.entries[name]
            if (info.plain_size if info.plain_size is not None else info.size) > \
                    store.limit_bytes:
                raise AttachmentOverLimit(limit=setting // (1024 * 1024))
            try:
                with reader.entry_errors(name):
                    handle = reader.open_entry(name)
                    try:
                        stored = store.staging.add_stream(handle, name=digest)
                    finally:
                        handle.close()
            except AttachmentTooLarge as error:
                raise AttachmentOverLimit(limit=setting // (1024 * 1024)) from error
            except UserError as error:
                if isinstance(error, PackageProblem):
                    raise
                raise EntryHashMismatch(entry=name) from error
            if stored.digest != digest:
                raise EntryHashMismatch(entry=name)
    except BaseException:
        store.discard()
        raise
    return store


_LOCK_JOURNAL = "LOCK TABLE change_journal IN SHARE ROW EXCLUSIVE MODE"


def _locked_connection(session: Session) -> tuple[Connection, int | None]:
    """The import's connection: on PostgreSQL no other writer may take journal numbers inside
    the range this import writes; on SQLite foreign keys are checked at the commit. With
    psycopg the journal's highest number (where this package's rows start) is read with
    the lock, in the same round trip (None: the applier reads it)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        return connection, None
    if not pipelines(connection):
        connection.execute(text(_LOCK_JOURNAL))
        return connection, None
    driver: Any = connection.connection.dbapi_connection  # psycopg's, in our transaction
    with driver.cursor() as cursor:  # two statements, no parameters: one simple query
        cursor.execute(f"{_LOCK_JOURNAL}; SELECT coalesce(max(seq), 0) FROM change_journal")
        cursor.nextset()
        (start,) = cursor.fetchone()
    return connection, int(start)


def _stream_advanced(connection: Connection, package: _Package) -> Executable:
    """Where the sender's stream stands now: applied through the package's last change
    (one statement, an upsert: not read first)."""
    manifest = cast(Manifest, package.manifest)
    table = cast(Table, SyncStreamIn.__table__)
    moved = {"last_number": manifest.number, "last_sha256": package.sha256,
             "last_applied_at": utc_now()}
    statement = upsert(connection, table).values(
        sender_node_id=manifest.sender_node, sender_unit_id=manifest.sender_unit,
        applied_through=max(0, manifest.last_seq), **moved)
    advanced: Executable = statement.on_conflict_do_update(
        index_elements=["sender_node_id"], set_={"applied_through": case(
            (table.c.applied_through > statement.excluded.applied_through,
             table.c.applied_through), else_=statement.excluded.applied_through),
        **moved})
    return advanced


def _sender_noted(connection: Connection, tree: UnitTree, local_unit: str,
                  manifest: Manifest) -> list[Executable]:
    """The sender unit is a peer, with its catalog version (added if it is our parent or
    child and not yet known, as :func:`ensure_peer` adds it), its installation seen now:
    written without reading them first."""
    if tree.relation(local_unit, manifest.sender_unit) in (CHILD, PARENT):
        statement = upsert(connection, cast(Table, SyncPeer.__table__)).values(
            unit_id=manifest.sender_unit,
            relation=tree.relation(local_unit, manifest.sender_unit), added_at=utc_now(),
            catalog_version=manifest.catalog_version)
        peer: Executable = statement.on_conflict_do_update(
            index_elements=["unit_id"],
            set_={"catalog_version": statement.excluded.catalog_version})
    else:  # not a peer: nothing to note (as ensure_peer adds nothing)
        peer = update(SyncPeer).where(SyncPeer.unit_id == manifest.sender_unit).values(
            catalog_version=manifest.catalog_version)
    return [peer, update(Node).where(Node.id == manifest.sender_node).values(
        last_seen_at=utc_now(), app_version=manifest.app_version[:32])]


def _applied_message(package: _Package, result, tables: tuple[TableOutcome, ...],
                     catalog_data, references, skipped_templates: list[str]) -> str:
    manifest = package.manifest
    applied = sum(t.applied for t in tables)
    message = _("Applied package no. {number} from {unit}: {applied} changes applied, "
                "{unchanged} already here.").format(
                    number=manifest.number, unit=package.sender_name,
                    applied=format_number(applied),
                    unchanged=format_number(result.lines - applied))
    if result.conflicts:
        message += " " + _("{count} edits made on two computers of the unit overlapped; "
                           "the newer one was kept and the other is shown under "
                           "“Overridden values”.").format(count=result.conflicts)
    if catalog_data is not None:
        message += " " + _("Catalog version {version} received.").format(
            version=catalog_data.version)
    if references is not None:
        message += " " + sync_references.received_sentence(references, skipped_templates)
    if package.ended:
        message += " " + package.ended["sender_notice"]
    return message


def _apply(workspace: Workspace, package: _Package, reader: PackageReader, tree: UnitTree,
           relation: str, store: StagedAttachments, catalog_data, references=None, *,
           progress: Progress | None, check: Callable[[], None] | None):
    manifest = package.manifest
    info = workspace.installation()
    if info is None:  # open_workspace refuses a workspace never set up
        raise WorkspaceNotInitialized(path=str(workspace.folder))
    models = cached("models", lambda: {m.__tablename__: m for m in area.synced_records()})
    labels = cached("labels", table_labels)
    codecs = cached("codecs", lambda: {name: TableCodec.for_table(model.__table__)
                                       for name, model in models.items()})
    total_lines = manifest.entries[CHANGES].lines or 0
    names: dict[str, str] = {}

    def unit_name(unit_id: str) -> str:
        if unit_id not in names:
            title = run_title(workspace, unit_id)
            names[unit_id] = f"{title} ({unit_id})"
        return names[unit_id]

    with UnitOfWork(workspace, remote=True, journal_changes=False) as uow:
        session = uow.session
        connection, start_seq = _locked_connection(session)
        if catalog_data is not None:
            catalog.install_if_newer(session, catalog_data)
            tree = unit_tree(session)
        node_units = _declare_nodes(session, manifest, tree, relation, info.unit_id,
                                    unit_name)
        revision = manifest.schema_revision
        rules = ApplyRules(
            tree=tree, relation=relation, local_unit=info.unit_id, local_node=info.node_id,
            sender_unit=manifest.sender_unit, sender_label=unit_name(manifest.sender_unit),
            node_units=node_units, first_seq=manifest.first_seq, last_seq=manifest.last_seq,
            upgrader=cached(("upgrader", revision),
                            lambda: upgrade.Upgrader(revision, models)),
            codecs=codecs,
            order=list(models), labels=labels, unit_name=unit_name,
            attachment_available=store.has,
            clock_limit_ms=clock_limit(time.time_ns() // 1_000_000))

        def on_batch(done: int) -> None:
            if check:
                check()
            if progress:
                progress(done, max(total_lines, done),
                         _("Applying changes: {done} of {total}").format(
                             done=format_number(done), total=format_number(total_lines)))

        try:  # PostgreSQL checks foreign keys at each insert, SQLite (deferred) at commit
            result = Applier(connection, rules, start_seq).run(
                reader.iter_change_lines(), on_batch=on_batch)
        except IntegrityError as error:
            raise MissingReference(detail=_("foreign keys")) from error
        _check_totals(manifest, result, labels)
        _after_apply(workspace, uow, result)
        skipped_templates: list[str] = []
        if references is not None:
            has_children = any(parent == info.unit_id for parent in tree.parent_of.values())
            skipped_templates = sync_references.install(session, references,
                                                        pass_on=has_children)
        _take_receipts(session, manifest, info.node_id)
        tables = tuple(TableOutcome(name, labels.get(name, name), t.applied, t.unchanged,
                                    t.older)
                       for name, t in sorted(result.tallies.items(),
                                             key=lambda item: labels.get(item[0], item[0])))
        message = _applied_message(package, result, tables, catalog_data, references,
                                   skipped_templates)
        counts = json.dumps({t.table: {"applied": t.applied, "unchanged": t.unchanged,
                                       "older": t.older} for t in tables}, sort_keys=True)
        session.flush()  # what the ORM holds goes first (receipts, catalog, nodes)
        # the sender's peer and installation, its stream, the package's row and the
        # history's line: written without reading them first, together (one round trip on
        # PostgreSQL; were eight, issue 17)
        execute_together(connection, [
            *_sender_noted(connection, tree, info.unit_id, manifest),
            _stream_advanced(connection, package),
            register_statement(connection, package, "applied", message, stored_path=None,
                               local_range=(result.local_first_seq, result.local_last_seq)),
            insert(cast(Table, SyncEvent.__table__)).values(**event_values(
                kind="import", outcome="applied", file_name=package.name,
                sha256=package.sha256, peer_unit_id=manifest.sender_unit,
                node_id=manifest.sender_node, package_number=manifest.number,
                message=message, counts=counts))])
        store.promote()
        try:
            uow.commit()
        except IntegrityError as error:
            store.unpromote()
            raise MissingReference(detail=_("foreign keys")) from error
        except BaseException:
            store.unpromote()
            raise
    return package.outcome("applied", "applied", message, tables=tables,
                           changes=result.lines, conflicts=result.conflicts)


def _after_apply(workspace: Workspace, uow: UnitOfWork, result) -> None:
    """Inside the import's transaction, once the changes are written: what the records
    imply here, as each area's hooks say (``Area.after_apply``: a task's derived columns
    follow its progress). The applier writes rows without the ORM, so each hook gets the ids
    of the records of its tables that the package changed: those of the journal rows it
    wrote, in their order, as the applier kept them (the journal is not read again: two
    round trips a package fewer, issue 17)."""
    if result.local_first_seq is None:
        return
    session = uow.session
    for hook in area.after_apply():
        ids: dict[str, list[uuid.UUID]] = {
            table: [ident if isinstance(ident, uuid.UUID) else uuid.UUID(ident)
                    for ident in result.journalled.get(table, ())]
            for table in hook.tables}
        hook.run(session, ids)


class NodeUnits(dict[uuid.UUID, str]):
    """Installation → unit, for the authors of a package's records: the installations the
    package declares (and its sender) read in one query; any other author asked of the
    database when a record names it, once (issue 17: every installation of the country was
    read for each package, 3,321 packages × 3,321+ rows)."""

    def __init__(self, session: Session, known: dict[uuid.UUID, str]) -> None:
        super().__init__(known)
        self._session = session
        self._absent: set[uuid.UUID] = set()

    def get(self, key: uuid.UUID, default: str | None = None) -> str | None:  # type: ignore[override]
        if key in self:
            return self[key]
        if key in self._absent:
            return default
        unit = self._session.execute(select(Node.unit_id).where(Node.id == key)).scalar()
        if unit is None:
            self._absent.add(key)
            return default
        self[key] = unit
        return unit


def _declare_nodes(session: Session, manifest: Manifest, tree: UnitTree, relation: str,
                   local_unit: str, unit_name: Callable[[str], str]) -> dict[uuid.UUID, str]:
    """Installations named as authors in the package, remembered as relayed ones; only
    those of units whose records the sender may carry (:func:`authority.may_declare`)."""
    declared_ids = sorted({d.node for d in manifest.nodes} | {manifest.sender_node})
    known = NodeUnits(session, dict(session.execute(
        select(Node.id, Node.unit_id).where(Node.id.in_(declared_ids))).all()))
    now = utc_now()
    for declared in manifest.nodes:
        if not may_declare(tree, relation=relation, local_unit=local_unit,
                           sender_unit=manifest.sender_unit, unit=declared.unit):
            raise DeclaresOtherUnit(sender=unit_name(manifest.sender_unit),
                                    unit=unit_name(declared.unit))
        unit = known.get(declared.node)
        if unit is None:
            session.add(Node(id=declared.node, unit_id=declared.unit, label=declared.label[:120],
                             is_local=False, created_at=now, first_seen_at=now,
                             status="relayed", sign_public_key=declared.sign_key,
                             box_public_key=declared.box_key))
            known[declared.node] = declared.unit
        elif unit != declared.unit:
            raise ManifestInvalid(detail=_("an installation is declared for another unit"))
    session.flush()
    known[manifest.sender_node] = manifest.sender_unit
    return known


def _check_totals(manifest: Manifest, result, labels: dict[str, str]) -> None:
    declared = manifest.entries[CHANGES].lines
    if declared is not None and declared != result.lines:
        raise TotalsMismatch(table=_("all"), found=result.lines, declared=declared)
    for name in sorted(set(manifest.tables) | set(result.tallies)):
        totals = manifest.tables.get(name, {})
        found = result.tallies[name].found if name in result.tallies else {}
        for operation in ("insert", "update", "delete"):
            if totals.get(operation, 0) != found.get(operation, 0):
                raise TotalsMismatch(table=labels.get(name, name),
                                     found=found.get(operation, 0),
                                     declared=totals.get(operation, 0))


def _take_receipts(session: Session, manifest: Manifest, local_node: uuid.UUID) -> None:
    """The sender tells us how far it has applied our packages (resend from there)."""
    for ack in manifest.acknowledgements:
        if ack.node != local_node:
            continue
        row = session.get(SyncAck, (manifest.sender_unit, manifest.sender_node))
        if row is None:
            row = SyncAck(recipient_unit_id=manifest.sender_unit, node_id=manifest.sender_node)
            session.add(row)
        row.through_seq = ack.through
        row.package_number = ack.number
        row.package_sha256 = ack.sha256
        row.acknowledged_at = utc_now()
