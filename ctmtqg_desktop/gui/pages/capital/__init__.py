"""Kế hoạch vốn: capital plan lines, allocations, payments, the pace chart and alerts."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _capital_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.capital._page import CapitalPage

    return CapitalPage(context)


PAGE = PageSpec(
    "capital", N_("Capital plans"), _capital_page,
    N_("Capital assigned, allocated in detail and disbursed by year, programme and "
       "source; the unallocated remainder, the disbursement rate and deadlines."),
    icon="capital")
