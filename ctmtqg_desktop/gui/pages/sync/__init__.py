"""Đồng bộ: packages in and out, installations, enrollment and history."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _sync_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.sync._page import SyncPage

    return SyncPage(context)


PAGE = PageSpec(
    "sync", N_("Synchronisation"), _sync_page,
    N_("Signed packages to and from the parent unit, on a USB stick or by any "
       "messenger."), icon="sync")
