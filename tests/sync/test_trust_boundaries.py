"""Issue 12, tried as an attacker who holds one enrolled commune's real keys (or the parent's):
what a signed package may *say* is no longer believed.

Each hostile case runs on a fresh copy of its receiver and compares, before and after: the
dump of every synced record (with versions and authors), the change journal row by row, the
installations and the catalog's hierarchy, and every file of the workspace folder
(attachments, inbox, kept catalogs, handbook pages; the database files, backups and the log
aside). After every case the log is searched for the names the packages carried: no
personal data in any log line. ``docs/sync-format.md`` ("Who may write what", "Strict
parsing") names these tests.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from ctmtqg_desktop.app_logging import setup_logging
from ctmtqg_desktop.domain.hlc import HybridLogicalClock
from ctmtqg_desktop.services import villages
from ctmtqg_desktop.services.catalog._loading import shipped_catalog_dir
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.models.catalog import AdminUnit
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.store.models.journal import ChangeJournalEntry
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.package_format import CATALOG, CHANGES, canonical_bytes
from tests.sync.conftest import COMMUNE_A, dump
from tests.sync.forge import changes_bytes, describe, keys_of, take_apart, write_package
from tests.sync.test_adversarial import (
    VIETNAMESE,
    Bench,
    a_record,
    append_line,
    edit_lines,
)

#: text the packages of these cases carry that must never reach a log line
SECRETS = ("Thôn 1", "Thôn 2", "Làng Kon Rẫy", "Thôn giả", "GIẢ MẠO", "079123456789")


# ---------------------------------------------------------------------------- the judge
def state(workspace: Workspace) -> dict:
    """Everything a refused package must leave as it was."""
    with workspace.session_factory() as session:
        journal = [tuple(str(v) for v in row) for row in session.execute(select(
            ChangeJournalEntry.seq, ChangeJournalEntry.table_name,
            ChangeJournalEntry.record_id, ChangeJournalEntry.operation,
            ChangeJournalEntry.version, ChangeJournalEntry.payload,
            ChangeJournalEntry.base_version).order_by(ChangeJournalEntry.seq))]
        nodes = sorted((str(n.id), n.unit_id, n.status, n.label)
                       for n in session.scalars(select(Node)))
        units = sorted(session.execute(select(AdminUnit.id, AdminUnit.parent_id)).all())
    files = {}
    for path in sorted(workspace.folder.rglob("*")):
        relative = path.relative_to(workspace.folder)
        if not path.is_file() or relative.parts[0] in ("backups", "logs") or \
                relative.name.startswith("ctmtqg.sqlite3") or relative.name == "import.lock":
            continue
        files[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"dump": dump(workspace), "journal": journal, "nodes": nodes, "units": units,
            "files": files}


def differences(before: dict, after: dict) -> list[str]:
    found = [name for name in ("dump", "journal", "nodes", "units") if before[name] != after[name]]
    if before["files"] != after["files"]:
        changed = sorted(set(before["files"].items()) ^ set(after["files"].items()))
        found.append("files " + ", ".join(sorted({name for name, _digest in changed}))[:300])
    return found


@pytest.fixture
def logged(tmp_path):
    """Log to a file of this test, as the application does; the text logged so far."""
    target = setup_logging(tmp_path / "logs")
    logging.getLogger("ctmtqg").setLevel(logging.DEBUG)
    yield lambda: target.read_text(encoding="utf-8") if target.exists() else ""
    setup_logging(None)


@dataclass
class Hostile:
    name: str
    code: str
    build: Callable[[Bench, Path], Path]
    receiver: str = "parent"


def judge(bench: Bench, cases: list[Hostile], logged) -> list[str]:
    failures = []
    for case in cases:
        path = case.build(bench, bench.path(re.sub(r"\W+", "-", case.name)))
        receiver = bench.fresh(case.receiver)
        try:
            before = state(receiver)
            outcome = sync_import.import_packages(receiver, [path]).files[0]
            problems = differences(before, state(receiver))
        finally:
            receiver.dispose()
        if outcome.outcome != "rejected" or outcome.code != case.code:
            problems.append(f"{outcome.outcome}/{outcome.code}")
        if not VIETNAMESE.search(outcome.message):
            problems.append("message not Vietnamese")
        leaked = [secret for secret in SECRETS if secret in logged()]
        if leaked:
            problems.append(f"the log holds {leaked}")
        if problems:
            failures.append(f"{case.name}: {', '.join(problems)} — {outcome.message}")
    return failures


# ---------------------------------------------------------------------------- builders
def _with_catalog(source: str, signer: str, edit_units: Callable[[str], str], version=99):
    """A real package (``source``: the bench's attribute) carrying a catalog update made
    from the shipped catalog with ``edit_units`` applied to units.csv, re-signed."""
    def build(bench: Bench, target: Path) -> Path:
        folder = shipped_catalog_dir()
        manifest_doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest_doc["catalog_version"] = version
        files = {name: (folder / name).read_text(encoding="utf-8")
                 for name in sorted(set(manifest_doc["files"].values()))}
        files["units.csv"] = edit_units(files["units.csv"])
        catalog = canonical_bytes({"manifest": manifest_doc, "files": files})
        manifest, lines, _others = take_apart(getattr(bench, source))
        data = changes_bytes(lines)
        describe(manifest, CHANGES, data, lines=len(lines))
        describe(manifest, CATALOG, catalog)
        manifest["requires"] = sorted(set(manifest["requires"]) | {"catalog/1"})
        keys = keys_of(getattr(bench, signer))
        return write_package(target, manifest, keys, [(CHANGES, data), (CATALOG, catalog)])
    return build


def _move(unit: str, new_parent: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        lines = text.splitlines()
        header = lines[0].split(",")
        at = header.index("parent_id")
        for index, line in enumerate(lines[1:], 1):
            cells = line.split(",")
            if cells[0] == unit:
                cells[at] = new_parent
                lines[index] = ",".join(cells)
                break
        else:
            raise AssertionError(f"unit {unit} not in the catalog")
        return "\n".join(lines) + "\n"
    return edit


def _unchanged(text: str) -> str:
    return text


def _declares_the_province(bench: Bench, target: Path) -> Path:
    """Commune A's package declares an installation "of the province" (62)."""
    record = a_record(bench)
    declare = {"node": str(uuid.uuid4()), "unit": "62", "label": "Máy của Tỉnh Kon Tum",
               "sign_key": None, "box_key": None}
    return append_line(bench, target, record, declare=declare)


def _declares_the_neighbour(bench: Bench, target: Path) -> Path:
    declare = {"node": str(uuid.uuid4()), "unit": "23521", "label": "Máy xã Hà Mòn (giả)",
               "sign_key": None, "box_key": None}
    return append_line(bench, target, a_record(bench), declare=declare)


def _raw_lines(edit: Callable[[list[bytes]], list[bytes]]):
    """The valid package with its change lines edited as bytes, re-signed by commune A."""
    def build(bench: Bench, target: Path) -> Path:
        manifest, lines, _others = take_apart(bench.valid)
        raw = edit([canonical_bytes(line) + b"\n" for line in lines])
        data = b"".join(raw)
        describe(manifest, CHANGES, data, lines=len(raw))
        return write_package(target, manifest, bench.keys_a, [(CHANGES, data)])
    return build


def _duplicate_households(lines: list[bytes]) -> list[bytes]:
    """``"households":120`` followed by a second ``"households":999``: one reader would
    store one value, another journal the other."""
    return [line.replace(b'"households":120,', b'"households":120,"households":999,')
            for line in lines]


def _duplicate_line_key(lines: list[bytes]) -> list[bytes]:
    return [line.replace(b'"op":"update",', b'"op":"update","op":"insert",')
            for line in lines]


def _number_spelled(spelling: bytes):
    def edit(lines: list[bytes]) -> list[bytes]:
        return [line.replace(b'"households":120,', b'"households":' + spelling + b",")
                for line in lines]
    return edit


def _spaced(lines: list[bytes]) -> list[bytes]:
    return [json.dumps(json.loads(line), sort_keys=True).encode() + b"\n" for line in lines]


def _escaped(lines: list[bytes]) -> list[bytes]:
    """The same text written with ``\\u`` escapes (another byte string, the same value)."""
    return [json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"),
                       ensure_ascii=True).encode() + b"\n" for line in lines]


def _keys_reordered(lines: list[bytes]) -> list[bytes]:
    out = []
    for line in lines:
        change = json.loads(line)
        out.append(json.dumps({k: change[k] for k in reversed(sorted(change))},
                              separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
    return out


def _crlf(lines: list[bytes]) -> list[bytes]:
    return [line[:-1] + b"\r\n" for line in lines]


def _record(**changes):
    def build(bench: Bench, target: Path) -> Path:
        def change(lines):
            lines[0]["record"].update(changes)
        return edit_lines(bench, target, change)
    return build


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _version_digits(bench: Bench, target: Path) -> Path:
    """A version whose wall clock is Arabic-Indic digits: ``int()`` reads them, and as a
    string the version sorts after every honest one (it would beat every later edit)."""
    def change(lines):
        version = lines[0]["record"]["version"]
        wall, rest = version.split(".", 1)
        lines[0]["record"]["version"] = wall.translate(ARABIC_INDIC) + "." + rest
    return edit_lines(bench, target, change)


def _version_width(bench: Bench, target: Path) -> Path:
    def change(lines):
        version = lines[0]["record"]["version"]
        wall, counter, node = version.split(".")
        lines[0]["record"]["version"] = f"{wall}.{counter}0.{node}"
    return edit_lines(bench, target, change)


def _version_capital_node(bench: Bench, target: Path) -> Path:
    def change(lines):
        version = lines[0]["record"]["version"]
        lines[0]["record"]["version"] = version[:-32] + version[-32:].upper()
    return edit_lines(bench, target, change)


def _base_digits(bench: Bench, target: Path) -> Path:
    def change(lines):
        version = lines[0]["record"]["version"]
        wall, rest = version.split(".", 1)
        lines[0]["base"] = str(int(wall) - 5).translate(ARABIC_INDIC) + "." + rest
    return edit_lines(bench, target, change)


WHO_MAY_WRITE = [
    Hostile("a catalog update sent up by a commune", "not_entitled",
            _with_catalog("valid", "a", _unchanged)),
    Hostile("a commune's catalog puts the neighbour under itself", "not_entitled",
            _with_catalog("valid", "a", _move("23521", COMMUNE_A))),
    Hostile("the parent's catalog moves the receiver under another district",
            "catalog_moves_receiver", _with_catalog("down", "parent", _move(COMMUNE_A, "616")),
            receiver="a"),
    Hostile("the parent's catalog moves the receiver's district to another province",
            "catalog_moves_receiver",
            _with_catalog("down", "parent", _move("615", "51@2025-07-01")),
            receiver="a"),
    Hostile("a commune declares an installation of the province", "declares_other_unit",
            _declares_the_province),
    Hostile("a commune declares an installation of its neighbour", "declares_other_unit",
            _declares_the_neighbour),
]

STRICT_LINES = [
    Hostile("a record field given twice", "bad_change", _raw_lines(_duplicate_households)),
    Hostile("a line field given twice", "bad_change", _raw_lines(_duplicate_line_key)),
    Hostile("a count written 120.0", "bad_change", _raw_lines(_number_spelled(b"120.0"))),
    Hostile("a count written 1.2e2", "bad_change", _raw_lines(_number_spelled(b"1.2e2"))),
    Hostile("a count written 0120", "bad_change", _raw_lines(_number_spelled(b"0120"))),
    Hostile("a count written NaN", "bad_change", _raw_lines(_number_spelled(b"NaN"))),
    Hostile("a count written Infinity", "bad_change", _raw_lines(_number_spelled(b"Infinity"))),
    Hostile("a line with spaces", "bad_change", _raw_lines(_spaced)),
    Hostile("a line with \\u escapes", "bad_change", _raw_lines(_escaped)),
    Hostile("a line with its fields in another order", "bad_change",
            _raw_lines(_keys_reordered)),
    Hostile("a line ending in CR LF", "bad_change", _raw_lines(_crlf)),
    Hostile("a version in Arabic-Indic digits", "bad_change", _version_digits),
    Hostile("a version counter of six digits", "bad_change", _version_width),
    Hostile("a version naming its author in capitals", "bad_change", _version_capital_node),
    Hostile("a base version in Arabic-Indic digits", "bad_change", _base_digits),
    Hostile("created in the year 1900", "bad_change",
            _record(created_at="1900-01-01T00:00:00")),
    Hostile("updated in the year 9999", "bad_change",
            _record(updated_at="9999-12-31T23:59:59")),
    Hostile("created a year from now", "bad_change",
            _record(created_at="2030-01-01T00:00:00")),
]


def test_only_the_parent_writes_catalogs_and_only_own_installations_are_declared(
        network, tmp_path, postgres, logged):
    bench = Bench(network, tmp_path, postgres)
    failures = judge(bench, WHO_MAY_WRITE, logged)
    assert failures == [], "\n".join(failures)
    # the same catalog, unchanged, from the parent is taken (the guard refuses moves only)
    receiver = bench.fresh("a")
    path = _with_catalog("down", "parent", _unchanged)(bench, bench.path("honest-catalog"))
    outcome = sync_import.import_packages(receiver, [path]).files[0]
    assert outcome.outcome == "applied", outcome.message
    receiver.dispose()


def test_change_lines_are_parsed_strictly(network, tmp_path, postgres, logged):
    bench = Bench(network, tmp_path, postgres)
    failures = judge(bench, STRICT_LINES, logged)
    assert failures == [], "\n".join(failures)
    assert len(STRICT_LINES) >= 15


CONTROL = "Thôn\x1b[31m 3\x00\u202e\x9b\x07"
NFD = "Tho\u0302n 3"


def test_text_from_a_package_is_stored_and_journalled_in_the_one_form(network, tmp_path,
                                                                        postgres):
    """A village name with a terminal escape, NUL, a C1 control and a right-to-left
    override, and one in NFD: stored without them, NFC, and the journal holds exactly the
    record as stored (what this workspace relays further up)."""
    bench = Bench(network, tmp_path, postgres)
    for number, (name, expected) in enumerate(((CONTROL, "Thôn[31m 3"), (NFD, "Thôn 3"))):
        receiver = bench.fresh("parent")
        path = append_line(bench, bench.path(f"text-{number}"), a_record(bench, name=name))
        outcome = sync_import.import_packages(receiver, [path]).files[0]
        assert outcome.outcome == "applied", outcome.message
        stored = [v.name for v in villages.list_villages(receiver, unit_id=COMMUNE_A)]
        assert expected in stored, stored
        with receiver.session_factory() as session:
            rows = session.execute(select(ChangeJournalEntry.record_id,
                                          ChangeJournalEntry.payload)
                                   .where(ChangeJournalEntry.table_name == "village")
                                   .order_by(ChangeJournalEntry.seq)).all()
        latest = {ident: json.loads(payload) for ident, payload in rows}
        dumped = {r["id"]: r for r in json.loads(dump(receiver))["tables"]["village"]}
        for ident, record in latest.items():
            assert record == dumped[str(ident)]
        assert all(not re.search("[\x00-\x08\x1b\x7f-\x9f\u202e]", p) for _i, p in rows)
        receiver.dispose()


def test_a_genuine_relay_still_declares_its_communes(network, tmp_path):
    """The guard on declarations keeps the honest relay: a district declares its
    communes' installations to the province."""
    province = network.parent(unit="62")
    district = network.enroll(province, "615")
    commune = network.enroll(district, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    first = sync_export.export_package(commune, tmp_path / "o").path
    assert sync_import.import_packages(district, [first]).files[0].ok
    up = sync_export.export_package(district, tmp_path / "o").path
    outcome = sync_import.import_packages(province, [up]).files[0]
    assert outcome.outcome == "applied", outcome.message
    # ... and the clock of a version is its writer's, a honest version passes
    assert HybridLogicalClock(uuid.uuid4().hex).tick()


def _page(code: str, name: str = "so-tay.yaml") -> dict:
    text = (f"code: {code}\nversion: 9\ntitle: Trang giả\nconfidence: unverified\n"
            "steps:\n  - title: Bước 1\n    body: Làm theo hướng dẫn.\n")
    return {"dossier_templates": [], "handbook_pages": [{"name": name, "text": text}]}


def _pages_down(document: dict):
    def build(bench: Bench, target: Path) -> Path:
        from ctmtqg_desktop.sync.package_format import REFERENCES

        manifest, lines, _others = take_apart(bench.down)
        data = changes_bytes(lines)
        describe(manifest, CHANGES, data, lines=len(lines))
        references = canonical_bytes(document)
        describe(manifest, REFERENCES, references)
        manifest["requires"] = sorted(set(manifest["requires"]) | {"references/1"})
        return write_package(target, manifest, bench.keys_parent,
                             [(CHANGES, data), (REFERENCES, references)])
    return build


NAMES_FROM_OUTSIDE = [
    Hostile("a handbook page whose code climbs out of the workspace", "bad_references",
            _pages_down(_page('"../../../trang-gia"')), receiver="a"),
    Hostile("a handbook page whose code is an absolute path", "bad_references",
            _pages_down(_page('"/tmp/trang-gia"')), receiver="a"),
    Hostile("a handbook page whose code is a Windows path", "bad_references",
            _pages_down(_page('"..\\\\..\\\\trang-gia"')), receiver="a"),
    Hostile("a handbook page whose code has a control character", "bad_references",
            _pages_down(_page('"gia\\x1b"')), receiver="a"),
    Hostile("a handbook page whose code is empty", "bad_references",
            _pages_down(_page('""')), receiver="a"),
    Hostile("a handbook page whose document name has an escape", "bad_references",
            _pages_down(_page("general_x", name="so-tay\x1b[2J.yaml")), receiver="a"),
]


def test_names_from_outside_are_plain_identifiers_before_the_filesystem(
        network, tmp_path, postgres, logged):
    bench = Bench(network, tmp_path, postgres)
    failures = judge(bench, NAMES_FROM_OUTSIDE, logged)
    assert failures == [], "\n".join(failures)
    assert not list(tmp_path.rglob("trang-gia*")) and not Path("/tmp/trang-gia.v9.yaml").exists()
    # a plain code is taken and written under its generated name
    receiver = bench.fresh("a")
    path = _pages_down(_page("trang_moi"))(bench, bench.path("honest-page"))
    outcome = sync_import.import_packages(receiver, [path]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert (receiver.folder / "handbook" / "trang_moi.v9.yaml").is_file()
    receiver.dispose()


# ------------------------------------------------------------------ enrollment revocation
def _laptop_sends(network, path, tmp_path, name):
    laptop = network.from_file(path, name, sqlite=True)
    villages.save_village(laptop, name=f"Thôn của {name}")
    return laptop, sync_export.export_package(laptop, tmp_path / name).path


def test_a_used_or_revoked_enrollment_seats_no_trusted_installation(network, tmp_path):
    from ctmtqg_desktop.services import sync
    from ctmtqg_desktop.services.sync import _enrollment as enrollment
    from ctmtqg_desktop.store.models.sync import SyncEnrollment

    parent = network.parent()
    path = tmp_path / "xa-dak-la.ctenroll"
    enrollment.issue_enrollment(parent, COMMUNE_A, path)
    first, package = _laptop_sends(network, path, tmp_path, "may-1")
    assert sync_import.import_packages(parent, [package]).files[0].outcome == "applied"
    node_1 = str(first.installation().node_id)

    # a copy of the same file (a shared USB stick) sets up a second laptop: not trusted
    second, package_2 = _laptop_sends(network, path, tmp_path, "may-2")
    before = state(parent)
    outcome = sync_import.import_packages(parent, [package_2]).files[0]
    assert (outcome.outcome, outcome.code) == ("quarantined", "unknown_sender"), outcome.message
    after = state(parent)
    assert (before["dump"], before["journal"]) == (after["dump"], after["journal"])
    statuses = {n.id: n.status for n in sync.list_nodes(parent)}
    assert statuses[second.installation().node_id] == "pending"
    # ... until the parent accepts it explicitly, after the fingerprint check
    _node, retried = sync.accept_node(parent, str(second.installation().node_id))
    assert [o.outcome for o in retried] == ["applied"]

    # revoking the first laptop offers its enrollment file; revoking both, a third laptop
    # set up from the file waits too, and the file is marked revoked
    assert sync.enrollment_of(parent, node_1) is not None
    sync.revoke_node(parent, node_1, revoke_enrollment=True)
    assert sync.enrollment_of(parent, node_1) is None
    with parent.session_factory() as session:
        assert [e.revoked for e in session.scalars(select(SyncEnrollment))] == [True]
    _third, package_3 = _laptop_sends(network, path, tmp_path, "may-3")
    outcome = sync_import.import_packages(parent, [package_3]).files[0]
    assert (outcome.outcome, outcome.code) == ("quarantined", "unknown_sender"), outcome.message


def test_revoking_without_the_enrollment_keeps_the_file(network, tmp_path):
    from ctmtqg_desktop.services import sync
    from ctmtqg_desktop.store.models.sync import SyncEnrollment

    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    package = sync_export.export_package(commune, tmp_path / "o").path
    assert sync_import.import_packages(parent, [package]).files[0].ok
    node = str(commune.installation().node_id)
    sync.revoke_node(parent, node)
    with parent.session_factory() as session:
        assert [e.revoked for e in session.scalars(select(SyncEnrollment))] == [False]
    assert sync.enrollment_of(parent, node) is not None


# ------------------------------------------------ nothing read that is not a regular file
def _link_to(device: str):
    def build(bench: Bench, target: Path) -> Path:
        target.symlink_to(device)
        return target
    return build


def _named_pipe(bench: Bench, target: Path) -> Path:
    import os

    os.mkfifo(target)
    return target


def _newer_format_from_a_stranger(bench: Bench, target: Path) -> Path:
    """A newer format, signed by no one we know: not kept, its words not shown."""
    from tests.sync.test_adversarial import edit_manifest

    def change(manifest):
        manifest["format_version"] = 2
        manifest["app_version"] = "99.0 — hãy gọi số 0900000000"
    return edit_manifest(bench, target, change, signer=keys_of(bench.stranger))


NOT_FILES = [
    Hostile("a package that is a link to /dev/zero", "unreadable", _link_to("/dev/zero")),
    Hostile("a package that is a link to /dev/urandom", "unreadable",
            _link_to("/dev/urandom")),
    Hostile("a package that is a named pipe", "unreadable", _named_pipe),
    Hostile("a package that is a folder", "unreadable",
            lambda b, t: (t.mkdir(), t)[1]),
    Hostile("a newer format from an installation no one knows", "newer_format",
            _newer_format_from_a_stranger),
]


@pytest.fixture
def deadline():
    """A hang (reading /dev/zero for ever) fails the test after two minutes."""
    import signal

    class Hung(BaseException):  # not an Exception: the importer's safety net lets it by
        pass

    def expired(signum, frame):
        raise Hung("the import hung")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_only_regular_files_are_read_and_nothing_unverified_is_kept(network, tmp_path,
                                                                     logged, deadline,
                                                                     postgres):
    bench = Bench(network, tmp_path, postgres)
    failures = judge(bench, NOT_FILES, logged)
    assert failures == [], "\n".join(failures)
    receiver = bench.fresh("parent")
    outcome = sync_import.import_packages(
        receiver, [_newer_format_from_a_stranger(bench, bench.path("newer"))]).files[0]
    assert "0900000000" not in outcome.message and "99.0" not in outcome.message
    assert not (receiver.folder / "sync" / "inbox").exists() or \
        not any((receiver.folder / "sync" / "inbox").rglob("*.ctsync"))
    receiver.dispose()


# ------------------------------------------- attachments staged, bounded, gone on refusal
def _package_with_a_scan(bench: Bench, size: int) -> Path:
    import os

    from ctmtqg_desktop.services import attachments

    scan = bench.tmp / f"scan-{size}.pdf"
    scan.write_bytes(b"%PDF-1.4 " + os.urandom(size))
    village = villages.save_village(bench.a, name="Thôn có biên bản")
    attachments.attach_file(bench.a, scan, parent_table="village", parent_id=village.id,
                            caption="Biên bản")
    encrypted = sync_export.export_package(bench.a, bench.tmp / f"scan-{size}").path
    plain = sync_export.export_package(bench.a, bench.tmp / f"scan-{size}-plain",
                                       encrypt=False).path
    return encrypted, plain


def test_attachments_are_staged_bounded_and_gone_when_the_package_is_refused(
        network, tmp_path, postgres, logged):
    from ctmtqg_desktop.services import settings
    from tests.sync.test_adversarial import append_line as append

    bench = Bench(network, tmp_path, postgres)
    package, plain = _package_with_a_scan(bench, 2 * 1024 * 1024)

    # 1. past the receiver's own limit (1 MB here): refused, nothing kept
    receiver = bench.fresh("parent")
    settings.set_value(receiver, settings.ATTACHMENT_LIMIT_MB, 1)
    before = state(receiver)
    outcome = sync_import.import_packages(receiver, [package]).files[0]
    assert (outcome.outcome, outcome.code) == ("rejected", "attachment_too_large"), \
        outcome.message
    assert differences(before, state(receiver)) == []
    assert not any(p.name.startswith(".") for p in receiver.attachments_dir.iterdir()) \
        if receiver.attachments_dir.exists() else True
    receiver.dispose()

    # 2. a package refused after its attachments were decrypted (a later line writes a
    # neighbour's record): the files it brought are gone with it
    forged = append(bench, bench.path("scan-then-forgery"),
                    a_record(bench, owner_unit_id="23521"), source=plain)
    receiver = bench.fresh("parent")
    before = state(receiver)
    outcome = sync_import.import_packages(receiver, [forged]).files[0]
    assert (outcome.outcome, outcome.code) == ("rejected", "not_owner"), outcome.message
    assert differences(before, state(receiver)) == []
    assert not any(receiver.attachments_dir.rglob("*")) or \
        sorted(p.name for p in receiver.attachments_dir.rglob("*") if p.is_file()) == \
        sorted(Path(name).name for name in before["files"] if name.startswith("attachments"))
    # 3. the genuine package, within the limit, brings its file
    outcome = sync_import.import_packages(receiver, [package]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert any(p.is_file() for p in receiver.attachments_dir.rglob("*"))
    assert not any(p.name.startswith(".staging") for p in receiver.attachments_dir.iterdir())
    receiver.dispose()
    assert not [s for s in SECRETS if s in logged()]


# ------------------------------------------------------------ one importer at a time
def test_four_processes_importing_one_package_apply_it_once(network, tmp_path):
    """Four ``ctmtqg sync import`` of the same package into one workspace at the same
    moment: one applies it, the others say another window is importing (or that it was
    already applied); no internal error, no "database is locked", each change journalled
    once, and the log holds no name or ID number."""
    import subprocess
    import sys

    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    for number in range(200):
        villages.save_village(commune, name=f"Thôn {number}", households=number)
    package = sync_export.export_package(commune, tmp_path / "o").path
    parent.dispose()
    command = [sys.executable, "-m", "ctmtqg_desktop", "sync", "import", "--workspace",
               str(parent.folder), str(package)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, encoding="utf-8") for _ in range(4)]
    results = [run.communicate(timeout=300) + (run.returncode,) for run in runs]
    texts = [out + err for out, err, _code in results]
    assert not any("Lỗi nội bộ" in text or "locked" in text for text in texts), texts
    applied = [text for text in texts if "Đã áp dụng gói số 1" in text]
    assert len(applied) == 1, texts
    assert all("cửa sổ khác" in text or "đã được áp dụng" in text
               for text in texts if text not in applied), texts
    with parent.session_factory() as session:
        entries = session.scalars(select(ChangeJournalEntry.record_id).where(
            ChangeJournalEntry.table_name == "village")).all()
    assert len(entries) == len(set(entries)) == 200
    logs = "".join(p.read_text(encoding="utf-8") for p in (parent.folder / "logs").glob("*"))
    assert "Thôn 1" not in logs and "Traceback" not in logs


# ------------------------------------------------ personal data never leaves unencrypted
def test_personal_data_never_leaves_unencrypted_without_being_asked(network, tmp_path):
    """A commune set up without an enrollment file does not know its district's key: a
    package with households is refused (the reason said, no file written) unless the
    officer asks for an unencrypted one; without households it goes as before."""
    import zipfile

    from ctmtqg_desktop.domain.errors import UserError
    from ctmtqg_desktop.services import households

    commune = network.commune(COMMUNE_A)
    villages.save_village(commune, name="Thôn 1")
    plain = sync_export.export_package(commune, tmp_path / "villages")
    assert not plain.encrypted  # nothing personal: allowed, as before
    households.save_household(commune, head_name="Y Thị Hoa", id_number="079123456789",
                              members=4)
    out = tmp_path / "households"
    with pytest.raises(UserError) as refused:
        sync_export.export_package(commune, out)
    assert "số định danh" in str(refused.value) or "CCCD" in str(refused.value) or \
        "mã hóa" in str(refused.value)
    assert not list(out.glob("*.ctsync"))
    # asked for explicitly: written, unencrypted
    result = sync_export.export_package(commune, out, encrypt=False)
    assert not result.encrypted
    with zipfile.ZipFile(result.path) as archive:
        assert b"079123456789" in archive.read("changes.jsonl")
