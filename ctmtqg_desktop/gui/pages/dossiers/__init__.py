"""Hồ sơ: the project dossiers, their documents and forms (households are a tab)."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _dossiers_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.dossiers._page import DossiersPage

    return DossiersPage(context)


PAGE = PageSpec(
    "dossiers", N_("Dossiers"), _dossiers_page,
    N_("The sample dossier of each project: required documents by stage, forms to "
       "fill and print, completeness."), icon="dossiers")
