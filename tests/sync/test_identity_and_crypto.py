"""Installation keys (files, permissions, fingerprints) and the sealing of package entries:
everything that is altered, reordered, cut short or meant for someone else fails to open."""

from __future__ import annotations

import io
import os
import stat
import uuid

import pytest
from sqlalchemy import text

from ctmtqg_desktop.services.sync import _nodes as sync_nodes
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.models.identity import Node
from ctmtqg_desktop.sync import crypto
from ctmtqg_desktop.sync.errors import KeysMissing
from ctmtqg_desktop.sync.identity import KEY_FILE, NodeKeys, fingerprint


def test_keys_are_written_owner_only_and_read_back(tmp_path):
    node = uuid.uuid4()
    keys = NodeKeys.generate(node)
    path = keys.save(tmp_path / "keys")
    loaded = NodeKeys.load(tmp_path / "keys", node)
    assert loaded.public == keys.public
    assert loaded.public.verify(keys.sign(b"bien ban"), b"bien ban")
    assert not loaded.public.verify(keys.sign(b"bien ban"), b"bien ban sua")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert list((tmp_path / "keys").iterdir()) == [path]  # no temporary file left
    with pytest.raises(KeysMissing):
        NodeKeys.load(tmp_path / "keys", uuid.uuid4())  # keys of another installation


def test_fingerprints_are_24_digits_in_groups_and_follow_both_keys():
    a, b = NodeKeys.generate(uuid.uuid4()), NodeKeys.generate(uuid.uuid4())
    shown = a.public.fingerprint
    groups = shown.split(" ")
    assert len(groups) == 6 and all(len(g) == 4 and g.isdigit() for g in groups)
    assert shown == fingerprint(a.public.sign_key, a.public.box_key)
    assert shown != b.public.fingerprint
    assert shown != fingerprint(a.public.sign_key, b.public.box_key)


def test_setting_up_a_workspace_makes_its_keys(new_workspace):
    workspace = new_workspace()
    info = workspace.installation()
    keys = NodeKeys.load(workspace.keys_dir, info.node_id)
    local = sync_nodes.local_node(workspace)
    assert local.status == "local" and local.fingerprint == keys.public.fingerprint
    (workspace.keys_dir / KEY_FILE).unlink()
    with pytest.raises(KeysMissing) as caught:
        sync_nodes.local_keys(workspace)
    assert "Hãy khôi phục thư mục “keys”" in str(caught.value)


def test_a_workspace_from_before_sync_gets_keys_when_first_needed(new_workspace):
    workspace = new_workspace()
    node_id = workspace.installation().node_id
    (workspace.keys_dir / KEY_FILE).unlink()
    with workspace.engine.begin() as connection:  # as revision 0005 left the node row
        connection.execute(text("UPDATE node SET sign_public_key = NULL, "
                                "box_public_key = NULL, fingerprint = NULL"))
    keys = sync_nodes.local_keys(workspace)
    with workspace.session_factory() as session:
        assert session.get(Node, node_id).fingerprint == keys.public.fingerprint


def test_the_migration_marks_the_installation_node_as_local(tmp_path, database_url_for):
    from ctmtqg_desktop.store.workspace import Workspace

    workspace = Workspace(tmp_path / "old", database_url_for())
    workspace.create_folders()
    schema.migrate(workspace, "0005_audience")
    node = uuid.uuid4()
    with workspace.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO node (id, unit_id, label, is_local, created_at) VALUES "
            "(:id, '23524', '', :yes, '2023-01-02 00:00:00')"),
            {"id": node.hex if workspace.uses_sqlite else node, "yes": True})
    schema.migrate(workspace)
    with workspace.engine.connect() as connection:
        status = connection.execute(text("SELECT status FROM node")).scalar()
    assert status == "local"
    workspace.dispose()


# ---------------------------------------------------------------------------- sealing
def _seal(data: bytes, key: bytes) -> bytes:
    sink = io.BytesIO()
    writer = crypto.SealingWriter(sink, key)
    for start in range(0, len(data), 7000):
        writer.write(data[start:start + 7000])
    writer.close()
    return sink.getvalue()


def _open(sealed: bytes, key: bytes, limit: int = 10**9) -> bytes:
    return crypto.OpeningReader(io.BytesIO(sealed), key, limit=limit).read()


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK - 1, crypto.CHUNK, crypto.CHUNK + 1,
                                  3 * crypto.CHUNK + 5])
def test_sealed_entries_open_to_the_same_bytes(size):
    key = os.urandom(32)
    data = os.urandom(size // 2) + b"thon lang " * (size // 20)
    sealed = _seal(data, key)
    assert _open(sealed, key) == data
    reader = crypto.OpeningReader(io.BytesIO(sealed), key, limit=10**9)
    pieces = iter(lambda: reader.read(1000), b"")
    assert b"".join(pieces) == data


def test_altered_reordered_or_truncated_entries_do_not_open():
    key = os.urandom(32)
    sealed = _seal(os.urandom(3 * crypto.CHUNK), key)  # incompressible: four chunks
    chunks = [sealed[i:i + crypto.SEALED_CHUNK]
              for i in range(0, len(sealed), crypto.SEALED_CHUNK)]
    assert len(chunks) >= 3
    flipped = bytearray(sealed)
    flipped[100] ^= 1
    for damaged in (bytes(flipped), b"".join(chunks[:-1]),  # last chunk dropped
                    b"".join([chunks[1], chunks[0], *chunks[2:]]),  # two chunks swapped
                    b"".join(chunks[:-1]) + chunks[-1][:-1]):  # one byte short
        with pytest.raises(crypto.OpenFailed):
            _open(damaged, key)
    with pytest.raises(crypto.OpenFailed):
        _open(sealed, os.urandom(32))


def test_a_sealed_entry_larger_than_allowed_stops_unpacking():
    key = os.urandom(32)
    sealed = _seal(b"\0" * (5 * 1024 * 1024), key)  # a tiny bomb: compresses 1000 times
    with pytest.raises(crypto.PlaintextTooLarge):
        _open(sealed, key, limit=1024 * 1024)


def test_the_content_key_opens_only_for_its_recipient_and_package():
    recipient, other = NodeKeys.generate(uuid.uuid4()), NodeKeys.generate(uuid.uuid4())
    content, ephemeral = crypto.new_content_key(), crypto.new_ephemeral()
    package = uuid.uuid4().bytes
    wrapped = crypto.wrap_key(content, ephemeral, recipient.public.box_key, package)
    public = crypto.public_bytes(ephemeral)
    assert crypto.unwrap_key(wrapped, public, recipient.box_private, package) == content
    with pytest.raises(crypto.OpenFailed):
        crypto.unwrap_key(wrapped, public, other.box_private, package)
    with pytest.raises(crypto.OpenFailed):
        crypto.unwrap_key(wrapped, public, recipient.box_private, uuid.uuid4().bytes)
    names = {crypto.entry_key(content, package, n) for n in ("changes.jsonl", "catalog.json")}
    assert len(names) == 2  # every entry has its own key
