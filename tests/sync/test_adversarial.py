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
import re
import stat
import struct
import uuid
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.services.sync import _nodes as sync_nodes
from ctmtqg_desktop.sync.identity import NodeKeys
from ctmtqg_desktop.sync.package_format import CHANGES, MANIFEST, SIGNATURE, canonical_bytes
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

    def __init__(self, network, tmp_path: Path) -> None:
        self.tmp = tmp_path
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
        self.keys_a = keys_of(self.a)
        self.keys_b = keys_of(self.b)
        self.counter = 0

    def path(self, name: str) -> Path:
        self.counter += 1
        return self.tmp / f"{self.counter:02d}-{name}.ctsync"

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
                signer: NodeKeys | None = None) -> Path:
    def edit(manifest, lines):
        last = manifest["sequence"]["last"]
        lines.append({"base": None, "op": op, "record": record, "seq": last + 1,
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
    Case("unknown capability", ("newer_format",), "newer",
         _manifest(_set(("requires",), ["changes/1", "teleport/1"]))),
    Case("newer package format", ("newer_format",), "newer",
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


def test_every_bad_package_is_refused_or_held_and_changes_nothing(network, tmp_path):
    bench = Bench(network, tmp_path)
    assert len({case.name for case in CASES}) >= 30
    failures = []
    for case in CASES:
        receiver = bench.parent if case.receiver == "parent" else bench.a
        path = case.build(bench, bench.path(re.sub(r"\W+", "-", case.name)))
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
        if not VIETNAMESE.search(outcome.message) or "package" in outcome.message:
            problems.append("message not Vietnamese")
        if before != after:
            problems.append("the workspace changed")
        if problems:
            failures.append(f"{case.name}: {', '.join(problems)} — {outcome.message}")
    assert failures == [], "\n".join(failures)
    # the receiver still takes the next genuine package
    outcome = sync_import.import_packages(bench.parent, [bench.valid]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert villages.list_villages(bench.parent, unit_id=COMMUNE_A)[0].households == 120
    statuses = {n.unit_id: n.status for n in sync_nodes.list_nodes(bench.parent)}
    assert statuses[COMMUNE_A] == "trusted"

