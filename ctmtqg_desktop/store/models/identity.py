"""Who this installation is, the nodes it knows, and workspace settings."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.store.base import Base, StoredString, StoredText, UnitKey


class Installation(Base):
    """The single row that says which unit this workspace serves and as which node.

    ``role`` is ``commune`` (a unit that reports up) or ``parent`` (a unit that aggregates
    its children: a district before 07/2025, a province after). ``simulated_today`` is set
    only by the demo, which is a commune of 2023: every "today" of the app then reads that
    date, and the window says so.
    """

    __tablename__ = "installation"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    node_id: Mapped[uuid.UUID] = mapped_column()
    unit_id: Mapped[str] = mapped_column(UnitKey)
    role: Mapped[str] = mapped_column(StoredString(20))
    officer_name: Mapped[str] = mapped_column(StoredString(120), default="")
    created_at: Mapped[dt.datetime] = mapped_column()
    simulated_today: Mapped[dt.date | None] = mapped_column()


#: node status: this installation, a peer we trust, one waiting for a fingerprint check,
#: one we stopped trusting, and one we only know because a trusted peer relayed its records
NODE_STATUSES = ("local", "trusted", "pending", "revoked", "relayed")


class Node(Base):
    """An installation (this one or a peer): records carry the node that wrote them.

    A node signs its packages with an Ed25519 key and receives encrypted packages with an
    X25519 key (both public keys here, base64; the private ones are in the workspace's
    ``keys/`` folder). ``fingerprint`` is what officers read to each other by phone.
    """

    __tablename__ = "node"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(UnitKey, index=True)
    label: Mapped[str] = mapped_column(StoredString(120), default="")
    is_local: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column()
    sign_public_key: Mapped[str | None] = mapped_column(StoredString(64))
    box_public_key: Mapped[str | None] = mapped_column(StoredString(64))
    fingerprint: Mapped[str | None] = mapped_column(StoredString(40))
    status: Mapped[str] = mapped_column(StoredString(20), default="trusted",
                                        server_default="trusted")
    first_seen_at: Mapped[dt.datetime | None] = mapped_column()
    last_seen_at: Mapped[dt.datetime | None] = mapped_column()
    #: the enrollment file this node was set up from (as issued by this installation)
    enrollment_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    app_version: Mapped[str] = mapped_column(StoredString(32), default="", server_default="")


class Setting(Base):
    """A workspace setting (declared once in :mod:`ctmtqg_desktop.services.settings`)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(StoredString(80), primary_key=True)
    value: Mapped[str] = mapped_column(StoredText)
