"""Open a package safely and verify it before anything is written.

Order of the checks: the file's size; that it is a ZIP; every entry's name, kind, size and
compression (:mod:`zip_safety`); the manifest's size, JSON and fields; its format version and
required capabilities; the Ed25519 signature (against a key the caller chooses: the one this
workspace knows for the sender, or, for an unknown sender, the one the manifest carries);
then, streamed, that every entry is declared in the manifest with its exact size and SHA-256.
Reading the changes afterwards decrypts and parses them line by line, never all at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import operator
import os
import re
import stat
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, repeat
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.sync import crypto
from ctmtqg_desktop.sync.errors import (
    BadChange,
    DecryptionFailed,
    EntryHashMismatch,
    ManifestInvalid,
    ManifestTooLarge,
    MissingEntry,
    NewerFormat,
    NotAPackage,
    NotForThisInstallation,
    PackageTooLarge,
    PackageUnreadable,
    UnexpectedEntry,
    UnreadableFormat,
)
from ctmtqg_desktop.sync.identity import PublicIdentity, unb64
from ctmtqg_desktop.sync.package_format import (
    CHANGES,
    DEFAULT_LIMITS,
    FORMAT_VERSION,
    MANIFEST,
    SIGNATURE,
    SIGNATURE_CONTEXT,
    SUPPORTED_CAPABILITIES,
    Limits,
    Manifest,
    canonical_bytes,
    entry_limit,
    format_header,
    parse_manifest,
)
from ctmtqg_desktop.sync.zip_safety import CheckedEntry, check_archive

READ_CHUNK = 1024 * 1024
MAX_LINE = 8 * 1024 * 1024


def open_regular(path: Path) -> IO[bytes]:
    """``path`` opened for reading if it is a regular file (issue 12: a ``.ctsync`` that is
    a link to ``/dev/zero`` or a named pipe hung the import). Opened without blocking, then
    checked on the open handle, so that the file checked is the file read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise PackageUnreadable(name=Path(path).name,
                                reason=error.strerror or str(error)) from error
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise PackageUnreadable(name=Path(path).name, reason=_("it is not an ordinary file"))
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with open_regular(path) as handle:
        for chunk in iter(lambda: handle.read(READ_CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


class _RawReader(io.RawIOBase):
    """Lets :class:`io.BufferedReader` read lines from an :class:`crypto.OpeningReader`."""

    def __init__(self, source: crypto.OpeningReader) -> None:
        super().__init__()
        self.source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.source.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


class PackageReader:
    """``with PackageReader(path) as package``: :meth:`open` has run every structural check."""

    def __init__(self, path: os.PathLike[str] | str, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        self.archive: zipfile.ZipFile | None = None
        self.handle: IO[bytes] | None = None
        self.entries: dict[str, CheckedEntry] = {}
        self.manifest_bytes = b""
        self.signature = b""
        self.document: Any = None
        self._manifest: Manifest | None = None
        self.content_key: bytes | None = None
        #: ``{old key: key}`` applied to what the package says (:meth:`map_unit_keys`)
        self.unit_keys: dict[str, str] = {}

    @property
    def manifest(self) -> Manifest:
        """The checked manifest (once :meth:`open` has run)."""
        if self._manifest is None:
            raise RuntimeError("the package has not been opened")
        return self._manifest

    @property
    def _zip(self) -> zipfile.ZipFile:
        if self.archive is None:
            raise RuntimeError("the package has not been opened")
        return self.archive

    def __enter__(self) -> PackageReader:
        try:
            self.open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    # -- structure --------------------------------------------------------------------
    def open(self) -> None:
        name = self.path.name
        try:
            size = self.path.stat().st_size
        except OSError as error:
            raise PackageUnreadable(name=name, reason=error.strerror or str(error)) from error
        if size > self.limits.package_bytes:
            raise PackageTooLarge(name=name, size=size, limit=self.limits.package_bytes)
        self.handle = open_regular(self.path)
        try:
            self.archive = zipfile.ZipFile(self.handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
            raise NotAPackage(name=name) from error
        except OSError as error:
            raise PackageUnreadable(name=name, reason=error.strerror or str(error)) from error
        self.entries = check_archive(self.archive, self.limits)
        for required in (MANIFEST, SIGNATURE, CHANGES):
            if required not in self.entries:
                raise MissingEntry(entry=required)
        manifest_entry = self.entries[MANIFEST]
        if manifest_entry.size > self.limits.manifest_bytes:
            raise ManifestTooLarge(size=manifest_entry.size, limit=self.limits.manifest_bytes)
        self.manifest_bytes = self._read_small(MANIFEST)
        self.signature = self._read_small(SIGNATURE)
        try:
            self.document = json.loads(self.manifest_bytes.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise ManifestInvalid(detail=_("not JSON text")) from error
        version, requires, _app_version, _revision = format_header(self.document)
        # not verifiable (the manifest cannot be read): not kept, nothing of it shown
        if version > FORMAT_VERSION or not set(requires) <= SUPPORTED_CAPABILITIES:
            raise UnreadableFormat()
        self._manifest = parse_manifest(self.document)

    def _read_small(self, name: str) -> bytes:
        try:
            with self._zip.open(self.entries[name].info) as handle:
                return handle.read(entry_limit(name, self.limits) + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise EntryHashMismatch(entry=name) from error

    # -- authenticity -----------------------------------------------------------------
    def signature_valid(self, identity: PublicIdentity) -> bool:
        return len(self.signature) == 64 and identity.verify(
            self.signature, SIGNATURE_CONTEXT + self.manifest_bytes)

    def verify_entries(self) -> None:
        """Every entry is declared with its exact size and SHA-256, and nothing is missing."""
        declared = self.manifest.entries
        for name in self.entries:
            if name in (MANIFEST, SIGNATURE):
                continue
            if name not in declared:
                raise UnexpectedEntry(entry=name)
        for name, info in declared.items():
            if name not in self.entries:
                raise MissingEntry(entry=name)
            entry = self.entries[name]
            if entry.size != info.size:
                raise EntryHashMismatch(entry=name)
            hasher = hashlib.sha256()
            size = 0
            try:
                with self._zip.open(entry.info) as handle:
                    for chunk in iter(lambda: handle.read(READ_CHUNK), b""):
                        hasher.update(chunk)
                        size += len(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
                raise EntryHashMismatch(entry=name) from error
            if size != info.size or hasher.hexdigest() != info.sha256:
                raise EntryHashMismatch(entry=name)

    # -- content ----------------------------------------------------------------------
    @property
    def encrypted(self) -> bool:
        return self.manifest.encryption is not None

    def unlock(self, node_id: uuid.UUID, box_private: X25519PrivateKey) -> None:
        """Find this installation's slot and recover the content key."""
        encryption = self.manifest.encryption
        if encryption is None:
            return
        if encryption.scheme != crypto.SCHEME:
            raise NewerFormat(version=self.manifest.app_version, detail=encryption.scheme)
        slot = next((r for r in encryption.recipients if r.node == node_id), None)
        if slot is None:
            raise NotForThisInstallation(unit=self.manifest.recipient_unit)
        try:
            self.content_key = crypto.unwrap_key(
                unb64(slot.wrapped_key), unb64(encryption.ephemeral_key, length=32),
                box_private, self.manifest.package_id.bytes)
        except (crypto.OpenFailed, ValueError) as error:
            raise DecryptionFailed(entry=MANIFEST) from error

    def open_entry(self, name: str) -> IO[bytes]:
        """The plaintext of an entry as a readable stream (bounded by the limits)."""
        raw = self._zip.open(self.entries[name].info)
        if not self.encrypted:
            return raw
        limit = entry_limit(name, self.limits)
        declared = self.manifest.entries[name].plain_size
        if declared is not None:
            limit = min(limit, declared)
        if self.content_key is None:
            raise RuntimeError("the package is encrypted: unlock() it first")
        key = crypto.entry_key(self.content_key, self.manifest.package_id.bytes, name)
        return io.BufferedReader(_RawReader(crypto.OpeningReader(raw, key, limit=limit)),
                                 READ_CHUNK)

    @staticmethod
    def entry_errors(name: str) -> contextlib.AbstractContextManager[None]:
        """Failures while unpacking entry ``name`` become the user's sentence."""
        return _entry_errors(name)

    def read_entry(self, name: str) -> bytes:
        with _entry_errors(name):
            handle = self.open_entry(name)
            try:
                return handle.read()
            finally:
                handle.close()

    def map_unit_keys(self, corrections: dict[str, str]) -> None:
        """Read the package with the catalog's corrected unit keys (migration 0701_today).

        A peer that has not upgraded yet still names units by the keys the catalog used to
        infer (``23494@2025-07-01`` for Kon Braih, whose official code is 23497). Its
        package is read as if it named the right keys: the sender, the recipient, the
        installations it declares, and in every record each ``…unit_id`` column (owner,
        audience, issuing and lead units). The signature and the entry hashes are still
        checked on the bytes as sent (``manifest_bytes``, the entries), so nothing is
        trusted that was not signed; a record whose key was mapped is journalled in its
        mapped form (as this workspace stores it)."""
        manifest = self.manifest
        self.unit_keys = dict(corrections)
        if not corrections:
            return

        def mapped(key: str) -> str:
            return corrections.get(key, key)

        self._manifest = dataclasses.replace(
            manifest, sender_unit=mapped(manifest.sender_unit),
            recipient_unit=mapped(manifest.recipient_unit),
            nodes=tuple(dataclasses.replace(node, unit=mapped(node.unit))
                        for node in manifest.nodes))

    def _mapped_change(self, change: dict[str, Any], text: str) -> tuple[dict[str, Any], str]:
        record = change.get("record")
        if not isinstance(record, dict):
            return change, text
        try:
            if self.unit_keys.keys().isdisjoint(record.values()):
                return change, text  # no value at all is an old key
        except TypeError:  # a list or an object among the values: looked at below
            pass
        changed = {column: self.unit_keys[value] for column, value in record.items()
                   if column.endswith("unit_id") and isinstance(value, str)
                   and value in self.unit_keys}
        if not changed:
            return change, text
        change = {**change, "record": {**record, **changed}}
        return change, _CANONICAL(change)

    def _mapped_lines(self, lines: Iterable[tuple[int, dict[str, Any], str]]
                      ) -> Iterator[tuple[int, dict[str, Any], str]]:
        """A block's lines with the unit keys mapped (:meth:`_mapped_change` for each),
        quicker when none of the block's records names an old key: when every record has
        the same fields, only the values of the fields ending in ``unit_id`` are looked at
        (the only ones mapped), together. A failure to read a line comes after the lines
        before it, as it does without mapping."""
        found: list[tuple[int, dict[str, Any], str]] = []
        failure: Exception | None = None
        try:
            found.extend(lines)
        except Exception as error:  # noqa: BLE001 — raised after the lines before it
            failure = error
        if not self._no_old_key(found):
            found = [(number, *self._mapped_change(change, text))
                     for number, change, text in found]
        yield from found
        if failure is not None:
            raise failure

    def _no_old_key(self, lines: list[tuple[int, dict[str, Any], str]]) -> bool:
        records: list[Any] = [change.get("record") for _number, change, _text in lines]
        try:
            if set(map(type, records)) != {dict}:
                return False
            layouts = set(map(tuple, records))
            if len(layouts) != 1:
                return False
            columns = [name for name in layouts.pop() if name.endswith("unit_id")]
            if len(columns) > 1:
                values = set(chain.from_iterable(
                    set(map(operator.itemgetter(*columns), records))))
            else:
                values = set(map(operator.itemgetter(*columns), records)) if columns else set()
            return self.unit_keys.keys().isdisjoint(values)
        except TypeError:  # a list or an object among the values: looked at line by line
            return False

    def iter_change_lines(self) -> Iterator[tuple[int, dict[str, Any], str]]:
        """``(line number, change, the line's text without its line break)`` for each line
        of ``changes.jsonl``, decoded lazily, a block of lines at a time
        (:func:`read_lines`; unit keys mapped as :meth:`map_unit_keys` says, after the
        line's strict check on its bytes as sent).

        A line longer than :data:`MAX_LINE` bytes, or not ended by a line break, is
        refused; a failure (of a line, or of the entry's decryption) is raised after every
        line before it has been given out."""
        with _entry_errors(CHANGES):
            handle = self.open_entry(CHANGES)
            try:
                number = 0
                partial: list[bytes] = []  # the start of a line not yet ended
                partial_size = 0
                while True:
                    block = handle.read(READ_CHUNK)
                    if not block:
                        break
                    end = block.rfind(b"\n")
                    if end < 0:
                        partial.append(block)
                        partial_size += len(block)
                        if partial_size > MAX_LINE:
                            raise _too_long(number + 1)
                        continue
                    if partial:
                        if partial_size + block.find(b"\n") > MAX_LINE:
                            raise _too_long(number + 1)
                        partial.append(block[:end + 1])
                        lines = b"".join(partial)
                    else:
                        lines = block[:end + 1] if end + 1 < len(block) else block
                    rest = block[end + 1:]
                    partial, partial_size = ([rest], len(rest)) if rest else ([], 0)
                    # (a line inside a block is longer than MAX_LINE only with blocks
                    # longer than MAX_LINE)
                    cut = _long_line(lines) if len(lines) > MAX_LINE + 1 else -1
                    found = read_lines(number, lines if cut < 0 else lines[:cut])
                    for number, change, text in (self._mapped_lines(found) if self.unit_keys
                                                 else found):
                        yield number, change, text
                    if cut >= 0 or partial_size > MAX_LINE:
                        raise _too_long(number + 1)
                if partial:
                    raise _too_long(number + 1)
            finally:
                handle.close()


def _long_line(lines: bytes) -> int:
    """Where the first line of ``lines`` longer than :data:`MAX_LINE` bytes (its line break
    aside) begins, or -1."""
    start = 0
    while start < len(lines):
        end = lines.index(b"\n", start)
        if end - start > MAX_LINE:
            return start
        start = end + 1
    return -1


def _too_long(number: int) -> BadChange:
    return BadChange(line=number, detail=_("the line is too long or unterminated"))


def read_lines(number: int, block: bytes) -> Iterator[tuple[int, dict[str, Any], str]]:
    """``(line number, change, text)`` for each line of ``block`` (whole lines, each ended
    by a line break; the first is line ``number + 1``), as :func:`read_change` reads each.

    Quicker for a block whose every line passes (issue 17): the block is decoded at once
    and its lines parsed as one JSON array by the C scanner (the keys shared), then each
    line is accepted only when it is in the canonical form of its element, which is what
    :func:`read_change` asks of a line: when it matches the canonical pattern of its layout
    (:func:`_layout_pattern`), else when it is exactly the canonical encoding of its
    element. (A repeated key parses to one entry and re-encodes shorter; NaN is refused by
    the scanner; a line that holds more or less than one object makes another number of
    elements or other texts; anything not UTF-8 fails to decode.) Any other block is read
    line by line by :func:`read_change`, which refuses its first bad line by name after
    giving out the lines before it."""
    try:
        texts = block.decode("utf-8").split("\n")
        texts.pop()  # (empty: the block ends with a line break)
        array = "[" + ",".join(texts) + "]"
        # (when each text is the canonical form of the element read beside it, the lines
        # and the elements are the same in number: a line read with another line's element
        # is a piece of an element, or holds more than one, never its canonical form)
        changes, _end = _SCAN(array, 0)
        if set(map(type, changes)) == {dict}:
            pattern = _layout_pattern(changes[0])
            matches = map(pattern.fullmatch, texts) if pattern is not None else repeat(None)
            if all([match is not None or _CANONICAL(change) == text
                    for match, change, text in zip(matches, changes, texts)]):
                return zip(range(number + 1, number + 1 + len(texts)), changes, texts)
    except (ValueError, StopIteration, RecursionError):  # _NotStrict, JSONDecodeError, …
        pass
    return _read_each(number, block)


#: a JSON value as the canonical encoder writes it, when it is a string without anything
#: to escape, a whole number, true, false or null (anything else: no match)
_PLAIN_VALUE = r'(?>"[^"\\\x00-\x1f]*+"|null|true|false|0|-?[1-9][0-9]*+)'
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_]+")
_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _layout_pattern(change: dict[str, Any]) -> re.Pattern[str] | None:
    """A pattern that a line matches only when it is the canonical encoding of what it
    parses to, for lines whose record has the fields of ``change``'s, or None.

    The fields of the line (always the same five) and of its record (names of letters,
    digits and underscores only) are written out in sorted order, each once, each followed
    by one plain value (:data:`_PLAIN_VALUE`): a string whose characters the encoder writes
    as they are (no quote, backslash or control character), a whole number without a sign
    on zero or leading zeros, true, false or null. A line matching it parses to those
    fields in that order with those values, which the canonical encoder writes back
    exactly as they are, so the line is canonical without encoding it again. A line that
    does not match (another layout, an escape, a fraction, a space) is compared with its
    encoding instead."""
    record = change.get("record")
    if type(record) is not dict:
        return None
    fields = tuple(record)
    pattern = _PATTERNS.get(fields)
    if pattern is None:
        if list(fields) != sorted(set(fields)) or \
                not all(map(_PLAIN_KEY.fullmatch, fields)):
            return None
        if len(_PATTERNS) >= 64:  # (a package of many layouts: made again as needed)
            _PATTERNS.clear()
        value = _PLAIN_VALUE
        pattern = _PATTERNS[fields] = re.compile(
            '\\{"base":' + value + ',"op":' + value + ',"record":\\{'
            + ",".join(f'"{name}":{value}' for name in fields)
            + '\\},"seq":' + value + ',"table":' + value + '\\}')
    return pattern


def _read_each(number: int, block: bytes) -> Iterator[tuple[int, dict[str, Any], str]]:
    lines = block.split(b"\n")
    lines.pop()
    for number, line in enumerate(lines, start=number + 1):  # noqa: B020
        change = read_change(number, line + b"\n")
        yield number, change, line.decode("utf-8")


class _NotStrict(ValueError):
    """A JSON text this format never writes (a repeated key, NaN, a float where the
    canonical encoder writes something else)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _NotStrict("duplicate")
    return found


def _no_constant(name: str) -> Any:
    raise _NotStrict(name)


#: the C scanner of the standard decoder, with NaN and Infinity refused as in
#: :func:`strict_change`
_DECODER: Any = json.JSONDecoder(parse_constant=_no_constant)
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once
#: the canonical encoder of :func:`canonical_bytes`, as text
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode


def read_change(number: int, line: bytes) -> dict[str, Any]:
    """:func:`strict_change`, quicker for a line that passes (issue 17: the strict reading
    was a quarter of an import).

    The line is parsed by the standard C scanner without the duplicate-key hook, and
    accepted only when its canonical encoding is exactly the line: a repeated key parses to
    one entry, so its line re-encodes shorter and is not accepted here, and nor is NaN
    (refused by the scanner), a byte sequence that is not UTF-8, anything before or after
    the object. Any line not accepted goes through :func:`strict_change`, which refuses it
    and names the problem (the same refusals and sentences as before)."""
    try:
        text = line.decode("utf-8")
        change, _end = _SCAN(text, 0)
        if type(change) is dict and _CANONICAL(change) + "\n" == text:
            return change
    except (ValueError, StopIteration, RecursionError):  # _NotStrict, JSONDecodeError, …
        pass
    return strict_change(number, line)


def strict_change(number: int, line: bytes) -> dict[str, Any]:
    """One line of ``changes.jsonl`` parsed strictly (issue 12).

    A key that appears twice would let one reader store the first value and another (or
    the journal) the second; ``NaN``, ``1e2`` or ``1.0`` for a count, escapes the encoder
    does not write, spaces or another key order make two byte strings that mean "the same"
    record. So a line is accepted only when it is exactly the canonical JSON of what it
    parses to (sorted keys, no spaces, UTF-8 without escapes, the newline at the end): the
    record we journal and relay is then byte for byte the one that was signed."""
    try:
        change = json.loads(line, object_pairs_hook=_no_duplicate_keys,
                            parse_constant=_no_constant)
    except _NotStrict as error:
        detail = (_("a field appears twice") if str(error) == "duplicate"
                  else _("a number is not a finite number"))
        raise BadChange(line=number, detail=detail) from error
    except (ValueError, RecursionError) as error:
        # JSONDecodeError, UnicodeDecodeError, and an integer longer than Python converts
        raise BadChange(line=number, detail=_("not JSON")) from error
    if not isinstance(change, dict):
        raise BadChange(line=number, detail=_("not an object"))
    try:
        canonical = canonical_bytes(change) + b"\n"
    except ValueError:  # a lone surrogate (an escape such as \ud800) has no UTF-8 form
        canonical = None
    if canonical != line:
        raise BadChange(line=number, detail=_("the line is not written in the canonical form "
                                              "(sorted fields, no spaces, plain numbers)"))
    return change


@contextlib.contextmanager
def _entry_errors(name: str) -> Iterator[None]:
    """Low-level failures while unpacking an entry, as the user's sentence."""
    try:
        yield
    except crypto.OpenFailed as error:
        raise DecryptionFailed(entry=name) from error
    except (crypto.PlaintextTooLarge, zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise EntryHashMismatch(entry=name) from error
