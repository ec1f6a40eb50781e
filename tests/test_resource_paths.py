"""ui/, resources/ and db/ are found the same way from a source checkout and an installed
wheel (the bundle is checked by tests/bundle)."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from ctmtqg_desktop import resource_paths

ROOT = Path(__file__).resolve().parents[1]


def test_source_checkout_layout():
    assert resource_paths.layout_name() == "source"
    assert resource_paths.resource_path("catalog", "manifest.json").is_file()
    assert (resource_paths.migrations_dir() / "env.py").is_file()
    assert resource_paths.ui_path("style.qss").is_file()


def test_installed_wheel_layout(tmp_path):
    # built from a copy: setuptools writes build/ and *.egg-info beside the sources
    source = tmp_path / "source"
    for name in ("pyproject.toml", "README.md"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    for name in ("ctmtqg_desktop", "ui", "resources", "db"):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "--no-build-isolation",
                            "-q", "-w", str(tmp_path / "wheel"), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "wheel").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    package = ROOT / "ctmtqg_desktop"
    for folder in [package, *package.rglob("*")]:
        if folder.is_dir() and any(folder.glob("*.py")):
            module = folder.relative_to(ROOT).as_posix()
            assert f"{module}/__init__.py" in names, f"{module} is not listed in pyproject.toml"
    for expected in ("ctmtqg_desktop/resources/catalog/units.csv", "ctmtqg_desktop/db/env.py",
                     "ctmtqg_desktop/ui/style.qss",
                     "ctmtqg_desktop/resources/locale/vi/LC_MESSAGES/core.mo",
                     "ctmtqg_desktop/resources/fonts/LiberationSerif-Regular.ttf"):
        assert expected in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = ("import sys; sys.path.insert(0, sys.argv[1]);"
              "from ctmtqg_desktop import resource_paths as r;"
              "print(r.layout_name());"
              "from ctmtqg_desktop.cli import main;"
              "sys.exit(main(['workspace', 'init', '--unit', '23524@2023-06-01',"
              " '--workspace', sys.argv[2]]))")
    result = subprocess.run([sys.executable, "-c", script, str(target), str(tmp_path / "ws")],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "wheel"
    assert "Xã Đắk La" in result.stdout
