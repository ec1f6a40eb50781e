"""Find the shipped folders ``ui/``, ``resources/`` and ``db/`` the same way everywhere.

Three layouts exist, and every caller goes through :func:`shipped_dir` so that none of them
needs to know which one it runs in:

* a PyInstaller bundle: the folders sit beside the executable's ``_internal`` data
  (``sys._MEIPASS``), as ``build.spec`` puts them;
* an installed wheel: the build maps the folders into the package as
  ``ctmtqg_desktop/resources`` etc. (see ``[tool.setuptools.package-dir]`` in pyproject);
* a source checkout (and an editable install): the folders are siblings of the package.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

SHIPPED_FOLDERS = ("ui", "resources", "db")
_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        found.append(Path(bundle_root) / name)
    found.append(_PACKAGE_DIR / name)
    found.append(_PACKAGE_DIR.parent / name)
    return found


@cache
def shipped_dir(name: str) -> Path:
    """Return the folder ``name`` (one of :data:`SHIPPED_FOLDERS`) of this installation."""
    if name not in SHIPPED_FOLDERS:
        raise ValueError(f"not a shipped folder: {name}")
    for candidate in _candidates(name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"shipped folder {name!r} not found; looked in: "
        + ", ".join(str(c) for c in _candidates(name))
    )


def resource_path(*parts: str) -> Path:
    """A path inside ``resources/``."""
    return shipped_dir("resources").joinpath(*parts)


def ui_path(*parts: str) -> Path:
    """A path inside ``ui/`` (stylesheet, Designer forms)."""
    return shipped_dir("ui").joinpath(*parts)


def migrations_dir() -> Path:
    """The Alembic environment (``db/``)."""
    return shipped_dir("db")


def layout_name() -> str:
    """Which of the three layouts this process runs from (for ``workspace info``)."""
    resources = shipped_dir("resources")
    if getattr(sys, "_MEIPASS", None) and str(resources).startswith(str(sys._MEIPASS)):
        return "bundle"
    if resources.parent == _PACKAGE_DIR:
        return "wheel"
    return "source"
