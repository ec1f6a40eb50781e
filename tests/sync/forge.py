"""Build altered packages for tests: take a real (unencrypted) package apart, change its
manifest or lines, and put it back together, re-signed with a chosen installation's key."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from ctmtqg_desktop.store.workspace import Workspace
from ctmtqg_desktop.sync.identity import NodeKeys
from ctmtqg_desktop.sync.package_format import (
    CHANGES,
    MANIFEST,
    SIGNATURE,
    SIGNATURE_CONTEXT,
    canonical_bytes,
)


def keys_of(workspace: Workspace) -> NodeKeys:
    return NodeKeys.load(workspace.keys_dir, workspace.installation().node_id)


def take_apart(path: Path) -> tuple[dict, list[dict], dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        lines = [json.loads(line) for line in archive.read(CHANGES).splitlines() if line]
        others = {name: archive.read(name) for name in archive.namelist()
                  if name not in (MANIFEST, SIGNATURE, CHANGES)}
    return manifest, lines, others


def changes_bytes(lines: list[dict]) -> bytes:
    return b"".join(canonical_bytes(line) + b"\n" for line in lines)


def describe(manifest: dict, name: str, data: bytes, **extra) -> None:
    manifest["entries"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                 **extra}


def write_package(target: Path, manifest: dict, signer: NodeKeys | None,
                  entries: list[tuple[str, bytes]], *, signature: bytes | None = None,
                  manifest_bytes: bytes | None = None) -> Path:
    body = manifest_bytes if manifest_bytes is not None else canonical_bytes(manifest)
    if signature is None:
        signature = signer.sign(SIGNATURE_CONTEXT + body) if signer else b"\0" * 64
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
        archive.writestr(MANIFEST, body)
        archive.writestr(SIGNATURE, signature)
    return target


def rebuild(source: Path, target: Path, signer_workspace: Workspace | None, *, edit=None,
            signer: NodeKeys | None = None, recount: bool = True) -> Path:
    """``edit(manifest, lines) -> (manifest, lines)``; sizes, hashes and (with ``recount``)
    per-table totals are recomputed unless the edit is about them."""
    manifest, lines, others = take_apart(source)
    if edit is not None:
        manifest, lines = edit(manifest, lines)
    data = changes_bytes(lines)
    if recount:
        totals: dict[str, dict[str, int]] = {}
        for line in lines:
            ops = totals.setdefault(line["table"], {"insert": 0, "update": 0, "delete": 0})
            ops[line["op"]] += 1
        for table, ops in totals.items():
            columns = manifest["tables"].get(table, {}).get("columns", {})
            manifest["tables"][table] = {**ops, "columns": columns}
        for table in list(manifest["tables"]):
            if table not in totals:
                del manifest["tables"][table]
        describe(manifest, CHANGES, data, lines=len(lines))
    else:
        describe(manifest, CHANGES, data, lines=manifest["entries"][CHANGES].get("lines"))
    for name, content in others.items():
        describe(manifest, name, content)
    keys = signer or (keys_of(signer_workspace) if signer_workspace else None)
    return write_package(target, manifest, keys,
                         [(CHANGES, data)] + sorted(others.items()))
