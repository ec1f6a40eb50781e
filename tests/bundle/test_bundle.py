"""The one-folder PyInstaller bundle builds and passes its own self-test (slow: CI runs it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_bundle_builds_and_passes_its_self_test(tmp_path):
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed here (it comes "
                        "with the 'bundle' extra: pip install -r requirements-bundle.txt)")
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert build.returncode == 0, build.stderr[-4000:]
    folder = tmp_path / "dist" / "ctmtqg-desktop"
    executable = folder / ("ctmtqg-desktop.exe" if os.name == "nt" else "ctmtqg-desktop")
    for shipped in ("ui", "resources", "db"):
        assert any(folder.rglob(shipped)), f"{shipped}/ is missing from the bundle"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([str(executable), "--self-test"], capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Tự kiểm tra đạt" in result.stdout
