"""The overview page's data: each area contributes sections (``Area.overview``).

Sections hold figures computed from records, never typed; an area that is not built yet
contributes nothing rather than a placeholder number. :func:`compute` also refreshes the
last-known copy that the window shows while it starts (see ``overview_data``).
"""

from __future__ import annotations

import datetime as dt
import logging

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.services import area, catalog
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
from ctmtqg_desktop.store.workspace import Workspace

log = logging.getLogger("ctmtqg.overview")


def unit_header(workspace: Workspace) -> UnitHeader:
    info = workspace.installation()
    unit = catalog.get_unit(workspace, info.unit_id)
    return UnitHeader(unit.title, unit.full_name, info.role, role_label(info.role),
                      info.officer_name,
                      format_date(info.simulated_today) if info.simulated_today else None)


def sections(workspace: Workspace) -> list[Section]:
    result = []
    for provider in area.overview_sections():
        section = provider.compute(workspace)
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
