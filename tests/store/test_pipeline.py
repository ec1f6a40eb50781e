"""store/pipeline.py: statements sent together (one psycopg pipeline on PostgreSQL, one by
one on SQLite) write what ``Connection.execute`` writes: their own values (also when a
statement of the same shape was compiled before), the columns' Python-side defaults, the
text in its stored form (the bind processors); a failure is SQLAlchemy's error and the
transaction leaves nothing. The PostgreSQL pass runs the pipeline itself."""

from __future__ import annotations

import unicodedata
import uuid
from typing import cast

import pytest
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError

from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.sync import SyncPeer
from ctmtqg_desktop.store.pipeline import execute_together, upsert
from ctmtqg_desktop.store.uow import UnitOfWork


def _node(ident: uuid.UUID, unit: str, label: str):
    """A relayed installation; ``app_version`` left to its default (``""``)."""
    return insert(Node).values(id=ident, unit_id=unit, label=label, is_local=False,
                               created_at=utc_now(), status="relayed")


def _peer(connection, unit: str, version: int):
    statement = upsert(connection, cast(Table, SyncPeer.__table__)).values(
        unit_id=unit, relation="child", added_at=utc_now(), catalog_version=version)
    return statement.on_conflict_do_update(
        index_elements=["unit_id"], set_={"catalog_version": statement.excluded.catalog_version})


def test_statements_sent_together_write_their_values_defaults_and_stored_text(new_workspace):
    workspace = new_workspace()
    first, second = uuid.uuid4(), uuid.uuid4()
    decomposed = unicodedata.normalize("NFD", "Máy của xã Đắk Hà")
    with UnitOfWork(workspace) as uow:
        connection = uow.session.connection()
        execute_together(connection, [_node(first, "23500", decomposed),
                                      _peer(connection, "23500", 3)])
        # the same shapes again (compiled once): the new values, the peer updated
        execute_together(connection, [_node(second, "23503", "Máy thứ hai"),
                                      _peer(connection, "23500", 4),
                                      _peer(connection, "23503", 5)])
        uow.commit()
    with workspace.session_factory() as session:
        nodes = {row.id: row for row in session.scalars(select(Node).where(
            Node.id.in_((first, second))))}
        peers = {row.unit_id: row for row in session.scalars(select(SyncPeer).where(
            SyncPeer.unit_id.in_(("23500", "23503"))))}
    assert nodes[first].label == unicodedata.normalize("NFC", decomposed) != decomposed
    assert (nodes[first].unit_id, nodes[first].app_version) == ("23500", "")
    assert (nodes[second].label, nodes[second].unit_id, nodes[second].app_version) == (
        "Máy thứ hai", "23503", "")
    assert {unit: (row.relation, row.catalog_version) for unit, row in peers.items()} == {
        "23500": ("child", 4), "23503": ("child", 5)}


def test_a_failure_among_statements_sent_together_is_sqlalchemys_and_leaves_nothing(
        new_workspace):
    workspace = new_workspace()
    ident = uuid.uuid4()
    with pytest.raises(IntegrityError), UnitOfWork(workspace) as uow:
        connection = uow.session.connection()
        execute_together(connection, [_peer(connection, "23500", 1),
                                      _node(ident, "23500", "Máy"),
                                      _node(ident, "23500", "Máy")])  # the same id twice
        uow.commit()
    with workspace.session_factory() as session:
        assert session.get(Node, ident) is None
        assert session.get(SyncPeer, "23500") is None
