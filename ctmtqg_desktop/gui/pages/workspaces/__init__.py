"""Cài đặt: the workspace's settings, facts and change journal."""

from __future__ import annotations

from ctmtqg_desktop.gui.pages.base import Page, PageContext, PageSpec
from ctmtqg_desktop.i18n import N_


def _settings_page(context: PageContext) -> Page:
    from ctmtqg_desktop.gui.pages.workspaces._settings import SettingsPage

    return SettingsPage(context)


PAGE = PageSpec(
    "settings", N_("Settings"), _settings_page,
    N_("Signer, deadlines, attachment limits and this workspace."), icon="settings")
