"""Who an installation is: its Ed25519 signing key, its X25519 encryption key, and the short
fingerprint officers read to each other by phone.

The private keys live in the workspace's ``keys/node.key`` (JSON, base64 raw keys, written
atomically, readable by the owner only); the public keys are also in the ``node`` table so
that peers' keys sit beside them. A fingerprint is 24 digits in groups of four, derived from
both public keys, so that a forged key shows a different number.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from ctmtqg_desktop.store.atomic_files import write_bytes_atomic
from ctmtqg_desktop.sync.errors import KeysMissing

KEY_FILE = "node.key"
KEY_FILE_FORMAT = 1
_FINGERPRINT_CONTEXT = b"ctmtqg-fingerprint-v1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, *, length: int | None = None) -> bytes:
    """Strict base64 (raises ValueError), optionally of an exact length."""
    if not isinstance(text, str):
        raise ValueError("not text")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(data) != length:
        raise ValueError(f"expected {length} bytes")
    return data


def fingerprint(sign_public: bytes, box_public: bytes) -> str:
    """``1234 5678 9012 3456 7890 1234``: 80 bits of SHA-256 over both public keys."""
    digest = hashlib.sha256(_FINGERPRINT_CONTEXT + sign_public + box_public).digest()
    number = int.from_bytes(digest[:10], "big") % 10**24
    digits = f"{number:024d}"
    return " ".join(digits[i:i + 4] for i in range(0, 24, 4))


@dataclass(frozen=True)
class PublicIdentity:
    """A node's public keys (raw 32 bytes each)."""

    node_id: uuid.UUID
    sign_key: bytes
    box_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_key, self.box_key)

    @property
    def sign_key_b64(self) -> str:
        return b64(self.sign_key)

    @property
    def box_key_b64(self) -> str:
        return b64(self.box_key)

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.sign_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def box_public_key(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.box_key)


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _raw_public(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


class NodeKeys:
    """The private keys of this installation."""

    def __init__(self, node_id: uuid.UUID, sign_private: Ed25519PrivateKey,
                 box_private: X25519PrivateKey) -> None:
        self.node_id = node_id
        self.sign_private = sign_private
        self.box_private = box_private

    @classmethod
    def generate(cls, node_id: uuid.UUID) -> NodeKeys:
        return cls(node_id, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def public(self) -> PublicIdentity:
        return PublicIdentity(self.node_id, _raw_public(self.sign_private),
                              _raw_public(self.box_private))

    def sign(self, message: bytes) -> bytes:
        return self.sign_private.sign(message)

    # -- files ------------------------------------------------------------------------
    def save(self, folder: Path) -> Path:
        """Write ``folder/node.key`` atomically, owner-only (the folder too)."""
        folder.mkdir(parents=True, exist_ok=True)
        restrict(folder, 0o700)
        document = {"format": KEY_FILE_FORMAT, "node_id": str(self.node_id),
                    "ed25519_private": b64(_raw_private(self.sign_private)),
                    "x25519_private": b64(_raw_private(self.box_private))}
        target = folder / KEY_FILE
        # the temporary file is created 0600 by mkstemp, so the key is never world-readable
        write_bytes_atomic(target, json.dumps(document, indent=1).encode("utf-8"))
        restrict(target, 0o600)
        return target

    @classmethod
    def load(cls, folder: Path, node_id: uuid.UUID) -> NodeKeys:
        """The keys of ``node_id`` from ``folder``; missing or foreign keys are an error."""
        path = folder / KEY_FILE
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("format") != KEY_FILE_FORMAT or \
                    uuid.UUID(document["node_id"]) != node_id:
                raise ValueError("keys of another installation")
            keys = cls(node_id,
                       Ed25519PrivateKey.from_private_bytes(
                           unb64(document["ed25519_private"], length=32)),
                       X25519PrivateKey.from_private_bytes(
                           unb64(document["x25519_private"], length=32)))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise KeysMissing(folder=str(folder)) from error
        return keys

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / KEY_FILE).is_file()


def restrict(path: Path, mode: int) -> None:
    """Owner-only permissions where the OS has them (Windows keeps the user's ACL)."""
    if os.name == "posix":
        os.chmod(path, mode)
