"""``ctmtqg workspace init|info``, ``demo``, ``check``, ``dump`` on real databases."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from ctmtqg_desktop.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def db_args(url):
    return ["--database-url", url] if url else []


def test_init_demo_check_dump(tmp_path, capsys, database_url_for):
    folder = tmp_path / "ws"
    url = database_url_for()
    code, out, err = run(capsys, "demo", "--year", "2023", "--workspace", folder,
                         *db_args(url))
    assert code == 0, err
    assert "Xã Đắk La" in out
    code, out, _ = run(capsys, "workspace", "info", "--workspace", folder)
    assert code == 0 and "Đơn vị: Xã Đắk La, huyện Đắk Hà, tỉnh Kon Tum" in out
    assert "16/10/2023" in out
    code, out, _ = run(capsys, "check", "--workspace", folder)
    assert code == 0 and "Dữ liệu toàn vẹn" in out
    code, out, _ = run(capsys, "dump", "--workspace", folder, "--out", tmp_path / "d.json")
    assert code == 0
    dumped = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    names = {v["name"] for v in dumped["tables"]["village"]}
    assert "Làng Kon Mong Tu" in names and len(names) == 12


def test_the_same_demo_dumps_identically_on_sqlite_and_the_configured_database(
        tmp_path, capsys, database_url_for):
    dumps = []
    for name, url in (("a", None), ("b", database_url_for())):
        folder = tmp_path / name
        assert run(capsys, "demo", "--year", "2023", "--workspace", folder,
                   *db_args(url))[0] == 0
        out = tmp_path / f"{name}.json"
        assert run(capsys, "dump", "--workspace", folder, "--out", out)[0] == 0
        dumps.append((tmp_path / f"{name}.json").read_bytes())
    assert dumps[0] == dumps[1]


def test_init_refuses_an_ambiguous_code_and_leaves_nothing(tmp_path, capsys):
    folder = tmp_path / "new"
    code, out, err = run(capsys, "workspace", "init", "--workspace", folder, "--unit", "23500")
    assert code == 1
    assert "ứng với nhiều đơn vị" in err and "Traceback" not in err
    assert not folder.exists()
    code, out, err = run(capsys, "workspace", "init", "--workspace", folder,
                         "--unit", "23500@2025-08-01", "--name", "Lê Văn Bình")
    assert code == 0 and "Xã Đăk Hà, tỉnh Quảng Ngãi" in out


def test_init_refuses_a_role_that_does_not_fit_the_unit(tmp_path, capsys):
    code, _, err = run(capsys, "workspace", "init", "--workspace", tmp_path / "w",
                       "--unit", "615@2023-06-01", "--role", "commune")
    assert code == 2 and "vai trò" in err
    code, out, _ = run(capsys, "workspace", "init", "--workspace", tmp_path / "w",
                       "--unit", "615@2023-06-01", "--role", "parent")
    assert code == 0 and "Huyện Đắk Hà" in out


@pytest.mark.parametrize("args", [
    ["workspace", "init"],
    ["frobnicate"],
    ["dump"],
    ["demo", "--seed", "many"],
])
def test_bad_arguments_give_one_vietnamese_line_and_exit_2(tmp_path, capsys, args):
    with pytest.raises(SystemExit) as caught:
        main(args + ["--workspace", str(tmp_path / "x")])
    code = caught.value.code
    err = capsys.readouterr().err
    if code is None:  # reached a handler: it must still refuse with 2
        pytest.fail("accepted bad arguments")
    assert code == 2
    assert "Traceback" not in err and ("lỗi" in err or "Lỗi" in err)


def test_unit_code_text_error_exits_2_without_traceback(tmp_path, capsys):
    code, _, err = run(capsys, "workspace", "init", "--workspace", tmp_path / "w",
                       "--unit", "abc")
    assert code == 2 and "không phải mã đơn vị" in err and "Traceback" not in err


def test_commands_on_a_workspace_that_was_never_set_up(tmp_path, capsys):
    code, _, err = run(capsys, "workspace", "info", "--workspace", tmp_path / "none")
    assert code == 1 and "chưa được thiết lập" in err
    code, out, _ = run(capsys, "check", "--workspace", tmp_path / "none")
    assert code == 1 and "không tồn tại" in out


def test_check_finds_a_damaged_journal(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert run(capsys, "demo", "--year", "2023", "--workspace", folder)[0] == 0
    with sqlite3.connect(folder / "ctmtqg.sqlite3") as connection:
        connection.execute("DELETE FROM change_journal WHERE seq = 1")
    code, out, _ = run(capsys, "check", "--workspace", folder)
    assert code == 1 and "không khớp với nhật ký" in out


def test_installed_console_script_runs_in_a_fresh_process(tmp_path):
    env = dict(os.environ, CTMTQG_WORKSPACE=str(tmp_path / "env-ws"))
    result = subprocess.run([sys.executable, "-m", "ctmtqg_desktop", "workspace", "init",
                             "--unit", "23497@2025-07-01"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env-ws" / "ctmtqg.sqlite3").exists()
    for sub in ("attachments", "keys", "backups", "logs"):
        assert (tmp_path / "env-ws" / sub).is_dir()
