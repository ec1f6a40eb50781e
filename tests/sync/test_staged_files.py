"""Handbook pages (and kept catalogs) received in a package are written before the import
commits, under staging names, and renamed into place after it (issue 12): a package refused
inside its transaction leaves no page behind, an applied one leaves the page and no staged
file. Real packages signed by the parent, real workspaces."""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.services import handbook
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.sync.package_format import CHANGES, REFERENCES, canonical_bytes
from tests.sync.forge import changes_bytes, describe, take_apart, write_package
from tests.sync.test_adversarial import Bench, a_record

PAGE = ("code: trang-moi\nversion: 9\ntitle: Trang mới của huyện\nconfidence: unverified\n"
        "steps:\n  - title: Bước 1\n    body: Làm theo hướng dẫn.\n")


def _down_with_page(bench: Bench, target: Path, extra: dict | None = None) -> Path:
    manifest, lines, _others = take_apart(bench.down)
    if extra is not None:  # a change the receiver refuses inside its transaction
        last = manifest["sequence"]["last"]
        lines.append({"base": None, "op": "insert", "record": extra, "seq": last + 1,
                      "table": "village"})
        manifest["sequence"]["last"] = last + 1
        counts = manifest["tables"].setdefault("village", {
            "insert": 0, "update": 0, "delete": 0,
            "columns": take_apart(bench.valid)[0]["tables"]["village"]["columns"]})
        counts["insert"] += 1
    data = changes_bytes(lines)
    describe(manifest, CHANGES, data, lines=len(lines))
    references = canonical_bytes({"dossier_templates": [],
                                  "handbook_pages": [{"name": "trang-moi.yaml", "text": PAGE}]})
    describe(manifest, REFERENCES, references)
    manifest["requires"] = sorted(set(manifest["requires"]) | {"references/1"})
    return write_package(target, manifest, bench.keys_parent,
                         [(CHANGES, data), (REFERENCES, references)])


def _staged(workspace) -> list[Path]:
    return [p for p in workspace.folder.rglob("*") if p.name.endswith(".staged")]


def _page_codes(workspace) -> set[str]:
    return {page.code for page in handbook.load_pages(workspace)}


def test_a_page_is_published_only_with_its_committed_package(network, tmp_path, postgres):
    bench = Bench(network, tmp_path, postgres)
    receiver = bench.fresh("a")
    refused = _down_with_page(bench, bench.path("page-refused"),
                              extra=a_record(bench, name="Thôn quá đông", households=150_000))
    outcome = sync_import.import_packages(receiver, [refused]).files[0]
    assert outcome.outcome != "applied", outcome.message
    assert "trang-moi" not in _page_codes(receiver)
    assert _staged(receiver) == []

    applied = _down_with_page(bench, bench.path("page-applied"))
    outcome = sync_import.import_packages(receiver, [applied]).files[0]
    assert outcome.outcome == "applied", outcome.message
    assert "trang-moi" in _page_codes(receiver)
    assert _staged(receiver) == []
    receiver.dispose()


def test_a_page_that_cannot_be_written_leaves_the_package_unapplied(network, tmp_path,
                                                                    postgres):
    """The handbook folder cannot be made (a file stands in its place): the page is written
    before the transaction, so the package is not applied and comes in whole once the
    folder can be written; before, the rows were committed and the page was lost."""
    bench = Bench(network, tmp_path, postgres)
    receiver = bench.fresh("a")
    blocker = receiver.folder / handbook.WORKSPACE_FOLDER
    if blocker.is_dir():
        for page in blocker.iterdir():
            page.unlink()
        blocker.rmdir()
    blocker.write_text("not a folder", encoding="utf-8")
    package = _down_with_page(bench, bench.path("page-blocked"))
    try:
        outcome = sync_import.import_packages(receiver, [package]).files[0]
        failed = outcome.outcome != "applied"
    except OSError:
        failed = True
    assert failed
    blocker.unlink()
    outcome = sync_import.import_packages(receiver, [package]).files[0]
    assert outcome.outcome == "applied", outcome.message  # not "already applied"
    assert "trang-moi" in _page_codes(receiver)
    receiver.dispose()
