"""The application's icons (``resources/icons``, drawn for the project): one SVG per area,
named by ``PageSpec.icon``, and the application icon."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from ctmtqg_desktop.resource_paths import resource_path


def icon_path(name: str) -> Path:
    return resource_path("icons", f"{name}.svg")


@cache
def page_icon(name: str) -> QIcon:
    """The navigation icon of an area (empty when the area names none)."""
    return QIcon(str(icon_path(name))) if name else QIcon()


def app_icon() -> QIcon:
    return QIcon(str(icon_path("app")))
