"""Danh mục: programmes, units, villages, capital sources and criteria."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _catalog_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.catalog._page import CatalogPage

    return CatalogPage(context)


PAGE = PageSpec(
    "catalog", N_("Catalog"), _catalog_page,
    N_("Programmes and their components, administrative units, villages, capital "
       "sources and criteria."), icon="catalog")
