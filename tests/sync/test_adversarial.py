"""Fifty bad packages: each is refused, held or kept aside with a clear Vietnamese
sentence, and the receiving workspace's dump is byte-identical before and after.

The network: a district (the receiver) with two enrolled communes; commune A has already
delivered one package. Each case builds its file from real packages, altered the way a
damaged USB stick, a confused officer or an attacker would, re-signed where the point is to
get past the signature.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import stat
import struct
import uuid
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.sync import _nodes as sync_nodes
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.identity import NodeKeys
from ctmtqg_desktop.sync.package_format import (
    CATALOG,
    CHANGES,
    MANIFEST,
    REFERENCES,
    SIGNATURE,
    canonical_bytes,
)
from tests.sync.conftest import (
    COMMUNE_A,
    COMMUNE_B,
    OTHER_DISTRICT_COMMUNE,
    dump,
)
from tests.sync.forge import (
    changes_bytes,
    describe,
    keys_of,
    rebuild,
    take_apart,
    write_package,
)

VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]",
                        re.IGNORECASE)


@dataclass
class Case:
    name: str
    expected: tuple[str, ...]  # acceptable codes
    outcome: str  # rejected, held, quarantined, newer, alert, already_applied
    build: Callable[[Bench, Path], Path]
    receiver: str = "parent"


class Bench:
    """The network and the real packages the cases start from."""

    def __init__(self, network, tmp_path: Path, postgres=None) -> None:
        self.tmp = tmp_path
        self.postgres = postgres
        self.parent = network.parent()
        self.a = network.enroll(self.parent, COMMUNE_A, "Máy xã Đắk La")
        self.b = network.enroll(self.parent, COMMUNE_B, "Máy xã Hà Mòn")
        self.stranger = network.commune(OTHER_DISTRICT_COMMUNE)
        self.impostor = network.commune(COMMUNE_A, "Máy lạ")
        out = tmp_path / "real"
        self.village = villages.save_village(self.a, name="Thôn 1", households=100)
        self.first = sync_export.export_package(self.a, out, encrypt=False).path
        assert sync_import.import_packages(self.parent, [self.first]).files[0].ok
        b_village = villages.save_village(self.b, name="Làng Kon Rẫy")
        self.b_first = sync_export.export_package(self.b, out).path
        assert sync_import.import_packages(self.parent, [self.b_first]).files[0].ok
        self.b_village = b_village
        villages.save_village(self.a, name="Thôn 1", households=120, village_id=self.village.id)
        self.valid = sync_export.export_package(self.a, out, encrypt=False).path
        self.valid_encrypted = None
        self.down = sync_export.export_package(self.parent, out, to=COMMUNE_A,
                                               encrypt=False).path
        self.down_b = sync_export.export_package(self.parent, out, to=COMMUNE_B,
                                                 encrypt=False).path
        villages.save_village(self.a, name="Thôn 2", households=30)
        self.third = sync_export.export_package(self.a, out, encrypt=False).path
        self.keys_a = keys_of(self.a)
        self.keys_b = keys_of(self.b)
        self.keys_parent = keys_of(self.parent)
        self.counter = 0
        self.clones = 0

    def path(self, name: str) -> Path:
        self.counter += 1
        return self.tmp / f"{self.counter:02d}-{name}.ctsync"

    def fresh(self, which: str) -> Workspace:
        """A copy of a receiver as the bench left it (before any case), so that a case's
        leftovers (a held package, a quarantined installation) cannot hide the next one."""
        source = {"parent": self.parent, "a": self.a, "b": self.b}[which]
        source.dispose()
        self.clones += 1
        folder = self.tmp / f"fresh-{self.clones:02d}-{which}"
        shutil.copytree(source.folder, folder)
        url = None
        if not source.uses_sqlite:
            template = make_url(source.database_url).database
            # PostgreSQL copies a database only when no one else is connected to it
            with self.postgres.engine.connect() as connection:
                connection.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": template})
            url = self.postgres.url_for(self.postgres.create(template=template))
        return Workspace(folder, url)

    def encrypted(self) -> Path:
        if self.valid_encrypted is None:
            self.valid_encrypted = sync_export.export_package(self.a, self.tmp / "enc").path
        return self.valid_encrypted


# ---------------------------------------------------------------------------- helpers
def raw_zip(target: Path, entries: list[tuple], *, flag_bits: dict | None = None) -> Path:
    """Write entries (name, data[, ZipInfo tweaks]) exactly as given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry in entries:
                name, data = entry[0], entry[1]
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                if len(entry) > 2:
                    entry[2](info)
                archive.writestr(info, data)
    return target


def valid_entries(bench: Bench, source: Path | None = None) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(source or bench.valid) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def with_extra(bench: Bench, target: Path, extra: tuple) -> Path:
    return raw_zip(target, valid_entries(bench) + [extra])


def flip_inside(source: Path, target: Path, entry: str) -> Path:
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(entry)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:
                                                           info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0x20
    target.write_bytes(bytes(data))
    return target


def edit_lines(bench: Bench, target: Path, change: Callable[[list[dict]], None], *,
               source: Path | None = None, signer: NodeKeys | None = None) -> Path:
    def edit(manifest, lines):
        change(lines)
        return manifest, lines

    return rebuild(source or bench.valid, target, None, edit=edit,
                   signer=signer or bench.keys_a)


def edit_manifest(bench: Bench, target: Path, change: Callable[[dict], None], *,
                  source: Path | None = None, signer: NodeKeys | None = None,
                  recount: bool = True) -> Path:
    def edit(manifest, lines):
        change(manifest)
        return manifest, lines

    return rebuild(source or bench.valid, target, None, edit=edit,
                   signer=signer or bench.keys_a, recount=recount)


def a_record(bench: Bench, **changes) -> dict:
    """A new village record as commune A would write it, with ``changes``."""
    node = bench.a.installation().node_id
    record = {
        "id": str(uuid.uuid4()), "owner_unit_id": COMMUNE_A, "origin_node_id": str(node),
        "created_at": "2023-10-01T08:00:00", "updated_at": "2023-10-01T08:00:00",
        "version": HybridLogicalClock(node.hex).tick(), "deleted": False,
        "audience_unit_id": None, "name": "Thôn giả", "ethnic_groups": "", "households": 1,
        "population": 1, "extremely_disadvantaged": False, "sort_order": 9,
    }
    record.update(changes)
    return record


def append_line(bench: Bench, target: Path, record: dict, *, op: str = "insert",
                table: str = "village", source: Path | None = None,
                signer: NodeKeys | None = None, base: str | None = None,
                declare: dict | None = None) -> Path:
    """``record`` appended as a change; ``declare`` adds an installation to ``nodes``."""
    def edit(manifest, lines):
        if declare is not None:
            manifest["nodes"].append(declare)
        last = manifest["sequence"]["last"]
        lines.append({"base": base, "op": op, "record": record, "seq": last + 1,
                      "table": table})
        manifest["sequence"]["last"] = last + 1
        return manifest, lines

    return rebuild(source or bench.valid, target, None, edit=edit,
                   signer=signer or bench.keys_a)


# ---------------------------------------------------------------------------- the cases
def _fork(bench, target):
    def change(lines):
        lines[0]["record"]["households"] = 999
    return edit_lines(bench, target, change, source=bench.first)


def _gap(bench, target):
    def change(manifest):
        manifest["number"] = 99
        manifest["sequence"] = {"first": 10**6, "last": 10**6 + 5}
        manifest["previous_sha256"] = None
    return edit_manifest(bench, target, change)


def _zip_bomb_ratio(bench, target):
    return raw_zip(target, [(n, d) for n, d in valid_entries(bench) if n != CHANGES]
                   + [(CHANGES, b" " * (30 * 1024 * 1024))])


def _zip_bomb_count(bench, target):
    digest = "0" * 63
    return raw_zip(target, valid_entries(bench) +
                   [(f"attachment-{digest}{i % 10}"[:75], b"") for i in range(20_010)])


def _symlink(bench, target):
    def link(info):
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return with_extra(bench, target, ("attachment-" + "a" * 64, b"/etc/passwd", link))


def _zip_encryption(bench, target):
    """zipfile never writes the 'encrypted' flag itself: set it in both headers."""
    raw_zip(target, valid_entries(bench))
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        local = archive.getinfo(CHANGES).header_offset
    data[local + 6] |= 0x1
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack("<H", data[position + 28:position + 30])[0]
        if bytes(data[position + 46:position + 46 + name_length]) == CHANGES.encode():
            data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)
    target.write_bytes(bytes(data))
    return target


def _bzip2(bench, target):
    def bz(info):
        info.compress_type = zipfile.ZIP_BZIP2
    return raw_zip(target, [(n, d, bz) if n == CHANGES else (n, d)
                            for n, d in valid_entries(bench)])


def _overlap(bench, target):
    """Two directory records point at the same bytes (the 'better zip bomb')."""
    entries = valid_entries(bench)
    raw_zip(target, entries)
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        offsets = {i.filename: i.header_offset for i in archive.infolist()}
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack("<H", data[position + 28:position + 30])[0]
        name = bytes(data[position + 46:position + 46 + name_length]).decode()
        if name == SIGNATURE:
            data[position + 42:position + 46] = struct.pack("<I", offsets[MANIFEST])
        position = data.find(b"PK\x01\x02", position + 4)
    target.write_bytes(bytes(data))
    return target


def _huge_manifest(bench, target):
    def change(manifest):
        manifest["sender"]["label"] = "x" * (2 * 1024 * 1024)
    return edit_manifest(bench, target, change)


def _manifest_not_json(bench, target):
    entries = [(n, d) for n, d in valid_entries(bench) if n not in (MANIFEST, SIGNATURE)]
    body = b"{this is not json"
    return write_package(target, {}, bench.keys_a, entries, manifest_bytes=body)


def _resigned_by_other(bench, target):
    entries = valid_entries(bench)
    body = dict(entries)[MANIFEST]
    from ctmtqg_desktop.sync.package_format import SIGNATURE_CONTEXT

    signature = bench.keys_b.sign(SIGNATURE_CONTEXT + body)
    return raw_zip(target, [(n, signature if n == SIGNATURE else d) for n, d in entries])


def _claims_other_node(bench, target):
    def change(manifest):
        manifest["sender"]["node"] = str(bench.keys_b.node_id)
        manifest["sender"]["sign_key"] = bench.keys_b.public.sign_key_b64
        manifest["sender"]["box_key"] = bench.keys_b.public.box_key_b64
    return edit_manifest(bench, target, change, signer=bench.keys_b)


def _key_changed(bench, target):
    forged = NodeKeys.generate(bench.keys_a.node_id)

    def change(manifest):
        manifest["sender"]["sign_key"] = forged.public.sign_key_b64
        manifest["sender"]["box_key"] = forged.public.box_key_b64
    return edit_manifest(bench, target, change, signer=forged)


def _encrypted_for_other(bench, target):
    def change(manifest):
        manifest["encryption"]["recipients"][0]["node"] = str(uuid.uuid4())
    return _rebuild_encrypted(bench, target, change)


def _bad_wrapped_key(bench, target):
    def change(manifest):
        slot = manifest["encryption"]["recipients"][0]
        raw = bytearray(base64.b64decode(slot["wrapped_key"]))
        raw[0] ^= 1
        slot["wrapped_key"] = base64.b64encode(bytes(raw)).decode()
    return _rebuild_encrypted(bench, target, change)


def _rebuild_encrypted(bench, target, change):
    with zipfile.ZipFile(bench.encrypted()) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        entries = [(n, archive.read(n)) for n in archive.namelist()
                   if n not in (MANIFEST, SIGNATURE)]
    change(manifest)
    return write_package(target, manifest, bench.keys_a, entries)


def _missing_attachment(bench, target):
    record = a_record(bench)
    node = bench.a.installation().node_id
    attachment = {
        "id": str(uuid.uuid4()), "owner_unit_id": COMMUNE_A, "origin_node_id": str(node),
        "created_at": "2023-10-01T08:00:00", "updated_at": "2023-10-01T08:00:00",
        "version": HybridLogicalClock(node.hex).tick(), "deleted": False,
        "audience_unit_id": None, "parent_table": "village", "parent_id": record["id"],
        "digest": "ab" * 32, "original_name": "bien-ban.pdf",
        "media_type": "application/pdf", "size": 10, "caption": "",
    }
    return append_line(bench, target, attachment, table="attachment")


def _attachment_mismatch(bench, target):
    manifest, lines, _others = take_apart(bench.valid)
    name = "attachment-" + "cd" * 32
    content = b"not the file its name promises"
    data = changes_bytes(lines)
    describe(manifest, CHANGES, data, lines=len(lines))
    describe(manifest, name, content)
    return write_package(target, manifest, bench.keys_a, [(CHANGES, data), (name, content)])


def _undeclared_entry(bench, target):
    return with_extra(bench, target, ("attachment-" + "ef" * 32, b"surprise"))


def _declared_missing(bench, target):
    def change(manifest):
        manifest["entries"]["attachment-" + "12" * 32] = {"size": 3, "sha256": "34" * 32}
    manifest, lines, _others = take_apart(bench.valid)
    change(manifest)
    data = changes_bytes(lines)
    describe(manifest, CHANGES, data, lines=len(lines))
    return write_package(target, manifest, bench.keys_a, [(CHANGES, data)])


def _owner_changed(bench, target):
    """The district relays a record with commune A's village id but its own ownership."""
    keys_parent = keys_of(bench.parent)
    node = bench.parent.installation().node_id
    record = a_record(bench, id=str(bench.village.id), owner_unit_id="615",
                      origin_node_id=str(node), audience_unit_id=COMMUNE_A,
                      version=HybridLogicalClock(node.hex).tick())
    return append_line(bench, target, record, op="update", source=bench.down,
                       signer=keys_parent)


def _audience_other_child(bench, target):
    keys_parent = keys_of(bench.parent)
    node = bench.parent.installation().node_id
    record = a_record(bench, owner_unit_id="615", origin_node_id=str(node),
                      audience_unit_id=COMMUNE_B, version=HybridLogicalClock(node.hex).tick())
    return append_line(bench, target, record, source=bench.down, signer=keys_parent)


def _bad_catalog(bench, target):
    manifest, lines, _others = take_apart(bench.down)
    data = changes_bytes(lines)
    describe(manifest, CHANGES, data, lines=len(lines))
    catalog = canonical_bytes({"manifest": {"catalog_version": 99, "files": {"units": "u.csv"}},
                               "files": {"u.csv": "id,code\n1,2\n"}})
    describe(manifest, "catalog.json", catalog)
    manifest["requires"] = sorted(set(manifest["requires"]) | {"catalog/1"})
    return write_package(target, manifest, keys_of(bench.parent),
                         [(CHANGES, data), ("catalog.json", catalog)])


def _line(change):
    def build(bench, target):
        return edit_lines(bench, target, change)
    return build


def _manifest(change, **options):
    def build(bench, target):
        return edit_manifest(bench, target, change, **options)
    return build


def _tables_off_by_one(manifest):
    manifest["tables"]["village"]["update"] += 1


def _lines_off_by_one(manifest):
    manifest["entries"][CHANGES]["lines"] += 1


def _set(path: tuple, value):
    def change(manifest):
        target = manifest
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(key):
    def change(manifest):
        del manifest[key]
    return change


def _line_set(key, value, *, in_record=True):
    def change(lines):
        (lines[0]["record"] if in_record else lines[0])[key] = value
    return change


def _version_of_other_node(lines):
    lines[0]["record"]["version"] = lines[0]["record"]["version"][:-32] + "f" * 32


def _garbage_line(bench, target):
    manifest, lines, _others = take_apart(bench.valid)
    data = changes_bytes(lines) + b"this is not json\n"
    describe(manifest, CHANGES, data, lines=len(lines) + 1)
    return write_package(target, manifest, bench.keys_a, [(CHANGES, data)])


def _unterminated_line(bench, target):
    manifest, lines, _others = take_apart(bench.valid)
    data = changes_bytes(lines).rstrip(b"\n")
    describe(manifest, CHANGES, data, lines=len(lines))
    return write_package(target, manifest, bench.keys_a, [(CHANGES, data)])


def _stranger(bench, target):
    villages.save_village(bench.stranger, name="Thôn xa")
    real = sync_export.export_package(bench.stranger, target.parent / "stranger", to="616",
                                      encrypt=False).path
    return edit_manifest(bench, target, _set(("recipient", "unit"), "615"), source=real,
                         signer=keys_of(bench.stranger))


CASES = [
    Case("empty file", ("not_zip",), "rejected", lambda b, t: (t.write_bytes(b""), t)[1]),
    Case("random bytes", ("not_zip",), "rejected",
         lambda b, t: (t.write_bytes(bytes(range(256)) * 40), t)[1]),
    Case("truncated", ("not_zip",), "rejected",
         lambda b, t: (t.write_bytes(b.valid.read_bytes()[: b.valid.stat().st_size // 2]), t)[1]),
    Case("bit flip in the changes", ("hash_mismatch",), "rejected",
         lambda b, t: flip_inside(b.valid, t, CHANGES)),
    Case("bit flip in the manifest", ("hash_mismatch", "bad_signature", "manifest_invalid"),
         "rejected", lambda b, t: flip_inside(b.valid, t, MANIFEST)),
    Case("re-signed by another installation", ("bad_signature",), "rejected",
         _resigned_by_other),
    Case("claims to be another installation", ("manifest_invalid",), "rejected",
         _claims_other_node),
    Case("known installation with other keys", ("key_changed",), "alert", _key_changed),
    Case("wrong recipient", ("wrong_recipient",), "rejected",
         _manifest(_set(("recipient", "unit"), "616"))),
    Case("replayed", ("replay",), "already_applied", lambda b, t: b.first),
    Case("forked: same number, other content", ("fork",), "alert", _fork),
    Case("gap before it", ("gap",), "held", _gap),
    Case("zip slip", ("unsafe_name",), "rejected",
         lambda b, t: with_extra(b, t, ("../../evil.sh", b"rm -rf /"))),
    Case("absolute path", ("unsafe_name",), "rejected",
         lambda b, t: with_extra(b, t, ("/etc/cron.d/evil", b"x"))),
    Case("Windows absolute path", ("unsafe_name",), "rejected",
         lambda b, t: with_extra(b, t, ("C:\\Windows\\evil.dll", b"x"))),
    Case("folder entry", ("link_entry",), "rejected",
         lambda b, t: with_extra(b, t, ("attachments/", b""))),
    Case("symlink entry", ("link_entry",), "rejected", _symlink),
    Case("duplicate entry names", ("duplicate_entry",), "rejected",
         lambda b, t: with_extra(b, t, (CHANGES, b"{}\n"))),
    Case("unknown entry", ("unexpected_entry",), "rejected",
         lambda b, t: with_extra(b, t, ("readme.txt", b"hello"))),
    Case("zip bomb by ratio", ("over_compressed",), "rejected", _zip_bomb_ratio),
    Case("zip bomb by entry count", ("too_many_entries",), "rejected", _zip_bomb_count),
    Case("overlapping entries", ("overlapping_entries",), "rejected", _overlap),
    Case("ZIP-level encryption", ("zip_feature",), "rejected", _zip_encryption),
    Case("unsupported compression", ("zip_feature",), "rejected", _bzip2),
    Case("huge manifest", ("manifest_too_large",), "rejected", _huge_manifest),
    Case("manifest not JSON", ("manifest_invalid",), "rejected", _manifest_not_json),
    Case("manifest without its sequence", ("manifest_invalid",), "rejected",
         _manifest(_delete("sequence"))),
    Case("manifest with a bad field type", ("manifest_invalid",), "rejected",
         _manifest(_set(("number",), "2"))),
    Case("missing signature", ("missing_entry",), "rejected",
         lambda b, t: raw_zip(t, [(n, d) for n, d in valid_entries(b) if n != SIGNATURE])),
    Case("missing changes", ("missing_entry",), "rejected",
         lambda b, t: raw_zip(t, [(n, d) for n, d in valid_entries(b) if n != CHANGES])),
    Case("entry not declared in the manifest", ("unexpected_entry",), "rejected",
         _undeclared_entry),
    Case("declared entry missing", ("missing_entry",), "rejected", _declared_missing),
    Case("unknown capability", ("newer_format",), "rejected",
         _manifest(_set(("requires",), ["changes/1", "teleport/1"]))),
    Case("newer package format", ("newer_format",), "rejected",
         _manifest(_set(("format_version",), 2))),
    Case("newer data version", ("newer_schema",), "newer",
         _manifest(_set(("schema", "revision"), "9999_future"))),
    Case("writes a neighbouring commune's record", ("not_owner",), "rejected",
         lambda b, t: append_line(b, t, a_record(b, owner_unit_id=COMMUNE_B))),
    Case("writes the district's record", ("not_owner",), "rejected",
         lambda b, t: append_line(b, t, a_record(b, owner_unit_id="615"))),
    Case("edits a record of commune B", ("not_owner",), "rejected",
         lambda b, t: append_line(b, t, a_record(b, id=str(b.b_village.id),
                                                 owner_unit_id=COMMUNE_B), op="update")),
    Case("tombstone for an unknown record", ("unknown_tombstone",), "rejected",
         lambda b, t: append_line(b, t, a_record(b, deleted=True), op="delete")),
    Case("per-table totals do not match", ("totals_mismatch",), "rejected",
         _manifest(_tables_off_by_one, recount=False)),
    Case("line count does not match", ("totals_mismatch",), "rejected",
         _manifest(_lines_off_by_one, recount=False)),
    Case("a value of the wrong type", ("bad_change",), "rejected",
         _line(_line_set("households", "many"))),
    Case("text longer than its column", ("bad_change",), "rejected",
         _line(_line_set("name", "x" * 500))),
    Case("version not written by its author", ("bad_change",), "rejected",
         _line(_version_of_other_node)),
    Case("unknown kind of record", ("unknown_table",), "rejected",
         _line(_line_set("table", "secret_table", in_record=False))),
    Case("change outside its sequence range", ("bad_change",), "rejected",
         _line(_line_set("seq", 10**9, in_record=False))),
    Case("a line that is not JSON", ("bad_change", "totals_mismatch"), "rejected",
         _garbage_line),
    Case("an unterminated last line", ("bad_change",), "rejected", _unterminated_line),
    Case("attachment record without its file", ("missing_attachment",), "rejected",
         _missing_attachment),
    Case("attachment bytes that do not match their digest", ("hash_mismatch",), "rejected",
         _attachment_mismatch),
    Case("encrypted for another installation", ("other_installation",), "rejected",
         _encrypted_for_other),
    Case("damaged encryption key slot", ("decryption_failed",), "rejected", _bad_wrapped_key),
    Case("unknown installation of the commune", ("unknown_sender",), "quarantined",
         lambda b, t: (villages.save_village(b.impostor, name="Thôn lạ"),
                       sync_export.export_package(b.impostor, t.parent / "impostor").path)[1]),
    Case("from a commune of another district", ("not_peer",), "rejected", _stranger),
    Case("its own package sent back", ("own_package",), "rejected", lambda b, t: b.down),
    Case("district moves a commune's record to itself", ("owner_changed",), "rejected",
         _owner_changed, receiver="a"),
    Case("district record addressed to another commune", ("not_owner",), "rejected",
         _audience_other_child, receiver="a"),
    Case("invalid catalog update", ("bad_catalog",), "rejected", _bad_catalog, receiver="a"),
]


def _import_and_judge(case: Case, receiver: Workspace, path: Path):
    """Import ``path`` into ``receiver``; what differs from what ``case`` expects."""
    before = dump(receiver)
    report = sync_import.import_packages(receiver, [path])
    outcome = report.files[0]
    after = dump(receiver)
    problems = []
    if outcome.outcome != case.outcome:
        problems.append(f"outcome {outcome.outcome}")
    if outcome.code not in case.expected:
        problems.append(f"code {outcome.code}")
    if report.ok != (case.outcome == "already_applied"):
        problems.append("exit status")
    # (a field's name, manifest.package_id, may appear: the English word may not)
    if not VIETNAMESE.search(outcome.message) or re.search(r"\bpackage\b", outcome.message):
        problems.append("message not Vietnamese")
    if before != after:
        problems.append("the workspace changed")
    return problems, outcome


def test_every_bad_package_is_refused_or_held_and_changes_nothing(network, tmp_path):
    bench = Bench(network, tmp_path)
    assert len({case.name for case in CASES}) >= 30
    failures = []
    for case in CASES:
        receiver = bench.parent if case.receiver == "parent" else bench.a
        path = case.build(bench, bench.path(re.sub(r"\W+", "-", case.name)))
        problems, outcome = _import_and_judge(case, receiver, path)
        if problems:
            failures.append(f"{case.name}: {', '.join(problems)} — {outcome.message}")
    assert failures == [], "\n".join(failures)
    # the receiver still takes the next genuine package
    outcome = sync_import.import_packages(bench.parent, [bench.valid]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert villages.list_villages(bench.parent, unit_id=COMMUNE_A)[0].households == 120
    statuses = {n.unit_id: n.status for n in sync_nodes.list_nodes(bench.parent)}
    assert statuses[COMMUNE_A] == "trusted"



# ------------------------------------------------------- cases checked on fresh receivers
def _district_rewrites_a_village(bench, target):
    """The district (its own installation as author) sends commune A a new version of
    A's village: only A's installations may write A's records."""
    node = bench.parent.installation().node_id
    record = a_record(bench, id=str(bench.village.id), origin_node_id=str(node),
                      version=HybridLogicalClock(node.hex).tick(),
                      name="Thôn 1 (huyện sửa)", households=1)
    return append_line(bench, target, record, op="update", source=bench.down,
                       signer=bench.keys_parent)


def _commune_a_rewrites_b_through_the_district(bench, target):
    """The district relays to commune B a version of B's village written by an
    installation of commune A (declared as A's, as a relay declares its authors)."""
    node_a = bench.a.installation().node_id
    record = a_record(bench, id=str(bench.b_village.id), owner_unit_id=COMMUNE_B,
                      name="Làng Kon Rẫy (xã Đắk La sửa)",
                      version=HybridLogicalClock(node_a.hex).tick())
    declare = {"node": str(node_a), "unit": COMMUNE_A, "label": "Máy xã Đắk La",
               "sign_key": bench.keys_a.public.sign_key_b64,
               "box_key": bench.keys_a.public.box_key_b64}
    return append_line(bench, target, record, op="update", source=bench.down_b,
                       signer=bench.keys_parent, declare=declare)


def _author_not_declared(bench, target):
    stranger = uuid.uuid4()
    record = a_record(bench, origin_node_id=str(stranger),
                      version=HybridLogicalClock(stranger.hex).tick())
    return append_line(bench, target, record)


def _written_by_a_known_installation_of_another_unit(bench, target):
    """Commune A's package carries a record of A written by commune B's installation, which
    the district knows (B's packages came) but the package does not declare: the author is
    looked up here and is not one of the owner's installations."""
    node_b = bench.b.installation().node_id
    record = a_record(bench, origin_node_id=str(node_b),
                      version=HybridLogicalClock(node_b.hex).tick())
    return append_line(bench, target, record)


def _known_node_declared_for_another_unit(bench, target):
    def change(manifest):
        manifest["nodes"].append({"node": str(bench.keys_b.node_id), "unit": COMMUNE_A,
                                  "label": "", "sign_key": None, "box_key": None})
    return edit_manifest(bench, target, change)


def _chain_to_another_package(bench, target):
    return edit_manifest(bench, target, _set(("previous_sha256",), "ab" * 32))


def _chain_cut(bench, target):
    return edit_manifest(bench, target, _set(("previous_sha256",), None))


def _older_number_off_the_later_chain(bench, target):
    """Package 3 (which names package 2's hash) has been applied; a package 2 with other
    content arrives: it cannot be the one package 3 follows."""
    def change(lines):
        lines[0]["record"]["households"] = 777
    return edit_lines(bench, target, change)


def _apply_third(bench, receiver):
    outcome = sync_import.import_packages(receiver, [bench.third]).files[0]
    assert outcome.outcome == "applied", outcome.message


def _patch_declared_size(bench, target):
    """A catalog entry whose ZIP headers declare one byte more than a catalog may hold."""
    raw_zip(target, valid_entries(bench) + [(CATALOG, b"{}")])
    data = bytearray(target.read_bytes())
    huge = struct.pack("<I", 32 * 1024 * 1024 + 1)
    with zipfile.ZipFile(target) as archive:
        local = archive.getinfo(CATALOG).header_offset
    data[local + 22:local + 26] = huge
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack("<H", data[position + 28:position + 30])[0]
        if bytes(data[position + 46:position + 46 + name_length]) == CATALOG.encode():
            data[position + 24:position + 28] = huge
        position = data.find(b"PK\x01\x02", position + 4)
    target.write_bytes(bytes(data))
    return target


def _long_signature(bench, target):
    return raw_zip(target, [(n, d + b"\0" if n == SIGNATURE else d)
                            for n, d in valid_entries(bench)])


def _over_eight_gib(bench, target):
    """A real package followed by (sparse) zeros up to one byte over 8 GiB."""
    shutil.copy(bench.valid, target)
    os.truncate(target, 8 * 1024**3 + 1)
    return target


def _encrypted_entries(bench, target, change):
    """``change(manifest, {name: stored bytes})`` on the encrypted package; the entry
    hashes are recomputed and the manifest re-signed by the sender (so only the
    authenticated encryption itself can tell)."""
    with zipfile.ZipFile(bench.encrypted()) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        entries = {n: archive.read(n) for n in archive.namelist()
                   if n not in (MANIFEST, SIGNATURE)}
    change(manifest, entries)
    for name, data in entries.items():
        kept = {k: v for k, v in manifest["entries"][name].items()
                if k in ("plain_size", "lines")}
        describe(manifest, name, data, **kept)
    return write_package(target, manifest, bench.keys_a, sorted(entries.items()))


def _encrypted_truncated(bench, target):
    def change(manifest, entries):
        entries[CHANGES] = entries[CHANGES][:-16]
    return _encrypted_entries(bench, target, change)


def _encrypted_larger_than_declared(bench, target):
    def change(manifest, entries):
        manifest["entries"][CHANGES]["plain_size"] -= 1
    return _encrypted_entries(bench, target, change)


def _base_not_older(bench, target):
    record = a_record(bench)
    return append_line(bench, target, record, base=record["version"])


def _delete_not_marked(bench, target):
    return append_line(bench, target, a_record(bench, id=str(bench.village.id)), op="delete")


def _references_from_a_child(bench, target):
    manifest, lines, _others = take_apart(bench.valid)
    data = changes_bytes(lines)
    describe(manifest, CHANGES, data, lines=len(lines))
    references = canonical_bytes({"dossier_templates": [], "handbook_pages": []})
    describe(manifest, REFERENCES, references)
    manifest["requires"] = sorted(set(manifest["requires"]) | {"references/1"})
    return write_package(target, manifest, bench.keys_a,
                         [(CHANGES, data), (REFERENCES, references)])


def _references_down(document: dict):
    """The district's package to commune A, carrying ``document`` as references.json."""
    def build(bench, target):
        manifest, lines, _others = take_apart(bench.down)
        data = changes_bytes(lines)
        describe(manifest, CHANGES, data, lines=len(lines))
        references = canonical_bytes(document)
        describe(manifest, REFERENCES, references)
        manifest["requires"] = sorted(set(manifest["requires"]) | {"references/1"})
        return write_package(target, manifest, bench.keys_parent,
                             [(CHANGES, data), (REFERENCES, references)])
    return build


_PAGE = {"name": "chung.v9.yaml", "text": "code: general\nversion: 9\n"}


def _forged_enrollment_proof(bench, target):
    villages.save_village(bench.impostor, name="Thôn mạo danh")
    real = sync_export.export_package(bench.impostor, target.parent / "impostor-2",
                                      encrypt=False).path

    def change(manifest):
        manifest["sender"]["enrollment"] = {"id": str(uuid.uuid4()),
                                            "proof": base64.b64encode(b"x" * 32).decode()}
    return edit_manifest(bench, target, change, source=real, signer=keys_of(bench.impostor))


def _record_field(key, value):
    def change(lines):
        lines[0]["record"][key] = value
    return _line(change)


def _drop_field(key):
    def change(lines):
        del lines[0]["record"][key]
    return _line(change)


@dataclass
class FreshCase(Case):
    prepare: Callable[[Bench, Workspace], None] | None = None


FRESH_CASES = [
    FreshCase("the district rewrites a village of commune A", ("not_owner",), "rejected",
              _district_rewrites_a_village, receiver="a"),
    FreshCase("an installation of commune A rewrites commune B's village, relayed",
              ("declares_other_unit",), "rejected", _commune_a_rewrites_b_through_the_district,
              receiver="b"),
    FreshCase("written by an installation the package does not declare", ("bad_change",),
              "rejected", _author_not_declared),
    FreshCase("written by a known installation of another unit, not declared",
              ("not_owner",), "rejected", _written_by_a_known_installation_of_another_unit),
    FreshCase("declares a known installation under another unit", ("manifest_invalid",),
              "rejected", _known_node_declared_for_another_unit),
    FreshCase("previous_sha256 names another package", ("fork",), "alert",
              _chain_to_another_package),
    FreshCase("previous_sha256 left out after package 1", ("fork",), "alert", _chain_cut),
    FreshCase("an earlier number that is not the one the later package follows", ("fork",),
              "alert", _older_number_off_the_later_chain, prepare=_apply_third),
    FreshCase("an entry name with a control character", ("unsafe_name",), "rejected",
              lambda b, t: with_extra(b, t, ("attachment-\x07" + "a" * 63, b"x"))),
    FreshCase("an entry declaring more than its limit", ("entry_too_large",), "rejected",
              _patch_declared_size),
    FreshCase("a signature longer than 64 bytes", ("entry_too_large",), "rejected",
              _long_signature),
    FreshCase("a file larger than 8 GiB", ("too_large",), "rejected", _over_eight_gib),
    FreshCase("a manifest of another format", ("manifest_invalid",), "rejected",
              _manifest(_set(("format",), "other-sync-package"))),
    FreshCase("package number 0", ("manifest_invalid",), "rejected",
              _manifest(_set(("number",), 0))),
    FreshCase("a reversed sequence range", ("manifest_invalid",), "rejected",
              _manifest(_set(("sequence",), {"first": 9, "last": 3}))),
    FreshCase("a package id that is not a UUID", ("manifest_invalid",), "rejected",
              _manifest(_set(("package_id",), "package-1"))),
    FreshCase("an encrypted entry cut short (hashes and signature made to match)",
              ("decryption_failed",), "rejected", _encrypted_truncated),
    FreshCase("an encrypted entry longer than its declared plain size", ("hash_mismatch",),
              "rejected", _encrypted_larger_than_declared),
    FreshCase("a base version not older than the change", ("bad_change",), "rejected",
              _base_not_older),
    FreshCase("a deletion that does not mark the record deleted", ("bad_change",),
              "rejected", _delete_not_marked),
    FreshCase("a UUID in capitals", ("bad_change",), "rejected",
              lambda b, t: edit_lines(b, t, lambda lines: lines[0]["record"].update(
                  id=lines[0]["record"]["id"].upper()))),
    FreshCase("a time in another spelling", ("bad_change",), "rejected",
              _record_field("created_at", "2023-10-01 08:00:00")),
    FreshCase("a column the table does not have", ("bad_change",), "rejected",
              _record_field("secret", "x")),
    FreshCase("a column left out", ("bad_change",), "rejected", _drop_field("households")),
    FreshCase("dossier templates sent up by a commune", ("not_entitled",), "rejected",
              _references_from_a_child),
    FreshCase("an unknown installation with a forged enrollment proof", ("unknown_sender",),
              "quarantined", _forged_enrollment_proof),
    FreshCase("a handbook page named with a path", ("bad_references",), "rejected",
              _references_down({"dossier_templates": [], "handbook_pages": [
                  dict(_PAGE, name="../../so-tay.yaml")]}), receiver="a"),
    FreshCase("more than 500 handbook pages", ("bad_references",), "rejected",
              _references_down({"dossier_templates": [], "handbook_pages": [
                  dict(_PAGE, name=f"p{i}.yaml") for i in range(501)]}), receiver="a"),
    FreshCase("references without their list of templates", ("bad_references",), "rejected",
              _references_down({"handbook_pages": []}), receiver="a"),
]


def test_each_hostile_package_on_a_fresh_receiver(network, tmp_path, postgres):
    """The cases no other test covered, each on its own copy of the receiver as the bench
    left it, compared byte for byte before and after; then the genuine package still
    applies on that copy (nothing a refusal left behind blocks it)."""
    bench = Bench(network, tmp_path, postgres)
    genuine = {"parent": bench.valid, "a": bench.down, "b": bench.down_b}
    failures = []
    for case in FRESH_CASES:
        path = case.build(bench, bench.path(re.sub(r"\W+", "-", case.name)))
        receiver = bench.fresh(case.receiver)
        if case.prepare is not None:
            case.prepare(bench, receiver)
        problems, outcome = _import_and_judge(case, receiver, path)
        if case.prepare is None:
            follow = sync_import.import_packages(receiver, [genuine[case.receiver]]).files[0]
            if follow.outcome != "applied":
                problems.append(f"the genuine package then gave {follow.outcome}")
        receiver.dispose()
        if problems:
            failures.append(f"{case.name}: {', '.join(problems)} — {outcome.message}")
    assert failures == [], "\n".join(failures)
    assert len(FRESH_CASES) >= 28
