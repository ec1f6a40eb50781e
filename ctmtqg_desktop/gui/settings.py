"""Per-computer GUI state (window geometry, last page, splitter sizes), declared once.

Workspace settings that travel with the data are in ``services/settings.py``; this module
is for what belongs to the screen in front of the user. Every key is declared here with its
type and default, and read or written only through :func:`load` / :func:`save`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "CTMTQG"
APPLICATION = "CTMTQG Desktop"
#: bump when a key's meaning changes; older values are then dropped
SETTINGS_VERSION = 1


@dataclass(frozen=True)
class GuiSetting:
    key: str
    type: type
    default: Any


WINDOW_GEOMETRY = GuiSetting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = GuiSetting("window/state", QByteArray, QByteArray())
LAST_PAGE = GuiSetting("window/last_page", str, "overview")
FONT_POINT_SIZE = GuiSetting("appearance/font_point_size", int, 0)


def _store() -> QSettings:
    settings = QSettings(ORGANISATION, APPLICATION)
    if settings.value("settings_version", 0, int) != SETTINGS_VERSION:
        settings.clear()
        settings.setValue("settings_version", SETTINGS_VERSION)
    return settings


def load(setting: GuiSetting) -> Any:
    value = _store().value(setting.key, setting.default)
    if value is None:
        return setting.default
    if setting.type is int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return setting.default
    if setting.type is QByteArray and not isinstance(value, QByteArray):
        return setting.default
    return value


def save(setting: GuiSetting, value: Any) -> None:
    _store().setValue(setting.key, value)
