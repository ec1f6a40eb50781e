"""Sổ tay: the offline handbook."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def request_kind(kind: str) -> None:
    """Open the handbook on the page for a project kind the next time it is shown."""
    from ctmtqg_desktop.gui.pages.handbook._page import HandbookPage

    HandbookPage.requested_kind = kind


def _handbook_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.handbook._page import HandbookPage

    return HandbookPage(context)


PAGE = PageSpec(
    "handbook", N_("Handbook"), _handbook_page,
    N_("Procedures, legal references and sample dossiers for each programme "
       "component, searchable offline."), icon="handbook")
