"""Hộ hưởng lợi: the beneficiary households and their support, shown as a tab of the
dossiers page (the households area has no page of its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.base import Page
    from ctmtqg_desktop.gui.pages.households._tab import HouseholdsTab


def households_tab(page: Page) -> HouseholdsTab:
    """The households tab, for the page that shows it."""
    from ctmtqg_desktop.gui.pages.households._tab import HouseholdsTab

    return HouseholdsTab(page)
