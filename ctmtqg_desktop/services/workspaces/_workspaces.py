"""Set up, open, describe, check and dump a workspace: the use cases behind
``ctmtqg workspace init|info``, ``ctmtqg check``, ``ctmtqg dump`` and the first-run wizard.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import (
    BadArgument,
    UserError,
    WorkspaceAlreadyInitialized,
    WorkspaceNotInitialized,
)
from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.domain.unit_refs import UnitRef, parse_unit_ref
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import area, catalog
from ctmtqg_desktop.services.roles import ROLE_UNIT_KINDS, ROLES, role_label  # noqa: F401
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.atomic_files import write_bytes_atomic
from ctmtqg_desktop.store.base import SYNC_METADATA_COLUMNS, utc_now
from ctmtqg_desktop.store.codec import row_to_dict
from ctmtqg_desktop.store.models.catalog import AdminUnit
from ctmtqg_desktop.store.models.identity import Installation, Node
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.identity import NodeKeys


class RoleDoesNotFitUnit(UserError):
    exit_code = 2
    template = N_("{unit} cannot work as a {role}. Choose a unit of the right level.")


def prepare_database(workspace: Workspace) -> Path | None:
    """Create the folders, bring the schema to the head (backing up first when upgrading)
    and load a newer shipped catalog. Returns the backup taken, if any."""
    from ctmtqg_desktop.services import backups

    workspace.create_folders()
    taken = schema.upgrade_if_needed(workspace, backups.before_migration)
    if not catalog.catalog_is_current(workspace):  # reads one small manifest, not the data
        catalog.update_catalog(workspace)
    return taken


def open_workspace(folder: str | Path | None = None, database_url: str | None = None, *,
                   require_initialized: bool = True) -> Workspace:
    """Open (and if needed upgrade) a workspace; refuse one that was never set up."""
    workspace = Workspace(folder, database_url)
    if require_initialized and not workspace.database_exists():
        raise WorkspaceNotInitialized(path=str(workspace.folder))
    try:
        prepare_database(workspace)
        installed = workspace.installation(refresh=True)
    except DBAPIError as error:
        import sqlite3

        if type(error.orig) is not sqlite3.DatabaseError:  # locked, missing: not damage
            raise
        from ctmtqg_desktop.services.backups import WorkspaceUnreadable

        workspace.dispose()
        raise WorkspaceUnreadable(path=workspace.location, reason=str(error.orig)) from error
    if require_initialized and installed is None:
        raise WorkspaceNotInitialized(path=str(workspace.folder))
    return workspace


def init_workspace(folder: str | Path | None = None, database_url: str | None = None, *,
                   unit: str | UnitRef | None = None, unit_id: str | None = None,
                   role: str = "commune", officer_name: str = "",
                   simulated_today: dt.date | None = None,
                   setup: Callable[[Session, uuid.UUID], None] | None = None,
                   refuse_ended: bool = False) -> Workspace:
    """Set up a new installation serving a unit in ``role``; makes its node identity (the
    node row and its signing and encryption keys in ``keys/``).

    The unit is named the way a user types it (``unit="23293@2023-06-01"``) or, from a
    picker, by its catalog key (``unit_id="23500@2025-07-01"``). ``setup(session, node_id)``
    adds rows in the same transaction (an enrollment file's parent installation).
    ``refuse_ended`` (the command line): a unit that ended before the working date, typed
    without a date, is refused with its end and successor (``catalog.UnitEnded``).
    """
    if role not in ROLES:
        raise BadArgument(detail=_("The role must be “commune” or “parent”."))
    ref = parse_unit_ref(unit) if isinstance(unit, str) else unit
    workspace = Workspace(folder, database_url)
    created_folder = not workspace.folder.exists()
    created_database = not workspace.database_exists()
    try:
        prepare_database(workspace)
        existing = workspace.installation(refresh=True)
        if existing is not None:
            raise WorkspaceAlreadyInitialized(
                path=str(workspace.folder),
                unit=catalog.get_unit(workspace, existing.unit_id).title)
        chosen = (catalog.get_unit(workspace, unit_id) if unit_id
                  else catalog.resolve_unit(workspace, ref))
        # a dissolved unit only with an explicit date
        if refuse_ended and not unit_id and ref is not None and ref.on is None:
            catalog.require_in_force(workspace, chosen, simulated_today or dt.date.today())
        if chosen.kind not in ROLE_UNIT_KINDS[role]:
            raise RoleDoesNotFitUnit(unit=chosen.full_name, role=role_label(role))
    except UserError:
        # bad input changes nothing: remove what this call created
        if created_database or created_folder:
            workspace.dispose()
            _remove_created(workspace, whole_folder=created_folder)
        raise
    node_id = uuid.uuid4()
    now = utc_now()
    keys = NodeKeys.generate(node_id)
    keys.save(workspace.keys_dir)  # before the row: a row never names keys that do not exist
    public = keys.public
    with UnitOfWork(workspace) as uow:
        uow.session.add(Installation(id=1, node_id=node_id, unit_id=chosen.id, role=role,
                                     officer_name=officer_name.strip(), created_at=now,
                                     simulated_today=simulated_today))
        uow.session.add(Node(id=node_id, unit_id=chosen.id, label=officer_name.strip(),
                             is_local=True, created_at=now, status="local",
                             sign_public_key=public.sign_key_b64,
                             box_public_key=public.box_key_b64,
                             fingerprint=public.fingerprint, first_seen_at=now))
        if setup is not None:
            uow.session.flush()
            setup(uow.session, node_id)
        uow.commit()
    workspace.installation(refresh=True)
    return workspace


def _remove_created(workspace: Workspace, *, whole_folder: bool) -> None:
    import shutil

    if whole_folder:
        shutil.rmtree(workspace.folder, ignore_errors=True)
        return
    if workspace.uses_sqlite and workspace.database_file:
        for suffix in ("", "-wal", "-shm"):
            Path(str(workspace.database_file) + suffix).unlink(missing_ok=True)


@dataclass(frozen=True)
class WorkspaceSummary:
    folder: str
    location: str
    database: str
    unit_id: str
    unit_name: str
    role: str
    officer_name: str
    node_id: str
    schema_revision: str | None
    schema_head: str
    catalog_version: int
    simulated_today: dt.date | None
    records: dict[str, int]
    journal_entries: int


def summary(workspace: Workspace) -> WorkspaceSummary:
    info = workspace.installation(refresh=True)
    if info is None:
        raise WorkspaceNotInitialized(path=str(workspace.folder))
    unit = catalog.get_unit(workspace, info.unit_id)
    state = schema.schema_state(workspace)
    with UnitOfWork.read(workspace) as session:
        records = {
            _(model.__label__ or model.__tablename__): session.execute(
                select(func.count()).select_from(model).where(model.deleted.is_(False))).scalar()
            for model in area.synced_records()
        }
        journal = session.execute(select(func.count()).select_from(ChangeJournalEntry)).scalar()
        catalog_version = catalog.loaded_catalog_version(session)
    return WorkspaceSummary(
        folder=str(workspace.folder), location=workspace.location,
        database="SQLite" if workspace.uses_sqlite else "PostgreSQL",
        unit_id=unit.id, unit_name=unit.full_name, role=info.role,
        officer_name=info.officer_name, node_id=str(info.node_id),
        schema_revision=state.current, schema_head=state.head,
        catalog_version=catalog_version, simulated_today=info.simulated_today,
        records=records, journal_entries=journal)


# ---------------------------------------------------------------------------- check
@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(workspace: Workspace) -> CheckReport:
    """Integrity, migration state, catalog version, and journal agreement with the records."""
    report = CheckReport()
    if not workspace.database_exists():
        report.problems.append(_("The database file does not exist."))
        return report
    try:
        _check_database(workspace, report)
    except DBAPIError as error:  # a damaged file: say so, and where the remedy is
        reason = str(error.orig).splitlines()[0][:200] if error.orig else type(error).__name__
        report.problems.append(_damaged(workspace, reason))
    return report


def _damaged(workspace: Workspace, reason: str) -> str:
    """The sentence for a database that cannot be read, naming the latest backup."""
    from ctmtqg_desktop.services import backups

    try:
        latest = backups.workspace_backups(workspace).backups
    except (OSError, UserError):
        latest = []
    if not latest:
        return _("The database is damaged and cannot be read ({reason}). No backup was found "
                 "in {folder}; look for one on a USB stick or ask the support team.").format(
                     reason=reason, folder=workspace.backups_dir)
    newest = latest[0]
    return _("The database is damaged and cannot be read ({reason}). The latest backup is "
             "{name} of {when}: restore it with ctmtqg backup restore {name}.").format(
                 reason=reason, name=newest.path.name,
                 when=format_date(newest.created_at.date()))


def _check_database(workspace: Workspace, report: CheckReport) -> None:
    state = schema.schema_state(workspace)
    if state.status == "current":
        report.facts.append(_("Data version: {revision} (current).").format(
            revision=state.current))
    elif state.status == "behind":
        report.problems.append(_("The data version {current} is older than {head}; open the "
                                 "workspace once to upgrade it.").format(current=state.current,
                                                                        head=state.head))
        return
    else:
        report.problems.append(_("Unknown data version: {current}.").format(
            current=state.current or _("none")))
        return
    with workspace.engine.connect() as connection:
        if workspace.uses_sqlite:
            verdict = [row[0] for row in
                       connection.exec_driver_sql("PRAGMA integrity_check(20)")]
            if verdict != ["ok"]:
                lines = [line for row in verdict for line in str(row).splitlines()
                         if line.strip() and not line.startswith("***")]
                report.problems.append(_damaged(workspace, (lines or ["?"])[0][:200]))
                return
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                report.problems.append(_("{count} rows point at missing rows (foreign keys).")
                                       .format(count=len(broken)))
        else:
            connection.execute(text("SELECT 1"))
    with UnitOfWork.read(workspace) as session:
        version = catalog.loaded_catalog_version(session)
        shipped = catalog.shipped_catalog_version()
        if version < shipped:
            report.problems.append(_("The catalog (version {version}) is older than the one "
                                     "shipped ({shipped}).").format(version=version,
                                                                    shipped=shipped))
        else:
            report.facts.append(_("Catalog version: {version}.").format(version=version))
        install = session.get(Installation, 1)
        if install is None:
            report.problems.append(_("The workspace has not been set up (no unit chosen)."))
        elif session.get(AdminUnit, install.unit_id) is None:
            report.problems.append(_("The unit {unit} is not in the catalog.").format(
                unit=install.unit_id))
        mismatched, differing, total = _journal_agreement(session)
        if mismatched:
            report.problems.append(_("{count} records have no matching entry in the change "
                                     "journal.").format(count=mismatched))
        if differing:
            report.problems.append(_(
                "{count} records differ from their latest entry in the change journal (what "
                "this workspace sends on is not what it shows). Restore the latest backup "
                "made before the last import: ctmtqg backup list, then ctmtqg backup "
                "restore.").format(count=differing))
        if not mismatched and not differing:
            report.facts.append(_("{count} records, all in the change journal.").format(
                count=total))


def _journal_agreement(session: Session) -> tuple[int, int, int]:
    """(records whose version has no journal entry, records whose values differ from the
    payload of their latest journal entry, records). Issue 12: a package that made the store
    keep one value and the journal another (a repeated key) is found here; a column added
    after an entry was written is left out of the comparison."""
    latest: dict[tuple[str, object], tuple[str, str]] = {}
    rows = session.execute(select(ChangeJournalEntry.table_name, ChangeJournalEntry.record_id,
                                  ChangeJournalEntry.version, ChangeJournalEntry.payload)
                           .order_by(ChangeJournalEntry.seq))
    for table_name, record_id, version, payload in rows:
        known = latest.get((table_name, record_id))
        if known is None or version >= known[0]:
            latest[(table_name, record_id)] = (version, payload)
    mismatched = differing = total = 0
    for model in area.synced_records():
        table = model.__table__
        for row in session.execute(select(table)):
            total += 1
            entry = latest.get((table.name, row.id))
            if entry is None or entry[0] != row.version:
                mismatched += 1
                continue
            try:
                journalled = json.loads(entry[1])
            except ValueError:
                differing += 1
                continue
            stored = row_to_dict(table, row)
            if not isinstance(journalled, dict) or any(
                    name in journalled and journalled[name] != value
                    for name, value in stored.items()):
                differing += 1
    return mismatched, differing, total


# ---------------------------------------------------------------------------- dump
def dump(workspace: Workspace, *, metadata: bool = False) -> bytes:
    """Canonical, sorted JSON of every synced record, for comparing two workspaces.

    Without ``metadata`` the per-node bookkeeping (authoring node, timestamps, version) is
    left out, so that the same data entered on two installations dumps identically.
    """
    exclude = () if metadata else SYNC_METADATA_COLUMNS
    tables: dict[str, list[dict]] = {}
    with UnitOfWork.read(workspace) as session:
        for model in sorted(area.synced_records(), key=lambda m: m.__tablename__):
            table = model.__table__
            rows = session.execute(select(table).order_by(table.c.id)).all()
            encoded = [row_to_dict(table, row, exclude=exclude) for row in rows]
            tables[table.name] = sorted(encoded, key=lambda r: r["id"])
    document = {"format": 1, "tables": tables}
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


def write_dump(workspace: Workspace, out: Path, *, metadata: bool = False) -> int:
    data = dump(workspace, metadata=metadata)
    write_bytes_atomic(out, data)
    return len(data)
