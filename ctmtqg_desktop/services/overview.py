"""The overview page's data: each area contributes a section (``@overview_section(order)``).

Sections hold figures computed from records, never typed; an area that is not built yet
contributes nothing rather than a placeholder number. :func:`compute` also refreshes the
last-known copy that the window shows while it starts (see ``overview_data``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable

from sqlalchemy import func, select

from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.catalog import _units as catalog
from ctmtqg_desktop.services.overview_data import (  # noqa: F401  (re-exported for areas)
    DUE_SOON,
    LATE,
    NORMAL,
    Figure,
    Overview,
    Section,
    UnitHeader,
    save_snapshot,
)
from ctmtqg_desktop.services.roles import role_label
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.workspace import Workspace

log = logging.getLogger("ctmtqg.overview")

#: modules that register overview sections, imported on first use
OVERVIEW_MODULES: list[str] = [
    "ctmtqg_desktop.services.tasks._overview",
    "ctmtqg_desktop.services.dossiers._overview",
    "ctmtqg_desktop.services.capital._overview",
    "ctmtqg_desktop.services.sync._overview",
    "ctmtqg_desktop.services.parent._overview",
    "ctmtqg_desktop.services.activities._overview",
]

_PROVIDERS: list[tuple[int, Callable[[Workspace], Section | None]]] = []


def overview_section(order: int) -> Callable:
    def register(fn: Callable[[Workspace], Section | None]):
        if all(existing is not fn for _, existing in _PROVIDERS):
            _PROVIDERS.append((order, fn))
        return fn

    return register


def unit_header(workspace: Workspace) -> UnitHeader:
    info = workspace.installation()
    unit = catalog.get_unit(workspace, info.unit_id)
    return UnitHeader(unit.title, unit.full_name, info.role, role_label(info.role),
                      info.officer_name,
                      format_date(info.simulated_today) if info.simulated_today else None)


@overview_section(90)
def _villages(workspace: Workspace) -> Section | None:
    unit_id = workspace.installation().unit_id
    live = (Village.owner_unit_id == unit_id, Village.deleted.is_(False))
    with workspace.session_factory() as session:
        count, households = session.execute(
            select(func.count(), func.coalesce(func.sum(Village.households), 0))
            .where(*live)).one()
        hard = session.execute(select(func.count()).where(
            *live, Village.extremely_disadvantaged.is_(True))).scalar()
    if not count:
        return None
    return Section(_("Villages"), "catalog", (
        Figure(_("Villages"), format_number(count)),
        Figure(_("Extremely disadvantaged villages"), format_number(hard)),
        Figure(_("Households"), format_number(households)),
    ), order=90)


def sections(workspace: Workspace) -> list[Section]:
    for module in OVERVIEW_MODULES:
        importlib.import_module(module)
    result = []
    for _order, provider in sorted(_PROVIDERS, key=lambda p: p[0]):
        section = provider(workspace)
        if section is not None:
            result.append(section)
    return result


def compute(workspace: Workspace, *, save: bool = True) -> Overview:
    """The overview from the records now; also kept as the workspace's last-known copy."""
    result = Overview(unit_header(workspace), tuple(sections(workspace)),
                      dt.datetime.now().replace(microsecond=0))
    if save:
        try:
            save_snapshot(workspace.folder, result)
        except OSError:  # a read-only or full disk must not hide the live figures
            log.warning("could not save the overview snapshot", exc_info=True)
    return result
