import pytest

from ctmtqg_desktop.domain.errors import AttachmentMissing, AttachmentTooLarge
from ctmtqg_desktop.store.attachments import AttachmentStore


def test_files_are_stored_once_by_content_and_verified(tmp_path):
    store = AttachmentStore(tmp_path / "attachments", limit_bytes=1000)
    scan = tmp_path / "biên bản họp thôn.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    first = store.add_file(scan)
    again = store.add_bytes(b"%PDF-1.4 scan", name="copy.pdf")
    assert first.digest == again.digest and store.has(first.digest)
    assert first.media_type == "application/pdf" and first.original_name == scan.name
    assert len(list((tmp_path / "attachments").rglob("*"))) == 2  # one folder, one file
    assert store.verify(first.digest)
    store.path_for(first.digest).write_bytes(b"tampered")
    assert not store.verify(first.digest)


def test_a_file_over_the_limit_is_refused_with_a_clear_message(tmp_path):
    store = AttachmentStore(tmp_path / "a", limit_bytes=10)
    big = tmp_path / "ảnh chụp.jpg"
    big.write_bytes(b"x" * 11)
    with pytest.raises(AttachmentTooLarge) as caught:
        store.add_file(big)
    assert "ảnh chụp.jpg" in str(caught.value) and "tối đa 10 byte" in str(caught.value)
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").rglob("*.jpg"))


def test_missing_or_malformed_digests_are_reported(tmp_path):
    store = AttachmentStore(tmp_path / "a", limit_bytes=10)
    with pytest.raises(AttachmentMissing):
        store.open("0" * 64)
    with pytest.raises(AttachmentMissing):
        store.path_for("../../etc/passwd")
