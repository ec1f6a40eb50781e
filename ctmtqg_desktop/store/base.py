"""Declarative base and the columns every synced record carries.

Architecture principle "every record has a global identity and an owner": a synced record has
a UUID key, the unit that owns it (only that unit's nodes may change it), the node that wrote
its current version, creation and update times, a hybrid-logical-clock version, and a
tombstone instead of a physical delete. :mod:`ctmtqg_desktop.store.journal` fills these in and
journals every change; services never set them by hand.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: a unit's stable key in the catalog (``23524``, ``23500@2025-07-01``)
UnitKey = String(40)
#: a catalog key of a programme or component (``2021-2025/DTTS/DA3/TDA2``)
CatalogKey = String(80)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


#: ``audience_unit_id`` value for a record addressed to every child unit
EVERY_CHILD = "*"

#: columns that describe a record's life rather than its content (left out of ``dump``)
SYNC_METADATA_COLUMNS = ("origin_node_id", "created_at", "updated_at", "version")


class SyncedRecord:
    """Mixin for every table whose rows travel in sync packages.

    Only nodes of ``owner_unit_id`` may change a record. Records travel up to the parent
    (and on up the hierarchy); a parent's record travels down to the child named in
    ``audience_unit_id`` (or to every child when it is ``*``).

    Rules for subclasses: content columns only use Python-side defaults (no
    ``server_default``), so that the journal sees every value it writes; foreign keys to
    other synced records point at their UUID.
    """

    #: what the user calls these records (an English msgid, translated where shown)
    __label__: ClassVar[str] = ""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_unit_id: Mapped[str] = mapped_column(UnitKey, index=True)
    origin_node_id: Mapped[uuid.UUID] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()
    updated_at: Mapped[dt.datetime] = mapped_column()
    version: Mapped[str] = mapped_column(String(64))
    deleted: Mapped[bool] = mapped_column(default=False)
    #: who a record written by a parent unit is for: a child unit's key (an answer to that
    #: child's difficulty, a task assigned to it), ``*`` (every child: rules, templates), or
    #: None (the owner's own record, which travels up only)
    audience_unit_id: Mapped[str | None] = mapped_column(UnitKey, default=None)


def utc_now() -> dt.datetime:
    """Naive UTC, the form every timestamp is stored in (SQLite has no time zones)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
