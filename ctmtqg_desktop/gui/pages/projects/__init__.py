"""Dự án, công trình: the projects, their ranking, overlaps and the what-if."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _projects_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.projects._page import ProjectsPage

    return ProjectsPage(context)


PAGE = PageSpec(
    "projects", N_("Projects and works"), _projects_page,
    N_("Investment projects and activities with their scores, ranking and overlap "
       "warnings across programmes."), icon="projects")
