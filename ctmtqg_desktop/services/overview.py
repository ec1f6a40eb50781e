"""The overview page's data: each area contributes a section (``@overview_section(order)``).

Sections hold figures that are computed from records, never typed; an area that is not
built yet contributes nothing rather than a placeholder number.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import func, select

from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.services.workspaces import role_label
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.workspace import Workspace

#: modules that register overview sections, imported on first use
OVERVIEW_MODULES: list[str] = []

NORMAL, DUE_SOON, LATE = "normal", "due_soon", "late"


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    #: normal, due_soon (amber) or late (red)
    state: str = NORMAL


@dataclass(frozen=True)
class Section:
    title: str
    #: the area key to open when the user activates the section (``tasks``, ``capital``…)
    area: str
    figures: tuple[Figure, ...] = ()
    lines: tuple[tuple[str, str], ...] = ()  # (text, state)
    order: int = 0


_PROVIDERS: list[tuple[int, Callable[[Workspace], Section | None]]] = []


def overview_section(order: int) -> Callable:
    def register(fn: Callable[[Workspace], Section | None]):
        if all(existing is not fn for _, existing in _PROVIDERS):
            _PROVIDERS.append((order, fn))
        return fn

    return register


@dataclass(frozen=True)
class UnitHeader:
    unit_title: str
    unit_full_name: str
    role: str
    officer_name: str
    simulated_today: str | None
    extra: dict[str, str] = field(default_factory=dict)


def unit_header(workspace: Workspace) -> UnitHeader:
    from ctmtqg_desktop.domain.formats import format_date

    info = workspace.installation()
    unit = catalog.get_unit(workspace, info.unit_id)
    return UnitHeader(unit.title, unit.full_name, role_label(info.role), info.officer_name,
                      format_date(info.simulated_today) if info.simulated_today else None)


@overview_section(0)
def _villages(workspace: Workspace) -> Section | None:
    from ctmtqg_desktop.domain.formats import format_number

    unit_id = workspace.installation().unit_id
    with workspace.session_factory() as session:
        live = select(Village).where(Village.owner_unit_id == unit_id, Village.deleted.is_(False))
        count = session.execute(select(func.count()).select_from(live.subquery())).scalar()
        hard = session.execute(select(func.count()).select_from(
            live.where(Village.extremely_disadvantaged.is_(True)).subquery())).scalar()
        households = session.execute(select(func.coalesce(func.sum(Village.households), 0))
                                     .where(Village.owner_unit_id == unit_id,
                                            Village.deleted.is_(False))).scalar()
    if not count:
        return None
    return Section(_("Villages"), "catalog", (
        Figure(_("Villages"), format_number(count)),
        Figure(_("Extremely disadvantaged villages"), format_number(hard)),
        Figure(_("Households"), format_number(households)),
    ), order=0)


def sections(workspace: Workspace) -> list[Section]:
    for module in OVERVIEW_MODULES:
        importlib.import_module(module)
    result = []
    for order, provider in sorted(_PROVIDERS, key=lambda p: p[0]):
        section = provider(workspace)
        if section is not None:
            result.append(section)
    return result
