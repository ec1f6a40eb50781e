"""The workspace's attachment store (scans, photos, PDFs), with its size-limit setting."""

from __future__ import annotations

from ctmtqg_desktop.services import settings
from ctmtqg_desktop.store.attachments import AttachmentStore, StoredFile
from ctmtqg_desktop.store.workspace import Workspace

__all__ = ["attachment_store", "StoredFile"]


def attachment_store(workspace: Workspace) -> AttachmentStore:
    limit = settings.get(workspace, settings.ATTACHMENT_LIMIT_MB) * 1024 * 1024
    return AttachmentStore(workspace.attachments_dir, limit_bytes=limit)
