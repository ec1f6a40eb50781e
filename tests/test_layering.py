"""The core runs without Qt: every non-GUI module imports, and the CLI works, with PySide6
unimportable. Which layer may import which is said by the import contracts in pyproject.toml
(``lint-imports``; tests/test_contracts.py shows that each one holds and breaks when it
should)."""

import subprocess
import sys


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
        f"sys.exit(main(['workspace', 'init', '--unit', '23497@2025-07-01',"
        f" '--workspace', r'{tmp_path / 'w'}']))\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
