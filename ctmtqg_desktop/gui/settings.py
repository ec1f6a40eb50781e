"""Per-computer GUI state (window geometry, last page, splitter sizes), declared once.

Workspace settings that travel with the data are in ``services/settings.py``; this module
is for what belongs to the screen in front of the user. Every key is declared here with its
type and default, and read or written only through :func:`load` / :func:`save`.

Window geometry and the last page are kept per workspace (:func:`use_workspace`): a
training workspace and the real one each reopen as they were left. A run that only draws
pages (``--screenshots``, ``--self-test``, no display) calls :func:`use_memory_only` first,
so it never changes what the user's next real start finds.
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
    #: kept separately for each workspace (see :func:`use_workspace`)
    per_workspace: bool = False


WINDOW_GEOMETRY = GuiSetting("window/geometry", QByteArray, QByteArray(), per_workspace=True)
WINDOW_STATE = GuiSetting("window/state", QByteArray, QByteArray(), per_workspace=True)
LAST_PAGE = GuiSetting("window/last_page", str, "overview", per_workspace=True)
FONT_POINT_SIZE = GuiSetting("appearance/font_point_size", int, 0)

_memory: dict[str, Any] | None = None
_workspace_scope = ""


def use_memory_only() -> None:
    """From now on settings live in memory only and nothing is written to the user's
    settings (a screenshot run, a self-test, a run without a display)."""
    global _memory
    if _memory is None:
        _memory = {}


def use_stored_settings() -> None:
    """Back to the user's settings file (tests that switched to memory only)."""
    global _memory
    _memory = None


def memory_only() -> bool:
    return _memory is not None


def use_workspace(identity: str) -> None:
    """Keep per-workspace settings under ``identity`` (the workspace's folder or database
    address); an empty identity means no workspace is open."""
    import hashlib

    global _workspace_scope
    _workspace_scope = (hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
                        if identity else "")


def _key(setting: GuiSetting) -> str:
    if setting.per_workspace:
        return f"workspaces/{_workspace_scope or 'none'}/{setting.key}"
    return setting.key


def _store() -> QSettings:
    settings = QSettings(ORGANISATION, APPLICATION)
    if settings.value("settings_version", 0, int) != SETTINGS_VERSION:
        settings.clear()
        settings.setValue("settings_version", SETTINGS_VERSION)
    return settings


def load(setting: GuiSetting) -> Any:
    key = _key(setting)
    if _memory is not None:
        value = _memory.get(key, setting.default)
    else:
        value = _store().value(key, setting.default)
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
    if _memory is not None:
        _memory[_key(setting)] = value
        return
    _store().setValue(_key(setting), value)
