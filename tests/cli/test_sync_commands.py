"""``ctmtqg enroll``, ``workspace init --from-enrollment`` and ``ctmtqg sync …``: the flow a
district and a commune follow on the command line, and the exit codes."""

from __future__ import annotations

import pytest

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.domain.formats import format_number


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def db(url):
    return ["--database-url", url] if url else []


@pytest.fixture
def district_and_commune(tmp_path, capsys, database_url_for):
    district, commune = tmp_path / "huyen", tmp_path / "xa"
    code, out, err = run(capsys, "workspace", "init", "--unit", "615@2023-06-01",
                         "--role", "parent", "--name", "Phòng TC-KH", "--workspace", district,
                         *db(database_url_for()))
    assert code == 0, err
    code, out, err = run(capsys, "enroll", "23524", "--out", tmp_path / "dak-la.ctenroll",
                         "--workspace", district)
    assert code == 0, err
    assert "Đọc mã xác minh này cho xã qua điện thoại" in out
    fingerprint = out.rsplit(": ", 1)[1].strip()
    code, out, err = run(capsys, "workspace", "init", "--from-enrollment",
                         tmp_path / "dak-la.ctenroll", "--name", "Y Thị Hoa",
                         "--workspace", commune, *db(database_url_for()))
    assert code == 0, err
    assert "Xã Đắk La" in out and fingerprint in out
    return district, commune


def test_export_import_status_and_history(district_and_commune, tmp_path, capsys):
    district, commune = district_and_commune
    assert run(capsys, "demo", "--year", "2023", "--workspace", commune)[0] == 0
    code, out, err = run(capsys, "sync", "export", "--out", tmp_path / "usb",
                         "--workspace", commune)
    assert code == 0, err
    from ctmtqg_desktop.services.workspaces import Workspace

    journalled = own_changes(Workspace(commune))  # the whole demo, every area
    assert f"Gói số 1 gửi Huyện Đắk Hà: {format_number(journalled)} thay đổi" in out
    assert "Đã mã hóa cho bên nhận" in out
    assert "Thôn, làng: 12 mới, 0 sửa, 0 xóa" in out
    package = out.strip().splitlines()[-1]
    assert package.endswith(".ctsync")

    code, out, err = run(capsys, "sync", "import", package, "--workspace", district)
    assert code == 0, err
    assert "ĐÃ ÁP DỤNG" in out and "1/1 tệp" in out
    code, out, _ = run(capsys, "sync", "import", package, "--workspace", district)
    assert code == 0 and "ĐÃ ÁP DỤNG TRƯỚC ĐÓ" in out  # a replay is fine

    code, out, err = run(capsys, "sync", "export", "--out", tmp_path / "usb", "--to", "23524",
                         "--workspace", district)
    assert code == 0, err
    assert "1 biên nhận" in out
    down = out.strip().splitlines()[-1]
    assert run(capsys, "sync", "import", down, "--workspace", commune)[0] == 0
    code, out, _ = run(capsys, "sync", "status", "--workspace", commune)
    assert code == 0
    assert "Huyện Đắk Hà (đơn vị cấp trên)" in out
    assert "Đã xác nhận các thay đổi của đơn vị mình đến số" in out
    code, out, _ = run(capsys, "sync", "history", "--workspace", district)
    assert code == 0 and "đã áp dụng" in out and "đã cấp" in out
    code, out, _ = run(capsys, "sync", "nodes", "--workspace", district)
    assert code == 0 and "Y Thị Hoa" in out and "tin cậy" in out
    code, out, _ = run(capsys, "sync", "conflicts", "--workspace", district)
    assert code == 0 and "Chưa có giá trị nào bị ghi đè" in out
    assert run(capsys, "check", "--workspace", district)[0] == 0


def test_import_exits_1_when_any_file_is_not_applied(district_and_commune, tmp_path, capsys):
    district, commune = district_and_commune
    code, out, _ = run(capsys, "sync", "export", "--out", tmp_path / "usb",
                       "--workspace", commune)
    good = out.strip().splitlines()[-1]
    bad = tmp_path / "usb" / "hong.ctsync"
    bad.write_bytes(b"PK\x03\x04 broken")
    code, out, err = run(capsys, "sync", "import", good, bad, "--workspace", district)
    assert code == 1
    assert "ĐÃ ÁP DỤNG" in out and "BỊ TỪ CHỐI" in out
    assert "không phải gói đồng bộ" in out and "1/2 tệp" in out
    assert "Traceback" not in out + err
    code, out, _ = run(capsys, "sync", "history", "--workspace", district)
    assert "hong.ctsync" in out and "bị từ chối" in out


def test_a_quarantined_installation_is_accepted_on_the_command_line(tmp_path, capsys,
                                                                     database_url_for):
    district, commune = tmp_path / "huyen", tmp_path / "xa"
    assert run(capsys, "workspace", "init", "--unit", "615@2023-06-01", "--role", "parent",
               "--workspace", district, *db(database_url_for()))[0] == 0
    assert run(capsys, "demo", "--year", "2023", "--workspace", commune,
               *db(database_url_for()))[0] == 0
    # households and no key for the district: refused with the reason (issue 12) ...
    code, out, err = run(capsys, "sync", "export", "--out", tmp_path / "usb",
                         "--workspace", commune)
    assert code == 1 and "không mã hóa được" in err and "--no-encryption" in err
    # ... until the officer asks for it
    code, out, _ = run(capsys, "sync", "export", "--out", tmp_path / "usb",
                       "--workspace", commune, "--no-encryption")
    assert "Không mã hóa" in out
    package = out.strip().splitlines()[-1]
    code, out, _ = run(capsys, "sync", "import", package, "--workspace", district)
    assert code == 1 and "CÁCH LY" in out
    code, out, _ = run(capsys, "sync", "status", "--workspace", district)
    assert "Các máy đang chờ đối chiếu mã xác minh" in out
    code, commune_status, _ = run(capsys, "sync", "status", "--workspace", commune)
    fingerprint = commune_status.splitlines()[1].split(": ", 1)[1]
    code, out, err = run(capsys, "sync", "accept", fingerprint, "--workspace", district)
    assert code == 0, err
    assert "đã được tin cậy" in out and "đã áp dụng" in out


@pytest.mark.parametrize("args, expected, exit_code", [
    # a commune cannot enroll anyone: refused work (1)
    (["enroll", "23524", "--out", "{tmp}/x.ctenroll"], "Chỉ dữ liệu của đơn vị cấp trên", 1),
    # a recipient that is neither parent nor child: a bad argument (2)
    (["sync", "export", "--out", "{tmp}/usb", "--to", "23530@2023-06-01"],
     "không phải đơn vị cấp trên", 2),
    # no installation has that fingerprint: refused work (1)
    (["sync", "accept", "0000"], "Không có máy nào khớp", 1),
])
def test_refused_commands_explain_why(tmp_path, capsys, args, expected, exit_code):
    folder = tmp_path / "xa"
    assert run(capsys, "workspace", "init", "--unit", "23524@2023-06-01",
               "--workspace", folder)[0] == 0
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in args],
                         "--workspace", folder)
    assert code == exit_code and expected in err and "Traceback" not in err
    assert not (tmp_path / "x.ctenroll").exists() and not (tmp_path / "usb").exists()


def test_init_takes_a_unit_or_an_enrollment_file_not_both(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["workspace", "init", "--unit", "23524@2023-06-01", "--from-enrollment", "x.ctenroll",
              "--workspace", str(tmp_path / "w")])
    assert caught.value.code == 2
    code, _out, err = run(capsys, "workspace", "init", "--from-enrollment",
                          tmp_path / "missing.ctenroll", "--workspace", tmp_path / "w")
    assert code == 1 and "không phải tệp đăng ký hợp lệ" in err


def own_changes(workspace) -> int:
    """The journal entries of the commune's own records (what goes up to the district; the
    district's answer in the demo is the district's record and does not go back)."""
    from sqlalchemy import func, select

    from ctmtqg_desktop.store.models.journal import ChangeJournalEntry

    with workspace.session_factory() as session:
        return session.execute(select(func.count()).select_from(ChangeJournalEntry).where(
            ChangeJournalEntry.owner_unit_id == workspace.installation().unit_id)).scalar()


def test_export_to_all_children_writes_one_package_each(tmp_path, capsys, database_url_for):
    district = tmp_path / "huyen"
    assert run(capsys, "workspace", "init", "--unit", "615@2023-06-01", "--role", "parent",
               "--name", "Phòng TC-KH", "--workspace", district,
               *db(database_url_for()))[0] == 0
    code, out, err = run(capsys, "sync", "export", "--all-children", "--out", tmp_path / "usb",
                         "--workspace", district)
    assert code == 1 and "Chưa cấp tệp đăng ký cho đơn vị cấp dưới nào" in err
    assert not (tmp_path / "usb").exists()
    for child in ("23524", "23503"):
        assert run(capsys, "enroll", child, "--out", tmp_path / f"{child}.ctenroll",
                   "--workspace", district)[0] == 0
    code, out, err = run(capsys, "sync", "export", "--all-children", "--out", tmp_path / "usb",
                         "--workspace", district)
    assert code == 0, err
    packages = sorted((tmp_path / "usb").glob("*.ctsync"))
    assert len(packages) == 2
    assert "Xã Đắk La" in out and "Xã Đắk PXi" in out
    assert "2 trên 2 đơn vị cấp dưới đã có gói" in out
    with pytest.raises(SystemExit) as refused:
        main(["sync", "export", "--all-children", "--to", "23524", "--out",
              str(tmp_path / "usb"), "--workspace", str(district)])
    assert refused.value.code == 2
    assert "không dùng được cùng với --all-children" in capsys.readouterr().err
