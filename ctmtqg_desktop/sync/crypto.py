"""Encryption of package entries to the recipient installations (documented in
``docs/sync-format.md``, section "Encryption").

Construction, per package:

* a random 32-byte content key ``K`` and an ephemeral X25519 key pair ``(e, E)``;
* for each recipient installation with X25519 public key ``R``:
  ``KEK = HKDF-SHA256(ikm = X25519(e, R), salt = E || R, info = "ctsync/1 key-wrap" ||
  package_id)``, and the wrapped key is ``ChaCha20-Poly1305(KEK).encrypt(nonce = 12 zero
  bytes, K, aad = package_id)`` (the KEK is used once, so a fixed nonce is safe);
* each entry ``name`` has its own key ``HKDF-SHA256(ikm = K, salt = package_id,
  info = "ctsync/1 entry " || name)``; its bytes are zlib-compressed, then cut into 64 KiB
  chunks, each sealed with ChaCha20-Poly1305 under the nonce ``counter (11 bytes, big
  endian) || last (1 byte: 1 for the final chunk, else 0)`` — the STREAM construction of
  Hoang, Reyhanitabar, Rogaway and Vizár (2015), as in *age*: a reordered, dropped or
  truncated chunk fails to open.

``package_id`` is the 16 bytes of the package's UUID.
"""

from __future__ import annotations

import os
import zlib
from typing import IO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SCHEME = "x25519-hkdf-sha256-chacha20poly1305-stream64k/1"
CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
_ZERO_NONCE = bytes(12)


class OpenFailed(Exception):
    """A wrapped key or a chunk did not authenticate (damaged, altered or not for us)."""


class PlaintextTooLarge(Exception):
    """An entry unpacks to more than its declared or allowed size."""


def _hkdf(ikm: bytes, *, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def new_content_key() -> bytes:
    return os.urandom(32)


def new_ephemeral() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def public_bytes(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def wrap_key(content_key: bytes, ephemeral: X25519PrivateKey, recipient: bytes,
             package_id: bytes) -> bytes:
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    kek = _hkdf(shared, salt=public_bytes(ephemeral) + recipient,
                info=b"ctsync/1 key-wrap" + package_id)
    return ChaCha20Poly1305(kek).encrypt(_ZERO_NONCE, content_key, package_id)


def unwrap_key(wrapped: bytes, ephemeral_public: bytes, own: X25519PrivateKey,
               package_id: bytes) -> bytes:
    own_public = public_bytes(own)
    try:
        shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        kek = _hkdf(shared, salt=ephemeral_public + own_public,
                    info=b"ctsync/1 key-wrap" + package_id)
        key = ChaCha20Poly1305(kek).decrypt(_ZERO_NONCE, wrapped, package_id)
    except (InvalidTag, ValueError) as error:
        raise OpenFailed() from error
    if len(key) != 32:
        raise OpenFailed()
    return key


def entry_key(content_key: bytes, package_id: bytes, name: str) -> bytes:
    return _hkdf(content_key, salt=package_id, info=b"ctsync/1 entry " + name.encode("utf-8"))


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class Sink(Protocol):
    """Where sealed bytes go: anything with ``write(bytes)``."""

    def write(self, data: bytes, /) -> int: ...


class SealingWriter:
    """Compress then seal what is written, chunk by chunk, into ``raw``."""

    def __init__(self, raw: Sink, key: bytes, *, level: int = 6) -> None:
        self.raw = raw
        self.aead = ChaCha20Poly1305(key)
        self.compressor = zlib.compressobj(level)
        self.buffer = bytearray()
        self.counter = 0
        self.plain_size = 0

    def write(self, data: bytes) -> int:
        self.plain_size += len(data)
        self.buffer += self.compressor.compress(data)
        while len(self.buffer) > CHUNK:  # keep at least one byte for the final chunk
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        self.raw.write(self.aead.encrypt(_nonce(self.counter, last), chunk, None))
        self.counter += 1

    def close(self) -> None:
        self.buffer += self.compressor.flush()
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()


class OpeningReader:
    """Read the plaintext of a sealed entry from ``raw`` (a file-like of sealed bytes).

    Raises :class:`OpenFailed` on any altered, reordered or missing chunk, and
    :class:`PlaintextTooLarge` when the plaintext would exceed ``limit`` bytes.
    """

    def __init__(self, raw: IO[bytes], key: bytes, *, limit: int) -> None:
        self.raw = raw
        self.aead = ChaCha20Poly1305(key)
        self.decompressor = zlib.decompressobj()
        self.limit = limit
        self.counter = 0
        self.produced = 0
        self.pending = raw.read(SEALED_CHUNK)
        self.finished = False
        self.out = bytearray()

    def _next_compressed(self) -> bytes | None:
        if self.finished:
            return None
        current = self.pending
        following = self.raw.read(SEALED_CHUNK)
        last = not following
        try:
            chunk = self.aead.decrypt(_nonce(self.counter, last), current, None)
        except InvalidTag as error:
            raise OpenFailed() from error
        self.counter += 1
        self.pending = following
        self.finished = last
        return chunk

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.out) < size:
            if self.decompressor.unconsumed_tail:
                compressed = self.decompressor.unconsumed_tail
            else:
                following = self._next_compressed()
                if following is None:
                    break
                compressed = following
            try:
                piece = self.decompressor.decompress(compressed, CHUNK * 4)
            except zlib.error as error:
                raise OpenFailed() from error
            self.produced += len(piece)
            if self.produced > self.limit:
                raise PlaintextTooLarge()
            self.out += piece
        if self.finished and not self.decompressor.unconsumed_tail and \
                not self.decompressor.eof:
            raise OpenFailed()
        if size < 0:
            data = bytes(self.out)
            self.out.clear()
        else:
            data = bytes(self.out[:size])
            del self.out[:size]
        return data
