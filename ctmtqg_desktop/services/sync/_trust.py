"""Trusting an installation: accept a pending one after its fingerprint was checked, or
take a sender's new history after a fork alert; either way the packages that waited are
applied now (:func:`_import.retry_waiting`).

Kept apart from ``_nodes`` (which the importer uses to know the installations), so that the
importer and the installations do not import each other.
"""

from __future__ import annotations

from sqlalchemy import select

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.sync._nodes import ensure_peer, find_node, record_event, unit_tree
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncIncoming, SyncStreamIn
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


def accept_node(workspace: Workspace, ident: str):
    """Trust a pending installation after its fingerprint was checked by phone, then apply
    the packages it sent that waited in quarantine. Returns (node, import outcomes)."""
    node = find_node(workspace, ident)
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(Node, node.id)
        if row.status not in ("pending", "revoked", "relayed"):
            return node, []
        row.status = "trusted"
        info = workspace.installation()
        ensure_peer(uow.session, unit_tree(uow.session), info.unit_id, row.unit_id)
        record_event(uow.session, kind="node", outcome="accepted", node_id=row.id,
                     peer_unit_id=row.unit_id,
                     message=_("Installation {node} of {unit} accepted after checking its "
                               "fingerprint {fingerprint}.").format(
                                   node=node.short_id, unit=node.unit_name,
                                   fingerprint=node.fingerprint))
        uow.commit()
    outcomes = sync_import.retry_waiting(workspace, sender=node.id,
                                         statuses=("quarantined", "held"))
    return find_node(workspace, str(node.id)), outcomes


def accept_new_history(workspace: Workspace, ident: str):
    """After a fork alert, take the sender's new history (its computer was restored from an
    old copy and numbers its packages again): the packages of the old history from the
    first conflicting number on are set aside, and the conflicting ones are applied.
    Records stay safe either way: each change is still applied only if it is newer.
    Returns (node, import outcomes)."""
    node = find_node(workspace, ident)
    with UnitOfWork(workspace) as uow:
        alerts = list(uow.session.scalars(select(SyncIncoming).where(
            SyncIncoming.sender_node_id == node.id, SyncIncoming.status == "alert")))
        if not alerts:
            return node, []
        lowest = min(row.number for row in alerts)
        for row in uow.session.scalars(select(SyncIncoming).where(
                SyncIncoming.sender_node_id == node.id, SyncIncoming.number >= lowest,
                SyncIncoming.status.in_(("applied", "superseded")))):
            row.status = "replaced"
        stream = uow.session.get(SyncStreamIn, node.id)
        if stream is not None and stream.last_number >= lowest:
            stream.last_number = lowest - 1
            stream.last_sha256 = None
        record_event(uow.session, kind="node", outcome="accepted", node_id=node.id,
                     peer_unit_id=node.unit_id,
                     message=_("The new history of installation {node} of {unit} was accepted "
                               "from package no. {number} on.").format(
                                   node=node.short_id, unit=node.unit_name, number=lowest))
        uow.commit()
    outcomes = sync_import.retry_waiting(workspace, sender=node.id, statuses=("alert", "held"))
    return node, outcomes
