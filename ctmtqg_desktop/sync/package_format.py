"""The ``.ctsync`` package format, version 1: entry names, limits, the manifest and its
validation. ``docs/sync-format.md`` describes the same thing for readers without our code;
change both together.

A package is a ZIP file with a flat allow-list of entries:

``manifest.json``   canonical JSON (sorted keys, no spaces, UTF-8), described below
``manifest.sig``    64 bytes: Ed25519 signature of ``SIGNATURE_CONTEXT + manifest.json``
``changes.jsonl``   one change per line, in the sender's journal order
``catalog.json``    optional: a catalog update (``{"manifest": {...}, "files": {...}}``)
``references.json`` optional: dossier templates and handbook pages sent down
``attachment-<sha256>``  optional: the bytes of an attached file, once per digest
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn, overload

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.sync.errors import ManifestInvalid

FORMAT_NAME = "ctmtqg-sync-package"
FORMAT_VERSION = 1
SUFFIX = ".ctsync"
SIGNATURE_CONTEXT = b"CTSYNC1\n"
ENROLLMENT_SIGNATURE_CONTEXT = b"CTENROLL1\n"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CHANGES = "changes.jsonl"
CATALOG = "catalog.json"
REFERENCES = "references.json"
ATTACHMENT_PREFIX = "attachment-"
ATTACHMENT_NAME = re.compile(r"^attachment-[0-9a-f]{64}$")

#: capabilities a reader must have; a package lists the ones it needs in ``requires``
CAP_CHANGES = "changes/1"
CAP_ATTACHMENTS = "attachments/1"
CAP_CATALOG = "catalog/1"
CAP_ENCRYPTION = "encryption/1"
CAP_REFERENCES = "references/1"
SUPPORTED_CAPABILITIES = frozenset({CAP_CHANGES, CAP_ATTACHMENTS, CAP_CATALOG, CAP_ENCRYPTION,
                                    CAP_REFERENCES})


@dataclass(frozen=True)
class Limits:
    """What a reader accepts before unpacking anything (ZIP-bomb and size guards)."""

    package_bytes: int = 8 * 1024**3
    entries: int = 20_003
    manifest_bytes: int = 1024**2
    changes_bytes: int = 4 * 1024**3
    catalog_bytes: int = 32 * 1024**2
    references_bytes: int = 32 * 1024**2
    attachment_bytes: int = 512 * 1024**2
    #: uncompressed / compressed; JSON lines of records compress about 5-15 times
    compression_ratio: int = 100


DEFAULT_LIMITS = Limits()


def allowed_entry(name: str) -> bool:
    return name in (MANIFEST, SIGNATURE, CHANGES, CATALOG, REFERENCES) or \
        bool(ATTACHMENT_NAME.match(name))


def entry_limit(name: str, limits: Limits) -> int:
    if name == MANIFEST:
        return limits.manifest_bytes
    if name == SIGNATURE:
        return 64
    if name == CHANGES:
        return limits.changes_bytes
    if name == CATALOG:
        return limits.catalog_bytes
    if name == REFERENCES:
        return limits.references_bytes
    return limits.attachment_bytes


def canonical_bytes(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------- manifest
@dataclass(frozen=True)
class EntryInfo:
    size: int
    sha256: str
    #: for encrypted entries: the size of the plaintext
    plain_size: int | None = None
    #: for ``changes.jsonl``: the number of lines
    lines: int | None = None


@dataclass(frozen=True)
class Acknowledgement:
    """The sender has applied ``node``'s packages up to its journal sequence ``through``."""

    node: uuid.UUID
    through: int
    number: int
    sha256: str | None


@dataclass(frozen=True)
class NodeDeclaration:
    node: uuid.UUID
    unit: str
    label: str
    sign_key: str | None
    box_key: str | None


@dataclass(frozen=True)
class Recipient:
    node: uuid.UUID
    wrapped_key: str


@dataclass(frozen=True)
class Encryption:
    scheme: str
    ephemeral_key: str
    recipients: tuple[Recipient, ...]


@dataclass(frozen=True)
class Manifest:
    package_id: uuid.UUID
    created_at: str
    app_version: str
    schema_revision: str
    sender_node: uuid.UUID
    sender_unit: str
    sender_label: str
    sign_key: str
    box_key: str
    enrollment_id: uuid.UUID | None
    enrollment_proof: str | None
    recipient_unit: str
    number: int
    first_seq: int
    last_seq: int
    previous_sha256: str | None
    catalog_version: int
    requires: tuple[str, ...]
    acknowledgements: tuple[Acknowledgement, ...]
    tables: dict[str, dict[str, Any]]
    nodes: tuple[NodeDeclaration, ...]
    entries: dict[str, EntryInfo]
    encryption: Encryption | None
    format_version: int = FORMAT_VERSION
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_document(self) -> dict[str, Any]:
        entries = {}
        for name, info in self.entries.items():
            entry: dict[str, Any] = {"size": info.size, "sha256": info.sha256}
            if info.plain_size is not None:
                entry["plain_size"] = info.plain_size
            if info.lines is not None:
                entry["lines"] = info.lines
            entries[name] = entry
        enrollment = None
        if self.enrollment_id is not None:
            enrollment = {"id": str(self.enrollment_id), "proof": self.enrollment_proof}
        encryption = None
        if self.encryption is not None:
            encryption = {"scheme": self.encryption.scheme,
                          "ephemeral_key": self.encryption.ephemeral_key,
                          "recipients": [{"node": str(r.node), "wrapped_key": r.wrapped_key}
                                         for r in self.encryption.recipients]}
        return {
            "format": FORMAT_NAME, "format_version": self.format_version,
            "requires": sorted(self.requires),
            "package_id": str(self.package_id), "created_at": self.created_at,
            "app_version": self.app_version, "schema": {"revision": self.schema_revision},
            "sender": {"node": str(self.sender_node), "unit": self.sender_unit,
                       "label": self.sender_label, "sign_key": self.sign_key,
                       "box_key": self.box_key, "enrollment": enrollment},
            "recipient": {"unit": self.recipient_unit},
            "number": self.number,
            "sequence": {"first": self.first_seq, "last": self.last_seq},
            "previous_sha256": self.previous_sha256,
            "catalog_version": self.catalog_version,
            "acknowledgements": [{"node": str(a.node), "through": a.through,
                                  "number": a.number, "sha256": a.sha256}
                                 for a in self.acknowledgements],
            "tables": self.tables,
            "nodes": [{"node": str(n.node), "unit": n.unit, "label": n.label,
                       "sign_key": n.sign_key, "box_key": n.box_key} for n in self.nodes],
            "entries": entries,
            "encryption": encryption,
        }

    def to_bytes(self) -> bytes:
        return canonical_bytes(self.to_document())


# ---------------------------------------------------------------------------- parsing
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class _Fields:
    """Typed access to a JSON object with a Vietnamese message naming the bad field."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            self.fail(where, _("not an object"))
        self.data = data
        self.where = where

    @staticmethod
    def fail(where: str, what: str) -> NoReturn:
        raise ManifestInvalid(detail=f"{where}: {what}")

    def _get(self, key: str, kinds: type | tuple[type, ...], *,
             optional: bool = False) -> Any:
        if key not in self.data:
            if optional:
                return None
            self.fail(f"{self.where}.{key}", _("missing"))
        value = self.data[key]
        if value is None and optional:
            return None
        if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple)
                                                    else (kinds,)):
            self.fail(f"{self.where}.{key}", _("wrong type"))
        if not isinstance(value, kinds):
            self.fail(f"{self.where}.{key}", _("wrong type"))
        return value

    @overload
    def text(self, key: str, *, optional: Literal[False] = False, limit: int = 200) -> str: ...

    @overload
    def text(self, key: str, *, optional: bool, limit: int = 200) -> str | None: ...

    def text(self, key: str, *, optional: bool = False, limit: int = 200) -> str | None:
        value: str | None = self._get(key, str, optional=optional)
        if value is not None and len(value) > limit:
            self.fail(f"{self.where}.{key}", _("too long"))
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int:
        value: int = self._get(key, int)
        if value < minimum:
            self.fail(f"{self.where}.{key}", _("out of range"))
        return value

    @overload
    def uuid(self, key: str, *, optional: Literal[False] = False) -> uuid.UUID: ...

    @overload
    def uuid(self, key: str, *, optional: bool) -> uuid.UUID | None: ...

    def uuid(self, key: str, *, optional: bool = False) -> uuid.UUID | None:
        value = self.text(key, optional=optional, limit=36)
        if value is None:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            self.fail(f"{self.where}.{key}", _("not a UUID"))

    @overload
    def digest(self, key: str, *, optional: Literal[False] = False) -> str: ...

    @overload
    def digest(self, key: str, *, optional: bool) -> str | None: ...

    def digest(self, key: str, *, optional: bool = False) -> str | None:
        value = self.text(key, optional=optional, limit=64)
        if value is not None and not _HEX64.match(value):
            self.fail(f"{self.where}.{key}", _("not a SHA-256 digest"))
        return value

    @overload
    def obj(self, key: str, *, optional: Literal[False] = False) -> _Fields: ...

    @overload
    def obj(self, key: str, *, optional: bool) -> _Fields | None: ...

    def obj(self, key: str, *, optional: bool = False) -> _Fields | None:
        value = self._get(key, dict, optional=optional)
        return None if value is None else _Fields(value, f"{self.where}.{key}")

    def array(self, key: str, *, limit: int = 100_000) -> list[Any]:
        value: list[Any] = self._get(key, list)
        if len(value) > limit:
            self.fail(f"{self.where}.{key}", _("too many items"))
        return value


def format_header(document: Any) -> tuple[int, tuple[str, ...], str, str]:
    """(format version, required capabilities, app version, schema revision), checked just
    enough to decide whether this application can read the rest."""
    top = _Fields(document, "manifest")
    if top.text("format") != FORMAT_NAME:
        top.fail("manifest.format", _("not a CTMTQG sync package"))
    version = top.integer("format_version", minimum=1)
    requires = tuple(top.array("requires", limit=50))
    if not all(isinstance(item, str) and len(item) <= 60 for item in requires):
        top.fail("manifest.requires", _("wrong type"))
    app_version = top.text("app_version", limit=32)
    schema = top.obj("schema")
    return version, requires, app_version, schema.text("revision", limit=64)


def parse_manifest(document: Any) -> Manifest:
    """Validate every field's presence and type; values are checked by the importer."""
    top = _Fields(document, "manifest")
    version, requires, app_version, revision = format_header(document)
    sender = top.obj("sender")
    enrollment = sender.obj("enrollment", optional=True)
    sequence = top.obj("sequence")
    first, last = sequence.integer("first", minimum=1), sequence.integer("last")
    if last < first - 1:
        top.fail("manifest.sequence", _("the range is reversed"))
    acks = []
    for index, item in enumerate(top.array("acknowledgements", limit=10_000)):
        ack = _Fields(item, f"manifest.acknowledgements[{index}]")
        acks.append(Acknowledgement(ack.uuid("node"), ack.integer("through"),
                                    ack.integer("number"), ack.digest("sha256", optional=True)))
    tables_field = top.obj("tables")
    tables: dict[str, dict[str, Any]] = {}
    for name, totals in tables_field.data.items():
        entry = _Fields(totals, f"manifest.tables.{name}")
        for operation in ("insert", "update", "delete"):
            entry.integer(operation)
        entry.obj("columns")
        tables[name] = totals
    nodes = []
    for index, item in enumerate(top.array("nodes", limit=100_000)):
        node = _Fields(item, f"manifest.nodes[{index}]")
        nodes.append(NodeDeclaration(node.uuid("node"), node.text("unit", limit=40),
                                     node.text("label", limit=120),
                                     node.text("sign_key", optional=True, limit=64),
                                     node.text("box_key", optional=True, limit=64)))
    entries = {}
    for name, item in top.obj("entries").data.items():
        entry = _Fields(item, f"manifest.entries.{name}")
        plain = entry.data.get("plain_size")
        lines = entry.data.get("lines")
        for key, value in (("plain_size", plain), ("lines", lines)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                      or value < 0):
                entry.fail(f"manifest.entries.{name}.{key}", _("wrong type"))
        entries[name] = EntryInfo(entry.integer("size"), entry.digest("sha256"), plain, lines)
    encryption = None
    crypt = top.obj("encryption", optional=True)
    if crypt is not None:
        recipients = []
        for index, item in enumerate(crypt.array("recipients", limit=1000)):
            slot = _Fields(item, f"manifest.encryption.recipients[{index}]")
            recipients.append(Recipient(slot.uuid("node"), slot.text("wrapped_key", limit=100)))
        encryption = Encryption(crypt.text("scheme", limit=100),
                                crypt.text("ephemeral_key", limit=64), tuple(recipients))
    return Manifest(
        package_id=top.uuid("package_id"), created_at=top.text("created_at", limit=40),
        app_version=app_version, schema_revision=revision,
        sender_node=sender.uuid("node"), sender_unit=sender.text("unit", limit=40),
        sender_label=sender.text("label", limit=120), sign_key=sender.text("sign_key", limit=64),
        box_key=sender.text("box_key", limit=64),
        enrollment_id=enrollment.uuid("id") if enrollment else None,
        enrollment_proof=enrollment.text("proof", limit=100) if enrollment else None,
        recipient_unit=top.obj("recipient").text("unit", limit=40),
        number=top.integer("number", minimum=1), first_seq=first, last_seq=last,
        previous_sha256=top.digest("previous_sha256", optional=True),
        catalog_version=top.integer("catalog_version"), requires=requires,
        acknowledgements=tuple(acks), tables=tables, nodes=tuple(nodes), entries=entries,
        encryption=encryption, format_version=version, raw=document)
