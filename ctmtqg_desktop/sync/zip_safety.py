"""Check a package's ZIP structure before a single byte of it is unpacked.

What a hostile file may try, and what stops it here: names that climb out of a folder
(``../``), absolute paths (``/etc``, ``C:\\``), folders and links, duplicate names (two
readers may pick different ones), entries outside the allow-list, more entries than a
package can have, entries that unpack to more than a package may hold, entries compressed
far beyond what real data allows (a ZIP bomb by ratio), entries that overlap inside the
file (a ZIP bomb by overlap), ZIP-level encryption and unusual compression methods. The
declared sizes bound what :mod:`zipfile` will ever unpack, so the later reading is safe.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.sync.errors import (
    DuplicateEntry,
    EntriesOverlap,
    EntryOverCompressed,
    EntryTooLarge,
    LinkEntry,
    ManifestTooLarge,
    TooManyEntries,
    UnexpectedEntry,
    UnsafeEntryName,
    UnsupportedZipFeature,
)
from ctmtqg_desktop.sync.package_format import MANIFEST, Limits, allowed_entry, entry_limit

_DRIVE = re.compile(r"^[A-Za-z]:")
_LOCAL_HEADER = 30


@dataclass(frozen=True)
class CheckedEntry:
    name: str
    size: int
    compressed_size: int
    info: zipfile.ZipInfo


def _name_problem(name: str) -> str | None:
    if any(ord(ch) < 32 for ch in name):
        return _("control characters")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return _("absolute path")
    parts = re.split(r"[/\\]", name)
    if any(part == ".." for part in parts):
        return _("path traversal with “..”")
    if len(parts) > 1:
        return _("inside a folder")
    return None


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> dict[str, CheckedEntry]:
    """Every entry checked; returns them by name. Raises a ``PackageProblem`` otherwise."""
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise TooManyEntries(count=len(infos), limit=limits.entries)
    seen: dict[str, CheckedEntry] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = _name_problem(name.rstrip("/"))
        if problem:
            raise UnsafeEntryName(entry=name, why=problem)
        mode = info.external_attr >> 16
        if name.endswith("/") or info.is_dir() or stat.S_ISLNK(mode) or stat.S_ISDIR(mode):
            raise LinkEntry(entry=name)
        if name in seen:
            raise DuplicateEntry(entry=name)
        if not allowed_entry(name):
            raise UnexpectedEntry(entry=name)
        if info.flag_bits & 0x1:
            raise UnsupportedZipFeature(entry=name, feature=_("ZIP encryption"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsupportedZipFeature(entry=name, feature=_("compression method {method}")
                                        .format(method=info.compress_type))
        limit = entry_limit(name, limits)
        if info.file_size > limit:
            if name == MANIFEST:
                raise ManifestTooLarge(size=info.file_size, limit=limit)
            raise EntryTooLarge(entry=name, size=info.file_size, limit=limit)
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise UnsupportedZipFeature(entry=name, feature=_("sizes that disagree"))
        if info.file_size > 4096 and \
                info.file_size > limits.compression_ratio * max(info.compress_size, 1):
            raise EntryOverCompressed(entry=name,
                                      ratio=info.file_size // max(info.compress_size, 1))
        total += info.file_size
        seen[name] = CheckedEntry(name, info.file_size, info.compress_size, info)
    if total > limits.package_bytes:
        raise EntryTooLarge(entry="*", size=total, limit=limits.package_bytes)
    _check_no_overlap(infos)
    return seen


def _check_no_overlap(infos: list[zipfile.ZipInfo]) -> None:
    """Each entry's local header and data must lie before the next entry begins."""
    spans = sorted((info.header_offset,
                    info.header_offset + _LOCAL_HEADER + len(info.orig_filename.encode("utf-8",
                                                                                       "replace"))
                    + info.compress_size) for info in infos)
    for (_start, end), (next_start, _next_end) in zip(spans, spans[1:]):
        if end > next_start:
            raise EntriesOverlap()
