"""Workspace settings: each declared once, with its type, default and Vietnamese label.

Stored in the workspace (table ``setting``) so that they travel with its data; window
geometry and other per-computer GUI state live in ``gui/settings.py`` instead. An area
makes its settings with :func:`declare` and lists them in its declaration
(``Area.settings``), so that the settings page shows them before the area is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import area
from ctmtqg_desktop.store.models.identity import Setting
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace


@dataclass(frozen=True)
class SettingSpec:
    key: str
    type: type
    default: Any
    label: str  # msgid, translated when shown
    minimum: int | None = None
    maximum: int | None = None

    def parse(self, text: str) -> Any:
        if self.type is bool:
            return text in ("1", "true", "True", "yes")
        if self.type is int:
            try:
                value = int(text)
            except ValueError as error:
                raise BadArgument(detail=_("{label}: “{text}” is not a whole number").format(
                    label=_(self.label), text=text)) from error
            if (self.minimum is not None and value < self.minimum) or (
                    self.maximum is not None and value > self.maximum):
                raise BadArgument(detail=_("{label} must be between {low} and {high}").format(
                    label=_(self.label), low=self.minimum, high=self.maximum))
            return value
        return text

    def dump(self, value: Any) -> str:
        if self.type is bool:
            return "1" if value else "0"
        return str(value)


def declared() -> dict[str, SettingSpec]:
    """Every setting the areas declare, by key."""
    return area.settings()


def declare(key: str, type_: type, default: Any, label: str, *,
            minimum: int | None = None, maximum: int | None = None) -> SettingSpec:
    return SettingSpec(key, type_, default, label, minimum, maximum)


DUE_SOON_DAYS = declare("due_soon_days", int, 7,
                        N_("Days before a deadline when it is shown as due soon"),
                        minimum=1, maximum=90)
ATTACHMENT_LIMIT_MB = declare("attachment_limit_mb", int, 20,
                              N_("Largest attachment (MB)"), minimum=1, maximum=500)


def get(workspace: Workspace, spec: SettingSpec) -> Any:
    with UnitOfWork.read(workspace) as session:
        row = session.get(Setting, spec.key)
        return spec.default if row is None else spec.parse(row.value)


def set_value(workspace: Workspace, spec: SettingSpec, value: Any) -> None:
    text = spec.dump(value)
    spec.parse(text)  # validates bounds
    with UnitOfWork(workspace) as uow:
        row = uow.session.get(Setting, spec.key)
        if row is None:
            uow.session.add(Setting(key=spec.key, value=text))
        else:
            row.value = text
        uow.commit()


def all_values(workspace: Workspace) -> dict[str, Any]:
    return {key: get(workspace, spec) for key, spec in sorted(declared().items())}
