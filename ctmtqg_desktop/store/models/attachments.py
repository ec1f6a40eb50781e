"""Tệp đính kèm: a file attached to any record (a scanned directive, a photo of evidence,
a signed document of a dossier). The bytes live in the workspace's content-addressed store;
this record says which record they belong to and travels in sync packages, which carry the
file once per digest."""

from __future__ import annotations

import uuid

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.store.base import Base, StoredString, SyncedRecord


class Attachment(SyncedRecord, Base):
    __tablename__ = "attachment"
    __label__ = N_("Attachments")
    __table_args__ = (Index("ix_attachment_parent", "parent_table", "parent_id"),)

    #: the table and id of the record the file belongs to (``task_progress``, ``dossier_document``…)
    parent_table: Mapped[str] = mapped_column(StoredString(64))
    parent_id: Mapped[uuid.UUID] = mapped_column()
    #: SHA-256 of the content (hex), the file's name in ``attachments/``
    digest: Mapped[str] = mapped_column(StoredString(64), index=True)
    original_name: Mapped[str] = mapped_column(StoredString(255))
    media_type: Mapped[str] = mapped_column(StoredString(100))
    size: Mapped[int] = mapped_column()
    caption: Mapped[str] = mapped_column(StoredString(300), default="")
