"""Nhận gói đồng bộ: verify packages completely, then apply each in one transaction.

For every file, in this order, before anything is written: its SHA-256 (a file already
applied is recognised at once), the ZIP structure and manifest (:mod:`package_reader`),
that this workspace is the recipient, that the sender's unit is our parent or a child, the
signature against the key we know for the sender (an unknown sender is quarantined unless
its package proves it was set up from our enrollment file), the data version (an older
package is upgraded, a newer one kept aside), the sequence (a replay or a package whose
changes came in a later one is a no-op, a gap is held, the same number with other content is
an alert), every entry's size and SHA-256, and the decryption key. Then one transaction
applies the catalog, the changes (:mod:`ctmtqg_desktop.sync.apply`), checks the per-table
totals, records the receipts the sender gave us and queues ours, and writes the history.
Any failure rolls everything back.

Waiting packages (held, quarantined, needing a newer application) are copied into the
workspace's ``sync/inbox`` and tried again automatically: held ones after each package from
the same sender is applied, quarantined ones when their installation is accepted, newer
ones at each import once the application understands them.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from ctmtqg_desktop.app_logging import log_path
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import enrollment, sync_catalog, sync_references
from ctmtqg_desktop.services.sync_export import table_labels
from ctmtqg_desktop.services.sync_nodes import (
    ensure_peer,
    local_keys,
    record_event,
    unit_title,
    unit_tree,
)
from ctmtqg_desktop.store.atomic_files import atomic_write
from ctmtqg_desktop.store.attachments import AttachmentStore
from ctmtqg_desktop.store.base import synced_models, utc_now
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncAck, SyncIncoming, SyncPeer, SyncStreamIn
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync import upgrade
from ctmtqg_desktop.sync.apply import Applier, ApplyRules, clock_limit
from ctmtqg_desktop.sync.authority import PARENT, UnitTree
from ctmtqg_desktop.sync.columns import TableCodec
from ctmtqg_desktop.sync.errors import (
    EntryHashMismatch,
    ForkedPackage,
    GapBefore,
    KeyChanged,
    ManifestInvalid,
    MissingReference,
    NewerSchema,
    PackageProblem,
    PackageTooLarge,
    SenderNotPeer,
    SenderRevoked,
    SentByThisInstallation,
    SignatureInvalid,
    TotalsMismatch,
    UnknownSender,
    WrongRecipient,
)
from ctmtqg_desktop.sync.identity import PublicIdentity, unb64
from ctmtqg_desktop.sync.package_format import (
    ATTACHMENT_PREFIX,
    CATALOG,
    CHANGES,
    DEFAULT_LIMITS,
    REFERENCES,
    Manifest,
)
from ctmtqg_desktop.sync.package_reader import PackageReader, file_sha256

log = logging.getLogger("ctmtqg.sync")

Progress = Callable[[int, int, str], None]
INBOX = ("sync", "inbox")
NEWER = "newer"
#: registry statuses of packages waiting in the inbox
WAITING = ("held", "quarantined", "alert")

OUTCOME_LABELS = {
    "applied": lambda: _("applied"),
    "already_applied": lambda: _("already applied"),
    "held": lambda: _("waiting for an earlier package"),
    "quarantined": lambda: _("quarantined: sender not yet accepted"),
    "newer": lambda: _("waiting for an application update"),
    "alert": lambda: _("warning: conflicting package"),
    "rejected": lambda: _("refused"),
}


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, lambda: outcome)()


@dataclass(frozen=True)
class TableOutcome:
    table: str
    label: str
    applied: int
    unchanged: int
    older: int


@dataclass(frozen=True)
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


class _Stop(BaseException):
    """Carries the caller's cancellation through the per-file error handling."""


def _stoppable(check: Callable[[], None] | None) -> Callable[[], None] | None:
    if check is None:
        return None

    def run() -> None:
        try:
            check()
        except Exception as error:
            raise _Stop() from error

    return run


def inbox_dir(workspace: Workspace) -> Path:
    return workspace.folder.joinpath(*INBOX)


# ---------------------------------------------------------------------------- entry points
def import_packages(workspace: Workspace, paths: list[Path], *,
                    progress: Progress | None = None,
                    check: Callable[[], None] | None = None) -> ImportReport:
    """Import each file in turn (each in its own transaction); see the module docstring."""
    from ctmtqg_desktop.services import backups, dossier_templates

    # dossiers name the template version they were started with: the shipped versions must
    # be here before a child's dossiers are (a parent unit may never have opened a dossier)
    dossier_templates.ensure_shipped_templates(workspace)
    backups.before_import(workspace)  # issue 18: a backup before every import
    report = ImportReport()
    report.retried += _retry_newer(workspace)
    total = len(paths)
    stop = _stoppable(check)
    for index, path in enumerate(paths):
        path = Path(path)

        def step(done: int, count: int, text: str, index=index) -> None:
            if progress:
                share = (done / count) if count else 1.0
                progress(int((index + share) * 1000), total * 1000, text)

        try:
            if stop:
                stop()
            outcome = import_file(workspace, path, progress=step, check=stop)
        except _Stop:
            report.cancelled = True
            break
        report.files.append(outcome)
        if outcome.outcome == "applied" and outcome.sender_node_id is not None:
            report.retried += retry_waiting(workspace, sender=outcome.sender_node_id,
                                            statuses=("held",))
    # a held file given in this run and applied by a retry ends as applied
    applied_later = {o.sha256: o for o in report.retried if o.ok}
    report.files = [applied_later.get(o.sha256, o) if not o.ok and o.sha256 else o
                    for o in report.files]
    given = {o.sha256 for o in report.files}
    report.retried = [o for o in report.retried if o.sha256 not in given]
    if progress:
        progress(total * 1000, total * 1000, _("Done."))
    return report


def retry_waiting(workspace: Workspace, *, sender: uuid.UUID | None = None,
                  statuses: tuple[str, ...] = ("held",)) -> list[ImportOutcome]:
    """Try again packages waiting in the inbox until no more can be applied."""
    results: list[ImportOutcome] = []
    tried: set[str] = set()
    while True:
        with workspace.session_factory() as session:
            statement = select(SyncIncoming).where(SyncIncoming.status.in_(statuses),
                                                   SyncIncoming.stored_path.is_not(None))
            if sender is not None:
                statement = statement.where(SyncIncoming.sender_node_id == sender)
            waiting = [(row.sha256, row.stored_path, row.file_name) for row in session.scalars(
                statement.order_by(SyncIncoming.sender_node_id, SyncIncoming.number))]
        progressed = False
        for sha256, stored, name in waiting:
            if sha256 in tried and statuses == ("held",):
                continue
            outcome = import_file(workspace, workspace.folder / stored, display_name=name,
                                  from_inbox=True)
            tried.add(sha256)
            if outcome.ok:
                progressed = True
                results.append(outcome)
            elif "quarantined" in statuses or "alert" in statuses:
                results.append(outcome)
        if not progressed:
            return results
        tried.clear()


def _retry_newer(workspace: Workspace) -> list[ImportOutcome]:
    folder = inbox_dir(workspace) / NEWER
    if not folder.is_dir():
        return []
    results = []
    for path in sorted(folder.glob("*.ctsync")):
        try:
            with PackageReader(path) as reader:
                if not upgrade.is_known(reader.manifest.schema_revision):
                    continue
        except PackageProblem:
            continue
        results.append(import_file(workspace, path, from_inbox=True))
    return results


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


def import_file(workspace: Workspace, path: Path, *, display_name: str | None = None,
                from_inbox: bool = False, progress: Progress | None = None,
                check: Callable[[], None] | None = None) -> ImportOutcome:
    """Import one package file; never raises for a bad file (the outcome says why)."""
    package = _Package(Path(path), display_name or Path(path).name)
    try:
        size = package.path.stat().st_size  # refused before reading gigabytes to hash them
        if size > DEFAULT_LIMITS.package_bytes:
            raise PackageTooLarge(name=package.name, size=size,
                                  limit=DEFAULT_LIMITS.package_bytes)
        package.sha256 = file_sha256(package.path)
        with workspace.session_factory() as session:
            known = session.get(SyncIncoming, package.sha256)
            if known is not None and known.status in ("applied", "superseded"):
                name = unit_title(workspace, known.sender_unit_id)
                message = _("Package no. {number} from {unit} had already been applied; "
                            "nothing changed.").format(number=known.number, unit=name)
                _event(workspace, package, "already_applied", message,
                       number=known.number, unit=known.sender_unit_id,
                       node=known.sender_node_id)
                _forget_inbox_copy(workspace, package, from_inbox)
                return ImportOutcome(str(package.path), package.name, "already_applied",
                                     "replay", message, package.sha256, known.sender_unit_id,
                                     name, known.sender_node_id, known.number)
        with PackageReader(package.path) as reader:
            return _verify_and_apply(workspace, package, reader, from_inbox=from_inbox,
                                     progress=progress, check=check)
    except PackageProblem as problem:
        return _refused(workspace, package, problem, from_inbox=from_inbox)
    except UserError as error:  # e.g. this installation's keys are missing
        return _failed(workspace, package, str(error))
    except OSError as error:
        return _failed(workspace, package, _("“{name}” could not be read: {reason}").format(
            name=package.name, reason=error.strerror or str(error)))
    except Exception:  # noqa: BLE001 — one bad file must not stop the others
        log.exception("internal error importing %s", package.path)
        return _failed(workspace, package, _(
            "Internal error: the details were written to {log}. Please send this file to "
            "the support team.").format(log=log_path() or "ctmtqg.log"))


def _verify_and_apply(workspace: Workspace, package: _Package, reader: PackageReader, *,
                      from_inbox: bool, progress: Progress | None,
                      check: Callable[[], None] | None) -> ImportOutcome:
    manifest = reader.manifest
    package.manifest = manifest
    info = workspace.installation()
    package.sender_name = unit_title(workspace, manifest.sender_unit)
    if manifest.sender_node == info.node_id:
        raise SentByThisInstallation(recipient=unit_title(workspace, manifest.recipient_unit))
    with workspace.session_factory() as session:
        tree = unit_tree(session)
    # a package addressed to the unit this one continues (after a reorganisation) is ours
    if manifest.recipient_unit != info.unit_id and \
            manifest.recipient_unit not in tree.continued_from.get(info.unit_id, ()):
        raise WrongRecipient(recipient=unit_title(workspace, manifest.recipient_unit),
                             unit=unit_title(workspace, info.unit_id))
    relation = tree.relation(info.unit_id, manifest.sender_unit)
    if relation is None:
        raise SenderNotPeer(sender=package.sender_name, unit=unit_title(workspace, info.unit_id))
    _authenticate(workspace, package, reader, tree)
    if not upgrade.is_known(manifest.schema_revision):
        raise NewerSchema(version=manifest.app_version, revision=manifest.schema_revision)
    superseded = _check_sequence(workspace, package)
    if superseded:
        return _superseded(workspace, package, from_inbox)
    reader.verify_entries()
    keys = local_keys(workspace)
    reader.unlock(info.node_id, keys.box_private)
    store = _store_attachments(workspace, reader)
    catalog_document = catalog_data = None
    if CATALOG in manifest.entries:
        try:
            catalog_document = json.loads(reader.read_entry(CATALOG).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise EntryHashMismatch(entry=CATALOG) from error
        catalog_data = sync_catalog.unpack(catalog_document)
    references = None
    if REFERENCES in manifest.entries:
        if relation != PARENT:
            raise sync_references.BadReferences(detail=_(
                "only the parent unit sends dossier templates and handbook pages"))
        try:
            document = json.loads(reader.read_entry(REFERENCES).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise EntryHashMismatch(entry=REFERENCES) from error
        references = sync_references.unpack(document)
    if check:
        check()
    outcome = _apply(workspace, package, reader, tree, relation, store, catalog_data,
                     references, progress=progress, check=check)
    if catalog_data is not None:
        sync_catalog.keep_copy(workspace, catalog_document, catalog_data.version)
    if references is not None:
        sync_references.write_pages(workspace, references)
    _forget_inbox_copy(workspace, package, from_inbox)
    return outcome


def _authenticate(workspace: Workspace, package: _Package, reader: PackageReader,
                  tree: UnitTree) -> None:
    """Signature against the key we know; unknown senders prove enrollment or wait."""
    manifest = package.manifest
    try:
        claimed = PublicIdentity(manifest.sender_node, unb64(manifest.sign_key, length=32),
                                 unb64(manifest.box_key, length=32))
    except ValueError as error:
        raise ManifestInvalid(detail=_("the sender's keys are not readable")) from error
    short = str(manifest.sender_node)[:8]
    with workspace.session_factory() as session:
        node = session.get(Node, manifest.sender_node)
        stored = None
        if node is not None:
            if node.unit_id != manifest.sender_unit:
                raise ManifestInvalid(detail=_("the sending installation belongs to another "
                                               "unit"))
            if node.status == "revoked":
                raise SenderRevoked(node=short, unit=package.sender_name)
            if node.sign_public_key:
                stored = PublicIdentity(node.id, unb64(node.sign_public_key, length=32),
                                        unb64(node.box_public_key, length=32))
        status = node.status if node is not None else None
    if stored is not None and (stored.sign_key, stored.box_key) != (claimed.sign_key,
                                                                     claimed.box_key):
        # an installation keeps its keys for life: other keys under its id are a forgery
        raise KeyChanged(node=short, unit=package.sender_name)
    if not reader.signature_valid(stored or claimed):
        raise SignatureInvalid(node=short, unit=package.sender_name)
    package.authenticated = True
    if status == "trusted":
        return
    info = workspace.installation()
    proven = manifest.enrollment_id is not None and enrollment.proof_is_valid(
        workspace, manifest.enrollment_id, manifest.enrollment_proof, claimed,
        manifest.sender_unit)
    now = utc_now()
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(Node, manifest.sender_node)
        if row is None:
            row = Node(id=manifest.sender_node, unit_id=manifest.sender_unit,
                       label=manifest.sender_label[:120], is_local=False, created_at=now,
                       first_seen_at=now, status="pending")
            uow.session.add(row)
        row.sign_public_key, row.box_public_key = claimed.sign_key_b64, claimed.box_key_b64
        row.fingerprint = claimed.fingerprint
        row.last_seen_at = now
        if proven:
            row.status = "trusted"
            row.enrollment_id = manifest.enrollment_id
            uow.session.flush()
            ensure_peer(uow.session, tree, info.unit_id, manifest.sender_unit)
            record_event(uow.session, kind="node", outcome="accepted", node_id=row.id,
                         peer_unit_id=row.unit_id, file_name=package.name,
                         message=_("New installation {node} of {unit} (fingerprint "
                                   "{fingerprint}) was set up from this unit's enrollment "
                                   "file and is trusted.").format(
                                       node=short, unit=package.sender_name,
                                       fingerprint=claimed.fingerprint))
        elif row.status not in ("pending",):
            row.status = "pending"
        uow.commit()
    if not proven:
        raise UnknownSender(node=short, unit=package.sender_name,
                            fingerprint=claimed.fingerprint)


def _check_sequence(workspace: Workspace, package: _Package) -> bool:
    """Fork and gap checks; True when the package's changes already came in a later one."""
    manifest = package.manifest
    short = str(manifest.sender_node)[:8]
    with workspace.session_factory() as session:
        same_number = session.scalars(select(SyncIncoming).where(
            SyncIncoming.sender_node_id == manifest.sender_node,
            SyncIncoming.number == manifest.number,
            SyncIncoming.sha256 != package.sha256,
            SyncIncoming.status.in_(("applied", "superseded", "held", "quarantined")))).first()
        if same_number is not None:
            raise ForkedPackage(number=manifest.number, unit=package.sender_name, node=short)
        neighbours = {row.number: row for row in session.scalars(select(SyncIncoming).where(
            SyncIncoming.sender_node_id == manifest.sender_node,
            SyncIncoming.number.in_((manifest.number - 1, manifest.number + 1)),
            SyncIncoming.status.in_(("applied", "superseded"))))}
        before, after = neighbours.get(manifest.number - 1), neighbours.get(manifest.number + 1)
        if before is not None and manifest.previous_sha256 != before.sha256:
            raise ForkedPackage(number=manifest.number, unit=package.sender_name, node=short)
        if after is not None and after.previous_sha256 != package.sha256:
            raise ForkedPackage(number=manifest.number, unit=package.sender_name, node=short)
        stream = session.get(SyncStreamIn, manifest.sender_node)
        applied_through = stream.applied_through if stream else 0
        last_number = stream.last_number if stream else 0
    if manifest.number <= last_number:
        return True
    if manifest.first_seq > applied_through + 1:
        raise GapBefore(number=manifest.number, unit=package.sender_name,
                        first=manifest.first_seq, applied=applied_through)
    return False


def _superseded(workspace: Workspace, package: _Package, from_inbox: bool) -> ImportOutcome:
    manifest = package.manifest
    message = _("Package no. {number} from {unit} had already arrived in a later package; "
                "nothing changed.").format(number=manifest.number, unit=package.sender_name)
    with UnitOfWork(workspace) as uow:
        _register(uow.session, package, "superseded", message, stored_path=None)
        record_event(uow.session, kind="import", outcome="already_applied",
                     file_name=package.name, sha256=package.sha256,
                     peer_unit_id=manifest.sender_unit, node_id=manifest.sender_node,
                     package_number=manifest.number, message=message)
        uow.commit()
    _forget_inbox_copy(workspace, package, from_inbox)
    return ImportOutcome(str(package.path), package.name, "already_applied", "superseded",
                         message, package.sha256, manifest.sender_unit, package.sender_name,
                         manifest.sender_node, manifest.number)


def _store_attachments(workspace: Workspace, reader: PackageReader) -> AttachmentStore:
    """Files first (content-addressed: a leftover after a failure is harmless)."""
    store = AttachmentStore(workspace.attachments_dir,
                            limit_bytes=reader.limits.attachment_bytes)
    for name in reader.manifest.entries:
        if not name.startswith(ATTACHMENT_PREFIX):
            continue
        digest = name[len(ATTACHMENT_PREFIX):]
        if store.has(digest) and store.verify(digest):
            continue
        try:
            with reader.entry_errors(name):
                handle = reader.open_entry(name)
                try:
                    stored = store.add_stream(handle, name=digest)
                finally:
                    handle.close()
        except UserError as error:  # larger than any attachment may be
            if isinstance(error, PackageProblem):
                raise
            raise EntryHashMismatch(entry=name) from error
        if stored.digest != digest:
            raise EntryHashMismatch(entry=name)
    return store


def _apply(workspace: Workspace, package: _Package, reader: PackageReader, tree: UnitTree,
           relation: str, store: AttachmentStore, catalog_data, references=None, *,
           progress: Progress | None, check: Callable[[], None] | None):
    manifest = package.manifest
    info = workspace.installation()
    models = {m.__tablename__: m for m in synced_models()}
    labels = table_labels()
    total_lines = manifest.entries[CHANGES].lines or 0
    names: dict[str, str] = {}

    def unit_name(unit_id: str) -> str:
        if unit_id not in names:
            names[unit_id] = f"{unit_title(workspace, unit_id)} ({unit_id})"
        return names[unit_id]

    with UnitOfWork(workspace, remote=True, journal_changes=False) as uow:
        session = uow.session
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            # no other writer may take journal numbers inside the range this import writes
            connection.execute(text("LOCK TABLE change_journal IN SHARE ROW EXCLUSIVE MODE"))
        else:
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        if catalog_data is not None:
            sync_catalog.install_if_newer(session, catalog_data)
            tree = unit_tree(session)
        node_units = _declare_nodes(session, manifest)
        rules = ApplyRules(
            tree=tree, relation=relation, local_unit=info.unit_id, local_node=info.node_id,
            sender_unit=manifest.sender_unit, sender_label=unit_name(manifest.sender_unit),
            node_units=node_units, first_seq=manifest.first_seq, last_seq=manifest.last_seq,
            upgrader=upgrade.Upgrader(manifest.schema_revision, models),
            codecs={name: TableCodec.for_table(model.__table__)
                    for name, model in models.items()},
            order=[m.__tablename__ for m in synced_models()], labels=labels,
            unit_name=unit_name, attachment_available=store.has,
            clock_limit_ms=clock_limit(time.time_ns() // 1_000_000))

        def on_batch(done: int) -> None:
            if check:
                check()
            if progress:
                progress(done, max(total_lines, done),
                         _("Applying changes: {done} of {total}").format(
                             done=format_number(done), total=format_number(total_lines)))

        try:  # PostgreSQL checks foreign keys at each insert, SQLite (deferred) at commit
            result = Applier(connection, rules).run(reader.iter_change_lines(),
                                                    on_batch=on_batch)
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
        stream = session.get(SyncStreamIn, manifest.sender_node)
        if stream is None:
            stream = SyncStreamIn(sender_node_id=manifest.sender_node,
                                  sender_unit_id=manifest.sender_unit, applied_through=0,
                                  last_number=0)
            session.add(stream)
        stream.applied_through = max(stream.applied_through, manifest.last_seq)
        stream.last_number = manifest.number
        stream.last_sha256 = package.sha256
        stream.last_applied_at = utc_now()
        tables = tuple(TableOutcome(name, labels.get(name, name), t.applied, t.unchanged,
                                    t.older)
                       for name, t in sorted(result.tallies.items(),
                                             key=lambda item: labels.get(item[0], item[0])))
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
        _register(session, package, "applied", message, stored_path=None,
                  local_range=(result.local_first_seq, result.local_last_seq))
        peer = session.get(SyncPeer, manifest.sender_unit)
        if peer is None:
            ensure_peer(session, tree, info.unit_id, manifest.sender_unit)
            peer = session.get(SyncPeer, manifest.sender_unit)
        if peer is not None:
            peer.catalog_version = manifest.catalog_version
        node = session.get(Node, manifest.sender_node)
        node.last_seen_at = utc_now()
        node.app_version = manifest.app_version[:32]
        counts = json.dumps({t.table: {"applied": t.applied, "unchanged": t.unchanged,
                                       "older": t.older} for t in tables}, sort_keys=True)
        record_event(session, kind="import", outcome="applied", file_name=package.name,
                     sha256=package.sha256, peer_unit_id=manifest.sender_unit,
                     node_id=manifest.sender_node, package_number=manifest.number,
                     message=message, counts=counts)
        try:
            uow.commit()
        except IntegrityError as error:
            raise MissingReference(detail=_("foreign keys")) from error
    return ImportOutcome(str(package.path), package.name, "applied", "applied", message,
                         package.sha256, manifest.sender_unit, package.sender_name,
                         manifest.sender_node, manifest.number, tables, result.lines,
                         result.conflicts)


def _after_apply(workspace: Workspace, uow: UnitOfWork, result) -> None:
    """Inside the import's transaction, once the changes are written: what the records
    imply here. A task's derived columns (status, percent, next deadline) follow its
    progress; the applier writes rows without the ORM, so the tasks whose record or
    progress arrived are recomputed now (a local cache: every side computes the same from
    the same records, so nothing new travels)."""
    if result.local_first_seq is None:
        return
    from ctmtqg_desktop.services import tasks
    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry as J
    from ctmtqg_desktop.store.models.tasks import TaskProgress

    session = uow.session
    touched = session.execute(select(J.table_name, J.record_id).where(
        J.seq >= result.local_first_seq, J.seq <= result.local_last_seq,
        J.table_name.in_(("task", "task_progress")))).all()
    task_ids = {ident for table, ident in touched if table == "task"}
    progress_ids = [ident for table, ident in touched if table == "task_progress"]
    for start in range(0, len(progress_ids), 500):
        task_ids.update(session.scalars(select(TaskProgress.task_id).where(
            TaskProgress.id.in_(progress_ids[start:start + 500]))))
    tasks.refresh_after_sync(session, task_ids)


def _declare_nodes(session, manifest: Manifest) -> dict[uuid.UUID, str]:
    """Installations named as authors in the package, remembered as relayed ones."""
    known = dict(session.execute(select(Node.id, Node.unit_id)).all())
    now = utc_now()
    for declared in manifest.nodes:
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


def _take_receipts(session, manifest: Manifest, local_node: uuid.UUID) -> None:
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


def _register(session, package: _Package, status: str, reason: str, *,
              stored_path: str | None, local_range: tuple | None = None) -> None:
    manifest = package.manifest
    row = session.get(SyncIncoming, package.sha256)
    if row is None:
        row = SyncIncoming(sha256=package.sha256, package_id=manifest.package_id,
                           sender_node_id=manifest.sender_node,
                           sender_unit_id=manifest.sender_unit,
                           recipient_unit_id=manifest.recipient_unit, number=manifest.number,
                           first_seq=manifest.first_seq, last_seq=manifest.last_seq,
                           previous_sha256=manifest.previous_sha256, received_at=utc_now(),
                           schema_revision=manifest.schema_revision[:64],
                           app_version=manifest.app_version[:32], file_name=package.name[:255])
        session.add(row)
    row.status = status
    row.reason = reason
    row.stored_path = stored_path
    row.processed_at = utc_now()
    if local_range is not None:
        row.local_first_seq, row.local_last_seq = local_range


# ---------------------------------------------------------------------------- refusals
def _keep_in_inbox(workspace: Workspace, package: _Package, subfolder: str | None) -> str:
    folder = inbox_dir(workspace) / subfolder if subfolder else inbox_dir(workspace)
    target = folder / f"{package.sha256}.ctsync"
    if package.path.resolve() != target.resolve() and not target.exists():
        with open(package.path, "rb") as source, atomic_write(target) as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    return str(target.relative_to(workspace.folder))


def _forget_inbox_copy(workspace: Workspace, package: _Package, from_inbox: bool) -> None:
    if from_inbox and package.path.is_relative_to(inbox_dir(workspace)):
        package.path.unlink(missing_ok=True)


def _refused(workspace: Workspace, package: _Package, problem: PackageProblem, *,
             from_inbox: bool) -> ImportOutcome:
    outcome, message = problem.outcome, str(problem)
    manifest = package.manifest
    stored = None
    if outcome == "newer" and package.sha256:
        stored = _keep_in_inbox(workspace, package, NEWER)
    elif outcome in WAITING and package.sha256 and manifest is not None and \
            package.authenticated:
        stored = _keep_in_inbox(workspace, package, None)
    elif outcome in WAITING and outcome != "alert":
        outcome = "rejected"
    with UnitOfWork(workspace) as uow:
        if manifest is not None and package.authenticated and outcome != "newer":
            _register(uow.session, package, outcome, message, stored_path=stored)
        record_event(uow.session, kind="import", outcome=outcome, file_name=package.name,
                     sha256=package.sha256,
                     peer_unit_id=manifest.sender_unit if manifest else None,
                     node_id=manifest.sender_node if manifest else None,
                     package_number=manifest.number if manifest else None, message=message)
        uow.commit()
    if from_inbox and outcome == "rejected":
        _forget_inbox_copy(workspace, package, from_inbox)
    return ImportOutcome(str(package.path), package.name, outcome, problem.code, message,
                         package.sha256, manifest.sender_unit if manifest else None,
                         package.sender_name, manifest.sender_node if manifest else None,
                         manifest.number if manifest else None)


def _failed(workspace: Workspace, package: _Package, message: str) -> ImportOutcome:
    try:
        with UnitOfWork(workspace) as uow:
            record_event(uow.session, kind="import", outcome="rejected",
                         file_name=package.name, sha256=package.sha256, message=message)
            uow.commit()
    except Exception:  # noqa: BLE001 — the history is secondary to telling the user
        log.exception("could not record the failed import")
    return ImportOutcome(str(package.path), package.name, "rejected", "error", message,
                         package.sha256)


def _event(workspace: Workspace, package: _Package, outcome: str, message: str, *,
           number: int | None, unit: str | None, node: uuid.UUID | None) -> None:
    with UnitOfWork(workspace) as uow:
        record_event(uow.session, kind="import", outcome=outcome, file_name=package.name,
                     sha256=package.sha256, peer_unit_id=unit, node_id=node,
                     package_number=number, message=message)
        uow.commit()
