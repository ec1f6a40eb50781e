#!/usr/bin/env python3
"""Read a CTMTQG sync package (.ctsync) without the application: a reference for other
systems (a province server, the national NTP database's importer). Needs only the standard
library and the ``cryptography`` package. Follows docs/sync-format.md step by step.

    python read_ctsync.py PACKAGE --sender-key SIGN_KEY_B64
                          [--node NODE_UUID --box-private BOX_PRIVATE_KEY_B64]

``--sender-key`` is the sender's Ed25519 public key as this system knows it (never take it
from the package you are checking). ``--node``/``--box-private`` are the receiving
installation's id and X25519 private key, needed only for an encrypted package.
Prints the manifest's summary and one JSON line per change; exits 1 on any failure.
"""

import argparse
import base64
import hashlib
import io
import json
import re
import sys
import uuid
import zipfile
import zlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALLOWED = re.compile(r"^(manifest\.json|manifest\.sig|changes\.jsonl|catalog\.json|"
                     r"references\.json|attachment-[0-9a-f]{64})$")
CHUNK = 64 * 1024


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("package")
    parser.add_argument("--sender-key", required=True)
    parser.add_argument("--node")
    parser.add_argument("--box-private")
    args = parser.parse_args()

    archive = zipfile.ZipFile(args.package)
    # 1. ZIP safety: a flat allow-list, no duplicates, only stored or deflated files
    names = [info.filename for info in archive.infolist()]
    if len(names) != len(set(names)) or not all(ALLOWED.match(n) for n in names):
        sys.exit("unexpected or duplicate entries")
    for info in archive.infolist():
        is_link = (info.external_attr >> 28) == 0xA  # Unix mode S_IFLNK
        if info.flag_bits & 1 or info.compress_type not in (0, 8) or is_link:
            sys.exit("unsupported entry " + info.filename)

    # 2. the signature over "CTSYNC1\n" + the manifest bytes
    manifest_bytes = archive.read("manifest.json")
    signature = archive.read("manifest.sig")
    Ed25519PublicKey.from_public_bytes(base64.b64decode(args.sender_key)).verify(
        signature, b"CTSYNC1\n" + manifest_bytes)  # raises InvalidSignature
    manifest = json.loads(manifest_bytes)
    if manifest["format"] != "ctmtqg-sync-package" or manifest["format_version"] != 1:
        sys.exit("another format")
    known = {"changes/1", "attachments/1", "catalog/1", "encryption/1", "references/1"}
    if set(manifest["requires"]) - known:
        sys.exit("needs capabilities " + ", ".join(set(manifest["requires"]) - known))

    # 3. every entry has exactly the size and SHA-256 the manifest gives
    declared = manifest["entries"]
    if set(declared) != set(names) - {"manifest.json", "manifest.sig"}:
        sys.exit("entries do not match the manifest")
    for name, entry in declared.items():
        data = archive.read(name)
        if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            sys.exit("damaged entry " + name)

    # 4. decryption: unwrap the content key, derive the entry key, open the chunks
    package_id = uuid.UUID(manifest["package_id"]).bytes

    def plaintext(name):
        data = archive.read(name)
        encryption = manifest["encryption"]
        if encryption is None:
            return data
        own = X25519PrivateKey.from_private_bytes(base64.b64decode(args.box_private))
        own_public = own.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        ephemeral = base64.b64decode(encryption["ephemeral_key"])
        slot = next(r for r in encryption["recipients"] if r["node"] == args.node)
        shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        kek = hkdf(shared, ephemeral + own_public, b"ctsync/1 key-wrap" + package_id)
        content_key = ChaCha20Poly1305(kek).decrypt(
            bytes(12), base64.b64decode(slot["wrapped_key"]), package_id)
        key = hkdf(content_key, package_id, b"ctsync/1 entry " + name.encode())
        aead, compressed = ChaCha20Poly1305(key), b""
        sealed = [data[i:i + CHUNK + 16] for i in range(0, len(data), CHUNK + 16)]
        for counter, chunk in enumerate(sealed):
            last = b"\x01" if counter == len(sealed) - 1 else b"\x00"
            compressed += aead.decrypt(counter.to_bytes(11, "big") + last, chunk, None)
        return zlib.decompress(compressed)

    # 5. the changes, one JSON object per line
    changes = plaintext("changes.jsonl")
    lines = [json.loads(line) for line in io.BytesIO(changes)]
    if len(lines) != declared["changes.jsonl"]["lines"]:
        sys.exit("line count differs")
    totals = {}
    for line in lines:
        table = totals.setdefault(line["table"], {"insert": 0, "update": 0, "delete": 0})
        table[line["op"]] += 1
    for table, counts in totals.items():
        wanted = manifest["tables"][table]
        if any(counts[op] != wanted[op] for op in counts):
            sys.exit("totals differ for " + table)
    print(json.dumps({"package": manifest["package_id"], "number": manifest["number"],
                      "from": manifest["sender"]["unit"], "to": manifest["recipient"]["unit"],
                      "sequence": manifest["sequence"], "totals": totals}, sort_keys=True))
    for line in lines:
        print(json.dumps(line, sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":
    main()
