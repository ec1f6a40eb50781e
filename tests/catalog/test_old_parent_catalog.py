"""Issue 13: a catalog update sent down by a parent that has not upgraded yet names units by
the inferred keys (``23494@2025-07-01`` for Kon Braih, 23497). Its package is read with the
catalog's corrections (``PackageReader.map_unit_keys``), and so is the ``catalog.json``
inside it: the receiver's place in the tree is checked, and the copy kept for passing on is
written, with the corrected keys. Signature and hashes are still checked on the bytes sent.

The package is built as the old parent writes it: the fixture's province (made by commit
1d9f8dc, ``main`` of 05/12/2026) exports to its commune, and the package is rewritten with
the old keys (recipient, declared installations, records) and the catalog version 2 that
code sends (the fixture's own ``catalog/2``, units keyed 23494@2025-07-01), then signed with
that province's real installation key."""

import dataclasses
import json
import zipfile
from pathlib import Path

import pytest

from ctmtqg_desktop.services import catalog, sync, workspaces
from ctmtqg_desktop.sync.package_format import CATALOG, MANIFEST, SIGNATURE, canonical_bytes

FIXTURE = Path(__file__).parent / "fixtures" / "main-2026-12-05-kon-braih-23494.zip"
WRONG, RIGHT, PROVINCE = "23494@2025-07-01", "23497@2025-07-01", "51@2025-07-01"


def _old_catalog(tmp_path: Path) -> dict:
    """catalog.json as the code before 0701_today packs it (catalog version 2)."""
    folder = tmp_path / "catalog-2"
    with zipfile.ZipFile(FIXTURE) as archive:
        for name in archive.namelist():
            if name.startswith("commune/catalog/2/") and not name.endswith("/"):
                (folder / Path(name).name).parent.mkdir(parents=True, exist_ok=True)
                (folder / Path(name).name).write_bytes(archive.read(name))
    document = catalog.pack(folder)
    assert document["manifest"]["catalog_version"] == 2
    assert f"{WRONG},23494,Kon Braih" in document["files"]["units.csv"]
    return document


def _as_old_parent_sends(province, exported: Path, out: Path, document: dict) -> Path:
    """``exported`` rewritten with the old keys and catalog, signed by the province."""
    from ctmtqg_desktop.services.sync._nodes import local_keys
    from ctmtqg_desktop.sync.package_reader import PackageReader
    from ctmtqg_desktop.sync.package_writer import PackageWriter

    with PackageReader(exported) as reader:
        manifest = reader.manifest
    assert manifest.encryption is None and manifest.recipient_unit == RIGHT

    def old(key: str) -> str:
        return WRONG if key == RIGHT else key

    with zipfile.ZipFile(exported) as source, \
            PackageWriter(out, package_id=manifest.package_id, recipients=[]) as writer:
        for name in source.namelist():
            if name in (MANIFEST, SIGNATURE, CATALOG):
                continue
            writer.add_bytes(name, source.read(name).replace(RIGHT.encode(), WRONG.encode()))
        writer.add_bytes(CATALOG, canonical_bytes(document))
        writer.finish(dataclasses.replace(
            manifest, recipient_unit=old(manifest.recipient_unit), catalog_version=2,
            nodes=tuple(dataclasses.replace(n, unit=old(n.unit)) for n in manifest.nodes)),
            local_keys(province))
    return out


@pytest.fixture
def old_parents_package(tmp_path):
    with zipfile.ZipFile(FIXTURE) as archive:
        archive.extractall(tmp_path / "old")
    province = workspaces.open_workspace(tmp_path / "old" / "parent")
    commune = workspaces.open_workspace(tmp_path / "old" / "commune")
    assert commune.installation().unit_id == RIGHT  # upgraded, the province too
    exported = sync.export_package(province, tmp_path / "down", to=RIGHT, encrypt=False).path
    package = _as_old_parent_sends(province, exported, tmp_path / "old-parent.ctsync",
                                   _old_catalog(tmp_path))
    province.dispose()
    yield commune, package
    commune.dispose()


def test_the_old_parents_catalog_is_checked_and_kept_with_the_corrected_keys(
        old_parents_package):
    commune, package = old_parents_package
    kept = commune.folder / "catalog" / "2"
    for path in kept.iterdir():  # this commune had not kept the old parent's catalog yet
        path.unlink()
    (outcome,) = sync.import_packages(commune, [package]).files
    assert outcome.outcome == "applied", outcome.message
    units = (kept / "units.csv").read_text(encoding="utf-8")
    successions = (kept / "unit-successions.csv").read_text(encoding="utf-8")
    assert f"{RIGHT},23497,Kon Braih,commune,{PROVINCE}" in units
    assert WRONG not in units and WRONG not in successions
    assert f"23488,{RIGHT},2025-07-01" in successions
    assert json.loads((kept / "manifest.json").read_text(encoding="utf-8"))[
        "catalog_version"] == 2
    # the newer (shipped) catalog stays loaded
    assert catalog.loaded_version(commune) == catalog.shipped_catalog_version() >= 3
    assert catalog.get_unit(commune, RIGHT).name == "Kon Braih"


def test_the_mapping_reads_only_what_a_catalog_names():
    corrections = {WRONG: RIGHT}
    document = {"manifest": {"catalog_version": 2}, "files": {
        "units.csv": "id,code,name\n23494,23494,Đắk Tờ Re\n"
                     f"{WRONG},23494,Kon Braih\n",
        "programs.json": json.dumps({"units": [WRONG, "23494"], WRONG: 1}),
        "ntm-criteria.csv": "no,name\n1,Quy hoạch\n"}}
    mapped = catalog.map_catalog_keys(document, corrections)
    assert mapped["files"]["units.csv"] == ("id,code,name\n23494,23494,Đắk Tờ Re\n"
                                            f"{RIGHT},23497,Kon Braih\n")
    assert json.loads(mapped["files"]["programs.json"]) == {"units": [RIGHT, "23494"],
                                                            RIGHT: 1}
    assert mapped["files"]["ntm-criteria.csv"] is document["files"]["ntm-criteria.csv"]
    assert catalog.map_catalog_keys(document, {}) is document
    # a catalog with the corrections (version 3) lists the wrong keys on purpose
    shipped = catalog.pack(catalog.shipped_catalog_dir())
    assert WRONG in shipped["files"]["unit-key-corrections-2025.csv"]
    assert catalog.map_catalog_keys(shipped, corrections) is shipped
    assert catalog.map_catalog_keys("not a catalog", corrections) == "not a catalog"
