"""The reference catalog as it travels down: in enrollment files and in packages.

A catalog update is the same folder that ``resources/catalog`` is (``manifest.json`` naming
its files); on the way it is one JSON document ``{"manifest": {...}, "files": {name:
text}}``. The receiving workspace checks it with the catalog's own reader, loads it if it
is newer, and keeps a copy in ``catalog/<version>/`` so that a parent can pass it on.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import CatalogInvalid
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.catalog._loading import (
    CatalogData,
    install_catalog,
    loaded_catalog_version,
    read_catalog,
    shipped_catalog_dir,
    shipped_catalog_version,
)
from ctmtqg_desktop.store.atomic_files import write_text_atomic
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.errors import BadCatalog

_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")
KEPT_FOLDER = "catalog"


def loaded_version(workspace: Workspace) -> int:
    with UnitOfWork.read(workspace) as session:
        return loaded_catalog_version(session)


def source_folder(workspace: Workspace, version: int) -> Path | None:
    """Where the files of the loaded catalog are: shipped, or kept from an update."""
    if version == shipped_catalog_version():
        return shipped_catalog_dir()
    kept = workspace.folder / KEPT_FOLDER / str(version)
    return kept if (kept / "manifest.json").is_file() else None


def pack(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = {name: (folder / name).read_text(encoding="utf-8")
             for name in sorted(set((manifest.get("files") or {}).values()))}
    return {"manifest": manifest, "files": files}


def unpack(document: object) -> CatalogData:
    """Check a travelling catalog with the catalog reader; raise ``BadCatalog``."""
    if not isinstance(document, dict) or not isinstance(document.get("manifest"), dict) or \
            not isinstance(document.get("files"), dict):
        raise BadCatalog(detail=_("the catalog has no manifest or files"))
    files = document["files"]
    for name, text in files.items():
        if not isinstance(name, str) or not _FILE_NAME.match(name) or name == "manifest.json" \
                or not isinstance(text, str):
            raise BadCatalog(detail=_("unsafe file name “{name}”").format(name=str(name)[:80]))
    with tempfile.TemporaryDirectory(prefix="ctmtqg-catalog-") as temp:
        folder = Path(temp)
        (folder / "manifest.json").write_text(json.dumps(document["manifest"]),
                                              encoding="utf-8")
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        try:
            return read_catalog(folder)
        except CatalogInvalid as error:
            raise BadCatalog(detail=str(error)) from error
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise BadCatalog(detail=_("unreadable content")) from error


def map_catalog_keys(document: Any, corrections: dict[str, str]) -> Any:
    """A catalog update from a parent that has not upgraded yet, read with the corrected
    unit keys (``unit-key-corrections-2025.csv``: ``23494@2025-07-01`` → ``23497@2025-07-01``
    for Kon Braih), as :meth:`PackageReader.map_unit_keys` reads the rest of its package:
    every cell of a CSV file and every string of a JSON file that is a wrong key becomes
    the right key (a unit's ``code`` follows its ``id``), before the catalog is checked
    (:func:`unpack`, the receiver's place in the tree) and kept for the children. A file
    with no wrong key is left byte for byte as sent; the package's hashes and signature
    were checked on the bytes as sent. Anything not shaped like a catalog is returned as
    it is, for :func:`unpack` to refuse. A catalog that ships the corrections (version 3 on)
    is keyed right already and names the wrong keys on purpose: it is left as sent."""
    if not corrections or not isinstance(document, dict) or \
            not isinstance(document.get("files"), dict) or \
            not isinstance(document.get("manifest"), dict) or \
            "unit_key_corrections" in (document["manifest"].get("files") or {}):
        return document
    files = {name: _mapped_file(name, text, corrections) if isinstance(name, str)
             and isinstance(text, str) else text
             for name, text in document["files"].items()}
    return {**document, "files": files}


def _mapped_file(name: str, text: str, corrections: dict[str, str]) -> str:
    if not any(wrong in text for wrong in corrections):
        return text
    if name.endswith(".json"):
        try:
            return json.dumps(_mapped_json(json.loads(text), corrections),
                              ensure_ascii=False, indent=1) + "\n"
        except (json.JSONDecodeError, RecursionError):
            return text  # unpack says what is wrong with it
    if name.endswith(".csv"):
        return _mapped_csv(text, corrections)
    return text


def _mapped_json(value: Any, corrections: dict[str, str]) -> Any:
    if isinstance(value, str):
        return corrections.get(value, value)
    if isinstance(value, list):
        return [_mapped_json(item, corrections) for item in value]
    if isinstance(value, dict):
        return {corrections.get(key, key): _mapped_json(item, corrections)
                for key, item in value.items()}
    return value


def _mapped_csv(text: str, corrections: dict[str, str]) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return text
    header = rows[0]
    code = header.index("code") if "id" in header and "code" in header else None
    ident = header.index("id") if code is not None else None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows[1:]:
        mapped = [corrections.get(cell, cell) for cell in row]
        if ident is not None and code is not None and len(row) > max(ident, code) and \
                row[ident] in corrections:  # the unit's own code is the corrected key's
            mapped[code] = mapped[ident].split("@")[0]
        writer.writerow(mapped)
    return out.getvalue()


def kept_files(workspace: Workspace, document: dict[str, Any],
               version: int) -> list[tuple[Path, str]]:
    """``(path, text)`` of the files :func:`keep_copy` writes (none when kept already); the
    manifest last, so a folder with a manifest is complete."""
    target = workspace.folder / KEPT_FOLDER / str(version)
    if (target / "manifest.json").is_file():
        return []
    files = [(target / name, text) for name, text in document["files"].items()]
    files.append((target / "manifest.json",
                  json.dumps(document["manifest"], ensure_ascii=False, indent=1)))
    return files


def keep_copy(workspace: Workspace, document: dict, version: int) -> None:
    """Keep the files so this workspace can send the same catalog further down."""
    for path, text in kept_files(workspace, document, version):
        write_text_atomic(path, text)


def install_if_newer(session: Session, data: CatalogData) -> bool:
    if data.version <= loaded_catalog_version(session):
        return False
    install_catalog(session, data)
    session.flush()
    return True
