"""The import contracts of pyproject.toml ([tool.importlinter], run by ``lint-imports`` in
scripts/check-static): the tree keeps them, and each breaks on the import it forbids.

Each case copies the package into a temporary folder, plants one import, and runs
``lint-imports`` on the copy with the project's own contracts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts_text() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return text[text.index("[tool.importlinter]"):].split("\n[tool.mypy]")[0]


def lint(folder: Path) -> subprocess.CompletedProcess:
    (folder / "pyproject.toml").write_text(contracts_text(), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(folder))
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config",
                           str(folder / "pyproject.toml")], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def copy_of_the_package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contracts")
    shutil.copytree(ROOT / "ctmtqg_desktop", folder / "ctmtqg_desktop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_the_tree_keeps_every_contract(copy_of_the_package):
    result = lint(copy_of_the_package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


PLANTED = {
    "a service imports the GUI": (
        "services/settings.py", "from ctmtqg_desktop.gui import palette",
        "Layers import downwards only"),
    "Qt outside gui": (
        "services/roles.py", "import PySide6.QtCore", "Qt lives in ctmtqg_desktop.gui alone"),
    "an area reaches into another area's module": (
        "services/tasks/_rules.py", "from ctmtqg_desktop.services.capital import _records",
        "An area is used through its interface"),
    "a GUI area reaches into another GUI area's module": (
        "gui/pages/activities/_page.py", "from ctmtqg_desktop.gui.pages.capital import _widgets",
        "An area is used through its interface"),
    "the kernel imports an area": (
        "services/settings.py", "from ctmtqg_desktop.services import tasks",
        "Inside services: areas in a fixed order"),
    "an area imports one above it": (
        "services/tasks/_rules.py", "from ctmtqg_desktop.services import parent",
        "Inside services: areas in a fixed order"),
    "two modules of an area import each other": (
        "services/sync/_nodes.py", "from ctmtqg_desktop.services.sync import _trust",
        "No cycle between the modules of a package"),
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_each_contract_breaks_on_the_import_it_forbids(copy_of_the_package, tmp_path, case):
    relative, line, contract = PLANTED[case]
    folder = tmp_path / "tree"
    shutil.copytree(copy_of_the_package / "ctmtqg_desktop", folder / "ctmtqg_desktop")
    module = folder / "ctmtqg_desktop" / relative
    text = module.read_text(encoding="utf-8")
    marker = "from __future__ import annotations\n"
    planted = text.replace(marker, marker + "\n" + line + "  # noqa\n", 1) if marker in text \
        else line + "  # noqa\n" + text
    module.write_text(planted, encoding="utf-8")
    result = lint(folder)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts")[1]
    assert contract in broken, result.stdout
