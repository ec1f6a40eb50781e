"""Attachments: files kept in the workspace under the SHA-256 of their content.

``attachments/ab/abcdef…`` holds the bytes; records refer to a file by its digest (and keep
the original name and type themselves), so the same scan attached twice is stored once, a
sync package carries each file once, and a damaged file is detected by re-hashing. Files are
written atomically; the size limit is a workspace setting with a clear message when exceeded.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ctmtqg_desktop.domain.errors import AttachmentMissing, AttachmentTooLarge
from ctmtqg_desktop.store.atomic_files import atomic_write, fsync_dir, make_dirs

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    digest: str
    size: int
    original_name: str
    media_type: str


class AttachmentStore:
    def __init__(self, folder: Path, *, limit_bytes: int) -> None:
        self.folder = folder
        self.limit_bytes = limit_bytes

    def path_for(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise AttachmentMissing(digest=digest)
        return self.folder / digest[:2] / digest

    def has(self, digest: str) -> bool:
        return self.path_for(digest).is_file()

    def add_file(self, source: str | os.PathLike[str], *, name: str | None = None) -> StoredFile:
        source = Path(source)
        size = source.stat().st_size
        display = name or source.name
        if size > self.limit_bytes:
            raise AttachmentTooLarge(name=display, size=size, limit=self.limit_bytes)
        with source.open("rb") as handle:
            return self.add_stream(handle, name=display)

    def add_bytes(self, data: bytes, *, name: str) -> StoredFile:
        if len(data) > self.limit_bytes:
            raise AttachmentTooLarge(name=name, size=len(data), limit=self.limit_bytes)
        import io

        return self.add_stream(io.BytesIO(data), name=name)

    def add_stream(self, stream: BinaryIO, *, name: str) -> StoredFile:
        """Copy ``stream`` in, hashing as it goes; an existing identical file is reused.

        The file is fsync'ed before it gets its name and its folder after, so that a record
        committed afterwards never names a file a power cut could take away."""
        make_dirs(self.folder)
        hasher = hashlib.sha256()
        size = 0
        fd, temp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    size += len(chunk)
                    if size > self.limit_bytes:
                        raise AttachmentTooLarge(name=name, size=size, limit=self.limit_bytes)
                    hasher.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            digest = hasher.hexdigest()
            target = self.path_for(digest)
            make_dirs(target.parent)
            if target.exists():
                os.unlink(temp_name)
            else:
                os.replace(temp_name, target)
            fsync_dir(target.parent)
        except BaseException:
            if os.path.exists(temp_name):
                os.unlink(temp_name)
            raise
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StoredFile(digest, size, name, media_type)

    def open(self, digest: str) -> BinaryIO:
        path = self.path_for(digest)
        if not path.is_file():
            raise AttachmentMissing(digest=digest)
        return path.open("rb")

    def verify(self, digest: str) -> bool:
        """True when the stored bytes still hash to ``digest``."""
        path = self.path_for(digest)
        if not path.is_file():
            return False
        hasher = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                hasher.update(chunk)
        return hasher.hexdigest() == digest

    def export_to(self, digest: str, target: Path) -> Path:
        """Copy a stored file out (e.g. to open it with the system viewer under its name)."""
        with self.open(digest) as source, atomic_write(target) as out:
            shutil.copyfileobj(source, out, CHUNK)
        return target

