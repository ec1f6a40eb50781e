"""Attach files to records: scans, photos and PDFs, kept once by content in the workspace.

Any area attaches files to its records through these functions (``parent_table`` is the
record's table name). The file goes into the content-addressed store first; the
:class:`Attachment` record is written in the caller's transaction or its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import settings
from ctmtqg_desktop.store.attachments import AttachmentStore, StoredFile
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

__all__ = ["AttachmentInfo", "StoredFile", "attach_file", "attachment_store", "list_attachments",
           "remove_attachment", "add_attachment_record", "copy_out"]


@dataclass(frozen=True)
class AttachmentInfo:
    id: uuid.UUID
    parent_table: str
    parent_id: uuid.UUID
    digest: str
    original_name: str
    media_type: str
    size: int
    caption: str

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


def _info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.parent_table, row.parent_id, row.digest,
                          row.original_name, row.media_type, row.size, row.caption)


def attachment_store(workspace: Workspace) -> AttachmentStore:
    limit = settings.get(workspace, settings.ATTACHMENT_LIMIT_MB) * 1024 * 1024
    return AttachmentStore(workspace.attachments_dir, limit_bytes=limit)


def add_attachment_record(session: Session, stored: StoredFile, *, parent_table: str,
                          parent_id: uuid.UUID, caption: str = "") -> Attachment:
    """The record for a file already in the store, inside the caller's unit of work."""
    row = Attachment(parent_table=parent_table, parent_id=parent_id, digest=stored.digest,
                     original_name=normalize(stored.original_name), media_type=stored.media_type,
                     size=stored.size, caption=normalize(caption))
    session.add(row)
    return row


def attach_file(workspace: Workspace, path: str | Path, *, parent_table: str,
                parent_id: uuid.UUID, caption: str = "") -> AttachmentInfo:
    """Copy ``path`` into the store (size limit checked) and attach it to a record."""
    stored = attachment_store(workspace).add_file(path)
    with UnitOfWork(workspace) as uow:
        row = add_attachment_record(uow.session, stored, parent_table=parent_table,
                                    parent_id=parent_id, caption=caption)
        uow.commit()
        return _info(row)


def list_attachments(workspace: Workspace, parent_table: str,
                     parent_ids: list[uuid.UUID] | uuid.UUID) -> list[AttachmentInfo]:
    ids = parent_ids if isinstance(parent_ids, list) else [parent_ids]
    with UnitOfWork.read(workspace) as session:
        rows = session.scalars(select(Attachment).where(
            Attachment.parent_table == parent_table, Attachment.parent_id.in_(ids),
            Attachment.deleted.is_(False)).order_by(Attachment.created_at))
        return [_info(row) for row in rows]


def remove_attachment(workspace: Workspace, attachment_id: uuid.UUID) -> None:
    """Tombstone the record; the bytes stay (another record may share them)."""
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, Attachment, attachment_id, kind=_("Attachment"))
        row.deleted = True
        uow.commit()


def copy_out(workspace: Workspace, attachment: AttachmentInfo, folder: Path) -> Path:
    """A copy under its original name (to open with the system viewer)."""
    return attachment_store(workspace).export_to(attachment.digest,
                                                 folder / Path(attachment.original_name).name)
