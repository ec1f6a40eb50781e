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
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, literal_column, null, select, union_all, update
from sqlalchemy.sql.expression import Executable

from ctmtqg_desktop.app_logging import log_path
from ctmtqg_desktop.domain.errors import UserError, WorkspaceNotInitialized
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.services.sync import _enrollment as enrollment
from ctmtqg_desktop.services.sync import _references as sync_references
from ctmtqg_desktop.services.sync._applying import _apply, _store_attachments
from ctmtqg_desktop.services.sync._lock import import_lock
from ctmtqg_desktop.services.sync._nodes import (
    event_values,
    local_keys,
    record_event,
    unit_title,
)
from ctmtqg_desktop.services.sync._received import (
    NEWER,
    WAITING,
    ImportOutcome,
    ImportReport,
    Progress,
    _event,
    _Package,
    _register,
    inbox_dir,
)
from ctmtqg_desktop.services.sync._run import (
    cached,
    forget_catalog,
    import_run,
    run_title,
    run_tree,
)
from ctmtqg_desktop.services.sync._staged import StagedFiles
from ctmtqg_desktop.store.atomic_files import atomic_write
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.catalog import AdminUnit
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncEvent, SyncIncoming, SyncPeer, SyncStreamIn
from ctmtqg_desktop.store.pipeline import execute_together, upsert
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync import upgrade
from ctmtqg_desktop.sync.authority import CHILD, PARENT, UnitTree, catalog_keeps_place
from ctmtqg_desktop.sync.errors import (
    CatalogMovesReceiver,
    EntryHashMismatch,
    ForkedPackage,
    GapBefore,
    KeyChanged,
    ManifestInvalid,
    NewerSchema,
    NotEntitled,
    PackageProblem,
    PackageTooLarge,
    SenderNotPeer,
    SenderRevoked,
    SentByThisInstallation,
    SignatureInvalid,
    UnknownSender,
    WrongRecipient,
)
from ctmtqg_desktop.sync.identity import NodeKeys, PublicIdentity, unb64
from ctmtqg_desktop.sync.package_format import CATALOG, DEFAULT_LIMITS, REFERENCES, Manifest
from ctmtqg_desktop.sync.package_reader import PackageReader, file_sha256

log = logging.getLogger("ctmtqg.sync")


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


# ---------------------------------------------------------------------------- run cache
def _run_keys(workspace: Workspace) -> NodeKeys:
    return cached("keys", lambda: local_keys(workspace))


def _run_tree(workspace: Workspace) -> UnitTree:
    return run_tree(workspace)


def _title(workspace: Workspace, unit_id: str) -> str:
    return run_title(workspace, unit_id)


def _valid_to(workspace: Workspace) -> dict[str, Any]:
    """Each unit's last day (None: in force), read once per run."""
    def read() -> dict[str, Any]:
        with UnitOfWork.read(workspace) as session:
            return dict(session.execute(select(AdminUnit.id, AdminUnit.valid_to)).all())

    return cached(("unit", "*valid_to"), read)


# ---------------------------------------------------------------------------- entry points
def import_packages(workspace: Workspace, paths: list[Path], *,
                    progress: Progress | None = None,
                    check: Callable[[], None] | None = None) -> ImportReport:
    """Import each file in turn (each in its own transaction); see the module docstring.
    One importer at a time per workspace: another one raises :class:`ImportBusy`."""
    with import_lock(workspace), import_run():
        return _import_packages(workspace, paths, progress=progress, check=check)


def _import_packages(workspace: Workspace, paths: list[Path], *,
                     progress: Progress | None = None,
                     check: Callable[[], None] | None = None) -> ImportReport:
    from ctmtqg_desktop.services import backups, dossiers

    # dossiers name the template version they were started with: the shipped versions must
    # be here before a child's dossiers are (a parent unit may never have opened a dossier)
    dossiers.ensure_shipped_templates(workspace)
    backups.before_import(workspace)  # issue 18: a backup before every import
    report = ImportReport()
    report.retried += _retry_newer(workspace)
    with UnitOfWork.read(workspace) as session:  # the senders with packages held back
        holding = set(session.scalars(select(SyncIncoming.sender_node_id).where(
            SyncIncoming.status == "held", SyncIncoming.stored_path.is_not(None)).distinct()))
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
        if outcome.outcome == "held" and outcome.sender_node_id is not None:
            holding.add(outcome.sender_node_id)
        # only a sender with packages held back has some to retry (one query a package
        # less; this importer holds the import lock, so no other one holds packages)
        if outcome.outcome == "applied" and outcome.sender_node_id in holding:
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
    with import_lock(workspace), import_run():
        return _retry_waiting(workspace, sender=sender, statuses=statuses)


def _retry_waiting(workspace: Workspace, *, sender: uuid.UUID | None,
                   statuses: tuple[str, ...]) -> list[ImportOutcome]:
    results: list[ImportOutcome] = []
    tried: set[str] = set()
    while True:
        with UnitOfWork.read(workspace) as session:
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
        with UnitOfWork.read(workspace) as session:
            known = session.get(SyncIncoming, package.sha256)
            if known is not None and known.status in ("applied", "superseded"):
                name = unit_title(workspace, known.sender_unit_id)
                message = _("Package no. {number} from {unit} had already been applied; "
                            "nothing changed.").format(number=known.number, unit=name)
                _event(workspace, package, "already_applied", message,
                       number=known.number, unit=known.sender_unit_id,
                       node=known.sender_node_id)
                _forget_inbox_copy(workspace, package, from_inbox)
                return package.outcome("already_applied", "replay", message,
                                       sender_unit_id=known.sender_unit_id, sender_name=name,
                                       sender_node_id=known.sender_node_id,
                                       number=known.number)
        with PackageReader(package.path) as reader:
            # a not-yet-upgraded peer's inferred unit keys, mapped before any check that
            # names a unit (issue 13); the signature stays checked on the bytes as sent
            reader.map_unit_keys(cached("key_corrections",
                                         lambda: catalog.key_corrections(workspace)))
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
    if info is None:  # open_workspace refuses a workspace never set up
        raise WorkspaceNotInitialized(path=str(workspace.folder))
    package.sender_name = _title(workspace, manifest.sender_unit)
    if manifest.sender_node == info.node_id:
        raise SentByThisInstallation(recipient=_title(workspace, manifest.recipient_unit))
    tree = _run_tree(workspace)
    # a package addressed to the unit this one continues (after a reorganisation) is ours
    if manifest.recipient_unit != info.unit_id and \
            manifest.recipient_unit not in tree.continued_from.get(info.unit_id, ()):
        raise WrongRecipient(recipient=_title(workspace, manifest.recipient_unit),
                             unit=_title(workspace, info.unit_id))
    relation = tree.relation(info.unit_id, manifest.sender_unit)
    if relation is None:
        raise SenderNotPeer(sender=package.sender_name, unit=_title(workspace, info.unit_id))
    _authenticate(workspace, package, reader, tree)
    if not upgrade.is_known(manifest.schema_revision):
        raise NewerSchema(version=manifest.app_version, revision=manifest.schema_revision)
    superseded = _check_sequence(workspace, package)
    if superseded:
        return _superseded(workspace, package, from_inbox)
    reader.verify_entries()
    keys = _run_keys(workspace)
    reader.unlock(info.node_id, keys.box_private)
    catalog_document = catalog_data = None
    if CATALOG in manifest.entries:
        if relation != PARENT:  # who may write what: the catalog comes from the parent only
            raise NotEntitled(sender=package.sender_name, what=_("a catalog update"))
        try:
            catalog_document = json.loads(reader.read_entry(CATALOG).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise EntryHashMismatch(entry=CATALOG) from error
        # an old parent's catalog names units by the inferred keys: read, checked and kept
        # with the corrected ones, as the rest of its package (issue 13)
        catalog_document = catalog.map_catalog_keys(catalog_document, reader.unit_keys)
        catalog_data = catalog.unpack(catalog_document)
        new_parents = {unit["id"]: unit["parent_id"] for unit in catalog_data.units}
        if not catalog_keeps_place(tree, new_parents, info.unit_id):
            raise CatalogMovesReceiver(unit=_title(workspace, info.unit_id))
    references = None
    if REFERENCES in manifest.entries:
        if relation != PARENT:
            raise NotEntitled(sender=package.sender_name,
                              what=_("dossier templates or handbook pages"))
        try:
            document = json.loads(reader.read_entry(REFERENCES).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise EntryHashMismatch(entry=REFERENCES) from error
        references = sync_references.unpack(document)
    package.ended = _ended_sender(workspace, manifest)
    store = _store_attachments(workspace, reader)  # staged: removed whatever happens
    files = StagedFiles()  # the kept catalog and handbook pages: written before the commit
    try:
        if catalog_data is not None:
            files.add(catalog.kept_files(workspace, catalog_document, catalog_data.version))
        if references is not None:
            files.add(sync_references.pages_to_write(workspace, references))
        if check:
            check()
        try:
            outcome = _apply(workspace, package, reader, tree, relation, store, catalog_data,
                             references, progress=progress, check=check)
        finally:
            if catalog_data is not None:
                forget_catalog()
        files.publish()  # renamed into place once the rows are committed
    finally:
        store.discard()
        files.discard()
    _forget_inbox_copy(workspace, package, from_inbox)
    return outcome


def _authenticate(workspace: Workspace, package: _Package, reader: PackageReader,
                  tree: UnitTree) -> None:
    """Signature against the key we know; unknown senders prove enrollment or wait."""
    manifest = cast(Manifest, package.manifest)  # read before
    try:
        claimed = PublicIdentity(manifest.sender_node, unb64(manifest.sign_key, length=32),
                                 unb64(manifest.box_key, length=32))
    except ValueError as error:
        raise ManifestInvalid(detail=_("the sender's keys are not readable")) from error
    short = str(manifest.sender_node)[:8]
    with UnitOfWork.read(workspace) as session:
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
        manifest.sender_unit, proof_unit=_unit_as_sent(reader.manifest))
    now = utc_now()
    seen = {"sign_public_key": claimed.sign_key_b64, "box_public_key": claimed.box_key_b64,
            "fingerprint": claimed.fingerprint, "last_seen_at": now,
            "status": "trusted" if proven else "pending"}
    if proven:
        seen["enrollment_id"] = manifest.enrollment_id
    # written without reading the installation again (read above; this importer holds the
    # import lock), together with the peer and the history's line: one round trip on
    # PostgreSQL besides the BEGIN and COMMIT (were four, issue 17)
    statements: list[Executable] = [
        insert(Node).values(id=manifest.sender_node, unit_id=manifest.sender_unit,
                            label=manifest.sender_label[:120], is_local=False,
                            created_at=now, first_seen_at=now, **seen)
        if status is None else
        update(Node).where(Node.id == manifest.sender_node).values(**seen)]
    with UnitOfWork(workspace) as uow:
        connection = uow.session.connection()
        if proven:
            relation = tree.relation(info.unit_id, manifest.sender_unit)
            if relation in (CHILD, PARENT):  # remembered as a peer (once: ensure_peer)
                statements.append(upsert(connection, cast(Table, SyncPeer.__table__)).values(
                    unit_id=manifest.sender_unit, relation=relation, added_at=utc_now()
                ).on_conflict_do_nothing(index_elements=["unit_id"]))
            statements.append(insert(SyncEvent).values(**event_values(
                kind="node", outcome="accepted", node_id=manifest.sender_node,
                peer_unit_id=manifest.sender_unit, file_name=package.name,
                message=_("New installation {node} of {unit} (fingerprint "
                          "{fingerprint}) was set up from this unit's enrollment "
                          "file and is trusted.").format(
                              node=short, unit=package.sender_name,
                              fingerprint=claimed.fingerprint))))
        execute_together(connection, statements)
        uow.commit()
    if not proven:
        raise UnknownSender(node=short, unit=package.sender_name,
                            fingerprint=claimed.fingerprint)


def _ended_sender(workspace: Workspace, manifest: Manifest) -> dict[str, Any]:
    """The notice for a package whose sender unit had ended on the working date (a commune
    merged or a district abolished on 30/06/2025, NQ 1677/NQ-UBTVQH15, Luật 72/2025/QH15):
    its records are still applied, as the history of the units that continue it. A district
    has no successor: the notice then names those of the units whose installations wrote
    the records it relays (its communes)."""
    day = workspace.today()
    ends = _valid_to(workspace)
    if manifest.sender_unit in ends and (ends[manifest.sender_unit] is None or
                                         day <= ends[manifest.sender_unit]):
        return {}  # in force on the working date: nothing more to read
    try:
        unit = cached(("unit", manifest.sender_unit),
                      lambda: catalog.get_unit(workspace, manifest.sender_unit))
    except UserError:
        return {}
    if unit.valid_to is None or day <= unit.valid_to:
        return {}
    successor = catalog.successor_on(workspace, unit.id, day)
    if successor is not None:
        notice = _("Note: {unit} ended on {end}; since {start} it continues as {successor} "
                   "({key}). Its data was accepted as history.").format(
            unit=unit.title, end=format_date(unit.valid_to),
            start=format_date(successor.valid_from or unit.valid_to),
            successor=successor.title, key=successor.id)
        return {"sender_ended_on": unit.valid_to, "sender_notice": notice,
                "sender_successor_id": successor.id}
    found: dict[str, str] = {}
    for relayed in sorted({node.unit for node in manifest.nodes}):
        later = catalog.successor_on(workspace, relayed, day)
        if later is not None:
            found[later.id] = f"{later.title} ({later.id})"
    if found:
        notice = _("Note: {unit} ended on {end} and has no successor (the district level "
                   "ended on 01/07/2025, Luật 72/2025/QH15); the records it relays are "
                   "accepted as the history of {successors}.").format(
            unit=unit.title, end=format_date(unit.valid_to),
            successors=", ".join(found[key] for key in sorted(found)))
    else:
        notice = _("Note: {unit} ended on {end} and has no successor in the catalog (the "
                   "district level ended on 01/07/2025, Luật 72/2025/QH15); its data was "
                   "accepted as history.").format(unit=unit.title,
                                                  end=format_date(unit.valid_to))
    return {"sender_ended_on": unit.valid_to, "sender_notice": notice,
            "sender_successor_id": None}


def _unit_as_sent(manifest: Manifest) -> str:
    """The sender's unit key as the package spells it (before :meth:`map_unit_keys`):
    the enrollment proof was computed over it."""
    sender = manifest.raw.get("sender") if isinstance(manifest.raw, dict) else None
    unit = sender.get("unit") if isinstance(sender, dict) else None
    return unit if isinstance(unit, str) else manifest.sender_unit


def _check_sequence(workspace: Workspace, package: _Package) -> bool:
    """Fork and gap checks; True when the package's changes already came in a later one."""
    manifest = package.manifest
    short = str(manifest.sender_node)[:8]
    with UnitOfWork.read(workspace) as session:
        # the sender's stream, the same number with other content and the packages on
        # either side: one query (was two, issue 17)
        stream_part = select(
            literal_column("0").label("kind"), SyncStreamIn.last_number.label("number"),
            SyncStreamIn.applied_through.label("applied_through"), null().label("sha256"),
            null().label("previous_sha256"), null().label("status")
        ).where(SyncStreamIn.sender_node_id == manifest.sender_node)
        packages_part = select(
            literal_column("1"), SyncIncoming.number, null(), SyncIncoming.sha256,
            SyncIncoming.previous_sha256, SyncIncoming.status
        ).where(SyncIncoming.sender_node_id == manifest.sender_node,
                SyncIncoming.number.in_((manifest.number - 1, manifest.number,
                                         manifest.number + 1)),
                SyncIncoming.status.in_(("applied", "superseded", "held", "quarantined")))
        found = session.execute(union_all(stream_part, packages_part)).all()
    streams = [row for row in found if row.kind == 0]
    rows = [row for row in found if row.kind != 0]
    if any(row.number == manifest.number and row.sha256 != package.sha256 for row in rows):
        raise ForkedPackage(number=manifest.number, unit=package.sender_name, node=short)
    neighbours = {row.number: row for row in rows if row.number != manifest.number
                  and row.status in ("applied", "superseded")}
    before, after = neighbours.get(manifest.number - 1), neighbours.get(manifest.number + 1)
    if before is not None and manifest.previous_sha256 != before.sha256:
        raise ForkedPackage(number=manifest.number, unit=package.sender_name, node=short)
    if after is not None and after.previous_sha256 != package.sha256:
        raise ForkedPackage(number=manifest.number, unit=package.sender_name, node=short)
    applied_through = streams[0].applied_through if streams else 0
    last_number = streams[0].number if streams else 0
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
    return package.outcome("already_applied", "superseded", message)


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
    if outcome == "newer" and package.sha256 and package.authenticated:
        stored = _keep_in_inbox(workspace, package, NEWER)
    elif outcome in WAITING and package.sha256 and manifest is not None and \
            package.authenticated:
        stored = _keep_in_inbox(workspace, package, None)
    elif outcome in WAITING + ("newer",) and outcome != "alert":
        outcome = "rejected"  # nothing is kept before the signature is verified
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
    return package.outcome(outcome, problem.code, message, sender_name=package.sender_name)


def _failed(workspace: Workspace, package: _Package, message: str) -> ImportOutcome:
    try:
        with UnitOfWork(workspace) as uow:
            record_event(uow.session, kind="import", outcome="rejected",
                         file_name=package.name, sha256=package.sha256, message=message)
            uow.commit()
    except Exception:  # noqa: BLE001 — the history is secondary to telling the user
        log.exception("could not record the failed import")
    return ImportOutcome(path=str(package.path), file_name=package.name, outcome="rejected",
                         code="error", message=message, sha256=package.sha256)


