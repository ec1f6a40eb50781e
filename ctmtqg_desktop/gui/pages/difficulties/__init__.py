"""Khó khăn, kiến nghị: difficulties and proposals, and the parent's answers."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _difficulties_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.difficulties._page import DifficultiesPage

    return DifficultiesPage(context)


PAGE = PageSpec(
    "difficulties", N_("Difficulties and proposals"), _difficulties_page,
    N_("Difficulties and proposals sent to the parent unit, and its answers."),
    icon="difficulties")
