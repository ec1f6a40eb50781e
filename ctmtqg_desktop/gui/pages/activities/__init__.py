"""Hoạt động: the activity log, its dialog and the workbook import."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _activities_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.activities._page import ActivitiesPage

    return ActivitiesPage(context)


PAGE = PageSpec(
    "activities", N_("Activities (communication, training, inspection)"), _activities_page,
    N_("Communication campaigns, emulation movements, training and inspections, "
       "with participants, counted in reports."), icon="activities")
