"""``ctmtqg backup create|list|restore`` on real workspaces, with folders named as users name
them, and folders that refuse writes for real: read-only, full (a small tmpfs as root, and a
file-size limit for any user), never a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.services import backups, workspaces
from ctmtqg_desktop.store import schema
from ctmtqg_desktop.store.workspace import Workspace
from tests.folders import full_folder, is_root, read_only_folder

VIETNAMESE = "Dữ liệu xã Đăk Hà"


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo_folder(tmp_path, capsys):
    folder = tmp_path / VIETNAMESE / "thư mục làm việc"
    assert run(capsys, "demo", "--year", "2023", "--workspace", folder)[0] == 0
    return folder


def test_create_list_and_restore_by_name(demo_folder, capsys, tmp_path):
    code, out, err = run(capsys, "backup", "create", "--workspace", demo_folder)
    assert code == 0, err
    assert "Đã sao lưu vào" in out and "tệp đính kèm" in out
    code, out, _ = run(capsys, "backup", "list", "--workspace", demo_folder)
    assert code == 0 and "do người dùng sao lưu" in out and schema.head_revision() in out
    (taken,) = backups.list_backups(demo_folder / "backups").backups
    code, out, err = run(capsys, "backup", "restore", taken.path.name, "--workspace",
                         demo_folder)
    assert code == 0, err
    assert "Đã khôi phục bản sao lưu" in out and "Dữ liệu toàn vẹn" in out
    code, out, _ = run(capsys, "backup", "create", "--daily", "--workspace", demo_folder)
    assert code == 0 and "Hôm nay đã có bản sao lưu" in out


def test_restore_from_the_command_line_after_the_database_was_damaged(demo_folder, capsys,
                                                                        tmp_path):
    usb = tmp_path / "USB Đăk Hà"
    assert run(capsys, "backup", "create", "--to", usb, "--workspace", demo_folder)[0] == 0
    workspace = Workspace(demo_folder)
    expected = workspaces.dump(workspace)
    workspace.dispose()
    connection = sqlite3.connect(demo_folder / "ctmtqg.sqlite3")  # all of it into the file
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    with open(demo_folder / "ctmtqg.sqlite3", "r+b") as handle:
        handle.write(b"\x00" * 4096)  # the header and the first page: SQLite gives up
    code, out, err = run(capsys, "check", "--workspace", demo_folder)
    assert code == 1 and "Cơ sở dữ liệu bị hỏng" in out and "Traceback" not in err
    (taken,) = usb.glob("*.ctbackup")
    code, out, err = run(capsys, "backup", "restore", taken, "--workspace", demo_folder)
    assert code == 0, err
    assert "Dữ liệu toàn vẹn" in out
    assert run(capsys, "check", "--workspace", demo_folder)[0] == 0
    workspace = Workspace(demo_folder)
    assert workspaces.dump(workspace) == expected
    workspace.dispose()


def test_a_damaged_or_foreign_file_is_a_sentence(demo_folder, capsys, tmp_path):
    other = tmp_path / "không phải sao lưu.ctbackup"
    other.write_text("xin chào", encoding="utf-8")
    code, out, err = run(capsys, "backup", "restore", other, "--workspace", demo_folder)
    assert code == 1 and "bị hỏng hoặc không đầy đủ" in err and "Traceback" not in err
    code, out, err = run(capsys, "backup", "list", "--from", tmp_path)
    assert code == 0 and "KHÔNG ĐỌC ĐƯỢC: không phải sao lưu.ctbackup" in out


def test_a_read_only_usb_stick_is_a_sentence(demo_folder, capsys, tmp_path):
    with read_only_folder(tmp_path / "USB khóa chống ghi") as locked:
        code, out, err = run(capsys, "backup", "create", "--to", locked, "--workspace",
                             demo_folder)
        assert code == 1
        assert "chỉ cho đọc" in err and "Traceback" not in err
        assert list(locked.iterdir()) == []


def test_a_full_usb_stick_is_a_sentence(demo_folder, capsys, tmp_path):
    if is_root():  # a real 256 KB filesystem: the kernel says ENOSPC
        with full_folder(tmp_path / "USB đầy", size="256k") as full:
            code, out, err = run(capsys, "backup", "create", "--to", full, "--workspace",
                                 demo_folder)
            assert code == 1 and "đã đầy" in err and "Traceback" not in err
            assert [p for p in full.iterdir()] == []
    # any user: the same command in a process whose files may not grow past 200 KB (EFBIG)
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
        "from ctmtqg_desktop.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    target = tmp_path / "USB nhỏ"
    result = subprocess.run(
        [sys.executable, "-c", script, "backup", "create", "--to", str(target), "--workspace",
         str(demo_folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "đã đầy" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in target.iterdir()] == []  # no half-written backup left
