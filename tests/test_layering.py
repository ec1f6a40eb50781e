"""Layers import downwards only; Qt lives in ``ctmtqg_desktop/gui`` alone."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ctmtqg_desktop"
#: what each layer may import from the package (besides itself and the shared helpers)
ALLOWED = {
    "domain": set(),
    "store": {"domain"},
    "reports": {"domain", "store"},
    "sync": {"domain", "store", "reports"},
    "services": {"domain", "store", "reports", "sync"},
    "cli": {"domain", "store", "reports", "sync", "services"},
    "gui": {"domain", "store", "reports", "sync", "services", "cli"},
}
SHARED = {"i18n", "resource_paths", "app_logging", "__init__"}


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def layer_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def test_qt_is_imported_only_in_the_gui_package():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if layer_of(path) == "gui":
            continue
        for module in imports_of(path):
            if module.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []


def test_layers_import_downwards_only():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        layer = layer_of(path)
        if layer not in ALLOWED:
            continue
        for module in imports_of(path):
            parts = module.split(".")
            if parts[0] != "ctmtqg_desktop" or len(parts) < 2:
                continue
            target = parts[1]
            if target in SHARED or target == layer or target.endswith("_tools"):
                continue
            if target not in ALLOWED[layer]:
                offenders.append(f"{path.relative_to(PACKAGE)} ({layer}) imports {module}")
    assert offenders == []


def test_the_core_runs_with_qt_unavailable(tmp_path):
    """Import every non-GUI module and run the CLI with PySide6 made unimportable."""
    script = tmp_path / "no_qt.py"
    script.write_text(
        "import importlib, pkgutil, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is not available here')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import ctmtqg_desktop\n"
        "for info in pkgutil.walk_packages(ctmtqg_desktop.__path__, 'ctmtqg_desktop.'):\n"
        "    if '.gui' in info.name or info.name.endswith('__main__'):\n"
        "        continue\n"
        "    importlib.import_module(info.name)\n"
        "from ctmtqg_desktop.cli import main\n"
        f"sys.exit(main(['workspace', 'init', '--unit', '23524',"
        f" '--workspace', r'{tmp_path / 'w'}']))\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
