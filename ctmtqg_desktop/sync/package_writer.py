"""Write a package as a stream: entries go straight into the ZIP file (compressed, and when
there are recipients' keys, sealed), hashed on the way, so memory stays flat however many
changes there are. The manifest comes last, once every entry's size and SHA-256 is known,
and is signed with the sender's Ed25519 key.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from dataclasses import dataclass, replace
from types import TracebackType
from typing import IO, BinaryIO

from ctmtqg_desktop.sync import crypto
from ctmtqg_desktop.sync.identity import NodeKeys, b64
from ctmtqg_desktop.sync.package_format import (
    ATTACHMENT_PREFIX,
    CAP_ATTACHMENTS,
    CAP_CATALOG,
    CAP_CHANGES,
    CAP_ENCRYPTION,
    CAP_REFERENCES,
    CATALOG,
    CHANGES,
    MANIFEST,
    REFERENCES,
    SIGNATURE,
    SIGNATURE_CONTEXT,
    Encryption,
    EntryInfo,
    Manifest,
    Recipient,
)

#: a fixed entry time: the same content gives the same bytes, and no clock is leaked
_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class RecipientKey:
    node_id: uuid.UUID
    box_key: bytes


class _HashingSink:
    """A write-only file object that hashes and counts what passes into ``raw``."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.hasher = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.hasher.update(data)
        self.size += len(data)
        self.raw.write(data)
        return len(data)


class EntryStream:
    """Bytes written here become one entry (``write``), then ``close`` records its info."""

    def __init__(self, writer: PackageWriter, name: str, *, deflate: bool = True) -> None:
        self.writer = writer
        self.name = name
        sealed = writer.content_key is not None
        info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
        info.external_attr = 0o100644 << 16
        deflate = deflate and not sealed
        info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
        if deflate:  # the attribute is public from Python 3.13, private before
            setattr(info, "compress_level" if hasattr(info, "compress_level")
                    else "_compresslevel", writer.level)
        self.handle = writer.archive.open(info, "w", force_zip64=True)
        self.sink = _HashingSink(self.handle)
        self.sealer: crypto.SealingWriter | None = None
        if writer.content_key is not None:
            key = crypto.entry_key(writer.content_key, writer.package_id.bytes, name)
            self.sealer = crypto.SealingWriter(self.sink, key, level=writer.level)
        self.lines = 0

    def write(self, data: bytes) -> None:
        if self.sealer is not None:
            self.sealer.write(data)
        else:
            self.sink.write(data)

    def close(self, *, lines: int | None = None) -> EntryInfo:
        plain = None
        if self.sealer is not None:
            self.sealer.close()
            plain = self.sealer.plain_size
        self.handle.close()
        entry = EntryInfo(self.sink.size, self.sink.hasher.hexdigest(), plain, lines)
        self.writer.entries[self.name] = entry
        return entry


class PackageWriter:
    """``with PackageWriter(path, …) as writer``: add entries, then :meth:`finish`."""

    def __init__(self, path: os.PathLike[str] | str, *, package_id: uuid.UUID,
                 recipients: list[RecipientKey], level: int = 6) -> None:
        self.path = path
        self.package_id = package_id
        self.level = level
        self.entries: dict[str, EntryInfo] = {}
        self.encryption: Encryption | None = None
        self.content_key: bytes | None = None
        if recipients:
            self.content_key = crypto.new_content_key()
            ephemeral = crypto.new_ephemeral()
            slots = tuple(Recipient(r.node_id, b64(crypto.wrap_key(
                self.content_key, ephemeral, r.box_key, package_id.bytes)))
                for r in recipients)
            self.encryption = Encryption(crypto.SCHEME, b64(crypto.public_bytes(ephemeral)),
                                         slots)
        self.file = open(path, "wb")
        self.archive = zipfile.ZipFile(self.file, "w", allowZip64=True)

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def entry(self, name: str, *, deflate: bool = True) -> EntryStream:
        return EntryStream(self, name, deflate=deflate)

    def add_attachment(self, digest: str, source: BinaryIO) -> EntryInfo:
        """Attached files are stored, not deflated: scans and photos are compressed already,
        and a blank page that deflates a thousand times must not look like a ZIP bomb."""
        stream = self.entry(ATTACHMENT_PREFIX + digest, deflate=False)
        for chunk in iter(lambda: source.read(COPY_CHUNK), b""):
            stream.write(chunk)
        return stream.close()

    def add_bytes(self, name: str, data: bytes) -> EntryInfo:
        stream = self.entry(name)
        stream.write(data)
        return stream.close()

    def requirements(self) -> tuple[str, ...]:
        needed = {CAP_CHANGES}
        if any(name.startswith(ATTACHMENT_PREFIX) for name in self.entries):
            needed.add(CAP_ATTACHMENTS)
        if CATALOG in self.entries:
            needed.add(CAP_CATALOG)
        if REFERENCES in self.entries:
            needed.add(CAP_REFERENCES)
        if self.encryption is not None:
            needed.add(CAP_ENCRYPTION)
        return tuple(sorted(needed))

    def finish(self, manifest: Manifest, keys: NodeKeys) -> Manifest:
        """Write the manifest (with this writer's entries and encryption) and its signature,
        close the file and flush it to the disk. Returns the manifest written."""
        if CHANGES not in self.entries:
            raise RuntimeError("a package always has changes.jsonl")
        manifest = replace(manifest, entries=dict(self.entries), encryption=self.encryption,
                           requires=self.requirements())
        data = manifest.to_bytes()
        for name, payload in ((MANIFEST, data),
                              (SIGNATURE, keys.sign(SIGNATURE_CONTEXT + data))):
            info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED
            self.archive.writestr(info, payload)
        self.archive.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        return manifest

    def close(self) -> None:
        if not self.file.closed:
            try:
                self.archive.close()
            finally:
                self.file.close()
