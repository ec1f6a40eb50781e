"""The pages of the main window, in navigation order (names from the UX guide).

Each area declares its pages in its folder's ``__init__.py`` (``gui/pages/<area>/``), as
:class:`~ctmtqg_desktop.gui.pages.base.PageSpec` objects whose ``create`` imports the page when
it is first shown; the overview and the report list belong to no area and are declared here.
"""

from __future__ import annotations

from ctmtqg_desktop.gui.pages import (
    activities,
    archive,
    capital,
    catalog,
    difficulties,
    dossiers,
    handbook,
    history,
    parent,
    projects,
    sync,
    tasks,
    workspaces,
)
from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _overview_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.overview import OverviewPage

    return OverviewPage(context)


def _reports_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.reports import ReportsPage

    return ReportsPage(context)


OVERVIEW_PAGE = PageSpec(
    "overview", N_("Overview"), _overview_page,
    N_("What is late, what money is unspent, what has not been sent."), icon="home")
REPORTS_PAGE = PageSpec(
    "reports", N_("Reports"), _reports_page,
    N_("Periodic reports as Excel and as PDF in the official format."), icon="reports")

PAGES: tuple[PageSpec, ...] = (
    OVERVIEW_PAGE,
    tasks.PAGE,
    capital.PAGE,
    projects.PAGE,
    dossiers.PAGE,
    activities.PAGE,
    difficulties.PAGE,
    REPORTS_PAGE,
    archive.PAGE,
    history.PAGE,
    parent.CHILDREN_PAGE,
    parent.BOARD_PAGE,
    sync.PAGE,
    catalog.PAGE,
    handbook.PAGE,
    workspaces.PAGE,
)


def pages_for(role: str) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]
