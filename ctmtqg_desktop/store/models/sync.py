"""Đồng bộ (synchronisation) bookkeeping: packages made and received, what each peer has
acknowledged, held and quarantined packages, overridden values and the history.

These tables are local state, not synced records: they say what this installation has
exchanged with its peers. The records themselves travel through the change journal.
See ``docs/sync-format.md`` for the package format they describe.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.store.base import Base, StoredJSONText, StoredString, StoredText, UnitKey

#: a SHA-256 digest in lower-case hex
Digest = StoredString(64)
#: a record version (hybrid logical clock string)
VersionText = StoredString(64)


class SyncPeer(Base):
    """A unit this installation exchanges packages with: its parent unit or a child unit."""

    __tablename__ = "sync_peer"
    unit_id: Mapped[str] = mapped_column(UnitKey, primary_key=True)
    #: ``parent`` or ``child``
    relation: Mapped[str] = mapped_column(StoredString(10))
    #: the catalog version the peer last reported (None: not known yet)
    catalog_version: Mapped[int | None] = mapped_column()
    added_at: Mapped[dt.datetime] = mapped_column()


class SyncEnrollment(Base):
    """An enrollment file issued by this (parent) installation for a child unit.

    The file's secret lives in ``keys/enrollments/`` (never in the database); a node whose
    first package proves it holds the secret is trusted without a fingerprint check.
    """

    __tablename__ = "sync_enrollment"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_unit_id: Mapped[str] = mapped_column(UnitKey, index=True)
    issued_at: Mapped[dt.datetime] = mapped_column()
    issued_by_node_id: Mapped[uuid.UUID] = mapped_column()
    file_name: Mapped[str] = mapped_column(StoredString(255), default="")
    revoked: Mapped[bool] = mapped_column(default=False)


class SyncOutgoing(Base):
    """A package this installation wrote (``number`` counts per recipient unit)."""

    __tablename__ = "sync_outgoing"
    __table_args__ = (UniqueConstraint("recipient_unit_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    package_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    recipient_unit_id: Mapped[str] = mapped_column(UnitKey, index=True)
    number: Mapped[int] = mapped_column()
    #: the range of this installation's change journal the package covers
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(Digest, unique=True)
    previous_sha256: Mapped[str | None] = mapped_column(Digest)
    created_at: Mapped[dt.datetime] = mapped_column()
    file_name: Mapped[str] = mapped_column(StoredString(255))
    folder: Mapped[str] = mapped_column(StoredText, default="")
    size: Mapped[int] = mapped_column(BigInteger)
    changes: Mapped[int] = mapped_column(BigInteger)
    #: JSON ``{"village": {"insert": 3, ...}, ...}``
    totals: Mapped[str] = mapped_column(StoredText, default="{}")
    attachments: Mapped[int] = mapped_column(default=0)
    encrypted: Mapped[bool] = mapped_column(default=False)
    catalog_version: Mapped[int | None] = mapped_column()


class SyncAck(Base):
    """What an installation of a peer unit has confirmed applying from our packages."""

    __tablename__ = "sync_ack"
    recipient_unit_id: Mapped[str] = mapped_column(UnitKey, primary_key=True)
    node_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: our journal is applied there up to this sequence number
    through_seq: Mapped[int] = mapped_column(BigInteger)
    package_number: Mapped[int] = mapped_column()
    package_sha256: Mapped[str | None] = mapped_column(Digest)
    #: when the acknowledgement reached us
    acknowledged_at: Mapped[dt.datetime] = mapped_column()


class SyncStreamIn(Base):
    """What this installation has applied from one sender installation."""

    __tablename__ = "sync_stream_in"
    sender_node_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sender_unit_id: Mapped[str] = mapped_column(UnitKey)
    #: the sender's journal is applied here up to this sequence number
    applied_through: Mapped[int] = mapped_column(BigInteger, default=0)
    last_number: Mapped[int] = mapped_column(default=0)
    last_sha256: Mapped[str | None] = mapped_column(Digest)
    last_applied_at: Mapped[dt.datetime | None] = mapped_column()


class SyncIncoming(Base):
    """Every authenticated package received, by content: applied, held, quarantined…

    ``status``: ``applied``, ``superseded`` (its changes came in a later package),
    ``held`` (an earlier package is missing), ``quarantined`` (unknown sender),
    ``newer`` (needs a newer application), ``alert`` (same number, different content) or
    ``rejected``. Waiting packages are kept under ``stored_path`` (relative to the
    workspace folder) and tried again automatically.
    """

    __tablename__ = "sync_incoming"
    __table_args__ = (Index("ix_sync_incoming_sender_number", "sender_node_id", "number"),)
    sha256: Mapped[str] = mapped_column(Digest, primary_key=True)
    package_id: Mapped[uuid.UUID] = mapped_column(index=True)
    sender_node_id: Mapped[uuid.UUID] = mapped_column()
    sender_unit_id: Mapped[str] = mapped_column(UnitKey)
    recipient_unit_id: Mapped[str] = mapped_column(UnitKey)
    number: Mapped[int] = mapped_column()
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    previous_sha256: Mapped[str | None] = mapped_column(Digest)
    status: Mapped[str] = mapped_column(StoredString(20), index=True)
    reason: Mapped[str] = mapped_column(StoredText, default="")
    file_name: Mapped[str] = mapped_column(StoredString(255), default="")
    stored_path: Mapped[str | None] = mapped_column(StoredText)
    received_at: Mapped[dt.datetime] = mapped_column()
    processed_at: Mapped[dt.datetime | None] = mapped_column()
    #: the range of our own journal written when it was applied (so we never echo it back)
    local_first_seq: Mapped[int | None] = mapped_column(BigInteger)
    local_last_seq: Mapped[int | None] = mapped_column(BigInteger)
    schema_revision: Mapped[str] = mapped_column(StoredString(64), default="")
    app_version: Mapped[str] = mapped_column(StoredString(32), default="")


class SyncEvent(Base):
    """The history the user opens: every import and export attempt and its outcome,
    nodes accepted or revoked, enrollments issued."""

    __tablename__ = "sync_event"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    #: import, export, node, enrollment
    kind: Mapped[str] = mapped_column(StoredString(20))
    #: applied, already_applied, held, quarantined, newer, alert, rejected, exported,
    #: accepted, revoked, issued
    outcome: Mapped[str] = mapped_column(StoredString(20), index=True)
    file_name: Mapped[str] = mapped_column(StoredString(255), default="")
    sha256: Mapped[str | None] = mapped_column(Digest)
    peer_unit_id: Mapped[str | None] = mapped_column(UnitKey)
    node_id: Mapped[uuid.UUID | None] = mapped_column()
    package_number: Mapped[int | None] = mapped_column()
    #: the Vietnamese sentence shown for the outcome
    message: Mapped[str] = mapped_column(StoredText, default="")
    #: JSON ``{"village": {"applied": 3, "unchanged": 1}, ...}``
    counts: Mapped[str] = mapped_column(StoredText, default="{}")


class SyncConflict(Base):
    """Dữ liệu bị ghi đè: two installations of one unit edited the same record without
    seeing each other's edit; the newer version was kept (the same everywhere), and the
    overridden one is kept here for the user to look at."""

    __tablename__ = "sync_conflict"
    __table_args__ = (UniqueConstraint("table_name", "record_id", "overridden_version"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(StoredString(64))
    record_id: Mapped[uuid.UUID] = mapped_column(index=True)
    owner_unit_id: Mapped[str] = mapped_column(UnitKey)
    kept_version: Mapped[str] = mapped_column(VersionText)
    kept_node_id: Mapped[uuid.UUID] = mapped_column()
    kept_payload: Mapped[str] = mapped_column(StoredJSONText)
    overridden_version: Mapped[str] = mapped_column(VersionText)
    overridden_node_id: Mapped[uuid.UUID] = mapped_column()
    overridden_payload: Mapped[str] = mapped_column(StoredJSONText)
    detected_at: Mapped[dt.datetime] = mapped_column()
    reviewed: Mapped[bool] = mapped_column(default=False)
