"""Báo cáo đã ban hành: the register of issued reports, sign-off, and who reported."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _archive_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.archive._page import ArchivePage

    return ArchivePage(context)


PAGE = PageSpec(
    "archive", N_("Issued reports"), _archive_page,
    N_("Reports issued with their number, signed off and sent up; at a parent, who has "
       "reported, on time or late."), icon="reports")
