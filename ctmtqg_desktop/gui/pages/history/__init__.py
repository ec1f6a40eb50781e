"""Chuyển tiếp sau sắp xếp: carrying the predecessors' unfinished work into 2026."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _carry_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.history._page import CarryPage

    return CarryPage(context)


PAGE = PageSpec(
    "carry", N_("Carry over"), _carry_page,
    N_("A unit formed by the merger carries its predecessors' unfinished projects, tasks "
       "and undisbursed 2025 capital into 2026."), roles=("commune",), icon="tasks")
