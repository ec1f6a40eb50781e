"""Installations (nodes) and peer units: this installation's keys and fingerprint, the
installations it knows, and accepting or revoking one after checking its fingerprint.

A node's status: ``local`` (this installation), ``trusted`` (its packages are applied),
``pending`` (it sent a package but nobody has compared its fingerprint yet: its packages
wait in quarantine), ``revoked`` (its packages are refused) and ``relayed`` (known only
because a trusted peer relayed records it wrote).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import WorkspaceNotInitialized
from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.catalog import AdminUnit, UnitSuccession
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import (
    SyncAck,
    SyncEnrollment,
    SyncEvent,
    SyncPeer,
    SyncStreamIn,
)
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.authority import CHILD, PARENT, UnitTree
from ctmtqg_desktop.sync.errors import NodeNotFound

if TYPE_CHECKING:  # the keys (cryptography) load when used, not for the overview's
    # sync card (issue 17)
    from ctmtqg_desktop.sync.identity import NodeKeys, PublicIdentity


class NodeStatus(Labelled):
    """An installation's status (see the module's docstring)."""
    LOCAL = "local", N_("this computer")
    TRUSTED = "trusted", N_("trusted")
    PENDING = "pending", N_("waiting for a fingerprint check")
    REVOKED = "revoked", N_("revoked")
    RELAYED = "relayed", N_("known through the parent unit")


def status_label(status: str) -> str:
    return NodeStatus.label_of(status)


def unit_tree(session: Session) -> UnitTree:
    continued: dict[str, tuple[str, ...]] = {}
    for old, new in session.execute(select(UnitSuccession.old_unit_id,
                                           UnitSuccession.new_unit_id)):
        if old != new:
            continued[new] = continued.get(new, ()) + (old,)
    return UnitTree(dict(session.execute(select(AdminUnit.id, AdminUnit.parent_id)).all()),
                    continued_from=continued)


def unit_title(workspace: Workspace, unit_id: str) -> str:
    """``Xã Đắk La`` (or the bare key for a unit missing from the catalog)."""
    return unit_titles(workspace, [unit_id])[unit_id]


def unit_titles(workspace: Workspace, unit_ids) -> dict[str, str]:
    """``{key: "Xã Đắk La"}`` for several units in one query (a parent unit shows a hundred
    children); a key missing from the catalog names itself."""
    wanted = sorted(set(unit_ids))
    found = {}
    # each kind's label translated once per call, not once per unit (a pgettext of every
    # kind per unit: 3,321 children took 0.4 s, issue 17)
    labels: dict[str, str] = {}
    columns = select(AdminUnit.id, AdminUnit.kind, AdminUnit.name)
    # a few units by key; thousands (a country's children) by reading the catalog's units
    # whole: lists of 500 keys cost more to bind and plan than the rows they leave out
    statement = columns.where(AdminUnit.id.in_(wanted)) if len(wanted) <= 500 else columns
    keep = set(wanted)
    with UnitOfWork.read(workspace) as session:
        for ident, kind, name in session.execute(statement):
            if ident not in keep:
                continue
            if kind not in labels:
                label = catalog.unit_kind_label(kind)
                labels[kind] = f"{label[:1].upper()}{label[1:]}"
            found[ident] = f"{labels[kind]} {name}"
    return {ident: found.get(ident, ident) for ident in wanted}


# ---------------------------------------------------------------------------- keys
def local_keys(workspace: Workspace) -> NodeKeys:
    """This installation's private keys; made now for a workspace set up before sync."""
    from ctmtqg_desktop.sync.identity import NodeKeys

    info = workspace.installation()
    if info is None:
        raise WorkspaceNotInitialized(path=str(workspace.folder))
    with UnitOfWork.read(workspace) as session:
        node = session.get(Node, info.node_id)
        has_public = node is not None and node.sign_public_key is not None
    if has_public or NodeKeys.exists(workspace.keys_dir):
        return NodeKeys.load(workspace.keys_dir, info.node_id)
    keys = NodeKeys.generate(info.node_id)
    keys.save(workspace.keys_dir)
    public = keys.public
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(Node, info.node_id)
        row.sign_public_key, row.box_public_key = public.sign_key_b64, public.box_key_b64
        row.fingerprint, row.status = public.fingerprint, "local"
        uow.commit()
    return keys


def public_identity(node: Node) -> PublicIdentity | None:
    from ctmtqg_desktop.sync.identity import PublicIdentity, unb64

    if not node.sign_public_key or not node.box_public_key:
        return None
    return PublicIdentity(node.id, unb64(node.sign_public_key, length=32),
                          unb64(node.box_public_key, length=32))


# ---------------------------------------------------------------------------- nodes
@dataclass(frozen=True)
class NodeInfo:
    id: uuid.UUID
    unit_id: str
    unit_name: str
    label: str
    status: str
    status_label: str
    fingerprint: str
    is_local: bool
    first_seen_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    app_version: str
    #: our packages this installation confirmed: up to which change, which package, when
    acknowledged_through: int | None
    acknowledged_number: int | None
    acknowledged_at: dt.datetime | None
    #: its packages applied here: up to which change, which package, when
    applied_through: int | None
    applied_number: int | None
    applied_at: dt.datetime | None

    @property
    def short_id(self) -> str:
        return str(self.id)[:8]


def list_nodes(workspace: Workspace, *, statuses: tuple[str, ...] = ()) -> list[NodeInfo]:
    """Every installation known here, this one first, then by unit and name."""
    with UnitOfWork.read(workspace) as session:
        # plain columns, not ORM objects: a national server knows 3,321 installations
        statement = select(Node.id, Node.unit_id, Node.label, Node.status, Node.fingerprint,
                           Node.is_local, Node.first_seen_at, Node.last_seen_at,
                           Node.app_version)
        if statuses:
            statement = statement.where(Node.status.in_(statuses))
        nodes = list(session.execute(statement))
        acks = {a.node_id: a for a in session.execute(select(
            SyncAck.node_id, SyncAck.through_seq, SyncAck.package_number,
            SyncAck.acknowledged_at))}
        streams = {s.sender_node_id: s for s in session.execute(select(
            SyncStreamIn.sender_node_id, SyncStreamIn.applied_through,
            SyncStreamIn.last_number, SyncStreamIn.last_applied_at))}
    names = unit_titles(workspace, {node.unit_id for node in nodes})
    labels: dict[str, str] = {}  # each status translated once
    result = []
    for node in nodes:
        ack, stream = acks.get(node.id), streams.get(node.id)
        if node.status not in labels:
            labels[node.status] = status_label(node.status)
        result.append(NodeInfo(
            node.id, node.unit_id, names[node.unit_id], node.label, node.status,
            labels[node.status], node.fingerprint or "", node.is_local,
            node.first_seen_at, node.last_seen_at, node.app_version,
            ack.through_seq if ack else None, ack.package_number if ack else None,
            ack.acknowledged_at if ack else None,
            stream.applied_through if stream else None, stream.last_number if stream else None,
            stream.last_applied_at if stream else None))
    result.sort(key=lambda n: (not n.is_local, fold(n.unit_name), fold(n.label), str(n.id)))
    return result


def local_node(workspace: Workspace) -> NodeInfo:
    local_keys(workspace)
    return next(n for n in list_nodes(workspace) if n.is_local)


def find_node(workspace: Workspace, ident: str) -> NodeInfo:
    """A node by the start of its id or by its fingerprint's digits."""
    wanted = ident.strip().lower()
    digits = wanted.replace(" ", "") if wanted.replace(" ", "").isdigit() else ""
    matches = [n for n in list_nodes(workspace)
               if (len(wanted) >= 4 and str(n.id).startswith(wanted))
               or (len(digits) >= 8 and n.fingerprint.replace(" ", "").startswith(digits))]
    if len(matches) != 1:
        raise NodeNotFound(ident=ident)
    return matches[0]


def record_event(session: Session, *, kind: str, outcome: str, message: str,
                 file_name: str = "", sha256: str | None = None,
                 peer_unit_id: str | None = None, node_id: uuid.UUID | None = None,
                 package_number: int | None = None, counts: str = "{}") -> None:
    session.add(SyncEvent(**event_values(
        kind=kind, outcome=outcome, message=message, file_name=file_name, sha256=sha256,
        peer_unit_id=peer_unit_id, node_id=node_id, package_number=package_number,
        counts=counts)))


def event_values(*, kind: str, outcome: str, message: str, file_name: str = "",
                 sha256: str | None = None, peer_unit_id: str | None = None,
                 node_id: uuid.UUID | None = None, package_number: int | None = None,
                 counts: str = "{}") -> dict[str, Any]:
    """The columns of a line of the history (:func:`record_event`)."""
    return {"at": utc_now(), "kind": kind, "outcome": outcome, "message": message,
            "file_name": file_name[:255], "sha256": sha256, "peer_unit_id": peer_unit_id,
            "node_id": node_id, "package_number": package_number, "counts": counts}


def ensure_peer(session: Session, tree: UnitTree, local_unit: str, unit_id: str) -> None:
    """Remember ``unit_id`` as our parent or child unit (once)."""
    if session.get(SyncPeer, unit_id) is not None:
        return
    relation = tree.relation(local_unit, unit_id)
    if relation in (CHILD, PARENT):
        session.add(SyncPeer(unit_id=unit_id, relation=relation, added_at=utc_now()))
        session.flush()


def enrollment_of(workspace: Workspace, ident: str) -> uuid.UUID | None:
    """The enrollment file an installation was set up from, while it can still seat a new
    installation (None when it has none or it is already revoked): what revoking the
    installation offers to revoke too."""
    node = find_node(workspace, ident)
    with UnitOfWork.read(workspace) as session:
        row = session.get(Node, node.id)
        if row is None or row.enrollment_id is None:
            return None
        enrollment = session.get(SyncEnrollment, row.enrollment_id)
        if enrollment is None or enrollment.revoked:
            return None
        found: uuid.UUID = enrollment.id
        return found


def revoke_node(workspace: Workspace, ident: str, *,
                revoke_enrollment: bool = False) -> NodeInfo:
    """Stop trusting an installation: its packages are refused from now on. With
    ``revoke_enrollment`` the enrollment file it was set up from is revoked too: a new
    installation set up from the same file (a lost laptop's copy) is then never trusted on
    its own (issue 12)."""
    node = find_node(workspace, ident)
    if node.is_local:
        raise NodeNotFound(ident=ident)
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(Node, node.id)
        if row is None:
            raise NodeNotFound(ident=ident)
        row.status = "revoked"
        record_event(uow.session, kind="node", outcome="revoked", node_id=row.id,
                     peer_unit_id=row.unit_id,
                     message=_("Installation {node} of {unit} revoked: its packages will be "
                               "refused.").format(node=node.short_id, unit=node.unit_name))
        enrollment = (uow.session.get(SyncEnrollment, row.enrollment_id)
                      if revoke_enrollment and row.enrollment_id is not None else None)
        if enrollment is not None and not enrollment.revoked:
            enrollment.revoked = True
            record_event(uow.session, kind="enrollment", outcome="revoked",
                         peer_unit_id=row.unit_id, file_name=enrollment.file_name,
                         message=_("Enrollment file {name} for {unit} revoked: an installation "
                                   "set up from it is no longer trusted without a check.")
                         .format(name=enrollment.file_name, unit=node.unit_name))
        uow.commit()
    return find_node(workspace, str(node.id))
