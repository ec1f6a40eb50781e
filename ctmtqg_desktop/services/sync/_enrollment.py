"""Enrollment (đăng ký máy cho đơn vị cấp dưới): the parent unit gives a child unit a file
that sets up a new installation at once and introduces it.

The file (``.ctenroll``, JSON) holds the parent installation's public keys, the child's
unit, the parent's current catalog and a random secret; it is signed with the parent's
Ed25519 key. The new installation trusts the parent's keys (the officer compares the
parent's fingerprint by phone), and its packages carry an HMAC of its own public keys under
the secret, so that the parent trusts it without a separate fingerprint check. An
installation set up without a file is quarantined at the parent until someone compares its
fingerprint. Format: ``docs/sync-format.md``, section "Enrollment file".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmtqg_desktop import __version__
from ctmtqg_desktop.domain.errors import UserError, WorkspaceAlreadyInitialized
from ctmtqg_desktop.domain.unit_refs import parse_unit_ref
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, workspaces
from ctmtqg_desktop.services.roles import ROLE_UNIT_KINDS
from ctmtqg_desktop.services.sync._nodes import ensure_peer, local_keys, record_event, unit_tree
from ctmtqg_desktop.store.atomic_files import write_bytes_atomic
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncEnrollment
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.errors import EnrollmentInvalid, EnrollmentNeedsParent, NotAChildUnit
from ctmtqg_desktop.sync.identity import PublicIdentity, b64, restrict, unb64
from ctmtqg_desktop.sync.package_format import ENROLLMENT_SIGNATURE_CONTEXT, canonical_bytes

FORMAT_NAME = "ctmtqg-enrollment"
FORMAT_VERSION = 1
SUFFIX = ".ctenroll"
MAX_BYTES = 64 * 1024 * 1024
CHILD_SECRET_FILE = "enrollment.json"
PARENT_SECRETS = "enrollments"
_PROOF_CONTEXT = b"ctmtqg-enrollment-proof-v1"


def proof(secret: bytes, node_id: uuid.UUID, unit_id: str, sign_key: bytes,
          box_key: bytes) -> str:
    """HMAC-SHA256 that ties an installation's keys to an enrollment secret."""
    message = _PROOF_CONTEXT + node_id.bytes + unit_id.encode("utf-8") + b"\0" + sign_key + \
        box_key
    return b64(hmac.new(secret, message, hashlib.sha256).digest())


def proof_is_valid(workspace: Workspace, enrollment_id: uuid.UUID, given: str,
                   identity: PublicIdentity, unit_id: str, *,
                   proof_unit: str | None = None) -> bool:
    """Whether ``given`` proves the holder of ``identity`` was set up from our file.

    ``proof_unit``: the unit key as the package spells it, when the catalog corrected it
    (an enrollment file issued for an inferred key: the proof names that key)."""
    with UnitOfWork.read(workspace) as session:
        # a file already used seats no second installation on its own: a copy of it (a
        # lost laptop's, a shared USB stick's) waits for the parent's explicit acceptance;
        # asked in the same query as the file (one round trip, issue 17)
        used_by = select(Node.id).where(Node.enrollment_id == enrollment_id,
                                        Node.id != identity.node_id).limit(1)
        row = session.execute(select(
            SyncEnrollment.revoked, SyncEnrollment.child_unit_id,
            used_by.scalar_subquery().label("used_by")).where(
                SyncEnrollment.id == enrollment_id)).first()
        if row is None or row.revoked or row.child_unit_id != unit_id:
            return False
        if row.used_by is not None:
            return False
    try:
        secret = unb64((workspace.keys_dir / PARENT_SECRETS / f"{enrollment_id}.secret")
                       .read_text(encoding="ascii").strip(), length=32)
    except (OSError, ValueError):
        return False
    expected = proof(secret, identity.node_id, proof_unit or unit_id, identity.sign_key,
                     identity.box_key)
    return hmac.compare_digest(expected, given or "")


def child_secret(workspace: Workspace) -> tuple[uuid.UUID, bytes] | None:
    """The enrollment this (child) installation was set up from, if any."""
    path = workspace.keys_dir / CHILD_SECRET_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return uuid.UUID(document["enrollment_id"]), unb64(document["secret"], length=32)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------------------- issuing
@dataclass(frozen=True)
class EnrollmentIssued:
    path: Path
    enrollment_id: uuid.UUID
    child_unit_id: str
    child_unit_name: str
    parent_fingerprint: str
    catalog_version: int | None


def issue_enrollment(workspace: Workspace, child: str, out: Path) -> EnrollmentIssued:
    """Write an enrollment file for the child unit ``child`` (a code, as typed)."""
    info = workspace.installation()
    parent_unit = catalog.get_unit(workspace, info.unit_id)
    if info.role != "parent":
        raise EnrollmentNeedsParent(unit=parent_unit.title)
    # a catalog key as the pages pass it names one unit even when its code was re-used
    try:
        unit = catalog.get_unit(workspace, child)
    except UserError:
        unit = catalog.resolve_unit(workspace, parse_unit_ref(child))
    if parent_unit.valid_on(workspace.today()):  # a unit in force enrolls units in force
        catalog.require_in_force(workspace, unit, workspace.today(), history_hint=False)
    if unit.parent_id != info.unit_id:
        raise NotAChildUnit(child=unit.full_name, unit=parent_unit.title)
    keys = local_keys(workspace)
    public = keys.public
    enrollment_id = uuid.uuid4()
    secret = os.urandom(32)
    version = catalog.loaded_version(workspace)
    folder = catalog.source_folder(workspace, version)
    with UnitOfWork.read(workspace) as session:
        label = session.get(Node, info.node_id).label
    document = {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION,
        "enrollment_id": str(enrollment_id),
        "issued_at": utc_now().isoformat(timespec="seconds"), "app_version": __version__,
        "parent": {"unit": info.unit_id, "unit_name": parent_unit.full_name,
                   "node": str(info.node_id), "label": label,
                   "sign_key": public.sign_key_b64, "box_key": public.box_key_b64},
        "child": {"unit": unit.id, "unit_name": unit.full_name},
        "secret": b64(secret),
        "catalog": catalog.pack(folder) if folder else None,
    }
    body = canonical_bytes(document)
    signed = canonical_bytes({"enrollment": document,
                              "signature": b64(keys.sign(ENROLLMENT_SIGNATURE_CONTEXT + body))})
    secrets = workspace.keys_dir / PARENT_SECRETS
    secrets.mkdir(parents=True, exist_ok=True)
    restrict(secrets, 0o700)
    secret_file = secrets / f"{enrollment_id}.secret"
    write_bytes_atomic(secret_file, b64(secret).encode("ascii"))
    restrict(secret_file, 0o600)
    out = Path(out)
    write_bytes_atomic(out, signed)
    with UnitOfWork(workspace) as uow:
        uow.session.add(SyncEnrollment(id=enrollment_id, child_unit_id=unit.id,
                                       issued_at=utc_now(), issued_by_node_id=info.node_id,
                                       file_name=out.name[:255]))
        ensure_peer(uow.session, unit_tree(uow.session), info.unit_id, unit.id)
        record_event(uow.session, kind="enrollment", outcome="issued", file_name=out.name,
                     peer_unit_id=unit.id,
                     message=_("Enrollment file issued for {unit}.").format(unit=unit.title))
        uow.commit()
    return EnrollmentIssued(out, enrollment_id, unit.id, unit.full_name, public.fingerprint,
                            version if folder else None)


# ---------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class EnrollmentPreview:
    """What an enrollment file says, after its signature was checked."""

    path: Path
    enrollment_id: uuid.UUID
    issued_at: str
    parent_unit_id: str
    parent_unit_name: str
    parent_node_id: uuid.UUID
    parent_label: str
    parent_fingerprint: str
    child_unit_id: str
    child_unit_name: str
    catalog_version: int | None
    document: dict


def read_enrollment(path: Path) -> EnrollmentPreview:
    path = Path(path)

    def invalid(detail: str) -> EnrollmentInvalid:
        return EnrollmentInvalid(name=path.name, detail=detail)

    try:
        if path.stat().st_size > MAX_BYTES:
            raise invalid(_("the file is too large"))
        outer = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise invalid(error.strerror or str(error)) from error
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise invalid(_("it is not JSON text")) from error
    try:
        document = outer["enrollment"]
        if document["format"] != FORMAT_NAME:
            raise invalid(_("it is not a CTMTQG enrollment file"))
        if document["format_version"] > FORMAT_VERSION:
            raise invalid(_("it was made by a newer application ({version}); update this "
                            "one first").format(version=document.get("app_version", "?")))
        parent, child = document["parent"], document["child"]
        identity = PublicIdentity(uuid.UUID(parent["node"]),
                                  unb64(parent["sign_key"], length=32),
                                  unb64(parent["box_key"], length=32))
        signature = unb64(outer["signature"], length=64)
        unb64(document["secret"], length=32)
        catalog_document = document.get("catalog")
        preview = EnrollmentPreview(
            path, uuid.UUID(document["enrollment_id"]), str(document["issued_at"]),
            str(parent["unit"]), str(parent["unit_name"]), identity.node_id,
            str(parent.get("label", "")), identity.fingerprint, str(child["unit"]),
            str(child["unit_name"]),
            catalog_document["manifest"]["catalog_version"] if catalog_document else None,
            document)
    except EnrollmentInvalid:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise invalid(_("a field is missing or wrong")) from error
    if not identity.verify(signature, ENROLLMENT_SIGNATURE_CONTEXT + canonical_bytes(document)):
        raise invalid(_("its signature does not match: the file was altered"))
    return preview


def init_from_enrollment(folder: str | Path | None, database_url: str | None, path: Path, *,
                         officer_name: str = "") -> Workspace:
    """Set up a new installation for the child unit named in the enrollment file."""
    preview = read_enrollment(path)
    document = preview.document
    probe = Workspace(folder, database_url)
    if probe.database_exists():
        workspaces.prepare_database(probe)
        existing = probe.installation(refresh=True)
        if existing is not None:
            probe.dispose()
            raise WorkspaceAlreadyInitialized(
                path=str(probe.folder), unit=catalog.get_unit(probe, existing.unit_id).title)
    catalog_data = catalog.unpack(document["catalog"]) if document.get("catalog") else None
    workspaces.prepare_database(probe)
    if catalog_data is not None:
        with UnitOfWork(probe) as uow:
            catalog.install_if_newer(uow.session, catalog_data)
            uow.commit()
        catalog.keep_copy(probe, document["catalog"], catalog_data.version)
    child = catalog.get_unit(probe, preview.child_unit_id)
    probe.dispose()
    role = "commune" if child.kind in ROLE_UNIT_KINDS["commune"] else "parent"
    parent = document["parent"]
    keys_dir = probe.keys_dir

    def introduce_parent(session: Session, node_id: uuid.UUID) -> None:
        now = utc_now()
        session.add(Node(id=preview.parent_node_id, unit_id=preview.parent_unit_id,
                         label=preview.parent_label[:120], is_local=False, created_at=now,
                         sign_public_key=parent["sign_key"], box_public_key=parent["box_key"],
                         fingerprint=preview.parent_fingerprint, status="trusted",
                         first_seen_at=now))
        session.flush()
        ensure_peer(session, unit_tree(session), preview.child_unit_id, preview.parent_unit_id)
        record_event(session, kind="enrollment", outcome="enrolled", file_name=path.name,
                     peer_unit_id=preview.parent_unit_id, node_id=preview.parent_node_id,
                     message=_("Set up from the enrollment file of {unit}; its fingerprint "
                               "is {fingerprint}.").format(unit=preview.parent_unit_name,
                                                           fingerprint=preview.parent_fingerprint))
        secret_file = keys_dir / CHILD_SECRET_FILE
        write_bytes_atomic(secret_file, json.dumps({
            "enrollment_id": str(preview.enrollment_id), "secret": document["secret"],
            "parent_unit": preview.parent_unit_id}).encode("utf-8"))
        restrict(secret_file, 0o600)

    return workspaces.init_workspace(folder, database_url, unit_id=preview.child_unit_id,
                                     role=role, officer_name=officer_name,
                                     setup=introduce_parent)
