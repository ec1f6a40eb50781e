"""The one-folder PyInstaller bundle: built once for this module (slow: CI runs it), then
its two executables are run as a user would, in folders with Vietnamese names, and the
Windows installer script is compiled around it by makensis (on Linux the Linux bundle
stands in for the Windows payload: this checks the script, .github/workflows/windows.yml
builds the real installer)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = ".exe" if os.name == "nt" else ""
VIETNAMESE = "Dữ liệu xã Đăk Hà"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed here (it comes "
                        "with the 'bundle' extra: pip install -r requirements-bundle.txt)")
    work = tmp_path_factory.mktemp("bundle")
    pyinstaller = shutil.which("pyinstaller") or str(Path(sys.executable).with_name("pyinstaller"))
    build = subprocess.run(
        [pyinstaller, "--noconfirm", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert build.returncode == 0, build.stderr[-4000:]
    return work / "dist" / "ctmtqg-desktop"


@pytest.fixture
def env(tmp_path):
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
                XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
                LOCALAPPDATA=str(tmp_path / "localappdata"), PYTHONIOENCODING="utf-8")


def test_the_window_executable_passes_its_self_test(bundle, env):
    for shipped in ("ui", "resources", "db"):
        assert any(bundle.rglob(shipped)), f"{shipped}/ is missing from the bundle"
    result = subprocess.run([str(bundle / f"ctmtqg-desktop{EXE}"), "--self-test"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    if os.name != "nt":  # a Windows GUI program has no console to print to
        assert "Tự kiểm tra đạt" in result.stdout


def test_the_command_line_executable_works_in_vietnamese_folders(bundle, env, tmp_path):
    from pypdf import PdfReader

    ctmtqg = str(bundle / f"ctmtqg{EXE}")
    folder = tmp_path / VIETNAMESE
    workspace = folder / "dữ liệu"

    def run(*args: object) -> str:
        result = subprocess.run([ctmtqg, *map(str, args), "--workspace", str(workspace)],
                                capture_output=True, text=True, timeout=300, env=env,
                                encoding="utf-8")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        return result.stdout

    assert "Xã Đắk La" in run("demo", "--year", "2023")
    run("report", "villages", "--format", "pdf", "--out", folder / "Báo cáo" / "thôn làng.pdf")
    text = PdfReader(folder / "Báo cáo" / "thôn làng.pdf").pages[0].extract_text()
    assert "Làng Kon Mong Tu" in text
    run("report", "tasks", "--format", "xlsx", "--out", folder / "Báo cáo" / "tiến độ.xlsx")
    assert (folder / "Báo cáo" / "tiến độ.xlsx").stat().st_size > 0
    # the demo commune knows no key of its district: sent unencrypted, as the officer chose
    run("sync", "export", "--no-encryption", "--out", folder / "Gói gửi huyện")
    assert list((folder / "Gói gửi huyện").glob("*.ctsync"))
    assert "SHA-256" in run("backup", "create", "--to", folder / "USB sao lưu")
    (backup,) = (folder / "USB sao lưu").glob("*.ctbackup")
    assert backup.name in run("backup", "list", "--from", folder / "USB sao lưu")
    out = run("backup", "restore", backup)
    assert "Dữ liệu toàn vẹn" in out
    assert "Dữ liệu toàn vẹn" in run("check")


def test_the_bundle_carries_only_the_data_it_uses(bundle):
    internal = bundle / "_internal"
    assert not list(internal.rglob("babel")), "Babel's locale data is not used at run time"
    assert not (internal / "reportlab" / "fonts").exists()
    from ctmtqg_desktop.gui.pages import PAGES

    for spec in PAGES:
        assert (internal / "resources" / "icons" / f"{spec.icon}.svg").is_file(), spec.icon
    size = sum(p.lstat().st_size for p in bundle.rglob("*")
               if p.is_file() and not p.is_symlink())  # Qt's libraries are linked twice
    assert size < 260 * 1024 * 1024, f"the bundle grew to {size // 2**20} MB"


def test_the_installer_script_compiles_around_the_bundle(bundle, tmp_path):
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.fail("makensis is missing: install NSIS (Debian: apt-get install nsis); "
                    ".ci/run does")
    installer = tmp_path / "CTMTQG cài đặt.exe"
    result = subprocess.run(
        [makensis, "-V2", "-WX", "-DNOCOMPRESS", f"-DPAYLOAD={bundle}", "-DVERSION=0.1.0",
         f"-DOUTFILE={installer}", str(ROOT / "packaging" / "ctmtqg.nsi")],
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    header = installer.read_bytes()[:2]
    assert header == b"MZ"  # a Windows program
    assert installer.stat().st_size > 50 * 1024 * 1024  # the payload is inside
