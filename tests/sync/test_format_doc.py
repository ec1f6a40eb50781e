"""docs/sync-format.md is enough to read a package: the standalone reader written from it
(docs/read_ctsync.py, standard library + cryptography only) opens real packages, encrypted
or not, finds the same changes, and refuses an altered one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ctmtqg_desktop.services import attachments, villages
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.sync.identity import b64
from tests.sync.conftest import COMMUNE_A
from tests.sync.forge import keys_of

READER = Path(__file__).resolve().parents[2] / "docs" / "read_ctsync.py"


def _read(package, *extra):
    return subprocess.run([sys.executable, str(READER), str(package), *extra],
                          capture_output=True, text=True, timeout=120)


def test_the_documented_reader_opens_real_packages(network, tmp_path):
    parent = network.parent()
    commune = network.enroll(parent, COMMUNE_A)
    village = villages.save_village(commune, name="Thôn Kon Mong Tu", households=120)
    villages.save_village(commune, name="Thôn Kon Mong Tu", households=125,
                          village_id=village.id)
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8" + bytes(range(256)) * 300)
    attachments.attach_file(commune, scan, parent_table="village", parent_id=village.id)
    sender = keys_of(commune).public.sign_key_b64
    receiver = keys_of(parent)
    receiver_args = ["--node", str(receiver.node_id),
                     "--box-private", b64(receiver.box_private.private_bytes_raw())]

    for encrypt in (True, False):
        result = sync_export.export_package(commune, tmp_path / str(encrypt), encrypt=encrypt)
        assert result.encrypted is encrypt
        run = _read(result.path, "--sender-key", sender, *receiver_args)
        assert run.returncode == 0, run.stderr
        summary, *lines = [json.loads(line) for line in run.stdout.splitlines()]
        assert summary["from"] == COMMUNE_A and summary["to"] == "615"
        assert summary["totals"] == {"village": {"insert": 1, "update": 1, "delete": 0},
                                     "attachment": {"insert": 1, "update": 0, "delete": 0}}
        assert [line["record"].get("households") for line in lines[:2]] == [120, 125]
        assert lines[1]["base"] == lines[0]["record"]["version"]

    other = keys_of(network.parent()).public.sign_key_b64
    assert _read(result.path, "--sender-key", other).returncode != 0  # not its signature
    damaged = tmp_path / "damaged.ctsync"
    data = bytearray(result.path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert _read(damaged, "--sender-key", sender).returncode != 0


def test_every_trust_rule_of_the_format_names_a_test_that_exists():
    """The "who may write what" and "strict parsing" tables of docs/sync-format.md: each
    row names a test, and that test is in its file."""
    import re

    root = READER.parents[1]
    text = (root / "docs" / "sync-format.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines()
            if line.startswith("| ") and "tests/" in line]
    assert len(rows) >= 15
    for row in rows:
        for path, name in re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", row):
            source = (root / path).read_text(encoding="utf-8")
            assert f"def {name}(" in source, f"{path}::{name} named in the format"
